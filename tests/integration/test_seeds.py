"""test_seeds: `make seeds` (tools/seeds) inside `make check`, for the cases available today.

Runs the tool as `make seeds` does and requires its verdict: exit status 0, one line per case,
and the cases it could run with the expected outcome (stock KVM on QEMU: seed 002 reproduced
with the EOI storm named, seed 003 passed). Cases waiting for a KVM variant or for the Bochs
launcher print "not run" (tools/seeds, VARIANTS and LAUNCHERS); the tool's own unit checks
below make sure a wrong outcome fails it.
"""
import importlib.machinery
import importlib.util
import subprocess
import sys
import time
from pathlib import Path

from conftest import record_timing

REPO = Path(__file__).resolve().parents[2]
TOOL = REPO / "tools" / "seeds"


def load_tool():
    loader = importlib.machinery.SourceFileLoader("seeds_tool", str(TOOL))
    spec = importlib.util.spec_from_loader("seeds_tool", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_judge_maps_runs_to_outcomes():
    seeds = load_tool()
    from l1vmm import parse_runs
    console = ("L1: l1vmm: run: --scenario seed002\n"
               "L1VMM: result: seed002: reproduced (livelock: ... KVM_EXIT_IOAPIC_EOI repeats 9 "
               "times)\nL1: l1vmm: exit=3\n")
    case = seeds.Case("002", "qemu", "stock", "seed002", {}, "reproduced", "KVM_EXIT_IOAPIC_EOI")
    seeds.judge(case, parse_runs(console)[0])
    assert case.outcome == "reproduced"
    case = seeds.Case("003", "qemu", "seed003-old", "seed003", {}, "reproduced", "irq_window_exits")
    seeds.judge(case, parse_runs(console.replace("seed002", "seed003"))[0])
    assert case.outcome == "other symptom"
    case = seeds.Case("002", "qemu", "stock", "seed002", {}, "reproduced")
    seeds.judge(case, parse_runs(console.replace("reproduced (", "pass (").replace("exit=3", "exit=0"))[0])
    assert case.outcome == "passed"
    failing = (console.replace("reproduced (livelock: ... KVM_EXIT_IOAPIC_EOI repeats 9 times)",
                               "fail (payload reported failures, debug-exit 0x11)")
               .replace("exit=3", "exit=1")
               .replace("L1VMM: result", "L2: [seed002] FAIL tsc-calibration: PIT channel 2 "
                        "does not count\nL1VMM: result"))
    case = seeds.Case("002", "qemu", "stock", "seed002", {}, "reproduced")
    seeds.judge(case, parse_runs(failing)[0])
    assert case.outcome == "fail"
    assert case.detail.endswith("; FAIL tsc-calibration: PIT channel 2 does not count"), case.detail


def test_make_seeds_available_cases(capsys):
    """The L0=qemu cases (the L0=bochs ones run in test_l1_bochs_alone.py, on the boots that
    test also checks, to spend each Bochs boot once)."""
    start = time.monotonic()
    proc = subprocess.run([sys.executable, str(TOOL), "--l0", "qemu"], cwd=REPO,
                          capture_output=True, text=True, timeout=1500)
    record_timing("tools/seeds (cases available today)", time.monotonic() - start)
    with capsys.disabled():
        print("\n" + proc.stdout)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = [l for l in proc.stdout.splitlines() if l.startswith("seed ")]
    assert len(lines) == len([c for c in load_tool().CASES if c.l0 == "qemu"]), proc.stdout
    assert any(l.startswith("seed 002 L0=qemu kvm=stock: reproduced (") and
               "KVM_EXIT_IOAPIC_EOI" in l for l in lines), proc.stdout
    assert any(l.startswith("seed 003 L0=qemu kvm=stock: passed (") for l in lines), proc.stdout


def test_judge_nestor_requires_nestor_to_name_what_reproduced():
    seeds = load_tool()
    named = set(seeds.NESTOR_NAMED.findall(
        "[nestor] WARN: vcpu0: nested: seed 003 pattern (003_aac2c8559ed01284.txt): ..."))
    assert named == {"003"}
    case = seeds.Case("003", "nestor/qemu", "seed003-old", "seed003", {}, "reproduced")
    case.outcome = "reproduced"
    seeds.judge_nestor(case, named)
    assert case.outcome == "reproduced" and "nestor named the seed 003 pattern" in case.detail
    case = seeds.Case("002", "nestor/qemu", "stock", "seed002", {}, "reproduced")
    case.outcome = "reproduced"
    seeds.judge_nestor(case, named)            # 003 named, 002 not: not good enough
    assert case.outcome == "not named by nestor"
    case = seeds.Case("003", "nestor/qemu", "stock", "seed003", {}, "passed")
    case.outcome = "passed"
    seeds.judge_nestor(case, named)
    assert case.outcome == "named by nestor although it passed"
    case = seeds.Case("003", "qemu", "stock", "seed003", {}, "passed")
    case.outcome = "passed"
    seeds.judge_nestor(case, named)            # QEMU alone: nestor is not there
    assert case.outcome == "passed"


def test_make_seeds_003_under_nestor(capsys):
    """Seed 003 with nestor as L0 on QEMU: the old KVM livelocks and nestor names the pattern
    (stock KVM's 003 passing with nestor silent, and the 002 storm named, are checked in
    test_l1_vmm_nestor's matrix, on the same L1 boot as the other payloads)."""
    start = time.monotonic()
    proc = subprocess.run([sys.executable, str(TOOL), "--l0", "nestor/qemu", "--seed", "003",
                           "--kvm", "seed003-old", "--jobs", "1"], cwd=REPO,
                          capture_output=True, text=True, timeout=1500)
    record_timing("tools/seeds --l0 nestor/qemu --seed 003 --kvm seed003-old",
                  time.monotonic() - start)
    with capsys.disabled():
        print("\n" + proc.stdout)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = [l for l in proc.stdout.splitlines() if l.startswith("seed 003 L0=nestor/qemu")]
    assert len(lines) == 1, proc.stdout
    assert lines[0].startswith("seed 003 L0=nestor/qemu kvm=seed003-old: reproduced (")
    assert "nestor named the seed 003 pattern" in lines[0], proc.stdout

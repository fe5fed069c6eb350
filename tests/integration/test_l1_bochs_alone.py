"""test_l1_bochs_alone: Debian's kernel as L1 directly on Bochs (no nestor), the L0 of seed 000.

Bochs corei7_ivy_bridge_3770k (TPR shadow without virtual-interrupt delivery) boots Linux
through OVMF and the kernel's EFI stub (l1_payload.linux_alone). For the stock KVM and for
seed000-fixed (the two the seed-000 case compares), both runs at once on the 2 cores:
- kvm_intel loads from the variant's own files (file, SHA-256 and taint checked) and
  kvmprobe's L2 guest runs under it: Bochs's VMX carries a KVM guest;
- the run ends the way /init ends it on Bochs: every line reaches the console ("L1: end:" is
  the last one, after "L1: done"), then Bochs's shutdown port stops the emulator (Linux finds
  no ACPI power-off there) well before the timeout.
- the same boot is seed 000's case with L0=bochs (tools/seeds CASES): l1vmm runs the seed-000
  scenario under that KVM, and tools/seeds' own judge decides: stock reproduces (hardware
  error 0x7: Bochs enforces SDM 26.2.1.1 on VMRESUME), seed000-fixed passes. `make seeds`
  boots the same cases itself; in `make check` they run here, once, with the checks above
  (test_seeds.py runs the L0=qemu ones).
The time to /init and the whole run are printed, not asserted (about 100-300 s each).
L1_BOCHS_VARIANTS="seed002-fixed seed003-old" (or "all") runs other variants instead.
"""
import importlib.machinery
import importlib.util
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import record_timing
from l1_payload import (DEFAULT_CMDLINE, END_MARKER, INITRAMFS, MARKER, VMLINUZ, check_kvm_variant,
                        l1_lines, linux_alone, parse_console)
from l1vmm import parse_runs, run_word


def seeds_tool():
    path = str(Path(__file__).resolve().parents[2] / "tools" / "seeds")
    loader = importlib.machinery.SourceFileLoader("seeds_tool", path)
    spec = importlib.util.spec_from_loader("seeds_tool", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


SEEDS = seeds_tool()
SEED_CASES = {c.kvm: c for c in SEEDS.CASES if c.l0 == "bochs"}

MODEL = "corei7_ivy_bridge_3770k"
VARIANTS = tuple(os.environ.get("L1_BOCHS_VARIANTS", "stock seed000-fixed").split())
if VARIANTS == ("all",):
    VARIANTS = ("stock", "seed000-fixed", "seed002-fixed", "seed003-old", "stock-built")
TIMEOUT_S = 900
SHUTDOWN = "Shutdown port: shutdown requested"


@pytest.fixture(scope="module")
def bochs_runs():
    for path in (VMLINUZ, INITRAMFS):
        assert path.is_file(), f"{path} missing: build it with 'make l1'"

    def run(variant):
        results = []
        boot = linux_alone(emulator="bochs", cpu=MODEL, smp=1, results=results)
        cmdline = DEFAULT_CMDLINE + " l1.kvm=" + variant
        case = SEED_CASES.get(variant)
        if case:
            cmdline += " l1.run=" + run_word(case.scenario, case.options)
        result = boot(VMLINUZ, INITRAMFS, cmdline, TIMEOUT_S)
        return variant, (result, results[0])

    with ThreadPoolExecutor(2) as pool:
        return dict(pool.map(run, VARIANTS))


@pytest.mark.parametrize("variant", VARIANTS)
def test_kvm_intel_loads_on_bochs_alone(variant, bochs_runs):
    result, run = bochs_runs[variant]
    if MARKER in run.first_seen:
        record_timing("L1 to /init on Bochs alone (%s, kvm %s)" % (MODEL, variant),
                      run.first_seen[MARKER])
    record_timing("  whole run, to Bochs's exit", run.elapsed)
    tail = "\n".join(result.console.splitlines()[-30:])
    assert not result.timed_out, f"no end within {TIMEOUT_S} s (logs {run.workdir}):\n{tail}"
    report = parse_console(result.console)
    assert report.cpus_online == 1 and report.vendor == "GenuineIntel", tail
    assert report.cpuid.get("vmx") is True and report.cpuid.get("svm") is False, tail
    assert report.modules.get("kvm") == "loaded", report.modules
    assert report.modules.get("kvm_intel") == "loaded", report.modules
    assert report.modules.get("kvm_amd") == "not loaded (no SVM)", report.modules
    check_kvm_variant(report, variant, ("kvm", "kvm_intel"))
    assert any(p.startswith("l2-guest: ok") for p in report.probe), report.probe
    assert report.done, tail


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_run_ends_with_every_line_out(variant, bochs_runs):
    result, run = bochs_runs[variant]
    lines = l1_lines(result.console)
    # The end line is the last /init line, right after "done": nothing was lost before it.
    assert lines[-2:] == ["done", "end: done (exit=bochs)"], lines[-5:]
    assert END_MARKER in run.first_seen
    # Bochs stopped because /init wrote its shutdown port, not because the harness killed it.
    with open(os.path.join(run.workdir, "bochs.log"), errors="replace") as f:
        assert SHUTDOWN in f.read(), f"Bochs never saw the shutdown port (logs {run.workdir})"
    assert run.elapsed - run.first_seen[END_MARKER] < 60, run.elapsed


@pytest.mark.parametrize("variant", sorted(v for v in VARIANTS if v in SEED_CASES))
def test_seed000_on_bochs_alone(variant, bochs_runs, capsys):
    """tools/seeds' seed-000 case for this variant, judged by the tool on this boot."""
    result, run = bochs_runs[variant]
    case = SEED_CASES[variant]
    runs = parse_runs(result.console)
    assert runs, "\n".join(result.console.splitlines()[-30:])
    SEEDS.judge(case, runs[0])
    with capsys.disabled():
        print("\n" + case.line())
    assert case.outcome == case.expect, case.line()

"""Reference tier: every test guest on bare QEMU, proving the guests themselves are right.

The same binaries later run under nestor; guestlib.py holds the expectations, so another
launcher reuses them by passing its own ``run_guest`` callable and Profile to check_guest().
"""

import dataclasses
import os
import subprocess
from pathlib import Path

import pytest

from conftest import nestor_run
from guestlib import (GUESTS, NESTOR, QEMU_TCG, GuestRun, GuestSpec,
                      check_guest, judge, parse_output)

ROOT = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("BUILD", ROOT / "build"))
if not BUILD.is_absolute():
    BUILD = ROOT / BUILD
GUEST_DIR = BUILD / "guests"
TIMEOUT_S = 30


def qemu_command(kernel: Path, cmdline: str, accel: str = "tcg", machine: str = "q35",
                 cpu: str = nestor_run.QEMU_CPU, smp: int = 2) -> list:
    """The platform the guests are written for: QEMU with debug-exit and pc-testdev."""
    cmd = ["qemu-system-x86_64", "-accel", accel, "-machine", machine, "-cpu", cpu,
           "-smp", str(smp), "-m", "256", "-nodefaults", "-display", "none", "-no-reboot",
           "-serial", "stdio", "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
           "-device", "pc-testdev", "-kernel", str(kernel)]
    if cmdline:
        cmd += ["-append", cmdline]
    return cmd


def bare_qemu_launcher(**qemu_options):
    """A run_guest callable for guestlib: boots build/guests/<name>.elf directly on QEMU."""

    def run_guest(spec: GuestSpec) -> GuestRun:
        cmd = qemu_command(GUEST_DIR / f"{spec.guest}.elf", spec.cmdline, **qemu_options)
        try:
            proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired as e:
            out = e.stdout.decode(errors="replace") if e.stdout else ""
            return GuestRun(out, None, timed_out=True, description=f"killed after {TIMEOUT_S} s")
        out = proc.stdout.decode(errors="replace")
        rc = proc.returncode
        # isa-debug-exit ends QEMU with (status << 1) | 1; QEMU's own exits are 0 and 1.
        status = rc >> 1 if rc >= 3 and rc & 1 else None
        return GuestRun(out, status, description=f"QEMU exit status {rc}")

    return run_guest


@pytest.fixture(scope="session")
def guests_built():
    """Brings build/guests up to date (a no-op after `make check`, which builds them first)."""
    subprocess.run(["make", "-s", "-C", str(ROOT), f"BUILD={BUILD}", "guests"], check=True)
    return GUEST_DIR


@pytest.mark.timeout(TIMEOUT_S + 30)
@pytest.mark.parametrize("name", sorted(n for n, s in GUESTS.items()
                                          if not s.nestor_only and n not in QEMU_TCG.not_run))
def test_guest_on_bare_qemu_tcg(name, guests_built):
    check_guest(GUESTS[name], QEMU_TCG, bare_qemu_launcher())


@pytest.mark.timeout(TIMEOUT_S + 30)
def test_deoi_checks_catch_a_broadcasting_apic(guests_built):
    """QEMU's TCG APIC ignores SPIV bit 12 and broadcasts every EOI: with force-deoi=1 the
    Directed EOI checks must see the broadcast and the interrupt storm of the 002 seed,
    and the guest must still end normally (the handler breaks the storm)."""
    spec = dataclasses.replace(GUESTS["ioapic"], cmdline="force-deoi=1")
    run = bare_qemu_launcher()(spec)
    report = parse_output("ioapic", run.output)
    assert {"deoi-lapic-eoi-keeps-remote-irr", "deoi-no-storm"} <= set(report.failed), run.output
    assert report.summary is not None and run.debug_exit == 0x11, run.output


@pytest.mark.timeout(TIMEOUT_S + 30)
@pytest.mark.parametrize("fault, check", [("drop-eoi=1000", "no-lost-interrupts"),
                                          ("extra-ipi=500", "no-duplicated-interrupts")])
def test_stress_books_catch_an_injected_fault(fault, check, guests_built):
    """The stress guest breaks itself on request: every 1000th LAPIC EOI left out (vectors
    stay in service, what they block is never delivered), or every 500th self-IPI handler
    sending its vector once more, owed by no one. The books must name the loss and the
    duplicate, and the run must still end with its summary."""
    spec = dataclasses.replace(GUESTS["stress"], cmdline=f"events=20000 ms=15000 {fault}")
    run = bare_qemu_launcher()(spec)
    report = parse_output("stress", run.output)
    assert check in report.failed, run.output
    assert report.summary is not None and run.debug_exit == 0x11, run.output


# ---- the judge itself, on synthetic output: each expectation can fail ---------------------

def _synthetic(lines, status=0x10, guest="nmi"):
    text = "\n".join(f"[{guest}] {line}" for line in lines)
    return GuestRun(text, status, description="synthetic")


_NMI_PASSES = [f"PASS {c}" for c in GUESTS["nmi"].checks]
_NMI_SUMMARY = [f"SUMMARY pass={len(_NMI_PASSES)} fail=0 skip=0", "EXIT 0x10"]


def test_judge_accepts_a_clean_run():
    run = _synthetic(["START cmdline=\"\""] + _NMI_PASSES + _NMI_SUMMARY)
    assert judge(GUESTS["nmi"], NESTOR, run) == []


def test_judge_reads_through_ansi_and_prefixes():
    lines = ["START", "\x1b[0m" + _NMI_PASSES[0]] + _NMI_PASSES[1:] + _NMI_SUMMARY
    text = "\n".join(f"[guest] [nmi] {line}\r" for line in lines)
    assert judge(GUESTS["nmi"], NESTOR, GuestRun(text, 0x10)) == []


def test_judge_reports_every_kind_of_problem():
    lines = ["START", "FAIL nmi-does-not-nest: nested 2 deep", "SKIP nmi-ignores-tpr: why",
             "PASS bogus"] + _NMI_PASSES[4:] + ["SUMMARY pass=9 fail=1 skip=1", "EXIT 0x11"]
    problems = "\n".join(judge(GUESTS["nmi"], NESTOR, _synthetic(lines, status=0x10)))
    for expected in ("FAIL nmi-does-not-nest", "SKIP nmi-ignores-tpr not allowed",
                     "check self-nmi-with-if-clear was never reported", "PASS bogus",
                     "SUMMARY (9, 1, 1) disagrees", "debug-exit status 16, expected 0x11"):
        assert expected in problems


def test_judge_flags_a_known_failure_that_passes():
    lines = ["START"] + [f"PASS {c}" for c in GUESTS["msr"].checks]
    lines += [f"SUMMARY pass={len(GUESTS['msr'].checks)} fail=0 skip=0"]
    problems = judge(GUESTS["msr"], QEMU_TCG, _synthetic(lines, guest="msr"))
    assert any("known failure unknown-rdmsr-gp passed" in p for p in problems)


def test_judge_triple_fault():
    fault = GuestRun("[triple_fault] START\n[triple_fault] TRIPLE-FAULT now\n"
                     "[nestor] VM stopped: triple fault\n", None)
    assert judge(GUESTS["triple_fault"], NESTOR, fault) == []
    survived = GuestRun(fault.output + "[triple_fault] FAIL triple-fault: continued\n"
                        "[triple_fault] SUMMARY pass=0 fail=1 skip=0\n", 0x11)
    assert len(judge(GUESTS["triple_fault"], NESTOR, survived)) >= 3
    silent = GuestRun("[triple_fault] START\n[triple_fault] TRIPLE-FAULT now\n", None)
    assert judge(GUESTS["triple_fault"], NESTOR, silent)

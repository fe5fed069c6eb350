"""conftest: shared fixtures for the integration tier (nestor under QEMU and Bochs)."""
import os
import re
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import nestor_run  # noqa: E402
from guestlib import GuestRun  # noqa: E402

# (label, seconds) pairs that the terminal summary prints: timings are reported, never asserted.
TIMINGS = []


def record_timing(label, seconds):
    TIMINGS.append((label, seconds))


@pytest.fixture(scope="session")
def nestor_efi():
    if not os.path.isfile(nestor_run.NESTOR_EFI):
        pytest.fail("build/nestor.efi is missing: the integration tier runs after `make`")
    return nestor_run.NESTOR_EFI


DEBUG_EXIT = re.compile(r"\[nestor\] vm: stopping: guest wrote (0x[0-9a-f]+) to the debug-exit")


def run_guest_under_nestor(spec, emulator="qemu", cpu=None, smp=2, options=(), timeout=120,
                           efi=nestor_run.NESTOR_EFI, accel="tcg"):
    """Boots test guest `spec` under nestor with `options` and the spec's own; returns
    (GuestRun for guestlib, RunResult). accel: QEMU's -accel."""
    kernel = os.path.join(nestor_run.BUILD, "guests", spec.guest + ".elf")
    options = tuple(options) + tuple(spec.options)
    r = nestor_run.run(emulator=emulator, cpu=cpu, smp=smp, kernel=kernel, options=options,
                       append=spec.cmdline or None, timeout=timeout, efi=efi, accel=accel)
    m = DEBUG_EXIT.search(r.text)
    run = GuestRun(output=r.text, debug_exit=int(m.group(1), 16) if m else None,
                   timed_out=r.timed_out,
                   description="nestor status %s, launcher exit %d" % (
                       None if r.status is None else hex(r.status), r.exit_code))
    return run, r


def nestor_launcher(emulator="qemu", cpu=None, smp=2, results=None, timeout=120, accel="tcg"):
    """A guestlib launcher: boots the guest under nestor with tools/nestor-run."""
    def run_guest(spec):
        run, r = run_guest_under_nestor(spec, emulator, cpu, smp, timeout=timeout, accel=accel)
        if results is not None:
            results.append(r)
        record_timing("guest %s under nestor (%s)" % (spec.name, emulator), r.elapsed)
        return run
    return run_guest


def check_nestor_outcome(r, name, nvcpus, triple_fault_marker, delivery_loops=True,
                         known_failures=False):
    """nestor itself stayed up and reported, whatever the guest did, and the run ended the
    way the guest says: a triple fault stops the VM with nestor's report, all else passes.
    delivery_loops: the CPU raises #DB for a data breakpoint its own event delivery hits,
    and #AC for a misaligned push of its own #AC delivery (false for QEMU's TCG, which does
    neither, see test_guests_nestor.py). known_failures: the profile excused
    some of the guest's checks (guestlib judged them), so it ends with its failure status."""
    assert r.status is not None and r.status != nestor_run.STATUS_CRASH, r.text
    for i in range(nvcpus):
        assert r.has("[nestor] report: vcpu%d exits=" % i), r.text
    assert not [l for l in r.nestor_lines() if "ERROR:" in l], r.text
    if name == "portio":
        # Its four REP INS/OUTS went through nestor's string I/O emulation, each at
        # least one exit (the 200-byte one takes several batches).
        counts = [int(n) for n in re.findall(r"\[nestor\] report: vcpu\d+ exits=\d+:.* string-io=(\d+)", r.text)]
        assert counts and sum(counts) >= 4, r.text
    if name in ("exc_loop", "ac_loop") and delivery_loops:
        # The AP's #DB (exc_loop) or #AC (ac_loop, 32-bit protected mode) delivery loop:
        # every attempt was an exit nestor counted and gave back, while the BSP ran on and
        # ended the run (measured on Bochs/VMX: ac_loop's vcpu1 exception=8940 of exits=8942,
        # one of them the probe's single #AC).
        m = re.search(r"\[nestor\] report: vcpu1 exits=\d+:.* exception=(\d+)", r.text)
        assert m and int(m.group(1)) >= 100, r.text
    if name == "triple_fault":
        assert r.status == nestor_run.STATUS_VM_STOPPED, r.text
        assert r.has(triple_fault_marker), r.text
    elif known_failures:
        assert r.status == nestor_run.STATUS_FAIL, r.text
    else:
        assert r.status == nestor_run.STATUS_PASS, r.text


def pytest_configure(config):
    # Runs that take hours on this 2-core machine (a whole L1 KVM boot under nested VMX on
    # Bochs): `make check` deselects them (-m "not hours", the count shows as deselected);
    # their own targets (make check-nvmx) select them.
    config.addinivalue_line("markers", "hours: takes hours; left out of make check")
    # Runs whose ground another test of make check already covers, left out to keep make
    # check near 30 minutes; `make check-extra` runs them.
    config.addinivalue_line("markers", "extra: covered in part elsewhere; make check-extra")


def pytest_terminal_summary(terminalreporter):
    if not TIMINGS:
        return
    terminalreporter.section("wall times (measured, not asserted)")
    for label, seconds in TIMINGS:
        terminalreporter.write_line("%-60s %7.1f s" % (label, seconds))

"""test_guests_nestor: every test guest as nestor's L1 on SVM (QEMU TCG, 2 vCPUs), strictly judged.

The same guests and the same judging code as the bare-QEMU reference tier (guestlib),
with the NESTOR profile: every check must pass, nothing may be skipped, and the bad guests
must end the way docs/guests.md says while nestor stays up and reports.
"""
import os
import re

import pytest

from conftest import ROOT, nestor_run, record_timing
from guestlib import GUESTS, NESTOR, GuestRun, check_guest

TIMEOUT_S = 120
DEBUG_EXIT = re.compile(r"\[nestor\] vm: stopping: guest wrote (0x[0-9a-f]+) to the debug-exit")


def nestor_launcher(emulator="qemu", cpu=None, smp=2, results=None):
    """A guestlib launcher: boots the guest under nestor with tools/nestor-run."""
    def run_guest(spec):
        kernel = os.path.join(nestor_run.BUILD, "guests", spec.name + ".elf")
        r = nestor_run.run(emulator=emulator, cpu=cpu, smp=smp, kernel=kernel,
                           append=spec.cmdline or None, timeout=TIMEOUT_S)
        m = DEBUG_EXIT.search(r.text)
        if results is not None:
            results.append(r)
        record_timing("guest %s under nestor (%s)" % (spec.name, emulator), r.elapsed)
        return GuestRun(output=r.text, debug_exit=int(m.group(1), 16) if m else None,
                        timed_out=r.timed_out,
                        description="nestor status %s, launcher exit %d" % (
                            None if r.status is None else hex(r.status), r.exit_code))
    return run_guest


@pytest.mark.parametrize("name", sorted(GUESTS))
def test_guest_under_nestor_svm(name, nestor_efi):
    results = []
    check_guest(GUESTS[name], NESTOR, nestor_launcher(results=results))
    r = results[0]
    # nestor itself stayed up and reported, whatever the guest did
    assert r.status is not None and r.status != nestor_run.STATUS_CRASH, r.text
    assert r.has("[nestor] report: vcpu0 exits="), r.text
    assert r.has("[nestor] report: vcpu1 exits="), r.text
    assert not [l for l in r.nestor_lines() if "ERROR:" in l], r.text
    if name == "triple_fault":
        assert r.status == nestor_run.STATUS_VM_STOPPED
        assert r.has("triple fault (SVM SHUTDOWN)")
    else:
        assert r.status == nestor_run.STATUS_PASS, r.text


def test_old_ioapic_means_no_directed_eoi(nestor_efi):
    """Seed 002: Directed EOI is advertised only with an EOI-capable vIOAPIC. With the
    version-0x11 vIOAPIC the vLAPIC version register clears bit 24, the guest skips its
    Directed EOI part for exactly that reason, and everything else still passes."""
    kernel = os.path.join(nestor_run.BUILD, "guests", "ioapic.elf")
    r = nestor_run.run(smp=2, kernel=kernel, options=["ioapic=0x11"], timeout=TIMEOUT_S)
    assert r.status == nestor_run.STATUS_PASS, r.text
    assert r.has("SKIP directed-eoi: LAPIC version") and r.has("bit 24 clear"), r.text
    assert not r.has("] FAIL "), r.text

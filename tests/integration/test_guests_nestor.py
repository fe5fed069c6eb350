"""test_guests_nestor: every test guest as nestor's L1 on SVM (QEMU TCG, 2 vCPUs), strictly judged.

The same guests and the same judging code as the bare-QEMU reference tier (guestlib),
with the NESTOR_QEMU_TCG profile (NESTOR less what the TCG CPU itself never raises): every
check must pass, nothing may be skipped, and the bad guests
must end the way docs/guests.md says while nestor stays up and reports.
"""
import os

import pytest

from conftest import check_nestor_outcome, nestor_launcher, nestor_run
from guestlib import GUESTS, NESTOR_QEMU_TCG, check_guest

TIMEOUT_S = 120


# Open nestor bugs the guests find on SVM, each named with its reproducer (docs/reliability.md).
# Strict: once fixed, the XPASS says to drop the entry.
SVM_OPEN_BUGS = {
    # none open: the stress guest's STI-shadow failure (svm_entry.asm's STI carried into the
    # guest by QEMU's VMRUN) is fixed by the NOP before VMRUN; the rarer case (a) of
    # docs/reliability.md is not seen at make check's 50000 events.
}


def _svm_params():
    return [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=SVM_OPEN_BUGS[n]))
            if n in SVM_OPEN_BUGS else n for n in sorted(GUESTS)]


@pytest.mark.parametrize("name", _svm_params())
def test_guest_under_nestor_svm(name, nestor_efi):
    results = []
    check_guest(GUESTS[name], NESTOR_QEMU_TCG, nestor_launcher(results=results))
    # QEMU 7.2's TCG raises no #DB for a data breakpoint that an event delivery's own stack
    # write hits (measured: exc_loop's AP makes one exception exit, its first #DB, and no
    # more; on bare QEMU its handler never runs either), so the #DB delivery loop never
    # turns into exits here; nor does ac_loop's #AC loop, as TCG raises no #AC at all
    # (measured: vcpu1 makes no exception exit). Bochs runs both (test_guests_bochs.py).
    check_nestor_outcome(results[0], name, 2, "triple fault (SVM SHUTDOWN)",
                         delivery_loops=False,
                         known_failures=bool(NESTOR_QEMU_TCG.known_failures.get(name)))


def test_injected_interrupt_delivered_once_single_threaded_tcg(nestor_efi):
    """inject_once with QEMU's single-threaded TCG (-accel tcg,thread=single, the L1 KVM
    tests' setting): there a CPU's exit request often comes without an interrupt of its own
    (a timer of the other vCPU), which is what makes QEMU 7.2 deliver an interrupt nestor
    injected a second time, inside its own handler with IF = 0, unless nestor makes the
    guest exit right after the injection (svm_enter, docs/reliability.md). About 6 s;
    without that exit about 220 of 11,000 deliveries came twice."""
    results = []
    check_guest(GUESTS["inject_once"], NESTOR_QEMU_TCG,
                nestor_launcher(results=results, accel="tcg,thread=single"))
    check_nestor_outcome(results[0], "inject_once", 2, "triple fault (SVM SHUTDOWN)",
                         delivery_loops=False)
    assert results[0].has("entries with an exit right after the injected interrupt"), \
        results[0].text


def test_old_ioapic_means_no_directed_eoi(nestor_efi):
    """Seed 002: Directed EOI is advertised only with an EOI-capable vIOAPIC. With the
    version-0x11 vIOAPIC the vLAPIC version register clears bit 24, the guest skips its
    Directed EOI part for exactly that reason, and everything else still passes."""
    kernel = os.path.join(nestor_run.BUILD, "guests", "ioapic.elf")
    r = nestor_run.run(smp=2, kernel=kernel, options=["ioapic=0x11"], timeout=TIMEOUT_S)
    assert r.status == nestor_run.STATUS_PASS, r.text
    assert r.has("SKIP directed-eoi: LAPIC version") and r.has("bit 24 clear"), r.text
    assert not r.has("] FAIL "), r.text


def test_storm_guard_throttles_a_held_line_and_can_be_turned_off(nestor_efi):
    """A level line held across 1500 EOIs: the storm guard (default 1000 re-deliveries) says
    so once and slows the rest to one per ms, and the guest is still served to the end;
    ioapic-storm-guard=0 re-delivers at every EOI and reports no storm."""
    kernel = os.path.join(nestor_run.BUILD, "guests", "level_hold.elf")
    r = nestor_run.run(smp=1, kernel=kernel, timeout=TIMEOUT_S)
    assert r.status == nestor_run.STATUS_PASS, r.text
    assert r.has("PASS long-level-served-to-the-end"), r.text
    assert r.has("interrupt storm on pin 15 vector 0x73: 1000 re-deliveries"), r.text
    assert r.has("storms=1"), r.text
    r = nestor_run.run(smp=1, kernel=kernel, options=["ioapic-storm-guard=0"], timeout=TIMEOUT_S)
    assert r.status == nestor_run.STATUS_PASS, r.text
    assert not r.has("interrupt storm"), r.text
    assert r.has("storms=0"), r.text

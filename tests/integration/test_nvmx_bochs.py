"""test_nvmx_bochs: nested VMX on Bochs ivy bridge: the runtime kernel (tests/guests/nvmx_rt.c) as
an L1 on the CPU's own VMX (Bochs alone, through GRUB) and as nestor's L1, with the hyperv
personality and with kvm's without EPT for L1 (vmcs02 then runs on nestor's EPT alone).

The kernel checks the L2 exits it gets (reason, qualification, interruption information,
length, guest-physical address), L2's registers and its own host state after them, exits it
did not ask for, its own interrupts while L2 runs and the VMX instructions' failures: the same
22 checks must pass on the CPU and under nestor. Each run takes 40 s to 3 min under load
(timings printed by the summary). The Linux L1 runs (seed 000, the L2 payloads) are in
`make check-nvmx` (tests/integration/test_nvmx_l1.py): they take many minutes.
"""
import os

import pytest

from conftest import record_timing
import nestor_run

KERNEL = os.path.join(nestor_run.BUILD, "guests", "nvmx_rt.elf")
GRUB = os.path.join(nestor_run.BUILD, "nvmx", "grubx64.efi")
CHECKS = 22


def summary(lines):
    return next((l for l in lines if "[nvmx_rt] SUMMARY" in l), None)


def test_nvmx_rt_on_bochs_alone():
    if not os.path.isfile(GRUB):
        pytest.fail("build/nvmx/grubx64.efi is missing (make differential builds it)")
    r = nestor_run.run_multiboot_bochs(KERNEL, GRUB, "", timeout=900, stop_on="SUMMARY",
                                       prefix="nvmx-rt-alone-")
    record_timing("nvmx_rt on Bochs alone", r.elapsed)
    text = "\n".join(r.lines)
    assert summary(r.lines) and "pass=%d fail=0" % CHECKS in summary(r.lines), text[-3000:]


@pytest.mark.parametrize("personality,options,skips", [
    ("hyperv", (), 0),
    ("kvm", ("nested-paging=off",), 1),
])
def test_nvmx_rt_under_nestor(nestor_efi, personality, options, skips):
    r = nestor_run.run(emulator="bochs", smp=1, mem=256, kernel=KERNEL,
                       options=("personality=%s" % personality,) + options, timeout=900)
    record_timing("nvmx_rt under nestor (%s %s)" % (personality, " ".join(options)), r.elapsed)
    s = summary(r.lines)
    assert s and "pass=%d fail=0 skip=%d" % (CHECKS - skips, skips) in s, r.text[-4000:]
    assert r.status == nestor_run.STATUS_PASS, r.text[-2000:]
    assert not any("ERROR" in l for l in r.nestor_lines()), r.text[-3000:]
    # The exits nestor reflected and kept are in its report, and nothing was refused by
    # the CPU after nestor's checks passed.
    assert any("nvmx: L2 exits to L1 by reason:" in l for l in r.lines)
    assert any("CPU-refused vmcs02=0" in l for l in r.lines), r.text[-2000:]
    # l2-db-own: L2's single step, with #DB clear in L1's bitmap, exited to nestor (vmcs02
    # always intercepts #DB and #AC) and went back into L2 once.
    assert any("L2's own #DB/#AC given back to L2=1;" in l for l in r.lines), r.text[-2000:]

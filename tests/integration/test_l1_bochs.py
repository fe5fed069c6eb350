"""test_l1_bochs: Debian's stock kernel as nestor's L1 on VMX (Bochs), one vCPU, on ivy bridge
(TPR shadow without virtual-interrupt delivery, the seeds' configuration) and on skylake-x
(VID offered, apicv=off; AVX-512, XSAVEC: the CPUID nestor presents must satisfy Linux's
XSAVE checks); the time to /init is printed, not asserted."""
import re

import pytest

from conftest import nestor_run, record_timing
from l1_nestor import LAST_RUN, VM_START, nestor_boot
from l1_payload import MARKER, check_l1_boot

MODELS = ("corei7_ivy_bridge_3770k", "corei7_skylake_x")
INVARIANTS = re.compile(r"invariant violations=(\d+)")


@pytest.mark.parametrize("model", MODELS)
def test_l1_linux_boots_under_nestor_on_bochs_vmx(model, nestor_efi):
    check_l1_boot(nestor_boot(emulator="bochs", cpu=model, smp=1), cpus=1, expect_svm=False,
                  expect_vmx=False, timeout_s=600)
    r = LAST_RUN[0]
    if MARKER in r.first_seen:
        record_timing("L1 Linux to /init under nestor (bochs %s, 1 vCPU)" % model,
                      r.first_seen[MARKER])
        if VM_START in r.first_seen:
            record_timing("  of which from VM start to /init",
                          r.first_seen[MARKER] - r.first_seen[VM_START])
    assert r.status == nestor_run.STATUS_PASS, r.text[-3000:]
    assert r.has("[nestor] vm: 1 vCPU, 512 MiB of RAM, backend vmx")
    assert r.has("[nestor] vm: stopping: guest powered off (ACPI S5)")
    # no VM-entry failure and no broken SDM 26.2.1.1 invariant during a whole Linux boot
    assert not r.has("VMRESUME failed") and not r.has("VMLAUNCH failed"), r.text[-3000:]
    counts = [int(n) for n in INVARIANTS.findall(r.text)]
    assert counts and not any(counts), counts
    assert not [l for l in r.nestor_lines() if "ERROR:" in l]

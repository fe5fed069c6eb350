"""test_vmx_failures_bochs: a failure of nestor's own VMX instructions is reported and stops the VM.

fault=vmwrite makes the VMX backend VMWRITE a field that does not exist and fault=invept ask
for an INVEPT type that does not exist, once, before the first entry (arch/x86/vmx/vmx_run.c).
Each must end the run as "VM stopped by nestor" with the instruction, the VM-instruction
error and its name in the log; before, a failed VMWRITE was only logged (the first 8) and
the VM ran on, and INVEPT's result was ignored.
"""
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import nestor_run

CASES = {
    "vmwrite": ("VMWRITE of VMCS field 0xffff: VMfailValid, VM-instruction error 12",
                "nestor's VMWRITE of VMCS field 0xffff failed"),
    "invept": ("INVEPT type 0: VMfailValid, VM-instruction error 28",
               "nestor's INVEPT type 0 failed"),
}
_runs = {}


def runs():
    if not _runs:
        kernel = os.path.join(nestor_run.BUILD, "guests", "cpuid.elf")
        with ThreadPoolExecutor(2) as pool:
            done = pool.map(lambda f: nestor_run.run(
                emulator="bochs", smp=1, kernel=kernel, options=["fault=" + f], timeout=400),
                sorted(CASES))
            _runs.update(zip(sorted(CASES), done))
    return _runs


@pytest.mark.parametrize("fault", sorted(CASES))
def test_failed_vmx_instruction_stops_the_vm(fault, nestor_efi):
    r = runs()[fault]
    error, stop = CASES[fault]
    assert r.status == nestor_run.STATUS_VM_STOPPED, r.text[-3000:]
    assert r.has("ERROR: vmx: " + error), r.text[-3000:]
    assert r.has("vm: stopping: vcpu0: " + stop), r.text[-3000:]
    assert not r.has("[cpuid] SUMMARY"), r.text[-3000:]

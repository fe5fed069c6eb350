"""L2's own #DB under nested SVM: the svm_l2db L1 kernel on bare QEMU and under nestor.

nestor intercepts #DB (and #AC) in vmcb02 whatever L1 asks, so that no L2 can hold the CPU in
a delivery loop (CVE-2015-8104, CVE-2015-5307; docs/exits.md). The kernel
(tests/guests/svm_l2db.c) runs its L2 twice: not intercepting #DB, L2's single-step trap and
data breakpoint must reach L2's own handler with DR6.BS and DR6.B0 and L1 must see no #DB
exit; intercepting it, both must be #VMEXIT(DB) to L1 as before. Under nestor the report
counts the two L2 #DB it gave back to L2 and the two exception exits reflected to L1.
"""
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, nestor_run, record_timing
from test_guests_reference import qemu_command

TIMEOUT_S = 90
KERNEL = os.path.join(nestor_run.BUILD, "guests", "svm_l2db.elf")
CHECKS = ("l2db-own", "l2db-l1")
GIVEN_BACK = re.compile(r"report: vcpu0 nested: .*exceptions to L1=(\d+); "
                        r"L2's own #DB=(\d+) #AC=(\d+) given back to L2")
REFLECTED = re.compile(r"report: vcpu0 nested: L2 exits reflected to L1=\d+ .*exception=(\d+) ")


@pytest.fixture(scope="module")
def kernel():
    # make knows the target by its path relative to the tree, not by an absolute one.
    subprocess.run(["make", "-s", "-C", ROOT, os.path.relpath(KERNEL, ROOT)], check=True)
    return KERNEL


def passed(text):
    return all("[svm_l2db] PASS %s" % c in text for c in CHECKS)


@pytest.mark.timeout(TIMEOUT_S + 30)
def test_svm_l2db_on_bare_qemu(kernel):
    proc = subprocess.run(qemu_command(Path(kernel), "", smp=1), stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=TIMEOUT_S)
    text = proc.stdout.decode(errors="replace")
    assert passed(text), text
    assert "SUMMARY pass=2 fail=0" in text, text


@pytest.mark.timeout(TIMEOUT_S + 60)
def test_svm_l2db_under_nestor(kernel, nestor_efi):
    r = nestor_run.run(emulator="qemu", smp=1, mem=256, kernel=kernel,
                       options=("personality=kvm",), timeout=TIMEOUT_S)
    record_timing("svm_l2db under nestor", r.elapsed)
    assert r.status == nestor_run.STATUS_PASS, r.text
    assert passed(r.text), r.text
    m = GIVEN_BACK.search(r.text)
    assert m, "no nested report line with the L2 #DB count:\n" + r.text
    # Run 1: both traps exit to nestor and go back to L2; run 2: both are L1's.
    assert int(m.group(2)) == 2 and int(m.group(3)) == 0, m.group(0)
    assert int(m.group(1)) == 0, m.group(0)      # nothing nestor raised became L1's
    m = REFLECTED.search(r.text)
    assert m and int(m.group(1)) == 2, r.text

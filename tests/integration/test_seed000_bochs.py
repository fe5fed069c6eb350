"""test_seed000_bochs: the seed-000 sequence against nestor's own VMX backend under Bochs.

seed000 (tests/guests/seed000.c) raises the TPR, gets an interrupt held by it, takes a
higher one into service, lowers the TPR below the held one while the in-service vector still
blocks it (TPR-below-threshold exits with nothing deliverable), EOIs, in randomized orders.
Bochs checks SDM 26.2.1.1 (TPR_THRESHOLD[3:0] <= VTPR[7:4]) on every VMLAUNCH/VMRESUME.

- nestor as built passes: every round delivers every interrupt in order, and no entry fails;
- build/nestor-seed000-old.efi (`make nestor-seed000-old`, the fix of
  000_25d95b5c761a3f83.txt taken out) leaves a stale threshold after such an exit: nestor's
  own check names the rule first, then Bochs fails the VMRESUME with VM-instruction error 7
  and nestor's report names TPR_THRESHOLD and VTPR.
"""
import os
import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import record_timing, run_guest_under_nestor
from guestlib import GUESTS, NESTOR, GuestSpec, check_guest
import nestor_run

MODEL = "corei7_ivy_bridge_3770k"
TIMEOUT_S = 400
OLD_EFI = os.path.join(nestor_run.BUILD, "nestor-seed000-old.efi")
# More rounds and another seed than the suite's run, so the two tiers cover different orders.
SEED000 = GuestSpec("seed000", GUESTS["seed000"].checks, cmdline="rounds=1024 seed=0x25d95b5c")
INVARIANT = re.compile(r"\[nestor\] ERROR: vmx: vcpu0 rip 0x[0-9a-f]+: entry invariant broken: "
                       r"SDM 26\.2\.1\.1: TPR_THRESHOLD\[3:0\]=(\d+) > VTPR\[7:4\]=(\d+)")
VMFAIL = ("[nestor] ERROR: vmx: vcpu0: VMRESUME failed: VMfailValid, VM-instruction error 7 "
          "(VM entry with invalid control field(s))")
FIELDS = re.compile(r"\[nestor\] ERROR: vmx: vcpu0: TPR_THRESHOLD (0x[0-9a-f]+|0), VTPR "
                    r"(0x[0-9a-f]+|0) \(virtual-APIC page 0x[0-9a-f]+ \+ 0x80\): SDM 26\.2\.1\.1 "
                    r"broken")
BELOW_THRESHOLD = re.compile(r"\[nestor\] report: vcpu0 exits=\d+:.* tpr-below-threshold=(\d+)")


@pytest.fixture(scope="module")
def seed000_runs(nestor_efi):
    if not os.path.isfile(OLD_EFI):
        pytest.fail("%s is missing: `make nestor-seed000-old` builds it" % OLD_EFI)
    with ThreadPoolExecutor(2) as pool:
        fixed = pool.submit(run_guest_under_nestor, SEED000, "bochs", MODEL, 2, (), TIMEOUT_S)
        old = pool.submit(run_guest_under_nestor, SEED000, "bochs", MODEL, 2, (), TIMEOUT_S,
                          OLD_EFI)
        return {"fixed": fixed.result(), "old": old.result()}


def bochs_log(r):
    with open(os.path.join(r.workdir, "bochs.log"), errors="replace") as f:
        return f.read()


def test_seed000_passes_on_vmx(seed000_runs):
    run, r = seed000_runs["fixed"]
    record_timing("seed000 (1024 rounds) under nestor (bochs %s)" % MODEL, r.elapsed)
    check_guest(SEED000, NESTOR, lambda spec: run)
    assert r.status == nestor_run.STATUS_PASS, r.text
    # The sequence really produced TPR-below-threshold exits, and no entry failed.
    m = BELOW_THRESHOLD.search(r.text)
    assert m and int(m.group(1)) > 0, r.text
    assert not [l for l in r.nestor_lines() if "ERROR:" in l], r.text
    assert r.text.count("invariant violations=0") == 2, r.text
    assert "VMFAIL" not in bochs_log(r)


def test_seed000_catches_the_stale_threshold(seed000_runs):
    run, r = seed000_runs["old"]
    record_timing("seed000 against nestor-seed000-old (bochs %s)" % MODEL, r.elapsed)
    assert r.status == nestor_run.STATUS_VM_STOPPED, r.text
    lines = r.nestor_lines()
    # nestor names the broken rule before the CPU's verdict...
    inv = [i for i, l in enumerate(lines) if INVARIANT.search(l)]
    fail = [i for i, l in enumerate(lines) if VMFAIL in l]
    assert inv and fail and inv[0] < fail[0], r.text
    threshold, vtpr_class = (int(x) for x in INVARIANT.search(lines[inv[0]]).groups())
    assert threshold > vtpr_class
    # ...the report names TPR_THRESHOLD and VTPR with the values the entry failed on...
    m = FIELDS.search(r.text)
    assert m and int(m.group(1), 16) == threshold and int(m.group(2), 16) >> 4 == vtpr_class
    assert r.has("report: run stopped: vcpu0: VMRESUME failed: VM-instruction error 7"), r.text
    assert r.has("invariant violations=1"), r.text
    # ...and Bochs itself refused the entry for that reason.
    assert "VMFAIL: VMCS EXEC CTRL: TPR threshold > TPR shadow" in bochs_log(r)
    # The guest never got to finish its rounds.
    assert run.debug_exit is None

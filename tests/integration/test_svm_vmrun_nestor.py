"""Nested SVM under nestor: the svm_vmrun L1 kernel with nestor as L0, every case judged.

The kernel (tests/guests/svm_vmrun.c) issues VMRUN with the valid sample and with every case of
nestor's check table, without apm=1: nestor's own safety checks are judged too, against the same
table nestor evaluates. Under nestor every realizable case must pass (the reference tier,
test_svm_vmrun_reference.py, lists where QEMU 7.2 alone departs from the APM), and nestor must
have logged each failing check once per occurrence with its name, APM reference, the vCPU and
L1's RIP, and counted it in the run report. With nested-paging=off the npt.* cases are not
checked (NPT is not offered, so NP_ENABLE is ignored) and L2 runs on L1's own physical space.
"""
import re

import pytest

from conftest import nestor_run, record_timing, run_guest_under_nestor
from guestlib import Profile, parse_output, strip_ansi
from test_svm_vmrun_reference import CASE_LINE, SIDE_CHECKS, UNREALIZABLE, cases  # noqa: F401
from guestlib import GuestSpec

TIMEOUT_S = 300
LOG_LINE = re.compile(r"\[nestor\] WARN: vcpu0: L1 VMRUN at rip 0x[0-9a-f]+: (?P<check>\S+) "
                      r"\((?P<ref>[^)]*)\):(?P<fields>.*) -> (?P<outcome>.*)$")
REPORT = re.compile(r"report: vcpu0 nested: vmrun=(\d+) \(invalid=(\d+) faulted=(\d+)\)")


def run_under_nestor(cases, paging):
    judged = [c for c, (_, kind, _) in cases.items() if kind not in UNREALIZABLE]
    skips = {c: UNREALIZABLE[kind] for c, (_, kind, _) in cases.items() if kind in UNREALIZABLE}
    spec = GuestSpec("svm_vmrun", tuple(judged) + SIDE_CHECKS)
    profile = Profile(name=f"nestor nested SVM, nested-paging={paging}",
                      allowed_skips={"svm_vmrun": skips})
    run, r = run_guest_under_nestor(spec, smp=1, timeout=TIMEOUT_S,
                                    options=("personality=kvm", f"nested-paging={paging}"))
    record_timing(f"svm_vmrun under nestor (nested-paging={paging})", r.elapsed)
    assert r.status == nestor_run.STATUS_PASS, r.text
    report = parse_output("svm_vmrun", run.output)
    return r, report, judged


@pytest.mark.timeout(TIMEOUT_S + 60)
@pytest.mark.parametrize("paging", ["on", "off"])
def test_svm_vmrun_every_case_under_nestor(cases, paging):
    r, report, judged = run_under_nestor(cases, paging)
    text = strip_ansi(r.text)
    assert not report.failed, f"failed under nestor: {report.failed}"
    seen = {m.group("case"): m.groupdict() for m in CASE_LINE.finditer(text)}
    expected_invalid = 0
    for case, (origin, kind, outcome) in cases.items():
        if kind in UNREALIZABLE:
            continue
        assert case in seen, f"no CASE line for {case}"
        line = seen[case]
        assert line["expect"] != "n/a", line           # nestor's own cases are judged too
        assert line["got"] == line["expect"], line
        if paging == "on":
            assert line["expect"] == outcome, line     # the table's outcome, NPT offered
        elif case.startswith("npt.") or case.startswith("nestor.ncr3"):
            assert line["expect"] == "run", line       # NPT hidden: NP_ENABLE ignored
        expected_invalid += line["got"] == "vmexit-invalid"
    # One log line per failing check, naming it with its reference; counted in the report.
    logged = [m.groupdict() for m in map(LOG_LINE.search, text.splitlines()) if m]
    names = {c.split(".")[0] + "." + c.split(".")[1] for c in seen if c != "valid"}
    assert {l["check"] for l in logged} <= names, logged
    assert all(l["ref"] for l in logged), logged
    invalid_logged = sum(1 for l in logged if l["outcome"] == "#VMEXIT(INVALID)")
    assert invalid_logged == expected_invalid, (invalid_logged, expected_invalid)
    m = REPORT.search(text)
    assert m, "no nested report line"
    assert int(m.group(2)) == expected_invalid, m.group(0)
    assert int(m.group(1)) >= 1, m.group(0)            # the valid sample entered L2
    # A passing scenario names no seed pattern.
    assert "DETECTED" not in text and "pattern (" not in text

"""Reference tier for nested SVM: the svm_vmrun L1 kernel on bare QEMU (QEMU as L0).

The kernel issues VMRUN with the valid sample and with every case of nestor's check table
(nested/svm/nsvm_mutations.c) and judges each against the same table, APM entries only
(`apm=1`): nestor's own safety checks are beyond the APM, so on QEMU they are reported, not
judged. QEMU 7.2's SVM departs from the APM in the cases listed in QEMU72_SVM below (each
with the APM text that decides it; nestor takes the APM's side). Every other case must agree,
and a listed case that starts to agree fails the test, so the list stays exact.
docs/nested-svm-checks.md documents the same list.
"""

import re
import subprocess

import pytest

from guestlib import GuestSpec, Profile, check_guest, parse_output, strip_ansi
from test_guests_reference import BUILD, ROOT, TIMEOUT_S, bare_qemu_launcher

CASES_TOOL = BUILD / "nsvm" / "nsvm_checks_doc"
# Mutation kinds a 64-bit L1 kernel cannot perform (the kernel reports them as SKIP).
UNREALIZABLE = {
    "l1_mode": "needs L1 outside 64-bit paged mode",
    "features": "needs a CPUID without the feature",
}
# Checks the kernel makes besides the cases.
SIDE_CHECKS = ("sample-valid", "valid.l2-ran", "invalid.exitcode-64bit", "invalid.eventinj-cleared")

_EVENTINJ = ("APM Vol. 2 15.20: VMRUN exits with VMEXIT_INVALID if \"TYPE = 3 (exception) "
             "has been specified with a vector that does not correspond to an exception\"; "
             "QEMU 7.2 refuses only vector 2 and vectors >= 31 and injects this one into L2")
_NCR3 = ("APM Vol. 2 15.25.4: with NP_ENABLE = 1, \"Any MBZ bit of nCR3 is set\" is an "
         "illegal state combination; QEMU 7.2 does not check nCR3")
_GPAT = ("APM Vol. 2 15.25.4: with NP_ENABLE = 1, \"Any G_PAT.PA field has an unsupported "
         "type encoding or any reserved field in G_PAT has a nonzero value\" is illegal; "
         "QEMU 7.2 neither checks nor uses G_PAT")

QEMU72_SVM = {
    "control.iopm_beyond_maxphyaddr.last_pages": (
        "APM Vol. 2 15.5.1: illegal if \"the MSR or IOIO intercept tables extend to a physical "
        "address that is greater than or equal to the maximum supported physical address\", "
        "and the IOPM is 12 KiB (15.10.1); QEMU 7.2 checks 8 KiB + 1 byte of it, so an IOPM "
        "ending at 2^MAXPHYADDR - 1 runs"),
    "control.event_inj_vector_not_exception.v9": _EVENTINJ,
    "control.event_inj_vector_not_exception.v15": _EVENTINJ,
    "control.event_inj_vector_not_exception.v20": _EVENTINJ,
    "control.event_inj_vector_not_exception.v21_cp": _EVENTINJ,
    "control.event_inj_vector_not_exception.v22": _EVENTINJ,
    "control.event_inj_vector_not_exception.v27": _EVENTINJ,
    "control.event_inj_vector_not_exception.v29_vc": _EVENTINJ,
    "npt.ncr3_mbz.at_limit": _NCR3,
    "npt.ncr3_mbz.bit63": _NCR3,
    "npt.g_pat_invalid.type2": _GPAT,
    "npt.g_pat_invalid.type3": _GPAT,
    "npt.g_pat_invalid.bit3": _GPAT,
    "npt.g_pat_invalid.bit7": _GPAT,
    "invalid.exitcode-64bit": (
        "APM Vol. 2 Appendix C: EXITCODE is a 64-bit field and VMEXIT_INVALID is -1; QEMU 7.2 "
        "writes it from a 32-bit value (0x00000000ffffffff)"),
}

CASE_LINE = re.compile(r"\[svm_vmrun\] CASE (?P<case>\S+) origin=(?P<origin>\w+) "
                       r"expect=(?P<expect>\S+) got=(?P<got>\S+) exitcode=(?P<exitcode>\S+)")


@pytest.fixture(scope="module")
def cases():
    """The table's cases as the C table lists them: {case: (origin, kind, outcome)}."""
    subprocess.run(["make", "-s", "-C", str(ROOT), f"BUILD={BUILD}", str(CASES_TOOL),
                    str(BUILD / "guests" / "svm_vmrun.elf")], check=True)
    out = subprocess.run([str(CASES_TOOL), "--cases"], check=True, capture_output=True,
                         text=True).stdout
    table = {}
    for line in out.splitlines():
        case, origin, kind, outcome = line.split()
        table[case] = (origin, kind, outcome)
    assert len(table) >= 60, out
    return table


def spec_and_profile(cases):
    judged = [c for c, (origin, kind, _) in cases.items()
              if origin == "apm" and kind not in UNREALIZABLE]
    skips = {c: UNREALIZABLE[kind] for c, (_, kind, _) in cases.items() if kind in UNREALIZABLE}
    spec = GuestSpec("svm_vmrun", tuple(judged) + SIDE_CHECKS, cmdline="apm=1")
    profile = Profile(name="qemu-7.2-tcg-svm", allowed_skips={"svm_vmrun": skips},
                      known_failures={"svm_vmrun": QEMU72_SVM}, known_failures_must_fail=True)
    return spec, profile, judged


def test_qemu_differences_name_real_cases(cases):
    for case in QEMU72_SVM:
        assert case in cases or case in SIDE_CHECKS, f"{case} is no case of the table"


@pytest.mark.timeout(TIMEOUT_S + 60)
def test_svm_vmrun_on_bare_qemu(cases):
    spec, profile, judged = spec_and_profile(cases)
    run = check_guest(spec, profile, bare_qemu_launcher())
    seen = {m.group("case"): m.groupdict() for m in CASE_LINE.finditer(strip_ansi(run.output))}
    # Every realizable case ran, nestor's own included (reported, not judged, on QEMU).
    for case, (origin, kind, outcome) in cases.items():
        if kind in UNREALIZABLE:
            continue
        assert case in seen, f"no CASE line for {case}"
        if origin == "apm":
            # The kernel's expectation (its own CPUID, its RAM) is the table entry's outcome.
            assert seen[case]["expect"] == outcome, seen[case]
        else:
            assert seen[case]["expect"] == "n/a", seen[case]
    report = parse_output("svm_vmrun", run.output)
    differing = [c for c in judged if c in report.failed]
    assert set(differing) == {c for c in QEMU72_SVM if c in cases}
    print(f"QEMU 7.2 agrees with the table on {len(judged) - len(differing)} of {len(judged)} "
          f"APM cases; differs on {len(differing)}; {len(seen)} cases ran")

"""test_l1_nestor: Debian's stock kernel as nestor's L1 on SVM (QEMU TCG), with 2 vCPUs."""
from conftest import nestor_run, record_timing
from l1_nestor import LAST_RUN, nestor_boot
from l1_payload import MARKER, check_l1_boot


def test_l1_linux_boots_on_two_vcpus_and_kvm_amd_finds_no_svm(nestor_efi):
    report = check_l1_boot(nestor_boot(smp=2), cpus=2, expect_svm=False, timeout_s=240)
    r = LAST_RUN[0]
    if MARKER in r.first_seen:
        record_timing("L1 Linux to /init under nestor (qemu, 2 vCPUs)", r.first_seen[MARKER])
    assert report.modules.get("kvm_amd") == "not loaded (no SVM)"
    assert all(report.timer_delta.get(c, 0) > 0 for c in ("cpu0", "cpu1")), report.timer_delta
    # the run ends through the guest's ACPI power-off, and nestor reports on both vCPUs
    assert r.status == nestor_run.STATUS_PASS, r.text[-3000:]
    assert r.has("[nestor] vm: stopping: guest powered off (ACPI S5)")
    assert r.has("[nestor] report: vcpu1 exits=")
    assert not [l for l in r.nestor_lines() if "ERROR:" in l]
    # The host's PM timer is passed through (pm-timer=host, the default): Linux calibrates
    # its TSC against it (with nestor's emulated timer, an exit per read, it could not and
    # ran on acpi_pm: docs/performance.md), and no PM-timer read is among the top exits.
    assert r.has("[nestor] vm: ACPI PM timer: the host's at port 0x608"), r.nestor_lines()[:40]
    assert report.clock.get("tsc-mhz", "none") != "none", report.lines
    top = [l for l in r.nestor_lines() if "report: exit source " in l]
    assert top and not [l for l in top if "port 0x608" in l], top

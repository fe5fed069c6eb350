"""test_l1_vmm_nestor: the l1vmm matrix and Linux as L2 with nestor as L0 (QEMU's SVM).

The same scenarios, options and verdicts as test_l1_vmm (QEMU alone as L0): Debian's stock
kvm_amd in L1 under nestor (`personality=kvm`, nested SVM with NPT) runs every L2 payload in
both interrupt-controller modes with 1 and 2 L2 vCPUs, and Linux as L2 reaches its /init.
Each run is judged by the profile of stock 6.1 KVM that test_l1_vmm uses, unchanged: nothing
differs under nestor. nestor's own report must show no error and no
seed detector firing on these passing scenarios (the seed-002 storm run is the one exception,
where nestor must name it). Times are printed, never asserted.
"""
import pytest

from conftest import record_timing
from l1_nestor import LAST_RUN, nestor_boot
from l1vmm import INITRAMFS_L2LINUX, console_tail, run_scenarios
from test_l1_vmm import check_matrix, matrix_runs

ACCEL = "tcg,thread=single"
SEED_WARNING = "nested: seed "


# L1 under nestor boots with `tsc=reliable` on one vCPU too: a clean-clone make check (7 December
# 2026, evening) saw all four lapic_timer runs of the 1-vCPU matrix fail with L2's TSC write
# undone, KVM's catch-up for an unstable host TSC (l1_tsc_words), where the run before passed.
# The console of that run is not on record; the mechanism seen on one vCPU is Linux's early
# watchdog marking tsc-early unstable against refined-jiffies after lost ticks
# (docs/nested-svm.md).
L1_TSC = "tsc=reliable"


def nestor_l0(smp, mem_mb=512, options=()):
    return nestor_boot(emulator="qemu", smp=smp, mem_mb=mem_mb,
                       options=("personality=kvm",) + tuple(options), accel=ACCEL,
                       linux_tsc=True)


def nestor_problems(expect_seed002):
    """What nestor's own log says went wrong in the last run."""
    r = LAST_RUN[0]
    lines = r.nestor_lines()
    problems = [l for l in lines if "ERROR:" in l]
    seeds = [l for l in lines if SEED_WARNING in l]
    if expect_seed002:
        if not any("seed 002" in l for l in seeds):
            problems.append("nestor did not name the seed-002 storm")
        seeds = [l for l in seeds if "seed 002" not in l]
    problems += [f"detector fired on a passing scenario: {l}" for l in seeds]
    return problems


# L1 on one vCPU in make check (98-110 s); on two (134 s) in make check-extra, with
# `tsc=reliable` as under QEMU alone (l1_tsc_words: without it KVM undid lapic_timer's TSC write
# now and then; docs/nested-svm.md).
@pytest.mark.parametrize("l1_vcpus", [1, pytest.param(2, marks=pytest.mark.extra)])
def test_every_payload_under_nestor(l1_vcpus, capsys):
    wanted = matrix_runs()
    result, runs = run_scenarios(nestor_l0(l1_vcpus), wanted, timeout_s=1800,
                                 extra=L1_TSC)
    record_timing(f"L1 boot running {len(wanted)} l1vmm scenarios (nestor L0 on QEMU, "
                  f"L1 {l1_vcpus} vCPU(s))", result.wall_s)
    check_matrix(f"l1vmm matrix under nestor, L1 {l1_vcpus} vCPU(s)", wanted, result, runs,
                 capsys, nestor_problems(expect_seed002=True))


# Without nested paging offered (`nested-paging=off`) KVM shadow-pages its guests: page faults
# and CR3 writes of L2 are L1's, reflected; nestor's own table serves vmcb02. A subset of the
# payloads in every configuration, judged as above.
NO_NPT_PAYLOADS = ("cpuid", "xapic", "tpr", "lapic_timer", "ioapic", "nmi", "wild_access",
                   "triple_fault")


def test_payloads_without_nested_paging(capsys):
    wanted = [(name, options) for name, options in matrix_runs() if name in NO_NPT_PAYLOADS]
    result, runs = run_scenarios(nestor_l0(1, options=("nested-paging=off",)), wanted,
                                 timeout_s=1200, extra=L1_TSC)
    record_timing(f"L1 boot running {len(wanted)} l1vmm scenarios (nestor L0 on QEMU, "
                  f"nested-paging=off)", result.wall_s)
    problems = nestor_problems(expect_seed002=False)
    text = LAST_RUN[0].text
    # L1 really shadow-paged: L2's page faults went to L1, and no nested page table of L1's.
    if "npf shadow-filled=0 reflected=0" not in text or " exception=0 " in text.split(
            "L2 exits reflected to L1=")[-1].split("\n")[0]:
        problems.append("nestor's report does not show L1 shadow-paging its L2")
    check_matrix("l1vmm under nestor without NPT", wanted, result, runs, capsys, problems)


# One configuration in make check, the most demanding (2 L2 vCPUs, split irqchip: 89 s), with
# L1 on one vCPU; with L1 on two (what `make run` boots) in make check-extra. The in-kernel
# irqchip with 1 vCPU passed too (71 s, 7 December 2026; docs/nested-svm.md).
@pytest.mark.parametrize("l1_vcpus, irqchip, vcpus",
                         [(1, "split", 2), pytest.param(2, "split", 2, marks=pytest.mark.extra)])
def test_linux_as_l2_under_nestor(l1_vcpus, irqchip, vcpus, capsys):
    """Debian's kernel as L2 through stock kvm_amd under nestor, to its /init and power-off."""
    options = {"irqchip": irqchip, "vcpus": vcpus, "timeout": 600, "stall": 120}
    result, runs = run_scenarios(nestor_l0(l1_vcpus, mem_mb=1024), [("linux", options)],
                                 initrd=INITRAMFS_L2LINUX, timeout_s=900,
                                 extra=L1_TSC)
    record_timing(f"L1 boot running Linux as L2 ({irqchip}, {vcpus} vCPUs, nestor L0 on QEMU, "
                  f"L1 {l1_vcpus} vCPU(s))", result.wall_s)
    run = runs[0] if runs else None
    with capsys.disabled():
        print(f"\nL2 Linux under nestor, L1 {l1_vcpus} vCPU(s), {irqchip} vcpus={vcpus}: "
              f"{run.word if run else 'no run'} in {run.seconds if run else None} s")
    assert run is not None and not run.problems(), console_tail(result, 60)
    assert run.word == "pass", f"{run.word} ({run.detail})\n" + console_tail(result, 60)
    assert any("L2-LINUX: init reached" in line for line in run.l2), console_tail(result, 60)
    problems = nestor_problems(expect_seed002=False)
    assert not problems, "\n".join(problems)

"""test_l1_vmm: the test VMM (l1vmm) inside L1 Linux, with QEMU alone as L0 (the reference).

Debian's stock kvm_amd in L1 runs every L2 payload through l1vmm in both interrupt-controller
modes (KVM's in-kernel irqchip, and the split irqchip with l1vmm's own IOAPIC and 8259), with 1
and 2 L2 vCPUs, in one L1 boot; Linux as L2 reaches its /init in a second boot. Each payload run
is judged by guestlib's expectations with the profile of stock 6.1 KVM below; the seed-002
scenario must show its storm named by the watchdog. The parser is exercised on crafted consoles
first, so a parser that accepts anything cannot pass. Times are printed, never asserted.

Payloads left out on QEMU as L0 (docs/l1.md): seed000 in both modes and pic_extint with the
split irqchip. QEMU 7.2 aborts the whole machine ("tcg_handle_interrupt: assertion failed:
(qemu_mutex_iothread_locked())"): helper_write_crN calls cpu_interrupt without the BQL when L2
writes CR8 while KVM's interrupt-window request (V_IRQ) is pending in L2's VMCB, which those two
payloads do by design (they lower the TPR with interrupts pending, IF clear).
"""
import dataclasses
import re

import pytest

from conftest import record_timing
from guestlib import GUESTS, GuestRun, GuestSpec, Profile, judge
from l1_payload import direct_qemu
from l1vmm import INITRAMFS_L2LINUX, console_tail, parse_runs, run_scenarios

# Single-threaded TCG: L1 creates VMs (docs/l1.md, "Known QEMU problem").
ACCEL = "tcg,thread=single"

SEED_SPECS = {
    "seed002": GuestSpec("seed002", ("directed-eoi", "directed-eoi-enable",
                                     "one-delivery-per-assertion"),
                         skip_groups={"directed-eoi": ("directed-eoi", "directed-eoi-enable",
                                                       "one-delivery-per-assertion")}),
    "seed003": GuestSpec("seed003", ("extint-alone", "extint-while-lapic-pending",
                                     "lapic-interrupts-taken")),
}
SPECS = {**GUESTS, **SEED_SPECS}
AP_CHECKS = ("ap-online", "ap-ran", "ap-same-vendor", "ap-initial-apic-id", "ap-distinct-apic-id")
DEOI_STORM = ("deoi-lapic-eoi-keeps-remote-irr", "deoi-no-storm", "deoi-quiet-after-deassert",
              "deoi-ioapic-eoi-redelivers-asserted")

_SVM_TPR = ("KVM on SVM keeps the TPR as V_TPR (CR8, 4 bits) when CR8 writes are not "
            "intercepted: sync_cr8_to_lapic writes back TPR[7:4] only, TPR[3:0] is lost")
_SEED002 = ("seed 002: stock 6.1 KVM exits to the VMM on the LAPIC EOI although L2 set Directed "
            "EOI (kvm_ioapic_send_eoi), so the VMM's IOAPIC delivers the asserted line again")


def kvm_stock_profile(irqchip: str, vcpus: int) -> Profile:
    """What Debian's stock 6.1 KVM (kvm_amd, on QEMU's SVM) gives an L2 payload through l1vmm."""
    skips = {
        "ioapic": {"directed-eoi": "KVM offers no Directed EOI with its in-kernel IOAPIC"},
        "seed002": {"directed-eoi": "no Directed EOI with KVM's in-kernel IOAPIC"},
    }
    known = {
        "xapic": {"tpr-roundtrip": _SVM_TPR, "ppr-equals-tpr": _SVM_TPR},
        "x2apic": {"eoi-nonzero-gp": "KVM ignores the value written to the x2APIC EOI MSR "
                                     "instead of raising #GP (kvm_x2apic_msr_write)"},
        "lapic_timer": {"periodic-reloads": "now and then the current count reads 0 under "
                                            "nested TCG (seen once in 4 runs)"},
        "pic_extint": {"extint-delivered": "measured with KVM's in-kernel PIT: no ExtINT in the "
                                           "first second (not yet explained)",
                       "lint0-unmask-resumes": "measured with KVM's in-kernel PIT (not yet "
                                               "explained)"},
    }
    if irqchip == "kernel":
        # Measured, intermittent, not yet explained: with KVM's in-kernel PIT the payloads'
        # PIT-timed waits (TSC calibrated through PIT channel 2, 100 Hz IRQ0 as ExtINT) come
        # out short or see no tick; with the split irqchip (nestor's PIT in l1vmm) they pass.
        pit = "in-kernel PIT in L1: PIT-timed wait came out empty (docs/l1.md, open)"
        known["seed003"] = {"extint-alone": pit, "extint-while-lapic-pending": pit}
        known["pic_extint"] = {c: pit for c in SPECS["pic_extint"].checks}
        known["ipi"] = {"stream-exactly-once": pit, "logical-both": pit}
    if irqchip == "split":
        skips.pop("seed002")
        skips["ioapic"] = {}
        known["ioapic"] = {check: _SEED002 for check in DEOI_STORM}
    if vcpus == 1:
        skips["cpuid"] = {"ap-view": "one vCPU"}
        known["msr"] = {"apic-base-ap": "one vCPU: no AP to check"}
    return Profile(name=f"stock KVM 6.1, {irqchip} irqchip, {vcpus} vCPU(s)",
                   allowed_skips=skips, known_failures=known)


def spec_for(name: str, vcpus: int) -> GuestSpec:
    spec = SPECS[name]
    if name == "cpuid" and vcpus == 1:
        return dataclasses.replace(spec, skip_groups={"ap-view": AP_CHECKS})
    return spec


# (scenario, irqchip modes, vCPU counts): ipi is about two CPUs; see the docstring for the
# payloads QEMU as L0 cannot run.
MATRIX = [(name, ("kernel", "split"), (1, 2)) for name in (
    "cpuid", "portio", "msr", "xapic", "x2apic", "lapic_timer", "ioapic", "tpr", "nmi",
    "wild_access", "triple_fault", "seed002", "seed003")]
MATRIX += [("ipi", ("kernel", "split"), (2,)), ("pic_extint", ("kernel",), (1, 2))]


def matrix_runs():
    runs = []
    for name, modes, counts in MATRIX:
        for irqchip in modes:
            for vcpus in counts:
                options = {"irqchip": irqchip, "vcpus": vcpus}
                if name == "seed002" and irqchip == "split":
                    options["stall"] = 5    # the storm: named by the watchdog after 5 s
                runs.append((name, options))
    return runs


def judge_run(name, options, run):
    """Every problem with one run; empty when it went as stock KVM makes it go."""
    problems = run.problems()
    irqchip, vcpus = options["irqchip"], options["vcpus"]
    if run.scenario != name:
        return problems + [f"result line names {run.scenario!r}"]
    if name == "seed002" and irqchip == "split":
        if run.word != "reproduced" or "KVM_EXIT_IOAPIC_EOI" not in run.detail:
            problems.append(f"expected the EOI storm named by the watchdog, got {run.word} "
                            f"({run.detail})")
        return problems
    if name == "triple_fault":
        if run.word != "pass" or "KVM_EXIT_SHUTDOWN" not in run.detail:
            problems.append(f"expected KVM_EXIT_SHUTDOWN, got {run.word} ({run.detail})")
        return problems
    if run.word not in ("pass", "fail"):
        problems.append(f"l1vmm: {run.word} ({run.detail})")
    guest_run = GuestRun(output=run.l2_text, debug_exit=run.debug_exit,
                         description=f"l1vmm {run.word}: {run.detail}")
    problems += judge(spec_for(name, vcpus), kvm_stock_profile(irqchip, vcpus), guest_run)
    return problems


# ---- the parser on crafted consoles ------------------------------------------------------------

CRAFTED = """\
L1: l1vmm: run: --scenario cpuid --irqchip split --vcpus 2
L1VMM: scenario cpuid: CPUID leaves on every vCPU, AP start-up
L2: [cpuid] START cmdline="cpuid.elf "
L2: [cpuid] SUMMARY pass=15 fail=0 skip=0
L1VMM: payload wrote 0x10 to the debug-exit port
L1VMM: time: 0.20 s
L1VMM: result: cpuid: pass (payload passed, debug-exit 0x10)
L1: l1vmm: exit=0
L1: l1vmm: run: --scenario seed002 --irqchip split
L1VMM: result: seed002: reproduced (livelock: no payload progress for 5 s while KVM_EXIT_IOAPIC_EOI repeats 9 times (2/s, to the VMM))
L1: l1vmm: exit=3
"""


def test_only_a_higher_count_is_tolerated():
    line = "ioapic {'irqchip': 'kernel', 'vcpus': 2}: FAIL level-redelivered-while-asserted: %s"
    assert qemu_duplicate_delivery(line % "3 interrupts (expected 2)")
    assert not qemu_duplicate_delivery(line % "1 interrupts (expected 2)")
    assert not qemu_duplicate_delivery("ioapic: FAIL level-delivered-once: 2 interrupts")


def test_parser_reads_each_run():
    runs = parse_runs("[guest] " + CRAFTED.replace("\n", "\r\n[guest] "))
    assert [r.scenario for r in runs] == ["cpuid", "seed002"]
    assert runs[0].args == "--scenario cpuid --irqchip split --vcpus 2"
    assert runs[0].debug_exit == 0x10 and runs[0].seconds == 0.2 and runs[0].word == "pass"
    assert runs[0].l2[0].startswith("[cpuid] START")
    assert runs[1].word == "reproduced" and "KVM_EXIT_IOAPIC_EOI" in runs[1].detail
    assert not runs[0].problems() and not runs[1].problems()


@pytest.mark.parametrize("change, complaint", [
    (("L1: l1vmm: exit=0\n", ""), "no exit status"),
    (("exit=3", "exit=0"), "result reproduced but exit status 0"),
    (("L1VMM: result: cpuid: pass (payload passed, debug-exit 0x10)\n", ""), "0 result lines"),
])
def test_parser_flags_inconsistent_runs(change, complaint):
    console = CRAFTED.replace(*change)
    assert console != CRAFTED
    assert any(complaint in p for r in parse_runs(console) for p in r.problems())


def test_judge_rejects_a_missing_storm_and_a_failed_payload():
    runs = parse_runs(CRAFTED.replace("reproduced (livelock", "pass (no").replace("exit=3", "exit=0"))
    assert judge_run("seed002", {"irqchip": "split", "vcpus": 1}, runs[1])
    runs = parse_runs(CRAFTED)
    assert judge_run("cpuid", {"irqchip": "split", "vcpus": 2}, runs[0])  # no PASS lines at all


# ---- the reference runs --------------------------------------------------------------------------

def l1_tsc_words(l1_vcpus):
    """L1's command-line words about its TSC. On more than one CPU Linux marks the TSC of a
    non-Intel CPU without constant_tsc unstable ("Marking TSC unstable due to TSCs
    unsynchronized": tsc_init's heuristic, not a measurement), under QEMU alone as under nestor.
    Stock 6.1 KVM then puts its guest's TSC back on the timeline of the guest's creation at each
    vcpu_load (kvm_arch_vcpu_load sets tsc_catchup; kvm_guest_time_update catches up from
    this_tsc_write, which a guest's own IA32_TSC write does not change), so a TSC the guest wrote
    jumps back: lapic_timer's deadline-after-tsc-write then ends its TSC-timed wait at once
    (measured 7 December 2026: the write undone in 3 of 14 runs under nestor, all 3 failed; in
    5 of 40 under QEMU alone, passing only because its guests are younger than the 1 s wait).
    `tsc=reliable` keeps the TSC stable: no catch-up in 14 + 40 runs, every run passed."""
    return "tsc=reliable" if l1_vcpus > 1 else ""


# QEMU 7.2 as L0 now and then delivers an EVENTINJ interrupt a second time (single-threaded
# TCG; docs/reliability.md, "QEMU 7.2 delivers an injected interrupt twice"). Under QEMU alone
# it is KVM in L1 that injects into L2 that way, and nothing works around it (nestor does for
# its own injections). Seen once in the matrix, in the project's CI of 7 December 2026:
# ioapic, in-kernel irqchip, 2 vCPUs, `level-redelivered-while-asserted: 3 interrupts
# (expected 2)`. On the QEMU-alone tier only, that check counting *more* deliveries than
# expected is printed as QEMU's, not failed; fewer, or any other failure, still fails.
QEMU_EXTRA_DELIVERY = re.compile(
    r"FAIL level-redelivered-while-asserted: (\d+) interrupts \(expected (\d+)\)")


def qemu_duplicate_delivery(problem):
    m = QEMU_EXTRA_DELIVERY.search(problem)
    return bool(m) and int(m.group(1)) > int(m.group(2))


def check_matrix(label, wanted, result, runs, capsys, more_failures=(), tolerate=None):
    """Prints each run of one L1 boot, then fails on a timeout, a missing run, any run that
    did not go as stock KVM makes it go, or any of more_failures (the L0's own problems).
    tolerate(problem) -> True marks a problem the L0 is known to cause: printed, not failed."""
    with capsys.disabled():
        print(f"\n{label}: {len(runs)} of {len(wanted)} runs in {result.wall_s:.1f} s")
        for (name, options), run in zip(wanted, runs):
            print(f"  {name:13} {options['irqchip']:6} vcpus={options['vcpus']}: {run.word} "
                  f"in {run.seconds} s")
    assert not result.timed_out, "timed out\n" + console_tail(result)
    assert len(runs) == len(wanted), f"{len(runs)} runs of {len(wanted)}\n" + console_tail(result)
    failures = [f"{name} {options}: {problem}" for (name, options), run in zip(wanted, runs)
                for problem in judge_run(name, options, run)]
    if tolerate:
        tolerated = [f for f in failures if tolerate(f)]
        failures = [f for f in failures if f not in tolerated]
        with capsys.disabled():
            for f in tolerated:
                print(f"  tolerated (QEMU 7.2's second EVENTINJ delivery): {f}")
    failures += list(more_failures)
    assert not failures, "\n".join(failures)


def test_every_payload_in_both_irqchip_modes(capsys):
    wanted = matrix_runs()
    result, runs = run_scenarios(direct_qemu(smp=2, accel=ACCEL), wanted,
                                 timeout_s=900, extra=l1_tsc_words(2))
    record_timing(f"L1 boot running {len(wanted)} l1vmm scenarios (QEMU L0, stock KVM)",
                  result.wall_s)
    check_matrix("l1vmm matrix", wanted, result, runs, capsys, tolerate=qemu_duplicate_delivery)


def boot_linux_as_l2(options):
    boot = direct_qemu(accel=ACCEL, mem_mb=1024)
    return run_scenarios(boot, [("linux", options)], initrd=INITRAMFS_L2LINUX, timeout_s=600)


@pytest.mark.parametrize("irqchip, vcpus", [("kernel", 1), ("split", 2)])
def test_linux_as_l2_reaches_init(irqchip, vcpus, capsys):
    """One L1 boot per configuration. L2 Linux under nested TCG (QEMU alone, no nestor) fails
    now and then with the in-kernel irqchip (docs/l1.md, "Open"): an oops on an exception stack
    once in about ten runs, and on 7 December 2026 a stall from its first instruction with only
    port I/O to the VMM (KVM_EXIT_IO ~560/s) in 3 of 8 first boots, 2 of them on a loaded host.
    Every failed boot is printed in full and the configuration booted again, at most three
    times in all; one must pass."""
    options = {"irqchip": irqchip, "vcpus": vcpus, "timeout": 400, "stall": 60}
    for attempt in (1, 2, 3):
        result, runs = boot_linux_as_l2(options)
        record_timing(f"L1 boot running Linux as L2 ({irqchip}, {vcpus} vCPUs, QEMU L0, "
                      f"attempt {attempt})", result.wall_s)
        run = runs[0] if runs else None
        ok = (run is not None and not run.problems() and run.word == "pass" and
              any("L2-LINUX: init reached" in line for line in run.l2))
        with capsys.disabled():
            print(f"\nL2 Linux {irqchip} vcpus={vcpus} attempt {attempt}: "
                  f"{run.word if run else 'no run'} in {run.seconds if run else None} s")
            if not ok and attempt < 3:
                print(f"attempt {attempt} failed; its console tail:\n" + console_tail(result, 60))
        if ok:
            return
    assert ok, (f"{run.word} ({run.detail})" if run else "no run") + "\n" + console_tail(result)

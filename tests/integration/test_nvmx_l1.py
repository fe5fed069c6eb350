"""test_nvmx_l1: Debian's stock kvm_intel in L1 under nestor on Bochs ivy bridge (`make check-nvmx`).

Seed 000 (docs/nested-vmx.md): with the hyperv personality nestor's catalogue refuses KVM's
VMRESUME with the stale TPR threshold (ctl.tpr_threshold_vs_vtpr, VMfailValid(7)) and the VMM
reports KVM_EXIT_FAIL_ENTRY with hardware error 0x7; with the kvm personality nestor leaves that
rule to the CPU and Bochs refuses vmcs02 the same way; the seed's posted one-line fix
(seed000-fixed) passes when L2 lowers its TPR by MOV CR8 and not through the intercepted x2APIC
TPR register, the thread's wider fix (seed000-ppr) passes either way. Then the L2 payloads
through kvm_intel, judged by guestlib like the QEMU reference tier. An L1 boot with one seed
scenario takes 85-105 s on the 2-core machine, one with the eleven payloads 136 s (7 December
2026): too long for `make check`, whose bounded part is test_nvmx_bochs.py (and `make
differential`). Times are printed, never asserted.
"""
import pytest

pytestmark = pytest.mark.hours

from conftest import record_timing
from guestlib import GuestRun, judge
from l1_nestor import LAST_RUN, nestor_boot
from l1vmm import console_tail, run_scenarios
from test_l1_vmm import kvm_stock_profile, spec_for

# L2 makes progress slowly under nested VMX on an emulator: the VMM's watchdog waits longer.
NESTED = {"irqchip": "kernel", "vcpus": 1, "stall": 300, "timeout": 1500}
BOOT_S = 2700


def boot(personality, extra_options=()):
    return nestor_boot(emulator="bochs", smp=1, mem_mb=512,
                       options=("personality=%s" % personality,) + tuple(extra_options))


def nestor_lines():
    return LAST_RUN[0].nestor_lines() if LAST_RUN else []


def l1_kernel_clean(console):
    """kvm_intel on nestor's offer: no MSR kvm_intel touches is missing, no WARN."""
    return [w for w in ("unchecked MSR access error", "Call Trace:", "kvm: disabled by bios")
            if w in console]


@pytest.mark.parametrize("personality, must_log", [
    ("hyperv", "VMRESUME refused: ctl.tpr_threshold_vs_vtpr (SDM 26.2.1.1): tpr_threshold=0x"),
    ("kvm", "the CPU refused vmcs02: VMfailValid(7)"),
])
def test_seed000_reproduced(personality, must_log, capsys):
    result, runs = run_scenarios(boot(personality), [("seed000", NESTED)], timeout_s=BOOT_S)
    record_timing("L1 boot, seed000 under nestor (%s) on Bochs" % personality, result.wall_s)
    run = runs[0] if runs else None
    with capsys.disabled():
        print("\nseed000 nestor %s: %s (%s)" % (personality, run and run.word, run and run.detail))
        for line in nestor_lines():
            if "nvmx: vcpu" in line and "refused" in line:
                print("  " + line)
    assert run is not None and not run.problems(), console_tail(result, 40)
    assert run.word == "reproduced" and "hardware error 0x7" in run.detail, console_tail(result)
    logged = [l for l in nestor_lines() if must_log in l]
    assert logged, "\n".join(nestor_lines()[-40:])
    if personality == "hyperv":
        # The one line names the rule, its section, TPR_THRESHOLD and VTPR, vCPU and L1's RIP.
        assert "VTPR=" in logged[0] and "vcpu0 rip 0x" in logged[0], logged[0]
    assert not l1_kernel_clean(result.console), l1_kernel_clean(result.console)


# The seed's two fixes under `hyperv` (docs/nested-vmx.md): the posted one-liner
# (seed000-fixed) covers a TPR lowered by MOV CR8 (a TPR-below-threshold exit) but not one
# written to the intercepted x2APIC TPR register; the thread's wider fix (seed000-ppr)
# covers both, with the payload choosing either way at random.
@pytest.mark.parametrize("kvm, append, word", [
    ("seed000-fixed", "tpr-way=1", "pass"),
    ("seed000-fixed", "tpr-way=2", "reproduced"),
    ("seed000-ppr", "", "pass"),
])
def test_seed000_fixes(kvm, append, word, capsys):
    options = dict(NESTED, append=append) if append else NESTED
    result, runs = run_scenarios(boot("hyperv"), [("seed000", options)], kvm=kvm, timeout_s=BOOT_S)
    record_timing("L1 boot, seed000 %s with %s under nestor (hyperv)" % (append or "both ways", kvm),
                  result.wall_s)
    assert "unknown variant" not in result.console, f"the initramfs carries no {kvm} (make l1)"
    run = runs[0] if runs else None
    assert run is not None and not run.problems(), console_tail(result, 40)
    assert run.word == word, f"{run.word} ({run.detail})"
    refused = [l for l in nestor_lines() if "nvmx: vcpu" in l and "refused" in l]
    if word == "pass":
        assert not refused, refused[0]
    else:
        assert "hardware error 0x7" in run.detail and refused, run.detail


# Payloads through kvm_intel under nestor: one boot per irqchip mode, one vCPU. Left out:
# Linux as L2, which printed nothing in 600 s (7 December 2026, `quiet`; 230 interrupts/s
# injected, near its 250 Hz tick; where its time went was not measured; docs/nested-vmx.md),
# and seed002/seed003 (storms and ExtINT ticks, which the watchdog's stall cannot tell from
# slowness here).
PAYLOADS = ("cpuid", "portio", "msr", "xapic", "x2apic", "lapic_timer", "tpr", "nmi",
            "ioapic", "wild_access", "triple_fault")

# lapic_timer's periodic ticks at 20 ms, not 1 ms: an L2 interrupt through kvm_intel under nestor
# on Bochs costs more than 1 ms of L2's time, so 1 ms ticks starved its main line (measured
# 7 December 2026: 303 injections/s, no progress for 300 s, the watchdog's livelock verdict).
PAYLOAD_OPTIONS = {"lapic_timer": {"append": "periodic-ms=20"}}


# Without EPT offered (`nested-paging=off`) kvm_intel shadow-pages L2 itself: L2's page faults
# and CR3 loads are L1's exits, and vmcs02 runs on nestor's EPT for L1. The kernel irqchip only.
@pytest.mark.parametrize("irqchip, extra", [
    pytest.param("kernel", (), id="kernel"), pytest.param("split", (), id="split"),
    pytest.param("kernel", ("nested-paging=off",), id="kernel-no-ept")])
def test_l2_payloads(irqchip, extra, capsys):
    wanted = [(name, dict(NESTED, irqchip=irqchip, **PAYLOAD_OPTIONS.get(name, {})))
              for name in PAYLOADS]
    result, runs = run_scenarios(boot("hyperv", extra), wanted, timeout_s=BOOT_S * 2)
    label = "%s irqchip%s" % (irqchip, ", " + " ".join(extra) if extra else "")
    record_timing("L1 boot, %d payloads (%s) under nestor on Bochs" % (len(wanted), label),
                  result.wall_s)
    if extra:
        # kvm_intel really shadow-paged L2: no shadow EPT built, L2's exceptions (its page
        # faults, reason 0) and CR accesses (28) went to L1.
        report = [l for l in nestor_lines() if "nvmx: L2 exits to L1 by reason:" in l]
        assert report and "shadow EPT fills=0 " in report[0], report or nestor_lines()[-20:]
        to_l1 = report[0].split("by reason:")[1].split(";")[0].split()
        assert any(r.startswith("0=") for r in to_l1) and any(r.startswith("28=") for r in to_l1), \
            report[0]
    failures = []
    with capsys.disabled():
        print("\nL2 payloads under nestor (hyperv), %s:" % label)
        for (name, options), run in zip(wanted, runs):
            print(f"  {name:13}: {run.word} in {run.seconds} s")
    assert len(runs) == len(wanted), console_tail(result, 40)
    for (name, options), run in zip(wanted, runs):
        problems = run.problems()
        if name == "triple_fault":
            if run.word != "pass" or "KVM_EXIT_SHUTDOWN" not in run.detail:
                problems.append(f"expected KVM_EXIT_SHUTDOWN, got {run.word} ({run.detail})")
        else:
            guest_run = GuestRun(output=run.l2_text, debug_exit=run.debug_exit,
                                 description=f"l1vmm {run.word}: {run.detail}")
            problems += judge(spec_for(name, 1), kvm_stock_profile(irqchip, 1), guest_run)
        failures += [f"{name} {irqchip}: {p}" for p in problems]
    assert not failures, "\n".join(failures)

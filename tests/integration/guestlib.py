"""guestlib: what each test guest must report, and how to judge one run, for any launcher.

A launcher is a callable ``run_guest(spec) -> GuestRun``: bare QEMU in the reference tier
(test_guests_reference.py), nestor under QEMU or Bochs later. The expectations below are
the same for every launcher; a Profile says which outcomes a platform may legitimately
differ in (a feature it does not offer, a documented deviation from the SDM).

Guest output protocol (tests/guests/lib/report.h): every line is "[guest] KIND rest" with
KIND one of START, INFO, PASS, FAIL, SKIP, SUMMARY, EXIT, HALT, TRIPLE-FAULT. The guest ends
through the isa-debug-exit port with status 0x10 (no check failed) or 0x11.
"""

import re
from dataclasses import dataclass, field
from typing import Callable, Dict, Mapping, Optional, Tuple

GUEST_EXIT_PASS = 0x10
GUEST_EXIT_FAIL = 0x11

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1bc")
LINE = re.compile(r"\[(?P<guest>[a-z0-9_]+)\] (?P<kind>[A-Z-]+)(?: (?P<rest>.*))?$")
OUTCOME = re.compile(r"(?P<check>[A-Za-z0-9_.-]+)(?:: (?P<reason>.*))?$")
SUMMARY = re.compile(r"pass=(\d+) fail=(\d+) skip=(\d+)")


@dataclass(frozen=True)
class GuestSpec:
    """One test kernel: the checks it reports, and checks a single SKIP may stand for."""

    name: str
    checks: Tuple[str, ...]
    # A SKIP of the key replaces these checks (the feature is absent, so they never run).
    skip_groups: Mapping[str, Tuple[str, ...]] = field(default_factory=dict)
    cmdline: str = ""
    # False for guests that must never end themselves (triple_fault).
    ends_with_summary: bool = True
    # The kernel (build/guests/<binary>.elf) and the name its lines carry; default: name.
    # Several specs may run one binary with different command lines and options.
    binary: str = ""
    # nestor boot options the guest runs with (personality=kvm, ...).
    options: Tuple[str, ...] = ()
    # Set when bare QEMU cannot run the guest at all: why (the reference tier skips it).
    nestor_only: str = ""

    @property
    def guest(self) -> str:
        return self.binary or self.name
    # The command line under Bochs when it must differ: Bochs runs ~30 times slower than
    # QEMU and its clock counts instructions, so a run sized for QEMU is too long there.
    bochs_cmdline: Optional[str] = None


@dataclass(frozen=True)
class Profile:
    """What a platform is allowed to differ in, each with the reason shown in failures."""

    name: str
    allowed_skips: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    known_failures: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # Regexes that must appear in the run's output after a triple fault (e.g. nestor's report).
    triple_fault_markers: Tuple[str, ...] = ()
    # A known failure that passes is reported too, so a fixed platform's entry gets removed.
    known_failures_must_fail: bool = False
    # Guests this platform cannot run at all, each with the reason (measured).
    not_run: Mapping[str, str] = field(default_factory=dict)


@dataclass
class GuestRun:
    """A finished run as a launcher reports it."""

    output: str
    debug_exit: Optional[int]  # the status the guest wrote to port 0xf4, None if it did not
    timed_out: bool = False
    description: str = ""  # how the machine ended, for failure messages


@dataclass
class GuestReport:
    passed: Dict[str, int] = field(default_factory=dict)
    failed: Dict[str, str] = field(default_factory=dict)
    skipped: Dict[str, str] = field(default_factory=dict)
    summary: Optional[Tuple[int, int, int]] = None
    exit_line: Optional[str] = None
    started: bool = False
    kinds: Dict[str, int] = field(default_factory=dict)


def strip_ansi(text: str) -> str:
    return ANSI_ESCAPE.sub("", text).replace("\r", "")


def parse_output(guest: str, output: str) -> GuestReport:
    """Collects the guest's lines; other lines (firmware, a hypervisor's log) are ignored."""
    report = GuestReport()
    for raw in strip_ansi(output).splitlines():
        match = None
        for candidate in LINE.finditer(raw):  # a prefix such as "[guest] " may precede ours
            if candidate.group("guest") == guest:
                match = candidate
        if not match:
            continue
        kind, rest = match.group("kind"), match.group("rest") or ""
        report.kinds[kind] = report.kinds.get(kind, 0) + 1
        outcome = OUTCOME.match(rest)
        if kind == "START":
            report.started = True
        elif kind == "PASS" and outcome:
            report.passed[outcome.group("check")] = report.passed.get(outcome.group("check"), 0) + 1
        elif kind == "FAIL" and outcome:
            report.failed[outcome.group("check")] = outcome.group("reason") or ""
        elif kind == "SKIP" and outcome:
            report.skipped[outcome.group("check")] = outcome.group("reason") or ""
        elif kind == "SUMMARY":
            counts = SUMMARY.search(rest)
            if counts:
                report.summary = tuple(int(x) for x in counts.groups())
        elif kind == "EXIT":
            report.exit_line = rest
    return report


def judge(spec: GuestSpec, profile: Profile, run: GuestRun) -> list:
    """Every reason this run does not meet the expectations; empty when it does."""
    problems = []
    report = parse_output(spec.guest, run.output)
    allowed_skips = profile.allowed_skips.get(spec.name, {})
    known_failures = profile.known_failures.get(spec.name, {})

    if run.timed_out:
        problems.append(f"timed out ({run.description})")
    if not report.started:
        problems.append("no START line: the guest never printed")

    required = list(spec.checks)
    for skip, group in spec.skip_groups.items():
        if skip in report.skipped and skip in allowed_skips:
            required = [c for c in required if c not in group]
    for check in required:
        if check in report.failed:
            if check not in known_failures:
                problems.append(f"FAIL {check}: {report.failed[check]}")
        elif check in report.skipped:
            if check not in allowed_skips:
                problems.append(f"SKIP {check} not allowed on {profile.name}: "
                                f"{report.skipped[check]}")
        elif check not in report.passed:
            problems.append(f"check {check} was never reported")
    for skip, reason in report.skipped.items():
        if skip not in allowed_skips:
            problems.append(f"SKIP {skip} not allowed on {profile.name}: {reason}")
    for check, reason in report.failed.items():
        if check not in spec.checks:
            problems.append(f"unexpected FAIL {check}: {reason}")
    for check, reason in known_failures.items():
        if profile.known_failures_must_fail and check in report.passed:
            problems.append(f"known failure {check} passed: drop it from {profile.name} "
                            f"({reason})")
    for check, times in report.passed.items():
        if check not in spec.checks:
            problems.append(f"PASS {check} is not in the expectations (update guestlib.py)")
        elif times > 1:
            problems.append(f"PASS {check} reported {times} times")

    if spec.ends_with_summary:
        problems += _judge_ending(report, run)
    else:
        problems += _judge_no_ending(report, run, profile)
    return problems


def _judge_ending(report: GuestReport, run: GuestRun) -> list:
    problems = []
    if report.summary is None:
        problems.append("no SUMMARY line")
        return problems
    counted = (sum(report.passed.values()), len(report.failed), len(report.skipped))
    if report.summary != counted:
        problems.append(f"SUMMARY {report.summary} disagrees with the lines {counted}")
    expected = GUEST_EXIT_FAIL if report.failed else GUEST_EXIT_PASS
    if run.debug_exit != expected:
        problems.append(f"debug-exit status {run.debug_exit}, expected {expected:#x} "
                        f"({run.description})")
    return problems


def _judge_no_ending(report: GuestReport, run: GuestRun, profile: Profile) -> list:
    problems = []
    if "TRIPLE-FAULT" not in report.kinds:
        problems.append("the guest never announced its triple fault")
    if report.summary is not None or report.failed:
        problems.append("the guest kept running after its triple fault")
    if run.debug_exit is not None:
        problems.append(f"a debug-exit status {run.debug_exit:#x} after a triple fault")
    text = strip_ansi(run.output)
    for marker in profile.triple_fault_markers:
        if not re.search(marker, text):
            problems.append(f"no match for {marker!r} after the triple fault")
    return problems


def check_guest(spec: GuestSpec, profile: Profile, run_guest: Callable[[GuestSpec], GuestRun]):
    """Runs one guest with the launcher and fails (AssertionError) with every problem found."""
    run = run_guest(spec)
    problems = judge(spec, profile, run)
    if problems:
        tail = "\n".join(strip_ansi(run.output).splitlines()[-40:])
        raise AssertionError(f"{spec.name} on {profile.name}:\n  " + "\n  ".join(problems) +
                             f"\n--- last output lines ---\n{tail}")
    return run


# ---- the expectations --------------------------------------------------------------------

_X2APIC_CHECKS = (
    "msr-gp-in-xapic-mode", "extd-without-enable-gp", "apic-base-unchanged-after-gp",
    "enter-x2apic", "id-matches-cpuid", "id-matches-cpuid-0b", "version-same-as-xapic",
    "ldr-derived-from-id", "tpr-msr", "spiv-kept", "illegal-msr-access-gp", "eoi-nonzero-gp",
    "self-ipi-msr", "self-ipi-icr", "ipi-to-own-id", "isr-clear-after-eoi",
    "x2apic-to-xapic-gp", "back-to-xapic", "xapic-mmio-after-leave", "msr-gp-after-leave",
)
_DEADLINE_CHECKS = (
    "deadline-mode-set", "deadline-ignores-initial-count", "deadline-not-armed-by-count",
    "deadline-fires", "deadline-fires-once", "deadline-msr-cleared-on-fire",
    "deadline-in-past-fires", "deadline-disarm", "deadline-after-tsc-write",
)
_DEOI_CHECKS = (
    "directed-eoi-needs-eoi-register", "directed-eoi-enable", "deoi-lapic-eoi-keeps-remote-irr",
    "deoi-no-storm", "deoi-ioapic-eoi-clears-remote-irr", "deoi-quiet-after-deassert",
    "deoi-ioapic-eoi-redelivers-asserted",
)

def _hypercall_ud(*checks):
    """A personality without hypercalls: VMCALL and VMMCALL are #UD, as on a bare CPU."""
    return checks + ("vmcall-ud", "vmmcall-ud")


GUESTS: Dict[str, GuestSpec] = {s.name: s for s in (
    GuestSpec("cpuid", (
        "vendor-printable", "max-basic-leaf", "max-extended-leaf", "apic-present", "msr-present",
        "tsc-present", "long-mode", "bsp-initial-apic-id", "maxphyaddr", "stable", "ap-online",
        "ap-ran", "ap-same-vendor", "ap-initial-apic-id", "ap-distinct-apic-id")),
    GuestSpec("portio", (
        "unused-port-reads-ones", "unused-port-write-ignored", "uart-scratch", "uart-thr-empty",
        "rtc-valid", "rtc-time-format", "cmos-ram", "pci-address-latch", "pci-host-bridge",
        "pci-host-bridge-class", "pci-absent-device", "pit-ch2-counts-down", "fwcfg-signature",
        "fwcfg-cpus", "fwcfg-ram-matches-multiboot", "string-outs-uart-scratch",
        "string-ins-fwcfg", "string-ins-backwards", "string-ins-long", "port80-write-accepted")),
    GuestSpec("msr", (
        "tsc-msr-matches-rdtsc", "tsc-monotonic", "tsc-advances", "apic-base-address",
        "apic-base-enabled", "apic-base-bsp-flag", "apic-base-ap", "efer-long-mode",
        "lstar-roundtrip", "star-roundtrip", "kernel-gs-base-roundtrip", "fs-base-roundtrip",
        "unknown-rdmsr-gp", "unknown-wrmsr-gp")),
    GuestSpec("xapic", (
        "id-matches-cpuid", "version", "tpr-roundtrip", "ppr-equals-tpr", "tpr-reserved-bits",
        "spiv-roundtrip", "spiv-reserved-bits", "spiv-directed-eoi-matches-version",
        "lvt-roundtrip", "lvt-reserved-bits", "lvt-masked-by-software-disable",
        "lvt-stays-masked-while-disabled", "ldr-reserved-bits", "dfr-cluster", "dfr-flat",
        "isr-irr-empty", "esr-clear", "divide-reserved-bits", "icr-destination")),
    GuestSpec("x2apic", ("x2apic-supported",) + _X2APIC_CHECKS,
              skip_groups={"x2apic-supported": ("x2apic-supported",) + _X2APIC_CHECKS}),
    GuestSpec("lapic_timer", (
        "oneshot-current-count", "oneshot-fires", "oneshot-fires-once",
        "oneshot-count-stops-at-zero", "masked-counts-without-interrupt",
        "periodic-fires-repeatedly", "periodic-reloads", "periodic-stops",
        "tsc-deadline-supported") + _DEADLINE_CHECKS,
        skip_groups={"tsc-deadline-supported": ("tsc-deadline-supported",) + _DEADLINE_CHECKS}),
    GuestSpec("ipi", (
        "two-cpus", "aps-online", "bsp-to-ap-fixed", "ap-to-bsp-fixed", "all-excluding-self",
        "all-including-self", "logical-one", "logical-both", "held-pending-while-if-clear",
        "taken-right-after-sti", "stream-exactly-once", "nmi-ipi")),
    GuestSpec("ioapic", (
        "version", "24-pins", "redir-roundtrip", "edge-once-per-pulse", "edge-no-remote-irr",
        "edge-masked-not-delivered", "pit-irq0-at-pin2", "level-delivered-once",
        "level-remote-irr-while-in-service", "level-tmr-set", "level-eoi-clears-remote-irr",
        "level-redelivered-while-asserted", "level-masked-then-unmasked",
        "directed-eoi") + _DEOI_CHECKS,
        skip_groups={"directed-eoi": ("directed-eoi",) + _DEOI_CHECKS}),
    GuestSpec("pic_extint", (
        "extint-delivered", "pic-isr-in-handler", "lapic-isr-untouched", "pic-isr-cleared-by-eoi",
        "pic-imr-masks", "pic-imr-unmask-resumes", "lint0-masked-blocks-extint",
        "pic-request-pending-while-lint0-masked", "lint0-unmask-resumes", "lapic-vector-pending",
        "extint-past-pending-lapic-interrupt", "lapic-vector-after-tpr-drop",
        "extint-and-lapic-both-delivered")),
    GuestSpec("tpr", (
        "cr8-tpr-alias", "held-by-tpr-mmio", "above-tpr-delivered-mmio", "ppr-is-tpr-mmio",
        "tpr-drop-delivers-mmio", "tpr-zero-delivers-mmio", "held-by-tpr-cr8",
        "above-tpr-delivered-cr8", "ppr-is-tpr-cr8", "tpr-drop-delivers-cr8",
        "tpr-zero-delivers-cr8", "in-service", "ppr-from-isr", "ppr-tpr-above-isr",
        "ppr-isr-above-tpr", "held-by-in-service", "higher-class-nests", "eoi-ends-highest",
        "eoi-delivers-waiting", "delivery-order", "idle-at-end")),
    GuestSpec("nmi", (
        "self-nmi-with-if-clear", "nmi-ignores-tpr", "nmi-sent-in-handler-delivered-after-iret",
        "nmi-does-not-nest", "nmi-interrupts-irq-handler", "nmi-and-single-step-trap-once",
        "no-isr-for-nmi")),
    GuestSpec("wild_access", (
        "wild-reads-complete", "wild-writes-complete", "wild-writes-not-stored",
        "wild-write-hpet-window", "ram-not-aliased", "ram-intact-at-end")),
    GuestSpec("triple_fault", (), ends_with_summary=False),
    GuestSpec("intr_shadow", (
        "pending-irq-taken-after-shadowed-insn", "hlt-wake-taken-before-cli",
        "level-redelivered-to-hlt-loop")),
    # ms= is guest time: about 6 s of QEMU; Bochs's clock counts instructions.
    GuestSpec("inject_once", (
        "two-cpus", "timer-interrupts-arrive", "taken-only-with-if-set", "one-delivery-per-timer"),
        cmdline="ms=2000", bochs_cmdline="ms=300"),
    GuestSpec("singlestep", ("single-step-emulated-cpl0", "single-step-emulated-cpl3")),
    GuestSpec("archrules", (
        "cr4-reserved-bit15-gp", "cr4-bit40-gp", "cr4-all-ones-gp", "cr4-bits-follow-cpuid",
        "cr4-pcide-follows-cpuid", "cr0-high-bits-gp", "cr0-nw-without-cd-gp",
        "cr0-pg-without-pe-gp", "cr0-pg-off-in-64bit-gp", "cr0-ts-and-clts",
        "cr8-reserved-bits-gp", "efer-lme-change-under-paging-gp", "efer-reserved-bit-gp",
        "efer-svme-follows-cpuid", "efer-ffxsr-follows-cpuid", "xsetbv-rules")),
    GuestSpec("stop_kick", ("two-cpus", "ap-ends-run")),
    GuestSpec("exc_loop", (
        "ac-delivered-once", "db-data-breakpoint", "db-instruction-breakpoint", "db-single-step",
        "db-general-detect", "two-cpus", "bsp-runs-during-db-loop", "db-loop-held")),
    GuestSpec("ac_loop", (
        "two-cpus", "ap-in-legacy-mode", "ac-at-cpl3-in-legacy-mode", "bsp-runs-during-ac-loop",
        "ac-loop-held")),
    GuestSpec("ram_zero", ("memory-size", "upper-ram-zero")),
    GuestSpec("level_hold", ("long-level-served-to-the-end",)),
    GuestSpec("personality_none", _hypercall_ud("hypervisor-bit", "nestor-signature"),
              binary="personality", cmdline="expect=none",
              nestor_only="the default personality's nestornestor leaves are nestor's own"),
    GuestSpec("personality_native", _hypercall_ud("no-hypervisor-bit", "no-hypervisor-leaves"),
              binary="personality", cmdline="expect=native", options=("personality=native",)),
    GuestSpec("personality_kvm", (
        "hypervisor-bit", "kvm-signature", "kvm-pv-send-ipi-offered", "vmcall-unknown-enosys",
        "vmmcall-unknown-enosys", "send-ipi-to-listed", "send-ipi-only-listed",
        "send-ipi-from-min"), binary="personality", cmdline="expect=kvm",
        options=("personality=kvm",),
        nestor_only="bare QEMU has no KVM hypercall interface (docs/guests.md: KVM here hangs "
                    "at the first hypercall)"),
    GuestSpec("personality_hyperv", _hypercall_ud(
        "hypervisor-bit", "hyperv-signature", "hyperv-interface", "hyperv-no-enlightenment"),
        binary="personality", cmdline="expect=hyperv", options=("personality=hyperv",),
        nestor_only="bare QEMU offers no Hyper-V leaves"),
    GuestSpec("cpu_model", (
        "pmu-msrs", "mtrr-msrs", "mca-msrs", "misc-enable-roundtrip", "misc-enable-reserved-gp",
        "implied-msrs", "noncanonical-wrmsr-gp", "sysenter-address-rule", "osxsave-follows-cr4",
        "apic-bit-follows-enable")),
    GuestSpec("lowmem", (
        "loaded-below-1mib", "image-intact", "info-outside-image", "cmdline", "mmap-covers-image",
        "rsdp-found", "ap-runs"), cmdline="low=check"),
    GuestSpec("seed000", (
        "service-vector-taken", "held-while-in-service", "delivered-at-once",
        "exactly-once-in-priority-order", "apic-idle-after-round", "all-rounds-run"),
        cmdline="rounds=256"),
    # 50000 deliveries or 15 s of guest (wall) time on QEMU, whichever comes first;
    # 15000 under Bochs (about a minute there). `make stress` runs the long version.
    GuestSpec("stress", (
        "two-cpus", "no-lost-interrupts", "no-duplicated-interrupts", "idle-after-each-epoch",
        "every-source-delivered", "tsc-deadline-timer", "x2apic-epochs", "directed-eoi-epochs"),
        cmdline="events=50000 ms=15000", bochs_cmdline="events=15000"),
)}

# ---- platforms ---------------------------------------------------------------------------

_QEMU72_TCG_LAPIC = ("QEMU 7.2's TCG local APIC stores LVT writes unfiltered and does not "
                     "apply the software-disable masking rule (SDM Vol. 3A, 10.4.7.2)")

# Measured with exc_loop on bare QEMU 7.2 and under nestor on it: the CPU nestor runs on
# is the same TCG.
_QEMU72_TCG_DEBUG = {
    "ac-delivered-once": "QEMU 7.2's TCG does no alignment checking: a misaligned load at CPL 3 "
                         "with CR0.AM and RFLAGS.AC raises no #AC (SDM Vol. 3A 6.15, Int. 17)",
    "db-general-detect": "QEMU 7.2's TCG ignores DR7.GD: MOV DR raises no #DB with DR6.BD "
                         "(SDM Vol. 3B 18.2.4)",
}

# Measured with ac_loop on bare QEMU 7.2 and under nestor on it: no #AC at all, so no loop.
_QEMU72_TCG_NO_AC = {
    "ac-at-cpl3-in-legacy-mode": "QEMU 7.2's TCG does no alignment checking: a misaligned load "
                                 "at CPL 3 with CR0.AM and EFLAGS.AC raises no #AC in 32-bit "
                                 "protected mode either (SDM Vol. 3A 6.15, Int. 17)",
    "ac-loop-held": "QEMU 7.2's TCG raises no #AC, so the CVE-2015-5307 loop cannot start: the "
                    "AP's misaligned load goes through",
}

QEMU_TCG = Profile(
    name="qemu-tcg",
    known_failures_must_fail=True,
    not_run={
        "archrules": "QEMU 7.2's TCG checks no MOV-to-CR rule outside a hypervisor: CR0 bit 32, "
                     "NW without CD and PG without PE are taken, and a MOV to CR4 setting an "
                     "unsupported bit loops forever instead of raising #GP",
    },
    allowed_skips={
        "x2apic": {"x2apic-supported": "QEMU 7.2's TCG APIC has no x2APIC mode"},
        "lapic_timer": {"tsc-deadline-supported": "QEMU 7.2's TCG APIC has no TSC-deadline mode"},
        "ioapic": {"directed-eoi": "QEMU's TCG APIC (version 0x14) offers no Directed EOI"},
        "stress": {
            "tsc-deadline-timer": "QEMU 7.2's TCG APIC has no TSC-deadline mode",
            "x2apic-epochs": "QEMU 7.2's TCG APIC has no x2APIC mode",
            "directed-eoi-epochs": "QEMU's TCG APIC (version 0x14) offers no Directed EOI",
        },
    },
    known_failures={
        "msr": {
            "tsc-msr-matches-rdtsc": "QEMU 7.2 TCG reads IA32_TIME_STAMP_COUNTER as 0",
            "unknown-rdmsr-gp": "QEMU 7.2 TCG returns 0 for unknown MSRs instead of #GP",
            "unknown-wrmsr-gp": "QEMU 7.2 TCG ignores writes to unknown MSRs instead of #GP",
        },
        "portio": {
            "port80-write-accepted": "QEMU's port 0x80 is write-only (reads 0xff); nestor's "
                                     "POST port latches the last value written",
        },
        "ram_zero": {
            "upper-ram-zero": "QEMU's multiboot loader leaves data of its own in upper memory "
                              "(measured: 32 pages from 0xefdf000 with -m 256)",
        },
        "personality_native": {
            "no-hypervisor-bit": "QEMU 7.2 TCG sets CPUID.1:ECX[31]",
            "no-hypervisor-leaves": "QEMU 7.2 TCG answers 40000000h with TCGTCGTCGTCG",
        },
        "cpu_model": {
            "misc-enable-reserved-gp": "QEMU 7.2 TCG stores any IA32_MISC_ENABLE value",
            "noncanonical-wrmsr-gp": "QEMU 7.2 TCG does not check the addresses WRMSR writes",
            "apic-bit-follows-enable": "QEMU 7.2 TCG clears CPUID.1:EDX.APIC when the APIC is "
                                       "disabled and never sets it again",
        },
        "exc_loop": _QEMU72_TCG_DEBUG,
        "ac_loop": _QEMU72_TCG_NO_AC,
        "xapic": {
            "lvt-reserved-bits": _QEMU72_TCG_LAPIC,
            "lvt-masked-by-software-disable": _QEMU72_TCG_LAPIC,
            "lvt-stays-masked-while-disabled": _QEMU72_TCG_LAPIC,
        },
    },
)

# A correct nestor: every architectural rule holds and every feature is offered.
NESTOR = Profile(
    name="nestor",
    triple_fault_markers=(r"(?i)triple fault|shutdown",),
)

# nestor on QEMU's TCG (the SVM tier): what that emulated CPU itself does not raise cannot
# reach the guest either.
NESTOR_QEMU_TCG = Profile(
    name="nestor-qemu-tcg",
    triple_fault_markers=NESTOR.triple_fault_markers,
    known_failures_must_fail=True,
    known_failures={"exc_loop": _QEMU72_TCG_DEBUG, "ac_loop": _QEMU72_TCG_NO_AC},
)

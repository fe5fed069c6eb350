"""test_boot: nestor boots on both emulators, decodes the CPU right, and ends cleanly or crashes loudly."""
import re

import pytest

from conftest import nestor_run, record_timing

QEMU_TIMEOUT = 90
BOCHS_TIMEOUT = 240


def caps(result):
    """{(ext, feature): bool} from the capability table nestor printed."""
    table = {}
    for line in result.lines:
        m = re.match(r"\[nestor\] caps \| (vmx|svm) \| ([a-z0-9-]+) +\| (yes|no) ", line)
        if m:
            table[(m.group(1), m.group(2))] = m.group(3) == "yes"
    return table


def boot(emulator, cpu, **kw):
    r = nestor_run.run(emulator=emulator, cpu=cpu,
                       timeout=BOCHS_TIMEOUT if emulator == "bochs" else QEMU_TIMEOUT, **kw)
    label = "%s %s %s" % (emulator, cpu, " ".join(kw.get("options", ())))
    if r.banner_time is not None:
        record_timing("boot to banner: " + label, r.banner_time)
    return r


def assert_clean_end(r):
    assert r.has("[nestor] nestor 0.1.0"), r.text
    assert r.has("[nestor] machine taken: firmware gone"), r.text
    assert r.status == nestor_run.STATUS_PASS, r.text
    assert r.has("[nestor] run ended: status 0x10 (pass)")
    assert r.exit_code == 33
    assert not r.has("ERROR:"), r.text


def test_qemu_max_boots_and_decodes_svm(nestor_efi):
    r = boot("qemu", nestor_run.QEMU_CPU, smp=2)
    assert_clean_end(r)
    assert r.emulator_rc == 33          # QEMU's own exit status agrees with the log
    t = caps(r)
    assert len(t) == 29, t              # the full table, both extensions
    assert t[("svm", "present")] and t[("svm", "npt")] and t[("svm", "vgif")]
    for absent in ("nrips", "decode-assists", "vmcb-clean", "avic", "x2avic", "vnmi"):
        assert not t[("svm", absent)], absent
    assert not t[("vmx", "present")]
    assert r.has("[nestor] cpu: AuthenticAMD")
    assert r.has("[nestor] host: ACPI rev 2 MADT: 2 CPUs (APIC IDs 0,1)")


def test_qemu_epyc_has_npt_without_vgif(nestor_efi):
    r = boot("qemu", "EPYC")
    assert_clean_end(r)
    t = caps(r)
    assert t[("svm", "npt")] and not t[("svm", "vgif")]
    assert r.has("family 0x17")


@pytest.mark.parametrize("model,vid", [("corei7_ivy_bridge_3770k", False),
                                        ("corei7_skylake_x", True)])
def test_bochs_boots_and_decodes_vmx(nestor_efi, model, vid):
    r = boot("bochs", model)
    assert_clean_end(r)
    t = caps(r)
    assert t[("vmx", "present")] and t[("vmx", "tpr-shadow")] and t[("vmx", "ept")]
    assert t[("vmx", "unrestricted-guest")]
    assert t[("vmx", "virtual-interrupt-delivery")] is vid
    assert t[("vmx", "apic-register-virtualization")] is vid
    assert not t[("vmx", "posted-interrupts")]
    assert not t[("svm", "present")]
    # OVMF under Bochs publishes no ACPI tables; without smp=N nestor runs on the boot CPU
    assert r.has("no ACPI MADT from the firmware (no RSDP published): CPUs unknown")
    assert r.has("[nestor] smp: no MADT and no smp=N option: boot CPU only"), r.text


def crash_report_ok(r, function):
    assert r.status == nestor_run.STATUS_CRASH, r.text
    assert r.exit_code == nestor_run.EXIT_CRASH == 253
    assert r.has("[nestor] run ended: status 0x7e (nestor crashed)")
    dumped = set()
    for line in r.lines:
        if line.startswith("[nestor] ERROR:   ") and "#" not in line:
            dumped.update(re.findall(r"\b([a-z0-9]+) +0x[0-9a-f]+", line))
    every = {"rip", "cs", "rflags", "rsp", "ss", "rax", "rbx", "rcx", "rdx", "rsi", "rdi",
             "rbp", "cr0", "cr2", "cr3", "cr4"} | {"r%d" % i for i in range(8, 16)}
    assert every <= dumped, every - dumped
    frames = [l for l in r.lines if re.search(r"ERROR:   #\d+ +0x[0-9a-f]{16} ", l)]
    assert frames, r.text
    assert function in frames[0], frames
    assert any("nestor_main+" in f for f in frames), frames


@pytest.mark.parametrize("fault,function,what", [
    ("pf", "debug_fault_page_fault", "CPU exception #PF page fault (vector 14)"),
    ("ud", "debug_fault_invalid_opcode", "CPU exception #UD invalid opcode (vector 6)"),
    ("panic", "debug_fault_panic", "PANIC on cpu 0:"),
])
def test_qemu_deliberate_fault_prints_dump_and_crash_status(nestor_efi, fault, function, what):
    r = boot("qemu", nestor_run.QEMU_CPU, options=["fault=" + fault])
    assert r.has(what), r.text
    crash_report_ok(r, function)
    assert r.emulator_rc == 253
    if fault == "pf":
        assert r.has("page fault address (cr2) 0x7f0000000000: page not present, read")


def test_bochs_deliberate_fault(nestor_efi):
    r = boot("bochs", "corei7_ivy_bridge_3770k", options=["fault=gp"])
    assert r.has("CPU exception #GP general protection (vector 13)"), r.text
    crash_report_ok(r, "debug_fault_general_protection")


def test_unknown_option_is_a_clear_error(nestor_efi):
    r = boot("qemu", nestor_run.QEMU_CPU, options=["log=debug", "colour=blue"])
    assert r.status == nestor_run.STATUS_CONFIG_ERROR, r.text
    assert r.has("[nestor] ERROR: \\nestor.cfg: unknown option 'colour' (known: log, fault, smp, mem, personality,")
    assert r.exit_code == 251
    assert not r.has("machine taken")


def test_log_level_applies(nestor_efi):
    r = boot("qemu", nestor_run.QEMU_CPU, options=["log=warn"])
    assert r.status == nestor_run.STATUS_PASS, r.text
    assert r.has("[nestor] nestor 0.1.0")                   # the banner always prints
    assert not r.has("[nestor] caps |")                     # info lines are filtered
    assert r.has("[nestor] run ended: status 0x10 (pass)")  # and so does the end

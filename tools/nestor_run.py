"""nestor_run: boot nestor (and a payload) in QEMU or Bochs and judge the run by its output.

The command-line front end is tools/nestor-run; tests and benchmarks import this module.
A run is judged by nestor's own closing line, "[nestor] run ended: status 0xNN (...)",
never by the emulator's exit code alone (Bochs always exits 1).
"""
import dataclasses
import os
import random
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
NESTOR_EFI = os.path.join(BUILD, "nestor.efi")

# Firmware and BIOS files installed by Debian's ovmf and vgabios packages.
OVMF_CODE_4M = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS_4M = "/usr/share/OVMF/OVMF_VARS_4M.fd"
OVMF_BOCHS = "/usr/share/ovmf/OVMF.fd"     # the 2 MiB image that fits Bochs's ROM window
VGABIOS = "/usr/share/vgabios/vgabios.bin"

# Statuses nestor reports (drivers/run_end.h); the launcher exits with (status << 1) | 1
# like QEMU's isa-debug-exit, so a guest's own status comes through unchanged.
STATUS_PASS = 0x10
STATUS_FAIL = 0x11
STATUS_VM_STOPPED = 0x7C
STATUS_CONFIG_ERROR = 0x7D
STATUS_CRASH = 0x7E
EXIT_TIMEOUT = 124          # no end-of-run line before --timeout
EXIT_NO_VERDICT = 125       # the emulator ended without nestor's end-of-run line
EXIT_CRASH = (STATUS_CRASH << 1) | 1

ANSI = re.compile(r"\x1b\[[0-9;=?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")
# The report's exit total (core/vcpu_report.c): exits, ms of VM time, exits per second.
REPORT_EXITS = re.compile(r"\[nestor\] report: (\d+) exits in (\d+) ms of VM time \((\d+) exits/s\)")
END_LINE = re.compile(r"\[nestor\] run ended: status (0x[0-9a-f]+|0) \(([^)]*)\)")
BANNER = "[nestor] nestor "

# QEMU's TCG `max` is AuthenticAMD family 0Fh (a K8): with SVM and nested paging it is a CPU
# that never existed, and Linux 6.1 on family 0Fh searches all 256 PCI buses for an AGP bridge
# twice (33k exits under nestor, about 2 s per boot: docs/performance.md). Family 17h (Zen) is
# what SVM hosts with NPT are; every QEMU run, with nestor or without, uses this one model.
QEMU_CPU = "max,family=23"
# Bochs's instructions per emulated second; its TSC counts at this rate (clock: sync=none).
BOCHS_IPS = 50000000
DEFAULT_CPU = {"qemu": QEMU_CPU, "bochs": "corei7_ivy_bridge_3770k"}
RFB_BIND_FAILED = "RFB could not bind any port"
BOCHS_START_ATTEMPTS = 4


@dataclasses.dataclass
class RunResult:
    emulator: str
    cpu: str
    status: int | None          # nestor's reported status, None if it never said
    exit_code: int              # what tools/nestor-run exits with
    timed_out: bool
    lines: list                 # console lines, ANSI stripped
    elapsed: float              # seconds from emulator start to the end of the run
    banner_time: float | None   # seconds from emulator start to nestor's banner
    emulator_rc: int | None
    workdir: str
    first_seen: dict = dataclasses.field(default_factory=dict)  # marker -> seconds from start

    @property
    def crashed(self):
        return self.status == STATUS_CRASH

    @property
    def text(self):
        return "\n".join(self.lines)

    def nestor_lines(self):
        return [l for l in self.lines if l.startswith("[nestor] ")]

    def has(self, needle):
        return any(needle in l for l in self.lines)


def exit_code_for(status):
    return (status << 1) | 1


# ---- boot volume --------------------------------------------------------------------

def _mbr_with_esp(total_sectors, start_sector):
    """An MBR with one EFI system partition (type 0xEF) covering the rest of the disk."""
    entry = struct.pack("<B3sB3sII", 0x00, b"\xfe\xff\xff", 0xEF, b"\xfe\xff\xff",
                        start_sector, total_sectors - start_sector)
    mbr = bytearray(512)
    mbr[446:462] = entry
    mbr[510:512] = b"\x55\xaa"
    return bytes(mbr)


def make_boot_volume(path, files, efi=NESTOR_EFI):
    """Builds a raw disk image: MBR + FAT ESP holding \\EFI\\BOOT\\BOOTX64.EFI and `files`
    (a dict name -> host path or bytes). Both OVMF builds boot it with no shell. With
    efi=None there is no BOOTX64.EFI: OVMF then falls back to its shell, which runs a
    startup.nsh from the volume (how the benchmarks boot Linux's EFI stub without nestor)."""
    payload = os.path.getsize(efi) if efi else 0
    for src in files.values():
        payload += len(src) if isinstance(src, bytes) else os.path.getsize(src)
    mib = max(48, (payload * 11 // 10 >> 20) + 8)
    size = mib << 20
    start = 2048                                   # 1 MiB, as partitioning tools do
    with open(path, "wb") as f:
        f.write(_mbr_with_esp(size // 512, start))
        f.truncate(size)
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    img = "%s@@%d" % (path, start * 512)
    fat = ["-F"] if mib >= 64 else []
    subprocess.run(["mformat", "-i", img, "-v", "NESTOR"] + fat + ["::"], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    if efi:
        subprocess.run(["mmd", "-i", img, "::/EFI", "::/EFI/BOOT"], check=True, env=env)
        subprocess.run(["mcopy", "-i", img, efi, "::/EFI/BOOT/BOOTX64.EFI"], check=True, env=env)
    with tempfile.TemporaryDirectory() as tmp:
        for name, src in files.items():
            if isinstance(src, bytes):
                p = os.path.join(tmp, name)
                with open(p, "wb") as f:
                    f.write(src)
                src = p
            subprocess.run(["mcopy", "-i", img, src, "::/" + name], check=True, env=env)


def nestor_cfg(options):
    """The \\nestor.cfg text for a list of key=value options (values with spaces quoted)."""
    out = ["# written by tools/nestor-run"]
    for opt in options:
        key, _, value = opt.partition("=")
        if any(c.isspace() for c in value):
            value = '"%s"' % value
        out.append("%s=%s" % (key, value))
    return ("\n".join(out) + "\n").encode()


# ---- emulators ----------------------------------------------------------------------

def qemu_command(workdir, disk, cpu, smp, mem_mb, accel="tcg"):
    vars_copy = os.path.join(workdir, "OVMF_VARS.fd")
    shutil.copyfile(OVMF_VARS_4M, vars_copy)
    return ["qemu-system-x86_64", "-accel", accel, "-machine", "q35", "-cpu", cpu,
            "-smp", str(smp), "-m", "%dM" % mem_mb, "-nodefaults", "-display", "none",
            "-no-reboot", "-serial", "stdio",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-drive", "if=pflash,format=raw,readonly=on,file=" + OVMF_CODE_4M,
            "-drive", "if=pflash,format=raw,file=" + vars_copy,
            "-drive", "file=%s,format=raw,if=ide" % disk]


def bochs_command(workdir, disk, cpu, smp, mem_mb):
    rc = os.path.join(workdir, "bochsrc")
    cmds = os.path.join(workdir, "bochs.cmds")
    lock = disk + ".lock"
    if os.path.exists(lock):          # a killed Bochs leaves this behind
        os.unlink(lock)
    with open(cmds, "w") as f:
        f.write("c\n")                # Debian's Bochs starts in its debugger: continue
    with open(rc, "w") as f:
        f.write("""# written by tools/nestor-run
megs: %d
# ignore_bad_msrs=1: OVMF reads IA32_PLATFORM_ID (0x17), which Bochs does not model,
# and dies on the #GP otherwise. nestor checks CPUID before every MSR it reads.
cpu: model=%s, count=%d, ips=%d, reset_on_triple_fault=0, ignore_bad_msrs=1
romimage: file=%s, address=0xffe00000
vgaromimage: file=%s
pci: enabled=1, chipset=i440fx
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-master: type=disk, path=%s, mode=flat
boot: disk
display_library: rfb, options="timeout=0"
# No sound card here: ALSA fails and Bochs 2.7's mixer thread then aborts the process.
sound: waveoutdrv=dummy
speaker: enabled=0
port_e9_hack: enabled=1
com1: enabled=1, mode=file, dev=%s
log: %s
panic: action=fatal
error: action=report
info: action=ignore
debug: action=ignore
clock: sync=none, time0=local
""" % (mem_mb, cpu, smp, BOCHS_IPS, OVMF_BOCHS, VGABIOS, disk, os.path.join(workdir, "serial.log"),
            os.path.join(workdir, "bochs.log")))
    return ["bochs-bin", "-q", "-f", rc, "-rc", cmds]


# ---- a run --------------------------------------------------------------------------

def _run_emulator(cmd, workdir, emulator, timeout, echo, markers, stop_on=None, follow=None):
    """Runs one emulator process, streaming its console; the run's lines and verdict.
    `follow`: a file the emulator writes the console to instead of stdout (Bochs's COM1),
    read as it grows."""
    console_path = os.path.join(workdir, "console.log")
    lines, status, banner_time, timed_out = [], None, None, False
    first_seen = {}
    start = time.monotonic()
    with open(console_path, "w") as console:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, start_new_session=True, cwd=workdir)
        os.set_blocking(proc.stdout.fileno(), False)
        pending = b""
        follow_pos = 0
        while True:
            now = time.monotonic()
            if now - start > timeout:
                timed_out = True
                break
            chunk = None
            try:
                chunk = proc.stdout.read()
            except BlockingIOError:
                pass
            if follow:
                chunk = None      # the emulator's own chatter on stdout is not the console
                if os.path.exists(follow):
                    with open(follow, "rb") as f:
                        f.seek(follow_pos)
                        chunk = f.read()
                        follow_pos += len(chunk)
            if chunk:
                pending += chunk
                *complete, pending = pending.split(b"\n")
                for raw in complete:
                    line = ANSI.sub("", raw.decode("utf-8", "replace"))
                    lines.append(line)
                    console.write(line + "\n")
                    if echo:
                        print(line, flush=True)
                    if banner_time is None and BANNER in line:
                        banner_time = now - start
                    for marker in markers:
                        if marker not in first_seen and marker in line:
                            first_seen[marker] = now - start
                    m = END_LINE.search(line)
                    if m and status is None:
                        status = int(m.group(1), 16)
            elif proc.poll() is not None:
                break
            else:
                time.sleep(0.02)
            if status is not None and emulator == "bochs":
                break                 # Bochs may linger after the shutdown port
            if stop_on and stop_on in first_seen:
                break                 # the caller has what it came for
        if pending:
            lines.append(ANSI.sub("", pending.decode("utf-8", "replace")))
            console.write(lines[-1] + "\n")
        elapsed = time.monotonic() - start
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        rc = proc.wait()

    return lines, status, banner_time, timed_out, elapsed, rc, first_seen


def host_tsc_khz():
    """The TSC frequency QEMU's TCG gives its guests: the host's own (TCG's RDTSC reads the
    host TSC), which Linux on this host reports as "cpu MHz" when it has no cpufreq
    driver (a virtual machine, as here); None when /proc/cpuinfo does not say."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("cpu MHz"):
                    return int(float(line.split(":")[1]) * 1000)
    except (OSError, ValueError):
        pass
    return None


def linux_tsc_append(append):
    """L1 Linux under nestor on TCG cannot calibrate its TSC: every PIT, port 0x61 and ACPI
    PM timer read is an exit of tens of microseconds, beyond the error bounds of all of
    Linux's calibration methods ("tsc: Marking TSC unstable due to could not calculate TSC
    khz"). Without a TSC frequency KVM in L1 never enters a guest (kvm_guest_time_update
    finds tsc_khz 0 and asks again, forever). So the launcher tells L1 the frequency."""
    khz = host_tsc_khz()
    if append is None or khz is None or "tsc_early_khz=" in append:
        return append
    return "%s tsc_early_khz=%d" % (append, khz)


def run(emulator="qemu", cpu=None, smp=1, mem=256, options=(), kernel=None, initrd=None,
        append=None, timeout=120, workdir=None, echo=False, extra_files=None, markers=(),
        efi=NESTOR_EFI, accel="tcg", linux_tsc=False):
    """Boots nestor (the image `efi`) once and returns a RunResult. Never raises on a failed
    run. `markers`: substrings whose first appearance is timed (RunResult.first_seen).
    accel: QEMU's -accel ("tcg,thread=single" when L1 creates VMs: docs/l1.md); linux_tsc:
    append tsc_early_khz= to a Linux payload's command line (linux_tsc_append)."""
    if linux_tsc and emulator == "qemu":
        append = linux_tsc_append(append)
    cpu = cpu or DEFAULT_CPU[emulator]
    if workdir is None:
        os.makedirs(os.path.join(BUILD, "runs"), exist_ok=True)
        workdir = tempfile.mkdtemp(prefix="%s-" % emulator, dir=os.path.join(BUILD, "runs"))
    workdir = os.path.abspath(workdir)
    os.makedirs(workdir, exist_ok=True)

    opts = list(options)
    files = dict(extra_files or {})
    if kernel:
        files["KERNEL"] = kernel
        opts.append("kernel=\\KERNEL")
        opts.append("mem=%d" % mem)
    if initrd:
        files["INITRD"] = initrd
        opts.append("initrd=\\INITRD")
    if append is not None:
        opts.append("append=%s" % append)
    if smp != 1:
        opts.append("smp=%d" % smp)
    files["nestor.cfg"] = nestor_cfg(opts)
    disk = os.path.join(workdir, "boot.img")
    make_boot_volume(disk, files, efi)

    # The emulated machine needs room for the firmware, nestor and the guest's RAM.
    machine_mb = 256 + (mem if kernel else 0)
    if emulator == "qemu":
        cmd = qemu_command(workdir, disk, cpu, smp, machine_mb, accel)
    elif emulator == "bochs":
        cmd = bochs_command(workdir, disk, cpu, smp, machine_mb)
    else:
        raise ValueError("unknown emulator %r" % emulator)

    # Bochs's RFB display binds the first free port from 5900; two Bochs starting at the
    # same moment can both bind one port, and the loser then fails every later bind on that
    # socket and exits ("RFB could not bind any port"). Such a run never started: retry it.
    for attempt in range(BOCHS_START_ATTEMPTS if emulator == "bochs" else 1):
        if attempt:
            time.sleep(random.uniform(0.5, 2.0))
            cmd = bochs_command(workdir, disk, cpu, smp, machine_mb)   # drops the stale lock
        lines, status, banner_time, timed_out, elapsed, rc, first_seen = _run_emulator(
            cmd, workdir, emulator, timeout, echo, markers)
        if not any(RFB_BIND_FAILED in l for l in lines):
            break

    if status is not None:
        exit_code = exit_code_for(status)
    elif timed_out:
        exit_code = EXIT_TIMEOUT
    else:
        exit_code = EXIT_NO_VERDICT
    return RunResult(emulator, cpu, status, exit_code, timed_out and status is None, lines,
                     elapsed, banner_time, rc, workdir, first_seen)


def run_multiboot_bochs(kernel, grub, cmdline="", cpu=None, timeout=900, echo=False,
                        markers=(), stop_on=None, prefix="multiboot-"):
    """A multiboot test kernel on Bochs alone (no nestor): GRUB's EFI image (`grub`, see
    mk/nested.mk) loads it with `cmdline`. The run ends at the first line holding `stop_on`
    (the kernel cannot end Bochs itself) or at the timeout. Returns a RunResult whose status
    is None; first_seen times the markers."""
    cpu = cpu or DEFAULT_CPU["bochs"]
    os.makedirs(os.path.join(BUILD, "runs"), exist_ok=True)
    workdir = tempfile.mkdtemp(prefix=prefix, dir=os.path.join(BUILD, "runs"))
    disk = os.path.join(workdir, "boot.img")
    name = os.path.basename(kernel)
    cfg = ("set timeout=0\nmultiboot /%s %s\nboot\n" % (name, cmdline)).encode()
    make_boot_volume(disk, {name: kernel, "nvmx.cfg": cfg}, efi=grub)
    for attempt in range(BOCHS_START_ATTEMPTS):
        if attempt:
            time.sleep(random.uniform(0.5, 2.0))
        cmd = bochs_command(workdir, disk, cpu, 1, 512)
        lines, _st, _b, timed_out, elapsed, rc, seen = _run_emulator(
            cmd, workdir, "bochs", timeout, echo, tuple(markers) + ((stop_on,) if stop_on else ()),
            stop_on, os.path.join(workdir, "serial.log"))
        if not any(RFB_BIND_FAILED in l for l in lines):
            break
    return RunResult("bochs", cpu, None, EXIT_NO_VERDICT, timed_out, lines, elapsed, None, rc,
                     workdir, seen)


def run_multiboot_qemu(kernel, cmdline="", cpu=None, smp=1, mem_mb=256, timeout=300,
                       echo=False, markers=(), prefix="multiboot-qemu-"):
    """A multiboot test kernel on QEMU alone (no nestor, no firmware): QEMU's own multiboot
    loader (-kernel) with `cmdline`, on the platform the test guests are written for
    (isa-debug-exit at 0xf4, pc-testdev; tests/integration/test_guests_reference.py). The
    kernel ends QEMU through debug-exit; exit_code is then QEMU's ((status << 1) | 1).
    Returns a RunResult whose status is None; first_seen times the markers."""
    cpu = cpu or DEFAULT_CPU["qemu"]
    os.makedirs(os.path.join(BUILD, "runs"), exist_ok=True)
    workdir = tempfile.mkdtemp(prefix=prefix, dir=os.path.join(BUILD, "runs"))
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-machine", "q35", "-cpu", cpu,
           "-smp", str(smp), "-m", str(mem_mb), "-nodefaults", "-display", "none",
           "-no-reboot", "-serial", "stdio", "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
           "-device", "pc-testdev", "-kernel", os.path.abspath(kernel)]
    if cmdline:
        cmd += ["-append", cmdline]
    lines, _st, _b, timed_out, elapsed, rc, seen = _run_emulator(
        cmd, workdir, "qemu", timeout, echo, markers)
    return RunResult("qemu", cpu, None, EXIT_TIMEOUT if timed_out else rc, timed_out, lines,
                     elapsed, None, rc, workdir, seen)


def run_plain(files, emulator="qemu", cpu=None, smp=1, machine_mb=768, timeout=600,
              markers=(), stop_on=None, echo=False):
    """Boots a volume holding only `files` (no nestor) under OVMF, e.g. Linux's EFI stub with
    a startup.nsh, for measurements beside nestor. There is no end-of-run line: the run ends
    when the emulator exits, when a line contains `stop_on` (which is then also a marker),
    or at the timeout. Returns a RunResult whose status is None."""
    cpu = cpu or DEFAULT_CPU[emulator]
    os.makedirs(os.path.join(BUILD, "runs"), exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="%s-plain-" % emulator, dir=os.path.join(BUILD, "runs"))
    disk = os.path.join(workdir, "boot.img")
    make_boot_volume(disk, files, efi=None)
    command = qemu_command if emulator == "qemu" else bochs_command
    markers = tuple(markers) + ((stop_on,) if stop_on else ())
    for attempt in range(BOCHS_START_ATTEMPTS if emulator == "bochs" else 1):
        if attempt:
            time.sleep(random.uniform(0.5, 2.0))
        cmd = command(workdir, disk, cpu, smp, machine_mb)
        # Without nestor nothing writes port 0xE9: under Bochs the console is COM1's file.
        follow = os.path.join(workdir, "serial.log") if emulator == "bochs" else None
        lines, _status, _banner, timed_out, elapsed, rc, first_seen = _run_emulator(
            cmd, workdir, emulator, timeout, echo, markers, stop_on, follow)
        if not _rfb_bind_failed(lines, workdir):
            break
    return RunResult(emulator, cpu, None, EXIT_TIMEOUT if timed_out else 0, timed_out, lines,
                     elapsed, None, rc, workdir, first_seen)


def _rfb_bind_failed(lines, workdir):
    """Whether Bochs gave up on its display before the machine started (see run()). When the
    console is COM1's file, Bochs's own complaint is only in its log."""
    if any(RFB_BIND_FAILED in l for l in lines):
        return True
    if lines:
        return False
    try:
        with open(os.path.join(workdir, "bochs.log"), errors="replace") as f:
            return RFB_BIND_FAILED in f.read()
    except OSError:
        return False


def linux_alone_volume(kernel, initrd, cmdline):
    """The files of a volume that boots Linux without nestor: OVMF finds no BOOTX64.EFI and
    falls back to its shell, whose startup.nsh starts the bzImage `kernel` through its EFI stub
    with `cmdline` and the initrd (the stub loads \\INITRD from the same volume)."""
    line = "fs0:\\vmlinuz.efi%s %s\r\n" % (" initrd=\\INITRD" if initrd else "", cmdline)
    files = {"vmlinuz.efi": kernel, "startup.nsh": line.encode()}
    if initrd:
        files["INITRD"] = initrd
    return files


def run_linux_alone(kernel, initrd=None, cmdline="", emulator="bochs", cpu=None, smp=1,
                    machine_mb=768, timeout=900, markers=(), stop_on=None, echo=False):
    """Boots Linux (a bzImage with its EFI stub, e.g. build/l1/vmlinuz) directly under the
    emulator's OVMF, without nestor: how L1 runs on Bochs alone. Returns run_plain's RunResult
    (status None; judge the run by its console). Linux finds no ACPI tables on Bochs, so it
    cannot power off: the payload must end the run itself (the L1 /init: l1.exit=bochs writes
    Bochs's shutdown port once the console has drained), or `stop_on` ends it at a marker."""
    return run_plain(linux_alone_volume(kernel, initrd, cmdline), emulator=emulator, cpu=cpu,
                     smp=smp, machine_mb=machine_mb, timeout=timeout, markers=markers,
                     stop_on=stop_on, echo=echo)

"""l1_payload: boot the L1 Linux payload and judge what its /init printed.

The expectations are separate from the way the kernel is booted, so the same checks run for
Linux directly under QEMU (the reference, `boot_direct_qemu` here) and for Linux under nestor
(a launcher the nestor tests supply). A launcher is any callable

    boot(kernel: Path, initrd: Path, cmdline: str, timeout_s: float) -> BootResult

that boots the kernel with that initrd and command line and returns the console text.

Also a small command line (`python3 tests/integration/l1_payload.py --help`): `boot` runs the
payload directly under QEMU and streams its console, `bench` times boots to /init.
"""
import argparse
import hashlib
import os
import re
import select
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))
from nestor_run import QEMU_CPU  # noqa: E402  (the one QEMU CPU model of every run)
L1_DIR = REPO / "build" / "l1"
VMLINUX = L1_DIR / "vmlinux"
VMLINUZ = L1_DIR / "vmlinuz"      # the same kernel as Debian ships it: bzImage with an EFI stub
INITRAMFS = L1_DIR / "initramfs.cpio.gz"
# tools/build-kvm's KVM variants (mk/kvm.mk), packed into INITRAMFS beside Debian's modules.
KVM_DIR = REPO / "build" / "kvm"
KVM_MODULES = KVM_DIR / "modules"

# quiet: the kernel's boot log costs time on an emulated UART (one port write per character,
# one VM exit each under a hypervisor); /init's own lines are printed regardless.
DEFAULT_CMDLINE = "console=ttyS0 panic=-1 quiet"
# Benchmarks time the boot to /init only; skipping the kvm modules shortens each run.
BENCH_CMDLINE = DEFAULT_CMDLINE + " l1.modules=0"
MARKER = "L1: "
END_MARKER = "L1: end: "   # /init's last line, once the console has drained (then it powers off)
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@dataclass
class BootResult:
    """What a launcher reports about one boot."""
    console: str                  # everything the guest printed (may hold other lines too)
    timed_out: bool               # the launcher's time limit ended the run
    status: Optional[int] = None  # the launcher's exit status, for diagnostics
    wall_s: float = 0.0           # launch to end of run
    to_init_s: Optional[float] = None  # launch to the first "L1: " line, when measured


Boot = Callable[[Path, Path, str, float], BootResult]


@dataclass
class L1Report:
    """The facts /init printed, parsed from its "L1: " lines."""
    lines: List[str] = field(default_factory=list)       # text after "L1: ", in order
    cpus_online: Optional[int] = None
    cpu_list: Optional[str] = None
    vendor: Optional[str] = None
    cpuid: Dict[str, bool] = field(default_factory=dict)  # svm/vmx -> flag present
    timer_delta: Dict[str, int] = field(default_factory=dict)  # "cpu0" -> LOC increase
    modules: Dict[str, str] = field(default_factory=dict)  # kvm_amd -> "loaded" / "not loaded (no SVM)"
    probe: List[str] = field(default_factory=list)         # kvmprobe's lines
    done: bool = False
    kernel: Optional[str] = None                           # uname -r and uname -v
    kvm_variant: Optional[str] = None                      # the variant /init chose (l1.kvm=)
    kvm_variant_info: Optional[str] = None                 # its description (variants/NAME/info)
    kvm_variant_error: Optional[str] = None                # why /init refused l1.kvm=
    kvm_files: Dict[str, Dict[str, str]] = field(default_factory=dict)  # kvm_intel -> file, sha256, taint
    end: Optional[str] = None                              # the "end:" line's text: the run's last
    clock: Dict[str, str] = field(default_factory=dict)    # source -> tsc, tsc-mhz -> 2596.214 / none


def l1_lines(console: str) -> List[str]:
    """The "L1: " lines of a console, wherever the marker starts (a launcher may prefix lines)."""
    lines = []
    for raw in ANSI_ESCAPE.sub("", console.replace("\r", "")).split("\n"):
        at = raw.find(MARKER)
        if at >= 0:
            lines.append(raw[at + len(MARKER):].rstrip())
    return lines


def parse_console(console: str) -> L1Report:
    report = L1Report(lines=l1_lines(console))
    verdict = re.compile(r"^(kvm|kvm_amd|kvm_intel): ((?:not )?loaded.*|skipped.*)$")
    for line in report.lines:
        if m := re.match(r"^cpus: online=(\d+) list=(\S+)", line):
            report.cpus_online, report.cpu_list = int(m.group(1)), m.group(2)
        elif m := re.match(r"^cpu: vendor=(\S*)", line):
            report.vendor = m.group(1)
        elif line.startswith("cpuid: "):
            for word in line.split()[1:]:
                name, _, value = word.partition("=")
                report.cpuid[name] = value == "yes"
        elif line.startswith("timer-delta"):
            for word in line.split()[1:]:
                name, _, value = word.partition("=")
                report.timer_delta[name] = int(value)
        elif m := verdict.match(line):
            report.modules[m.group(1)] = m.group(2)
        elif line.startswith("kvmprobe: "):
            report.probe.append(line[len("kvmprobe: "):])
        elif line == "done":
            report.done = True
        elif line.startswith("kernel: "):
            report.kernel = line[len("kernel: "):]
        elif m := re.match(r"^kvm-variant: error: (.*)$", line):
            report.kvm_variant_error = m.group(1)
        elif m := re.match(r"^kvm-variant: (\S+): (\S+) (file=.*)$", line):
            report.kvm_files[m.group(2)] = dict(w.split("=", 1) for w in m.group(3).split())
        elif m := re.match(r"^kvm-variant: (\S+) \((.*)\)$", line):
            report.kvm_variant, report.kvm_variant_info = m.group(1), m.group(2)
        elif line.startswith("end: "):
            report.end = line[len("end: "):]
        elif line.startswith("clock: "):
            report.clock = dict(w.split("=", 1) for w in line.split()[1:] if "=" in w)
    return report


def check_report(report: L1Report, *, cpus: int, expect_svm: bool,
                 expect_vmx: Optional[bool] = None) -> None:
    """Asserts the payload's findings; every failure message quotes what /init said.
    expect_vmx (Intel CPUs): the CPUID vmx flag, and kvm_intel refused for "no VMX" when False."""
    assert report.lines, "no 'L1: ' line at all: the kernel never reached /init"
    assert report.done, f"/init did not finish; its last line: {report.lines[-1]!r}"
    assert report.cpus_online == cpus, f"{report.cpus_online} CPUs online (list {report.cpu_list}), expected {cpus}"
    expected = {f"cpu{n}" for n in range(cpus)}
    assert set(report.timer_delta) == expected, f"timer-delta columns {sorted(report.timer_delta)}, expected {sorted(expected)}"
    idle = sorted(cpu for cpu, delta in report.timer_delta.items() if delta <= 0)
    assert not idle, f"no local timer interrupts on {idle}: {report.timer_delta}"
    assert report.cpuid.get("svm") == expect_svm, f"CPUID svm flag is {report.cpuid.get('svm')}, expected {expect_svm}"
    kvm_amd = report.modules.get("kvm_amd")
    if expect_svm:
        assert report.modules.get("kvm") == "loaded", f"kvm: {report.modules.get('kvm')}"
        assert kvm_amd == "loaded", f"kvm_amd: {kvm_amd}"
        assert any(p.startswith("l2-guest: ok") for p in report.probe), f"kvmprobe: {report.probe}"
    else:
        assert kvm_amd == "not loaded (no SVM)", f"kvm_amd: {kvm_amd}"
    if expect_vmx is not None:
        assert report.cpuid.get("vmx") == expect_vmx, f"CPUID vmx flag is {report.cpuid.get('vmx')}, expected {expect_vmx}"
        kvm_intel = report.modules.get("kvm_intel")
        if not expect_vmx:
            assert kvm_intel == "not loaded (no VMX)", f"kvm_intel: {kvm_intel}"


def kvm_module_file(relpath: str) -> Path:
    """The host copy of a module file /init names (a path under lib/modules/RELEASE of the
    initramfs): Debian's from fetch-kernel's tree, a variant's from tools/build-kvm's."""
    release = (L1_DIR / "kernel-release").read_text().strip()
    for tree in (KVM_MODULES, L1_DIR / "modules"):
        path = tree / "lib" / "modules" / release / relpath
        if path.is_file():
            return path
    raise AssertionError(f"/init loaded {relpath}, which is in neither module tree")


def check_kvm_variant(report: L1Report, variant: str, modules=("kvm",)) -> None:
    """Asserts that /init loaded `variant`'s own files for each of `modules` (e.g. kvm,
    kvm_intel): the variant it names, each module's file in that variant (Debian's tree for
    stock), the file's SHA-256 equal to the host copy's, and the taint the kernel gives it
    (none for Debian's signed modules, O and E for ours: out of tree, unsigned). Also that the
    kernel is the Debian version the variants were built for."""
    package = (L1_DIR / "package").read_text().strip()
    version = package.rpartition("_")[2]
    assert report.kernel and f"Debian {version} " in report.kernel, \
        f"kernel {report.kernel!r} is not {package}"
    assert report.kvm_variant_error is None, report.kvm_variant_error
    assert report.kvm_variant == variant, f"/init chose {report.kvm_variant!r}, not {variant!r}"
    for name in modules:
        got = report.kvm_files.get(name)
        assert got, f"no kvm-variant line for {name}: {report.kvm_files}"
        prefix = "kernel/arch/x86/kvm/" if variant == "stock" else f"variants/{variant}/"
        assert got["file"].startswith(prefix), f"{name} came from {got['file']}"
        digest = hashlib.sha256(kvm_module_file(got["file"]).read_bytes()).hexdigest()
        assert got["sha256"] == digest[:16], f"{name}: {got['sha256']} is not {got['file']}'s"
        assert got["taint"] == ("-" if variant == "stock" else "OE"), f"{name}: taint {got['taint']}"


def check_l1_boot(boot: Boot, *, cpus: int = 2, expect_svm: bool,
                  expect_vmx: Optional[bool] = None, kernel: Path = VMLINUX,
                  initrd: Path = INITRAMFS, cmdline: str = DEFAULT_CMDLINE,
                  timeout_s: float = 120.0) -> L1Report:
    """Boots the payload with `boot` and checks it: all CPUs online, each CPU's local timer
    counting, CPUID's SVM flag as expected, and kvm_amd loaded (and running an L2 guest) when
    SVM is offered, refused with "no SVM" otherwise. The kernel's log must be free of
    what a platform bug leaves there: an MSR access it expected to work that raised #GP
    ("unchecked MSR access error") and WARN/BUG splats ("Call Trace:"), on the console or,
    for what "quiet" keeps off it, in /init's "kernel-complaint:" lines. Returns the parsed
    report."""
    for path in (kernel, initrd):
        assert path.is_file(), f"{path} missing: build it with 'make l1'"
    result = boot(kernel, initrd, cmdline, timeout_s)
    report = parse_console(result.console)
    try:
        assert not result.timed_out, f"timed out after {timeout_s}s"
        check_report(report, cpus=cpus, expect_svm=expect_svm, expect_vmx=expect_vmx)
        complaints = [l for l in result.console.splitlines()
                      if "unchecked MSR access error" in l or "Call Trace:" in l or
                      "L1: kernel-complaint:" in l]
        assert not complaints, f"the kernel complained: {complaints[:4]}"
    except AssertionError as failure:
        tail = "\n".join(result.console.splitlines()[-40:])
        raise AssertionError(f"{failure}\n--- console tail (status {result.status}) ---\n{tail}") from None
    return report


def qemu_command(kernel: Path, initrd: Path, cmdline: str, *, cpu: str = QEMU_CPU, smp: int = 2,
                 mem_mb: int = 512, accel: str = "tcg") -> List[str]:
    """QEMU TCG booting vmlinux through its PVH note, serial console on stdout."""
    return ["qemu-system-x86_64", "-accel", accel, "-machine", "q35", "-cpu", cpu,
            "-smp", str(smp), "-m", str(mem_mb), "-nodefaults", "-display", "none",
            "-no-reboot", "-serial", "stdio", "-kernel", str(kernel), "-initrd", str(initrd),
            "-append", cmdline]


def run_streaming(command: List[str], timeout_s: float, echo=None) -> BootResult:
    """Runs command under timeout(1), collecting stdout; notes when the first marker arrived."""
    start = time.monotonic()
    wrapped = ["timeout", "-k", "5", str(int(timeout_s)), *command]
    proc = subprocess.Popen(wrapped, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    chunks, to_init = [], None
    while True:
        ready, _, _ = select.select([proc.stdout], [], [], 1.0)
        if not ready:
            continue
        data = os.read(proc.stdout.fileno(), 65536)
        if not data:
            break
        chunks.append(data)
        if echo:
            echo.write(data.decode(errors="replace"))
            echo.flush()
        if to_init is None and MARKER.encode() in b"".join(chunks[-2:]):
            to_init = time.monotonic() - start
    status = proc.wait()
    return BootResult(console=b"".join(chunks).decode(errors="replace"), timed_out=status in (124, 137),
                      status=status, wall_s=time.monotonic() - start, to_init_s=to_init)


def direct_qemu(cpu: str = QEMU_CPU, smp: int = 2, mem_mb: int = 512, accel: str = "tcg",
                echo=None) -> Boot:
    """A launcher booting the kernel directly under QEMU TCG (no nestor): the reference.
    accel "tcg" runs one host thread per vCPU (MTTCG); "tcg,thread=single" runs all vCPUs
    round-robin on one thread (slower, but immune to cross-vCPU races in QEMU, docs/l1.md)."""
    def boot(kernel: Path, initrd: Path, cmdline: str, timeout_s: float) -> BootResult:
        command = qemu_command(kernel, initrd, cmdline, cpu=cpu, smp=smp, mem_mb=mem_mb, accel=accel)
        return run_streaming(command, timeout_s, echo)
    return boot


def linux_alone(emulator: str = "bochs", cpu: Optional[str] = None, smp: int = 1,
                machine_mb: int = 768, echo: bool = False, results: Optional[list] = None) -> Boot:
    """A launcher booting the kernel directly on the emulator, without nestor, through OVMF and
    the kernel's EFI stub (tools/nestor_run.run_linux_alone): how L1 runs on Bochs alone. The
    EFI stub is in the bzImage, not in vmlinux: given an ELF vmlinux (e.g. VMLINUX, as callers
    of the other launchers pass), it boots the `vmlinuz` beside it, the same kernel as
    fetch-kernel leaves them, so this launcher is a drop-in for the others. Linux finds no ACPI
    power-off on Bochs, so unless the command line already chooses an l1.exit, `l1.exit=bochs`
    is added: /init then ends the emulator through its shutdown port once its last line
    (END_MARKER) is out. `results` collects each run's nestor_run.RunResult (logs, workdir)."""
    sys.path.insert(0, str(REPO / "tools"))
    import nestor_run

    def boot(kernel: Path, initrd: Path, cmdline: str, timeout_s: float) -> BootResult:
        with open(kernel, "rb") as f:
            if f.read(4) == b"\x7fELF":
                kernel = Path(kernel).parent / "vmlinuz"
        if emulator == "bochs" and "l1.exit=" not in cmdline:
            cmdline += " l1.exit=bochs"
        r = nestor_run.run_linux_alone(str(kernel), str(initrd), cmdline, emulator=emulator,
                                       cpu=cpu, smp=smp, machine_mb=machine_mb,
                                       timeout=timeout_s, markers=(MARKER, END_MARKER), echo=echo)
        if results is not None:
            results.append(r)
        return BootResult(console=r.text, timed_out=r.timed_out, status=r.emulator_rc,
                          wall_s=r.elapsed, to_init_s=r.first_seen.get(MARKER))
    return boot


def bench(boot: Boot, runs: int, label: str, kernel: Path = VMLINUX, initrd: Path = INITRAMFS,
          cmdline: str = BENCH_CMDLINE) -> List[float]:
    """Boots `runs` times; prints and returns the times from launch to the first /init line."""
    times = []
    for n in range(runs):
        result = boot(kernel, initrd, cmdline, 120.0)
        if result.to_init_s is None:
            sys.exit(f"{label}: run {n}: /init never printed (status {result.status})")
        times.append(result.to_init_s)
        print(f"{label}: run {n}: to /init {result.to_init_s:.2f} s, whole run {result.wall_s:.2f} s")
    print(f"{label}: median to /init {statistics.median(times):.2f} s over {runs} runs")
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description="Boot the L1 payload directly under QEMU TCG.")
    parser.add_argument("action", choices=["boot", "bench"])
    parser.add_argument("--cpu", default=QEMU_CPU, help="QEMU -cpu model (default %(default)s)")
    parser.add_argument("--smp", type=int, default=2)
    parser.add_argument("--mem", type=int, default=512, help="MiB")
    parser.add_argument("--accel", default="tcg", help="QEMU -accel (e.g. tcg,thread=single)")
    parser.add_argument("--append", help=f"kernel command line (boot: {DEFAULT_CMDLINE!r}, "
                        f"bench: {BENCH_CMDLINE!r})")
    parser.add_argument("--kernel", type=Path, default=VMLINUX)
    parser.add_argument("--initrd", type=Path, default=INITRAMFS)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.action == "bench":
        boot = direct_qemu(cpu=args.cpu, smp=args.smp, mem_mb=args.mem, accel=args.accel)
        bench(boot, args.runs, f"qemu-direct -smp {args.smp}", args.kernel, args.initrd,
              args.append or BENCH_CMDLINE)
        return 0
    boot = direct_qemu(cpu=args.cpu, smp=args.smp, mem_mb=args.mem, accel=args.accel, echo=sys.stdout)
    result = boot(args.kernel, args.initrd, args.append or DEFAULT_CMDLINE, args.timeout)
    print(f"\n[l1_payload] status {result.status}, to /init {result.to_init_s} s, whole run {result.wall_s:.2f} s")
    return 1 if result.timed_out else 0


if __name__ == "__main__":
    sys.exit(main())

"""l1_nestor: the L1 payload booted under nestor, as a launcher for l1_payload's checks and bench."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "tools"))

import nestor_run  # noqa: E402
from l1_payload import MARKER, BootResult  # noqa: E402

LAST_RUN = []   # the RunResult of the most recent boot, for extra assertions
# nestor's line once the VM is built, just before vCPU 0 runs ("vm: 2 vCPUs, 512 MiB of RAM,
# backend svm"); "[nestor] vm: " alone also matches the personality line at the start of the
# build, which put the RAM zeroing and the loaders into the "kernel only" times.
VM_START = " MiB of RAM, backend "


def nestor_boot(emulator="qemu", cpu=None, smp=2, mem_mb=512, options=(), accel="tcg",
                linux_tsc=False):
    """A l1_payload Boot callable: the kernel and initrd under nestor via tools/nestor-run.
    accel and linux_tsc as nestor_run.run (single-threaded TCG and the TSC frequency on the
    command line when L1 runs KVM guests)."""
    def boot(kernel, initrd, cmdline, timeout_s):
        r = nestor_run.run(emulator=emulator, cpu=cpu, smp=smp, mem=mem_mb, options=options,
                           kernel=str(kernel), initrd=str(initrd), append=cmdline,
                           timeout=timeout_s, markers=(MARKER, VM_START), accel=accel,
                           linux_tsc=linux_tsc)
        LAST_RUN[:] = [r]
        return BootResult(console=r.text, timed_out=r.timed_out, status=r.exit_code,
                          wall_s=r.elapsed, to_init_s=r.first_seen.get(MARKER))
    return boot

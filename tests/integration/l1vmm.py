"""l1vmm: run the test VMM's scenarios inside L1 Linux and read what each run reported.

One L1 boot runs any number of scenarios: /init's `l1.run=` word lists them ('+' between runs,
',opt=val' for l1vmm's options, tests/l1/init). For every run /init prints
`L1: l1vmm: run: ARGS` and `L1: l1vmm: exit=N`; in between come l1vmm's `L1VMM: ` lines, the
payload's `L2: ` lines and exactly one `L1VMM: result: NAME: WORD (DETAIL)` (docs/l1.md).
The launcher is any l1_payload launcher, so the same runs work with QEMU alone, Bochs or
nestor as L0.
"""
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

from l1_payload import (ANSI_ESCAPE, DEFAULT_CMDLINE, INITRAMFS, L1_DIR, VMLINUX, Boot,
                        BootResult, l1_lines)

INITRAMFS_L2LINUX = L1_DIR / "initramfs-l2linux.cpio.gz"
EXIT_STATUS = {"pass": 0, "fail": 1, "error": 2, "reproduced": 3}
RESULT = re.compile(r"^result: (?P<scenario>[\w-]+): (?P<word>pass|fail|error|reproduced) "
                    r"\((?P<detail>.*)\)$")
DEBUG_EXIT = re.compile(r"^payload wrote (0x[0-9a-f]+) to the debug-exit port$")
TIME = re.compile(r"^time: ([0-9.]+) s$")


@dataclass
class VmmRun:
    """One l1vmm invocation as the console shows it."""
    args: str
    vmm: List[str] = field(default_factory=list)   # text after "L1VMM: "
    l2: List[str] = field(default_factory=list)    # text after "L2: "
    exit_code: Optional[int] = None
    scenario: Optional[str] = None
    word: Optional[str] = None
    detail: str = ""
    debug_exit: Optional[int] = None
    seconds: Optional[float] = None
    results: int = 0                               # result lines seen (must be 1)

    @property
    def l2_text(self) -> str:
        return "\n".join(self.l2)

    def problems(self) -> List[str]:
        """What makes this run's own report inconsistent, whatever the outcome."""
        found = []
        if self.results != 1:
            found.append(f"{self.results} result lines")
        if self.exit_code is None:
            found.append("no exit status: /init never got past l1vmm")
        elif self.word and EXIT_STATUS[self.word] != self.exit_code:
            found.append(f"result {self.word} but exit status {self.exit_code}")
        return found


def _strip(line: str, marker: str) -> Optional[str]:
    at = line.find(marker)
    return line[at + len(marker):].rstrip() if at >= 0 else None


def parse_runs(console: str) -> List[VmmRun]:
    runs: List[VmmRun] = []
    current: Optional[VmmRun] = None
    for raw in ANSI_ESCAPE.sub("", console.replace("\r", "")).split("\n"):
        l1 = _strip(raw, "L1: ")
        if l1 is not None and l1.startswith("l1vmm: run:"):
            current = VmmRun(args=l1[len("l1vmm: run:"):].strip())
            runs.append(current)
            continue
        if l1 is not None and l1.startswith("l1vmm: exit=") and current:
            current.exit_code = int(l1[len("l1vmm: exit="):])
            current = None
            continue
        if current is None:
            continue
        vmm = _strip(raw, "L1VMM: ")
        if vmm is not None:
            current.vmm.append(vmm)
            if m := RESULT.match(vmm):
                current.results += 1
                current.scenario, current.word, current.detail = m.group("scenario", "word", "detail")
            elif m := DEBUG_EXIT.match(vmm):
                current.debug_exit = int(m.group(1), 16)
            elif m := TIME.match(vmm):
                current.seconds = float(m.group(1))
            continue
        l2 = _strip(raw, "L2: ")
        if l2 is not None:
            current.l2.append(l2)
    return runs


def run_word(scenario: str, options: Dict[str, object]) -> str:
    """One l1.run entry: SCENARIO,opt=val,..."""
    return ",".join([scenario] + [f"{k}={v}" for k, v in options.items()])


def run_scenarios(boot: Boot, runs: Sequence[Tuple[str, Dict[str, object]]], *,
                  kvm: Optional[str] = None, initrd: Path = INITRAMFS, timeout_s: float = 600.0,
                  extra: str = "") -> Tuple[BootResult, List[VmmRun]]:
    """Boots L1 once and runs each (scenario, options) in order; returns the boot and the runs."""
    words = [DEFAULT_CMDLINE, "l1.wait=0", "l1.run=" + "+".join(run_word(s, o) for s, o in runs)]
    if kvm:
        words.append(f"l1.kvm={kvm}")
    if extra:
        words.append(extra)
    result = boot(VMLINUX, initrd, " ".join(words), timeout_s)
    return result, parse_runs(result.console)


def console_tail(result: BootResult, lines: int = 30) -> str:
    return "\n".join(ANSI_ESCAPE.sub("", result.console.replace("\r", "")).splitlines()[-lines:])


__all__ = ["INITRAMFS_L2LINUX", "VmmRun", "console_tail", "l1_lines", "parse_runs",
           "run_scenarios", "run_word"]

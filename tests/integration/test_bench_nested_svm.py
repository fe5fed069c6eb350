"""make bench-nested's SVM side, bounded: the svm_bench L1 kernel under nestor on QEMU.

The kernel (tests/guests/svm_bench.c) VMRUNs an L2 that loops on CPUID, which it intercepts:
every iteration is one L2 exit nestor reflects to it. This checks the counts only, never the
timing: the loop ends with as many CPUID exits as asked, nestor's report counts at least as
many L2 exits and VMRUNs, and tools/bench-nested's parser still reads the report (its
breakdown adds up to nestor's total).
"""
import importlib.machinery
import importlib.util
import os
import re
import subprocess

import pytest

from conftest import ROOT, nestor_run, record_timing

LOOPS = 2000
TIMEOUT_S = 90
KERNEL = os.path.join(nestor_run.BUILD, "guests", "svm_bench.elf")
END = re.compile(r"SVM-BENCH end exits=(\d+) tsc=\d+ tsc_per_exit=\d+")


def bench_tool():
    """tools/bench-nested as a module (a script without .py)."""
    path = os.path.join(ROOT, "tools", "bench-nested")
    loader = importlib.machinery.SourceFileLoader("bench_nested", path)
    spec = importlib.util.spec_from_loader("bench_nested", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def kernel(nestor_efi):
    subprocess.run(["make", "-s", "-C", ROOT, KERNEL], check=True)
    return KERNEL


@pytest.mark.timeout(TIMEOUT_S + 60)
def test_svm_bench_loop_under_nestor(kernel):
    r = nestor_run.run(emulator="qemu", smp=1, mem=256, kernel=kernel,
                       options=("personality=kvm",), append="loops=%d" % LOOPS,
                       timeout=TIMEOUT_S, markers=("SVM-BENCH begin", "SVM-BENCH end"))
    record_timing("svm_bench loops=%d under nestor" % LOOPS, r.elapsed)
    assert r.status == nestor_run.STATUS_PASS, r.text
    m = END.search(r.text)
    assert m and int(m.group(1)) == LOOPS, r.text
    assert r.has("[svm_bench] PASS svm-bench-loop"), r.text

    c = bench_tool().svm_counts(r.text)
    assert c, "tools/bench-nested no longer reads nestor's nested SVM report:\n" + r.text
    # Each CPUID exit is an L2 exit nestor took and reflected; L2's final VMMCALL one more.
    assert c["l2_exits"] >= LOOPS, c
    assert c["reflected"] >= LOOPS + 1, c
    assert c["vmrun"] >= LOOPS + 1, c
    assert "cpuid=%d " % LOOPS in c["classes"], c
    assert c["other"] >= 0 and c["l2_taken"] >= c["l0"], c

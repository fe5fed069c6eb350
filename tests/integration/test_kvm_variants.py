"""test_kvm_variants: the KVM variants tools/build-kvm makes (mk/kvm.mk) and /init's l1.kvm=.

- the build is cached: a second run does nothing;
- every built module has Debian's vermagic and dependencies;
- each patch changes exactly the modules its files belong to: every other module of the
  variant is byte-identical to the unpatched build's (stock-built), so the build is
  reproducible and the patch, nothing else, makes the difference;
- under QEMU (SVM, single-threaded TCG: KVM creates a VM, docs/l1.md) each variant loads
  kvm and kvm_amd from its own files and runs kvmprobe's L2 guest;
- an unknown l1.kvm= ends the run with an error line naming the variants there are.
"""
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import record_timing
from l1_payload import (DEFAULT_CMDLINE, INITRAMFS, KVM_DIR, KVM_MODULES, L1_DIR, REPO, VMLINUX,
                        check_kvm_variant, check_l1_boot, direct_qemu, parse_console)

PATCHES = sorted(p[:-len(".patch")] for p in os.listdir(REPO / "tests" / "l1" / "kvm")
                 if p.endswith(".patch"))
VARIANTS = ["stock"] + PATCHES + ["stock-built"]
MODULES = ("kvm", "kvm-amd", "kvm-intel")


def variants_dir():
    release = (L1_DIR / "kernel-release").read_text().strip()
    return KVM_MODULES / "lib" / "modules" / release / "variants"


def modinfo(path, field):
    return subprocess.run(["modinfo", "-F", field, str(path)], check=True, capture_output=True,
                          text=True).stdout.strip()


def test_the_variants_are_built_and_cached():
    assert set(PATCHES) >= {"seed000-fixed", "seed002-fixed", "seed003-old"}
    assert {v.name for v in variants_dir().iterdir()} == set(VARIANTS)
    before = {p: p.stat().st_mtime_ns for p in variants_dir().rglob("*")}
    r = subprocess.run([str(REPO / "tools" / "build-kvm"), "--l1", str(L1_DIR), "--out",
                        str(KVM_DIR), *VARIANTS], cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "build-kvm: up to date: " + " ".join(VARIANTS) in r.stdout, r.stdout
    assert {p: p.stat().st_mtime_ns for p in variants_dir().rglob("*")} == before


@pytest.mark.parametrize("variant", PATCHES + ["stock-built"])
def test_built_modules_match_debians(variant):
    stock = L1_DIR / "modules" / "lib" / "modules" / (L1_DIR / "kernel-release").read_text().strip()
    for name in MODULES:
        ours = variants_dir() / variant / (name + ".ko")
        theirs = stock / "kernel" / "arch" / "x86" / "kvm" / (name + ".ko")
        for field in ("vermagic", "depends"):
            assert modinfo(ours, field) == modinfo(theirs, field), (variant, name, field)
        # Debug info stripped (the unstripped build is 2 to 8 times larger), not signed.
        assert not modinfo(ours, "signer")
        assert ours.stat().st_size < 1.5 * theirs.stat().st_size, (variant, name)


def touched_modules(patch):
    """The modules whose sources a patch touches: vmx/ is kvm-intel's, svm/ kvm-amd's, the
    rest of arch/x86/kvm and virt/kvm is kvm's."""
    touched = set()
    for line in (REPO / "tests" / "l1" / "kvm" / (patch + ".patch")).read_text().splitlines():
        if line.startswith("+++ b/"):
            path = line[len("+++ b/"):].strip()
            touched.add("kvm-intel" if "/vmx/" in path else "kvm-amd" if "/svm/" in path else "kvm")
    assert touched, f"{patch}.patch touches no file"
    return touched


@pytest.mark.parametrize("variant", PATCHES)
def test_a_patch_changes_only_its_modules(variant):
    touched = touched_modules(variant)
    for name in MODULES:
        ours = (variants_dir() / variant / (name + ".ko")).read_bytes()
        control = (variants_dir() / "stock-built" / (name + ".ko")).read_bytes()
        if name in touched:
            assert ours != control, f"{variant}: {name}.ko is the unpatched build's"
        else:
            assert ours == control, f"{variant}: {name}.ko differs from the unpatched build's"


@pytest.fixture(scope="module")
def qemu_runs():
    """Every variant booted once under QEMU (two at a time), and one unknown variant."""
    boot = direct_qemu(accel="tcg,thread=single")

    def run(variant):
        return variant, boot(VMLINUX, INITRAMFS, DEFAULT_CMDLINE + " l1.kvm=" + variant, 180.0)

    with ThreadPoolExecutor(2) as pool:
        return dict(pool.map(run, VARIANTS + ["no-such-variant"]))


@pytest.mark.parametrize("variant", VARIANTS)
def test_each_variant_loads_under_qemu(variant, qemu_runs):
    result = qemu_runs[variant]
    record_timing("L1 with kvm variant %s (qemu-direct, single-threaded TCG)" % variant,
                  result.wall_s)
    report = check_l1_boot(lambda *args: result, cpus=2, expect_svm=True)
    check_kvm_variant(report, variant, ("kvm", "kvm_amd"))
    assert report.end == "done (exit=poweroff)", report.end


def test_an_unknown_variant_ends_the_run(qemu_runs):
    result = qemu_runs["no-such-variant"]
    report = parse_console(result.console)
    assert not result.timed_out
    assert report.kvm_variant_error, result.console[-2000:]
    assert report.kvm_variant_error.startswith("unknown variant 'no-such-variant' (available: ")
    for variant in VARIANTS:
        assert variant in report.kvm_variant_error.split("available: ")[1].rstrip(")").split()
    assert report.end == "error: unknown kvm variant (exit=poweroff)", report.end
    assert not report.modules and not report.done

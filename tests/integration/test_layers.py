"""test_layers: no #include runs up the layer order of mk/layers.txt (tools/check-layers)."""
import os
import shutil
import subprocess
import tempfile

from conftest import ROOT

TOOL = os.path.join(ROOT, "tools", "check-layers")


def run_check(root):
    return subprocess.run([TOOL, "--root", root], capture_output=True, text=True)


def test_tree_has_no_back_edges():
    r = run_check(ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 problem(s)" in r.stdout


def copy_sources(dst):
    """A throwaway git tree holding the layered sources and the layer list."""
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split()
    for f in files:
        if f.endswith((".c", ".h", ".asm", ".inc", ".txt")) and os.path.isfile(os.path.join(ROOT, f)):
            os.makedirs(os.path.join(dst, os.path.dirname(f)), exist_ok=True)
            shutil.copy(os.path.join(ROOT, f), os.path.join(dst, f))
    subprocess.run(["git", "init", "-q"], cwd=dst, check=True)


def test_a_back_edge_is_reported_with_both_layers():
    with tempfile.TemporaryDirectory() as d:
        copy_sources(d)
        with open(os.path.join(d, "lib", "string.h"), "a") as f:
            f.write('#include "vm/vm.h"\n')
        r = run_check(d)
        assert r.returncode == 1
        assert 'lib/string.h' in r.stdout and 'layer lib includes "vm/vm.h" of layer vm' in r.stdout


def test_a_file_outside_every_layer_and_a_missing_include_are_reported():
    with tempfile.TemporaryDirectory() as d:
        copy_sources(d)
        os.makedirs(os.path.join(d, "core", "x"), exist_ok=True)
        with open(os.path.join(d, "core", "x", "ok.c"), "w") as f:
            f.write('#include "lib/nonexistent.h"\n')
        with open(os.path.join(d, "mk", "layers.txt"), "a") as f:
            f.write("extra  extra/\n")
        os.makedirs(os.path.join(d, "extra"))
        r = run_check(d)
        assert r.returncode == 1
        assert '"lib/nonexistent.h", which does not exist' in r.stdout

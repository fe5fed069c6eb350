"""test_personalities_doc: docs/personalities.md shows what the personality and MSR tables say.

tools/gen-personalities prints the tables from vm/personality.c and vm/msr_table.c; the
committed document must hold exactly that (make personalities-doc rewrites it).
"""
import os
import subprocess

from conftest import ROOT

GEN = os.path.join(ROOT, "build", "tools", "gen-personalities")
DOC = os.path.join(ROOT, "docs", "personalities.md")
TOOL = os.path.join(ROOT, "tools", "personalities-doc")


def test_doc_matches_the_tables():
    assert os.path.isfile(GEN), "build/tools/gen-personalities is missing: make check builds it"
    r = subprocess.run([TOOL, "--check", GEN, DOC], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_stale_doc_is_caught(tmp_path):
    doc = tmp_path / "personalities.md"
    with open(DOC) as f:
        text = f.read()
    doc.write_text(text.replace("| kvm | 2 |", "| kvm | 3 |"))
    r = subprocess.run([TOOL, "--check", GEN, str(doc)], capture_output=True, text=True)
    assert r.returncode == 1 and "is stale" in r.stdout, r.stdout + r.stderr
    subprocess.run([TOOL, GEN, str(doc)], check=True)
    assert doc.read_text() == text


def test_every_personality_is_listed():
    out = subprocess.run([GEN], capture_output=True, text=True, check=True).stdout
    for name in ("none", "native", "kvm", "hyperv"):
        assert "\n| %s |" % name in out
    assert "C001" in out.upper() and "IA32_MISC_ENABLE" in out

"""conftest: shared fixtures for the integration tier (nestor under QEMU and Bochs)."""
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))

import nestor_run  # noqa: E402

# (label, seconds) pairs that the terminal summary prints: timings are reported, never asserted.
TIMINGS = []


def record_timing(label, seconds):
    TIMINGS.append((label, seconds))


@pytest.fixture(scope="session")
def nestor_efi():
    if not os.path.isfile(nestor_run.NESTOR_EFI):
        pytest.fail("build/nestor.efi is missing: the integration tier runs after `make`")
    return nestor_run.NESTOR_EFI


def pytest_terminal_summary(terminalreporter):
    if not TIMINGS:
        return
    terminalreporter.section("wall times (measured, not asserted)")
    for label, seconds in TIMINGS:
        terminalreporter.write_line("%-60s %7.1f s" % (label, seconds))

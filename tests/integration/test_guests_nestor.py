"""test_guests_nestor: every test guest as nestor's L1 on SVM (QEMU TCG, 2 vCPUs), strictly judged.

The same guests and the same judging code as the bare-QEMU reference tier (guestlib),
with the NESTOR profile: every check must pass, nothing may be skipped, and the bad guests
must end the way docs/guests.md says while nestor stays up and reports.
"""
import pytest

from conftest import check_nestor_outcome, nestor_launcher
from guestlib import GUESTS, NESTOR, check_guest


@pytest.mark.parametrize("name", sorted(GUESTS))
def test_guest_under_nestor_svm(name, nestor_efi):
    results = []
    check_guest(GUESTS[name], NESTOR, nestor_launcher(results=results))
    check_nestor_outcome(results[0], name, 2, "triple fault (SVM SHUTDOWN)")

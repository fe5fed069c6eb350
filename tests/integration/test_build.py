"""test_build: the image is reproducible: the same sources give the same bytes."""
import hashlib
import os
import subprocess
import tempfile

from conftest import ROOT, nestor_run


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def test_second_build_in_another_directory_is_identical(nestor_efi):
    with tempfile.TemporaryDirectory(dir=os.path.join(ROOT, "build")) as other:
        subprocess.run(["make", "-s", "BUILD=" + other, os.path.join(other, "nestor.efi")],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        assert sha256(os.path.join(other, "nestor.efi")) == sha256(nestor_efi)


def test_image_is_a_pe_efi_application(nestor_efi):
    with open(nestor_efi, "rb") as f:
        data = f.read()
    assert data[:2] == b"MZ"
    pe = int.from_bytes(data[0x3C:0x40], "little")
    assert data[pe:pe + 4] == b"PE\0\0"
    machine = int.from_bytes(data[pe + 4:pe + 6], "little")
    assert machine == 0x8664                                 # x86-64
    subsystem = int.from_bytes(data[pe + 24 + 68:pe + 24 + 70], "little")
    assert subsystem == 10                                   # EFI application
    # QEMU refuses PE images under about 8 KiB for -kernel (emulators.md)
    assert len(data) > 8192

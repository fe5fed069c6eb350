# boot/: the EFI entry: load options, boot-volume files, ExitBootServices, then arch takes over.
NESTOR_C += boot/efi_main.c boot/efi_util.c boot/efi_files.c

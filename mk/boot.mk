# boot/: the EFI entry, option parsing, taking the machine from the firmware.
NESTOR_C += boot/options.c

UNIT_TESTS += test_options
UNIT_SRCS_test_options := boot/options.c core/format.c core/log.c
NESTOR_C += boot/efi_main.c boot/efi_util.c boot/efi_files.c

# devices/firmware/ and devices/loaders/: the guest's firmware tables and payload loaders.
FIRMWARE_C := devices/firmware/acpi_sdt.c devices/firmware/acpi_fadt.c \
	devices/firmware/acpi_madt.c devices/firmware/acpi_dsdt.c devices/firmware/acpi_build.c \
	devices/firmware/e820.c
NESTOR_C += $(FIRMWARE_C)

LOG_C := core/format.c core/log.c core/guest_mem.c

UNIT_TESTS += test_acpi_build test_acpi_build_iasl test_e820
UNIT_SRCS_test_acpi_build := $(FIRMWARE_C) $(LOG_C)
UNIT_SRCS_test_acpi_build_iasl := $(FIRMWARE_C) $(LOG_C)
UNIT_CFLAGS_test_acpi_build_iasl := -DACPI_IASL_DIR='"$(BUILD)/unit/acpi_iasl"'
UNIT_SRCS_test_e820 := devices/firmware/e820.c $(LOG_C)

# devices/firmware/ and devices/loaders/: the guest's firmware tables and payload loaders.
FIRMWARE_C := devices/firmware/acpi_sdt.c devices/firmware/acpi_fadt.c \
	devices/firmware/acpi_madt.c devices/firmware/acpi_dsdt.c devices/firmware/acpi_build.c \
	devices/firmware/e820.c
LOADERS_C := devices/loaders/loader.c devices/loaders/loader_status.c devices/loaders/elf.c \
	devices/loaders/elf_note.c devices/loaders/image.c devices/loaders/pvh.c \
	devices/loaders/multiboot_kernel.c devices/loaders/multiboot.c devices/loaders/bzimage.c \
	devices/loaders/identity_map.c
NESTOR_C += $(FIRMWARE_C) $(LOADERS_C)

LOG_C := core/format.c core/log.c core/guest_mem.c

UNIT_TESTS += test_acpi_build test_acpi_build_iasl test_e820
UNIT_SRCS_test_acpi_build := $(FIRMWARE_C) $(LOG_C)
UNIT_SRCS_test_acpi_build_iasl := $(FIRMWARE_C) $(LOG_C)
UNIT_CFLAGS_test_acpi_build_iasl := -DACPI_IASL_DIR='"$(BUILD)/unit/acpi_iasl"'
UNIT_SRCS_test_e820 := devices/firmware/e820.c $(LOG_C)

# mk/efi.mk expands NESTOR_OBJS in its rules when make reads it, and fragments are read
# in name order, so objects added here would be missing from `objs` and from the link
# prerequisites: name them there explicitly, with their header dependencies.
FIRMWARE_LOADERS_OBJS := $(FIRMWARE_C:%.c=$(BUILD)/obj/%.o) $(LOADERS_C:%.c=$(BUILD)/obj/%.o)
objs $(BUILD)/nestor.pass1.so $(BUILD)/nestor.so: $(FIRMWARE_LOADERS_OBJS)
-include $(FIRMWARE_LOADERS_OBJS:.o=.d)

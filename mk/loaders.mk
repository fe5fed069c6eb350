# devices/firmware/ and devices/loaders/: the guest's firmware tables and payload loaders.
FIRMWARE_C := devices/firmware/acpi_sdt.c devices/firmware/acpi_fadt.c \
	devices/firmware/acpi_madt.c devices/firmware/acpi_dsdt.c devices/firmware/acpi_build.c \
	devices/firmware/e820.c
LOADERS_C := devices/loaders/loader.c devices/loaders/loader_status.c devices/loaders/elf.c \
	devices/loaders/elf_note.c devices/loaders/image.c devices/loaders/pvh.c \
	devices/loaders/multiboot_kernel.c devices/loaders/multiboot.c devices/loaders/bzimage.c \
	devices/loaders/identity_map.c
NESTOR_C += $(FIRMWARE_C) $(LOADERS_C)

LOG_C := lib/format.c lib/log.c lib/guest_mem.c
FIXTURE_DIR := $(BUILD)/unit/loaders

UNIT_TESTS += test_acpi_build test_acpi_build_iasl test_e820
UNIT_SRCS_test_acpi_build := $(FIRMWARE_C) $(LOG_C)
UNIT_SRCS_test_acpi_build_iasl := $(FIRMWARE_C) $(LOG_C)
UNIT_CFLAGS_test_acpi_build_iasl := -DACPI_IASL_DIR='"$(BUILD)/unit/acpi_iasl"'
UNIT_SRCS_test_e820 := devices/firmware/e820.c $(LOG_C)

# The loader tests feed hostile files: AddressSanitizer turns any out-of-bounds read of
# a file buffer into a failure, UBSan any overflowing shift or misaligned access.
LOADER_TEST_CFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-DLOADER_FIXTURE_DIR='"$(FIXTURE_DIR)"'
LOADER_TESTS := test_loader_elf test_loader_pvh test_loader_multiboot test_loader_bzimage \
	test_loader_dispatch test_loader_multiboot_qemu test_loader_linux_qemu
UNIT_TESTS += $(LOADER_TESTS)
$(foreach t,$(LOADER_TESTS),$(eval UNIT_SRCS_$(t) := $$(FIRMWARE_C) $$(LOADERS_C) $$(LOG_C)))
$(foreach t,$(LOADER_TESTS),$(eval UNIT_CFLAGS_$(t) := $$(LOADER_TEST_CFLAGS)))


# Loader test fixtures, built from tests/unit/loaders/ with the host toolchain.
FIXTURE_SRC := tests/unit/loaders
LOADER_FIXTURES := $(addprefix $(FIXTURE_DIR)/,pvh64.elf pvh64_quad.elf mb32.elf mb_aout.bin \
	mb64.elf mb64_elf32.elf mbdump.elf replay.elf)
FIXTURE_LD := ld -nostdlib -z noexecstack --no-warn-rwx-segments

$(FIXTURE_DIR)/pvh64.o: $(FIXTURE_SRC)/pvh64.S
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) -c -m64 $< -o $@
$(FIXTURE_DIR)/pvh64_quad.o: $(FIXTURE_SRC)/pvh64.S
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) -c -m64 -DPVH_ENTRY_QUAD $< -o $@
$(FIXTURE_DIR)/mb32.o $(FIXTURE_DIR)/mb_aout.o $(FIXTURE_DIR)/mbdump.o $(FIXTURE_DIR)/replay.o: \
		$(FIXTURE_DIR)/%.o: $(FIXTURE_SRC)/%.S
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) -c -m32 $< -o $@
$(FIXTURE_DIR)/mb64.o: $(FIXTURE_SRC)/mb64.S
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) -c -m64 $< -o $@

# The PVH fixtures carry a GNU build-id note ahead of the Xen note in their PT_NOTE.
$(FIXTURE_DIR)/pvh64.elf $(FIXTURE_DIR)/pvh64_quad.elf: $(FIXTURE_DIR)/%.elf: $(FIXTURE_DIR)/%.o $(FIXTURE_SRC)/pvh64.ld
	@echo "  FIXTURE $@"
	$(Q)$(FIXTURE_LD) -m elf_x86_64 --build-id=sha1 -T $(FIXTURE_SRC)/pvh64.ld $< -o $@
$(FIXTURE_DIR)/mb32.elf $(FIXTURE_DIR)/mbdump.elf: $(FIXTURE_DIR)/%.elf: $(FIXTURE_DIR)/%.o $(FIXTURE_SRC)/mb32.ld
	@echo "  FIXTURE $@"
	$(Q)$(FIXTURE_LD) -m elf_i386 --build-id=none -T $(FIXTURE_SRC)/mb32.ld $< -o $@
$(FIXTURE_DIR)/replay.elf: $(FIXTURE_DIR)/replay.o $(FIXTURE_SRC)/replay.ld
	@echo "  FIXTURE $@"
	$(Q)$(FIXTURE_LD) -m elf_i386 --build-id=none -T $(FIXTURE_SRC)/replay.ld $< -o $@
$(FIXTURE_DIR)/mb_aout.bin: $(FIXTURE_DIR)/mb_aout.o $(FIXTURE_SRC)/mb_aout.ld
	@echo "  FIXTURE $@"
	$(Q)$(FIXTURE_LD) -m elf_i386 --build-id=none -T $(FIXTURE_SRC)/mb_aout.ld $< -o $@.elf
	$(Q)objcopy -O binary $@.elf $@
$(FIXTURE_DIR)/mb64.elf: $(FIXTURE_DIR)/mb64.o $(FIXTURE_SRC)/mb64.ld
	@echo "  FIXTURE $@"
	$(Q)$(FIXTURE_LD) -m elf_x86_64 --build-id=none -T $(FIXTURE_SRC)/mb64.ld $< -o $@
# kvm-unit-tests: x86_64 tests are linked as ELF64 and shipped as an elf32-i386 copy.
$(FIXTURE_DIR)/mb64_elf32.elf: $(FIXTURE_DIR)/mb64.elf
	@echo "  FIXTURE $@"
	$(Q)objcopy -O elf32-i386 $< $@

.PHONY: loader-fixtures
loader-fixtures: $(LOADER_FIXTURES)
$(LOADER_TESTS:%=$(BUILD)/unit/%): $(LOADER_FIXTURES)

# fuzz_loader (mk/fuzz.mk) takes the fixture kernels as seeds.
$(FUZZ_DIR)/seeds/fuzz_loader/.stamp: $(LOADER_FIXTURES)
	@mkdir -p $(@D)
	$(Q)cp $(LOADER_FIXTURES) $(@D)/ && touch $@

# Test guests: freestanding multiboot v1 kernels under tests/guests/, one per test file.
#
# Each guest is compiled as 64-bit code, linked as elf_x86_64 at 1 MiB, then rewrapped as
# an ELF32 container (QEMU's multiboot loader refuses ELF64; kvm-unit-tests does the same).
# Outputs: build/guests/<name>.elf. docs/guests.md shows how to boot one on bare QEMU.
#   make guests        build every guest
#   make guests-check  build them and run the bare-QEMU reference tier (pytest)

GUEST_NAMES := cpuid portio msr xapic x2apic lapic_timer ipi ioapic pic_extint tpr nmi \
	intr_shadow inject_once singlestep archrules stop_kick ram_zero level_hold exc_loop ac_loop \
	personality cpu_model lowmem \
	wild_access triple_fault seed000 stress

# lowmem is loaded below 1 MiB (docs/guests.md): clear of QEMU's multiboot information
# (0x9000-0x9558) and of the AP trampoline (0x8000), as real-mode test kernels are.
GUEST_LDFLAGS_lowmem := --defsym=guest_base=0x10000

GUEST_DIR    := tests/guests
GUEST_OUT    := $(BUILD)/guests
GUEST_LIB_C  := $(wildcard $(GUEST_DIR)/lib/*.c) lib/format.c lib/string.c drivers/pit_calibrate.c
GUEST_LIB_S  := $(wildcard $(GUEST_DIR)/lib/*.S)
GUEST_LIB_OBJS := $(GUEST_LIB_C:%.c=$(GUEST_OUT)/obj/%.o) $(GUEST_LIB_S:%.S=$(GUEST_OUT)/obj/%.o)
GUEST_ELFS   := $(GUEST_NAMES:%=$(GUEST_OUT)/%.elf)

# Non-PIC code at fixed addresses below 2 GiB (small code model). -mno-red-zone: interrupts
# push onto the interrupted stack. -mgeneral-regs-only: no SSE state to set up.
GUEST_CFLAGS := -m64 -std=gnu11 -O2 -g -ffreestanding -nostdlib -fno-builtin -fno-pic -fno-pie \
  -mno-red-zone -mgeneral-regs-only -mcmodel=small -fno-stack-protector \
  -fno-asynchronous-unwind-tables -fno-omit-frame-pointer -fcf-protection=none \
  -ffile-prefix-map=$(CURDIR)=. \
  -Wall -Wextra -Werror -Wundef -Wstrict-prototypes -Wno-unused-parameter \
  -I. -I$(GUEST_DIR)/lib -MMD -MP
GUEST_LDFLAGS := -m elf_x86_64 -nostdlib -static -no-pie -z max-page-size=0x1000 \
  -z noexecstack --no-warn-rwx-segments -T $(GUEST_DIR)/lib/link.ld

$(GUEST_OUT)/obj/%.o: %.c | deps
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OUT)/obj/%.o: %.S | deps
	@mkdir -p $(@D)
	$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OUT)/%.elf64: $(GUEST_OUT)/obj/$(GUEST_DIR)/%.o $(GUEST_LIB_OBJS) $(GUEST_DIR)/lib/link.ld
	ld $(GUEST_LDFLAGS_$*) $(GUEST_LDFLAGS) -o $@ $(filter %.o,$^)

$(GUEST_OUT)/%.elf: $(GUEST_OUT)/%.elf64
	$(OBJCOPY) -O elf32-i386 $< $@

# ac_loop's 32-bit protected-mode part is assembly of its own, linked in beside the C file.
$(GUEST_OUT)/ac_loop.elf64: $(GUEST_OUT)/obj/$(GUEST_DIR)/ac_loop32.o

.PRECIOUS: $(GUEST_OUT)/%.elf64 $(GUEST_OUT)/obj/%.o
-include $(GUEST_OUT)/obj/$(GUEST_DIR)/*.d $(GUEST_OUT)/obj/$(GUEST_DIR)/lib/*.d \
	$(GUEST_OUT)/obj/lib/*.d $(GUEST_OUT)/obj/drivers/*.d

.PHONY: guests guests-check
guests: $(GUEST_ELFS)

guests-check: $(GUEST_ELFS) | deps
	$(PYTHON) -m pytest tests/integration/test_guests_reference.py $(PYTEST_ARGS)

CHECK_PREREQS += $(GUEST_ELFS)

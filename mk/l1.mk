# mk/l1.mk: the L1 Linux payload: Debian's stock kernel and a busybox initramfs (docs/l1.md).
#
#   make l1                   vmlinux + initramfs under build/l1/ (nothing to do when up to date)
#   make l1-refetch           ask apt again which kernel linux-image-amd64 means now
#   make bench-l1-baseline    time the direct-QEMU boot (-smp 2) to the first /init line

L1_DIR       := $(BUILD)/l1
L1_VMLINUX   := $(L1_DIR)/vmlinux
L1_INITRAMFS := $(L1_DIR)/initramfs.cpio.gz
L1_PROGRAMS  := $(L1_DIR)/bin/kvmprobe
L1_CFLAGS    := -std=gnu11 -O2 -static -Wall -Wextra -Werror -ffile-prefix-map=$(CURDIR)=. -MMD -MP
BENCH_L1_RUNS ?= 3

# fetch-kernel leaves vmlinux alone when it is already current; the touch records that this
# version of the script has checked it, so the next make does nothing.
$(L1_VMLINUX): tools/fetch-kernel | deps
	./tools/fetch-kernel --out $(L1_DIR)
	@touch $@

$(L1_PROGRAMS): $(L1_DIR)/bin/%: tests/l1/%.c | deps
	@mkdir -p $(@D)
	$(HOSTCC) $(L1_CFLAGS) -o $@ $<

-include $(L1_PROGRAMS:=.d)

# ---- l1vmm: the test VMM in L1 (tests/l1/vmm/, docs/l1.md) ------------------------------------
# nestor's own pure code, compiled for Linux user space: the loaders and ACPI tables, the
# platform's device models, and the vIOAPIC/vPIC the split irqchip runs in the VMM.
L1VMM          := $(L1_DIR)/bin/l1vmm
L1VMM_OWN      := $(sort $(wildcard tests/l1/vmm/*.c))
L1VMM_NESTOR    = lib/format.c lib/log.c lib/guest_mem.c lib/io_bus.c $(DEVICES_HELPERS) \
		  $(DEVICES_MODELS) $(DEVICES_PLATFORM) $(FIRMWARE_C) $(LOADERS_C) \
		  apic/vioapic.c apic/vioapic_pin.c apic/vpic.c apic/vpic_io.c
L1VMM_OBJS      = $(patsubst %.c,$(L1_DIR)/obj/%.o,$(L1VMM_OWN) $(L1VMM_NESTOR))
L1VMM_CFLAGS   := -std=gnu11 -O2 -g -Wall -Wextra -Werror -I. -Itests/l1/vmm -pthread \
		  -ffile-prefix-map=$(CURDIR)=. -MMD -MP

$(L1_DIR)/obj/%.o: %.c | deps
	@mkdir -p $(@D)
	$(HOSTCC) $(L1VMM_CFLAGS) -c $< -o $@

# FIRMWARE_C and LOADERS_C come from mk/loaders.mk, read after this file: the object list
# is expanded a second time, when make runs.
.SECONDEXPANSION:
$(L1VMM): $$(L1VMM_OBJS)
	@mkdir -p $(@D)
	$(HOSTCC) -static -pthread -o $@ $^

-include $(wildcard $(L1_DIR)/obj/*/*.d $(L1_DIR)/obj/*/*/*.d $(L1_DIR)/obj/tests/l1/vmm/*.d)

# ---- L2 payloads: the seed scenarios, on the test guests' library (tests/l1/payloads/) ---------
L2_PAYLOAD_NAMES := seed002 seed003
L2_PAYLOAD_ELFS  := $(L2_PAYLOAD_NAMES:%=$(GUEST_OUT)/%.elf)
$(L2_PAYLOAD_ELFS:.elf=.elf64): $(GUEST_OUT)/%.elf64: $(GUEST_OUT)/obj/tests/l1/payloads/%.o \
		$(GUEST_LIB_OBJS) $(GUEST_DIR)/lib/link.ld
	ld $(GUEST_LDFLAGS) -o $@ $(filter %.o,$^)
-include $(GUEST_OUT)/obj/tests/l1/payloads/*.d

# Every scenario's payload (tests/l1/vmm/scenarios.c) under /payloads, Linux's aside.
L1_PAYLOADS  := $(GUEST_ELFS) $(L2_PAYLOAD_ELFS)
L2_INITRAMFS := $(L1_DIR)/l2-initramfs.cpio.gz
L1_INITRAMFS_L2LINUX := $(L1_DIR)/initramfs-l2linux.cpio.gz

$(L2_INITRAMFS): tools/mkinitramfs tests/l1/l2-init
	./tools/mkinitramfs --init tests/l1/l2-init --modules none -o $@

# The modules come with the kernel, so the initramfs is rebuilt whenever vmlinux is; the KVM
# variants (mk/kvm.mk) sit beside Debian's modules.
L1_INITRAMFS_ARGS = --init tests/l1/init --modules $(L1_DIR)/modules --modules $(KVM_MODULES) \
	$(addprefix --program ,$(L1_PROGRAMS) $(L1VMM)) \
	$(foreach p,$(L1_PAYLOADS),--file $(p):payloads/$(notdir $(p)))
# payloads.list names them, for the reproducibility test (build/guests holds other kernels too).
$(L1_INITRAMFS): tools/mkinitramfs tests/l1/init $(L1_PROGRAMS) $(L1VMM) $(L1_PAYLOADS) $(L1_VMLINUX) \
		$(KVM_STAMP)
	./tools/mkinitramfs $(L1_INITRAMFS_ARGS) -o $@
	@printf '%s\n' $(L1_PAYLOADS) > $(L1_DIR)/payloads.list

# The same and Linux as L2: the L1 kernel itself (PVH) with its tiny initramfs (66 MB more).
$(L1_INITRAMFS_L2LINUX): $(L1_INITRAMFS) $(L2_INITRAMFS)
	./tools/mkinitramfs $(L1_INITRAMFS_ARGS) --file $(L1_VMLINUX):payloads/vmlinux \
	  --file $(L2_INITRAMFS):payloads/l2-initramfs.cpio.gz -o $@

CHECK_PREREQS += $(L1_VMLINUX) $(L1_INITRAMFS) $(L1_INITRAMFS_L2LINUX)

.PHONY: l1 l1-refetch bench-l1-baseline
l1: $(L1_VMLINUX) $(L1_INITRAMFS) $(L1_INITRAMFS_L2LINUX)

l1-refetch: | deps
	./tools/fetch-kernel --out $(L1_DIR)
	$(MAKE) l1

bench-l1-baseline: l1
	$(PYTHON) tests/integration/l1_payload.py bench --runs $(BENCH_L1_RUNS) --smp 2

# Every seed case on the emulators alone and under nestor (tools/seeds): one line per case,
# non-zero on any unexpected outcome.
.PHONY: seeds
seeds: l1 | deps
	$(PYTHON) tools/seeds $(SEEDS_ARGS)

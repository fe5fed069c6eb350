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

# The modules come with the kernel, so the initramfs is rebuilt whenever vmlinux is; the KVM
# variants (mk/kvm.mk) sit beside Debian's modules.
$(L1_INITRAMFS): tools/mkinitramfs tests/l1/init $(L1_PROGRAMS) $(L1_VMLINUX) $(KVM_STAMP)
	./tools/mkinitramfs --init tests/l1/init --modules $(L1_DIR)/modules \
	  --modules $(KVM_MODULES) $(addprefix --program ,$(L1_PROGRAMS)) -o $@

CHECK_PREREQS += $(L1_VMLINUX) $(L1_INITRAMFS)

.PHONY: l1 l1-refetch bench-l1-baseline
l1: $(L1_VMLINUX) $(L1_INITRAMFS)

l1-refetch: | deps
	./tools/fetch-kernel --out $(L1_DIR)
	$(MAKE) l1

bench-l1-baseline: l1
	$(PYTHON) tests/integration/l1_payload.py bench --runs $(BENCH_L1_RUNS) --smp 2

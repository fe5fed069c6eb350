# mk/kvm.mk: KVM of the L1 kernel's exact release, built from Debian's source in variants (docs/l1.md).
#
#   make kvm-variants     build/kvm/modules/lib/modules/RELEASE/variants/NAME/ for every variant
#                         (nothing to do when up to date; tools/build-kvm keeps its own cache)
#
# Variants: stock (Debian's modules), one per tests/l1/kvm/NAME.patch, and stock-built (the
# unpatched source built the same way, a control). mk/l1.mk packs them into the initramfs.

KVM_DIR      := $(BUILD)/kvm
KVM_PATCHES  := $(sort $(wildcard tests/l1/kvm/*.patch))
KVM_VARIANTS := stock $(basename $(notdir $(KVM_PATCHES))) stock-built
KVM_MODULES  := $(KVM_DIR)/modules
KVM_STAMP    := $(KVM_DIR)/variants.stamp

# The variants follow the kernel fetch-kernel chose (mk/l1.mk, included after this file, names
# the same $(BUILD)/l1/vmlinux as L1_VMLINUX). The stamp also records the variant list, so
# adding or removing a patch rebuilds the tree.
$(KVM_STAMP): tools/build-kvm $(KVM_PATCHES) $(BUILD)/l1/vmlinux | deps
	./tools/build-kvm --l1 $(BUILD)/l1 --out $(KVM_DIR) --prune $(KVM_VARIANTS)
	@echo "$(KVM_VARIANTS)" > $@

ifneq ($(shell cat $(KVM_STAMP) 2>/dev/null),$(strip $(KVM_VARIANTS)))
.PHONY: $(KVM_STAMP)
endif

.PHONY: kvm-variants
kvm-variants: $(KVM_STAMP)

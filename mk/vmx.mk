# arch/x86/vmx/: the Intel VMX backend (VMCS, EPT, exits, TPR shadow).
VMX_PURE := arch/x86/vmx/vmx_controls.c arch/x86/vmx/vmx_tpr_check.c
NESTOR_C += $(VMX_PURE) arch/x86/vmx/vmx_cpu.c arch/x86/vmx/vmx_vm.c arch/x86/vmx/vmx_vmcs.c \
	arch/x86/vmx/vmx_guest_state.c arch/x86/vmx/vmx_run.c arch/x86/vmx/vmx_exits.c \
	arch/x86/vmx/vmx_exit_names.c arch/x86/vmx/vmx_emul.c arch/x86/vmx/vmx_cr.c arch/x86/vmx/vmx_msr.c \
	arch/x86/vmx/vmx_mmio.c arch/x86/vmx/vmx_string_io.c arch/x86/vmx/vmx_xsetbv.c arch/x86/vmx/vmx_tpr.c \
	arch/x86/vmx/vmx_fail.c
NESTOR_ASM += arch/x86/vmx/vmx_entry.asm

# `make nestor-seed000-old`: build/nestor-seed000-old.efi, nestor with the seed-000 fix taken
# out (APIC_SEED000_OLD_BEHAVIOUR: a PPR change that finds nothing deliverable leaves
# TPR_THRESHOLD alone), from its own object tree. Under Bochs the seed000 guest makes that
# build fail a VM entry with error 7 (tests/integration/test_seed000_bochs.py).
SEED000_OLD_BUILD := $(BUILD)/seed000-old
.PHONY: nestor-seed000-old
nestor-seed000-old: | deps
	@$(MAKE) --no-print-directory BUILD=$(SEED000_OLD_BUILD) \
	  NESTOR_CFLAGS='$(NESTOR_CFLAGS) -DAPIC_SEED000_OLD_BEHAVIOUR' $(SEED000_OLD_BUILD)/nestor.efi
	@cp $(SEED000_OLD_BUILD)/nestor.efi $(BUILD)/nestor-seed000-old.efi
	@echo "built $(BUILD)/nestor-seed000-old.efi (seed-000 fix disabled)"

CHECK_PREREQS += nestor-seed000-old

UNIT_TESTS += test_vmx
UNIT_SRCS_test_vmx := $(VMX_PURE) lib/format.c lib/log.c

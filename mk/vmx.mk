# arch/x86/vmx/: the Intel VMX backend (VMCS, EPT, exits, TPR shadow).
VMX_PURE := arch/x86/vmx/vmx_controls.c arch/x86/vmx/vmx_tpr_check.c
NESTOR_C += $(VMX_PURE) arch/x86/vmx/vmx_cpu.c arch/x86/vmx/vmx_vm.c arch/x86/vmx/vmx_vmcs.c \
	arch/x86/vmx/vmx_guest_state.c arch/x86/vmx/vmx_run.c arch/x86/vmx/vmx_exits.c \
	arch/x86/vmx/vmx_exit_names.c arch/x86/vmx/vmx_emul.c arch/x86/vmx/vmx_cr.c \
	arch/x86/vmx/vmx_mmio.c arch/x86/vmx/vmx_xsetbv.c arch/x86/vmx/vmx_tpr.c \
	arch/x86/vmx/vmx_fail.c
NESTOR_ASM += arch/x86/vmx/vmx_entry.asm

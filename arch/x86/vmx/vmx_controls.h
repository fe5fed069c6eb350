/* vmx_controls: the VMX controls and fixed bits nestor uses, derived from the capability MSRs. */
#ifndef NESTOR_ARCH_X86_VMX_VMX_CONTROLS_H
#define NESTOR_ARCH_X86_VMX_VMX_CONTROLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The capability MSRs as RDMSR returned them (SDM Vol. 3D, Appendix A). */
struct vmx_cap_msrs {
	uint64_t basic;				/* 0x480 */
	uint64_t pin, proc, exit, entry;	/* 0x481-0x484 */
	uint64_t misc;				/* 0x485 */
	uint64_t cr0_fixed0, cr0_fixed1;	/* 0x486, 0x487 */
	uint64_t cr4_fixed0, cr4_fixed1;	/* 0x488, 0x489 */
	uint64_t proc2;				/* 0x48b, when PROC_SECONDARY may be 1 */
	uint64_t ept_vpid;			/* 0x48c, when EPT or VPID may be 1 */
	uint64_t true_pin, true_proc, true_exit, true_entry;	/* 0x48d-0x490, BASIC[55] */
	uint64_t vmfunc;			/* 0x491, when "enable VM functions" may be 1 */
};

/* Everything the backend programs that depends on the CPU, computed once. */
struct vmx_config {
	uint32_t revision;		/* VMCS revision identifier, BASIC[30:0] */
	uint32_t pin, proc, proc2, exit, entry;	/* values for every VMCS (window and
						 * IA-32e bits are set per entry) */
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	/* Guest CR0/CR4: bits VMX forces to 1 (the guest sees the read shadow instead), and
	 * the guest/host masks: every bit the guest may not own directly. */
	uint64_t guest_cr0_set, guest_cr4_set;
	uint64_t cr0_mask, cr4_mask;
	uint64_t cr4_forbidden;		/* a guest write setting one of these is #GP */
	bool vpid;
	bool invept_single, invvpid_single;
};

/*
 * Computes every control: a bit the CPU forces to 1 is set; a control nestor needs
 * that the CPU does not allow, or one it forces that nestor cannot live with, is a
 * refusal with the reason in `why`. `true_ctls` comes from BASIC[55] (SDM A.2).
 */
bool vmx_config_compute(const struct vmx_cap_msrs *m, struct vmx_config *c, char *why,
			size_t len);

/* Reads the capability MSRs of this CPU (not in host tests). */
void vmx_cap_msrs_read(struct vmx_cap_msrs *m);

#endif

/* nvmx_offer: the VMX capability MSRs L1 is offered, computed from the personality and the host. */
#ifndef NESTOR_NESTED_VMX_NVMX_OFFER_H
#define NESTOR_NESTED_VMX_NVMX_OFFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nested/vmx/nvmx_checks.h"

/*
 * How much of VMX L1 sees, per personality (docs/nested-vmx.md):
 * - NONE: VMX hidden (CPUID.1:ECX[5] clear, FEATURE_CONTROL locked off, 480h+ #GP);
 * - NATIVE: what the CPU offers that nestor can emulate; every check in software;
 * - KVM: what KVM 6.1 as L0 offers (nested_vmx_setup_ctls_msrs) that nestor can emulate;
 *   the checks KVM makes in software, the rest left to the CPU on vmcs02;
 * - HYPERV: TPR shadow without virtualize-APIC-accesses, APIC-register virtualization,
 *   virtual-interrupt delivery and posted interrupts; every check in software.
 */
enum nvmx_flavor { NVMX_FLAVOR_NONE, NVMX_FLAVOR_NATIVE, NVMX_FLAVOR_KVM, NVMX_FLAVOR_HYPERV };

/* What the host lets nestor offer: its own capability MSRs and L1's CPUID facts. */
struct nvmx_host {
	struct vmx_cap_msrs msrs;	/* the host CPU's, as read at start-up */
	uint8_t maxphyaddr;		/* L1's CPUID.80000008H:EAX[7:0] (= the host's) */
	uint8_t linear_bits;		/* 48, or 57 with LA57 */
	uint64_t efer_valid;		/* EFER bits L1's WRMSR accepts */
	uint64_t cr4_allowed;		/* CR4 bits L1's CPUID offers (VMXE included) */
	bool mpx, rtm, sgx;
};

/* Options that change the offer (boot options). */
struct nvmx_offer_opts {
	bool no_ept;			/* L1 gets no EPT: kvm_intel falls back to shadow paging */
};

/*
 * Computes L1's capability model. False (with the reason) when the host cannot carry
 * it: no TRUE controls, no EPT for nestor's own vmcs02, load/save EFER missing.
 */
bool nvmx_offer(const struct nvmx_host *h, enum nvmx_flavor f, const struct nvmx_offer_opts *o,
		struct nvmx_caps *out, char *why, size_t len);

/* The checks that run in software for the flavor (26.2-26.4: all, or KVM 6.1's). */
enum nvmx_mode nvmx_flavor_mode(enum nvmx_flavor f);
const char *nvmx_flavor_name(enum nvmx_flavor f);

/*
 * RDMSR of a VMX capability MSR (480h-491h) as L1 sees it: false when the MSR does not
 * exist for this offer (#GP): 48Bh without secondary controls, 48Ch without EPT or VPID,
 * 48Dh-490h without BASIC[55], 491h without VM functions, anything else.
 */
bool nvmx_caps_msr(const struct nvmx_caps *c, uint32_t msr, uint64_t *value);

/* IA32_FEATURE_CONTROL (3Ah) as L1 finds it at reset when VMX is offered: unlocked, so
 * that L1's firmware or kernel locks it with "VMX outside SMX" (SDM 23.7). */
#define NVMX_FEATURE_CONTROL_RESET 0x0ull
#define FEATURE_CONTROL_LOCKED (1ull << 0)
#define FEATURE_CONTROL_VMX_INSIDE_SMX (1ull << 1)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX (1ull << 2)

/*
 * WRMSR to IA32_FEATURE_CONTROL: #GP once locked (SDM Vol. 4 Table 2-2), and for bits
 * nestor does not model (only lock, VMX inside/outside SMX; SMX is not offered so
 * "inside SMX" may be written but means nothing). True: the new value is taken.
 */
bool nvmx_feature_control_write(uint64_t *fc, uint64_t value);

#endif

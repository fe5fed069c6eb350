/* nvmx_merge: vmcs02, the VMCS nestor runs L2 with, from L1's vmcs12 and nestor's own settings. */
#ifndef NESTOR_NESTED_VMX_NVMX_MERGE_H
#define NESTOR_NESTED_VMX_NVMX_MERGE_H

#include <stdbool.h>
#include <stdint.h>

#include "nested/vmx/vmcs12.h"

/* The exceptions vmcs02 intercepts whatever vmcs12 asks: #DB (1) and #AC (17). */
#define NVMX_L0_EXCEPTIONS ((1u << 1) | (1u << 17))

/* What nestor brings to vmcs02: its host's rules and its own tables. */
struct nvmx_l0 {
	/* The must-be-1 bits of the host's TRUE control MSRs (A.2) and its secondary MSR. */
	uint32_t pin_must1, proc_must1, proc2_must1, exit_must1, entry_must1;
	bool vpid;			/* the host has VPID: vmcs02 runs under `vpid02` */
	uint16_t vpid02;
	uint64_t eptp;			/* the shadow EPT root (vmcs12 with EPT) or nestor's EPT */
	uint64_t msr_bitmap;		/* vmcs02's MSR bitmap (host-physical) */
	uint64_t io_bitmap_a, io_bitmap_b;	/* nestor's all-ones I/O bitmaps */
	uint64_t tsc_offset;		/* L1's TSC offset (vmcs01) */
	uint64_t ram_hpa, ram_size;	/* L1 RAM: guest-physical g is host g + ram_hpa */
	uint64_t l1_efer, l1_pat;	/* L1's, for what vmcs12 does not load (26.3.2.1) */
	uint64_t pdpte[4];		/* PAE L2 without EPT in vmcs12: read from guest CR3 */
};

/*
 * vmcs02's controls and guest state into `v02` (host state is nestor's own, written by the
 * backend). The union of intercepts: L1's, plus what nestor needs (physical interrupts
 * and NMIs, every port, the MSRs it does not pass through, MONITOR/MWAIT/RDPMC it refuses,
 * CR8 without a TPR shadow); TSC offsets add; L2's TPR shadow is L1's virtual-APIC page;
 * EPT always (L1's composed with nestor's, or nestor's alone); MSR-load lists empty (nestor
 * loads vmcs12's itself). False (with why) when L1 memory it names is not RAM.
 */
bool nvmx_merge(const struct vmcs12 *v12, const struct nvmx_l0 *l0, struct vmcs12 *v02,
		const char **why);

/*
 * Whether vmcs02's MSR bitmap must intercept `msr` for this vmcs12, given nestor's own
 * bitmap (`l0_exits`) and L1's (`l1_exits`, true without MSR bitmaps): the union, except
 * the x2APIC TPR (808H) with "virtualize x2APIC mode", which the CPU virtualizes on L1's
 * virtual-APIC page when L1 passes it (29.5).
 */
bool nvmx_msr_intercept02(const struct vmcs12 *v12, uint32_t msr, bool l0_exits, bool l1_exits);

#endif

/* nsvm_merge: vmcb02 from L1's vmcb12 and nestor's own state, and the way back at #VMEXIT. */
#ifndef NESTOR_NESTED_SVM_NSVM_MERGE_H
#define NESTOR_NESTED_SVM_NSVM_MERGE_H

#include "arch/x86/svm/vmcb.h"
#include "nested/svm/nsvm.h"

/* nestor's side of vmcb02: what it needs while L2 runs, whatever L1 asked. */
struct nsvm_l0 {
	uint32_t intercept_cr, intercept_dr, intercept_exceptions;
	uint32_t intercept_misc1, intercept_misc2, intercept_misc3;
	uint64_t tsc_offset;	/* vmcb01's: L1's TSC = host TSC + tsc_offset */
	uint32_t asid;		/* the host ASID nestor gives this L2 */
	uint64_t ncr3_l1;	/* nestor's NPT for L1: L2's when L1 uses no NPT */
	uint64_t ncr3_shadow;	/* L1's NPT composed with nestor's (built elsewhere) */
	uint64_t iopm_pa, msrpm_pa;	/* the merged maps (nsvm_permmap_union) */
};

/* What the merge decided that the caller acts on. */
struct nsvm_merge_info {
	bool l1_npt;		/* L1's nested paging is honoured (offered and NP_ENABLE) */
	bool flush;		/* vmcb12 asked for a TLB flush (any non-zero TLB_CONTROL) */
	bool l1_v_intr_masking;	/* vmcb12's V_INTR_MASKING: see nsvm_l1_event_exits() */
};

/*
 * Builds vmcb02 (every byte written: nothing of an older vmcb02 survives, so vmcb12's
 * clean bits never matter). vmcb12 must have passed the check table. l1_cpu is L1's
 * current processor state as nestor keeps it (vmcb01's save area): VMRUN does not load
 * FS, GS, TR, LDTR, KernelGSbase, STAR/LSTAR/CSTAR/SFMASK, SYSENTER_* (VMLOAD does), so
 * L2 starts with L1's; and L1's PAT is L2's when L1 uses no nested paging.
 */
void nsvm_merge(struct vmcb *vmcb02, const struct vmcb *vmcb12, const struct vmcb_save *l1_cpu,
		const struct nsvm_l0 *l0, const struct nsvm_features *f, struct nsvm_merge_info *info);

/*
 * An exit from L2 that is L1's: writes into vmcb12 what the #VMEXIT writes (exit code and
 * information, interrupt shadow, V_TPR/V_IRQ, the guest state VMRUN loaded), clears
 * EVENTINJ, and leaves in l1_cpu the VMLOAD state L2 leaves in the processor.
 */
void nsvm_reflect_exit(struct vmcb *vmcb12, struct vmcb_save *l1_cpu, const struct vmcb *vmcb02,
		       const struct nsvm_features *f);

/*
 * What VMLOAD loads and VMSAVE stores (APM Vol. 3, VMLOAD): FS, GS, TR and LDTR with their
 * hidden state, KernelGsBase, STAR, LSTAR, CSTAR, SFMASK and the SYSENTER MSRs.
 */
void nsvm_copy_vmload_state(struct vmcb_save *d, const struct vmcb_save *s);

/* A VMRUN that failed a check: #VMEXIT(VMEXIT_INVALID) as seen in vmcb12. */
void nsvm_reflect_invalid(struct vmcb *vmcb12);

/*
 * With vmcb12's V_INTR_MASKING clear, L2's CR8 is L1's TPR (APM Vol. 2, 15.21.1: only
 * V_INTR_MASKING = 1 keeps the guest's TPR writes virtual). nestor always runs vmcb02 with
 * V_INTR_MASKING set, so after any exit from L2 it copies V_TPR to L1's TPR when this
 * returns true.
 */
bool nsvm_l2_tpr_is_l1_tpr(const struct vmcb *vmcb12, const struct vmcb *vmcb02, uint8_t *tpr);

#endif

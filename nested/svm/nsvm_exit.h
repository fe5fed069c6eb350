/* nsvm_exit: whose an exit from L2 is (L1's to reflect, or nestor's), and L1's events in L2. */
#ifndef NESTOR_NESTED_SVM_NSVM_EXIT_H
#define NESTOR_NESTED_SVM_NSVM_EXIT_H

#include "arch/x86/svm/vmcb.h"
#include "nested/svm/nsvm.h"

enum nsvm_owner {
	NSVM_OWNER_L0,	/* nestor handles it on L1's behalf and resumes L2 */
	NSVM_OWNER_L1,	/* reflected: #VMEXIT to L1 with vmcb02's exit code and information */
};

struct nsvm_exit_ctx {
	const struct vmcb *vmcb12;		/* L1's intercepts */
	const uint8_t *l1_msrpm;		/* L1's maps, read only when L1 sets the intercept */
	const uint8_t *l1_iopm;
	uint32_t ecx;				/* L2's ECX, for an MSR exit */
	bool npf_in_l1_npt;			/* the shadow-NPT walk failed in L1's own tables */
	const struct nsvm_features *feat;
};

/* vmcb02's exit (code and EXITINFO1) belongs to L1 when L1 intercepts it (APM 15.7-15.13). */
enum nsvm_owner nsvm_exit_owner(const struct nsvm_exit_ctx *x, uint64_t exit_code,
				uint64_t exit_info1);

/* An interrupt or NMI for L1 (from nestor's vLAPIC) that arrives while L2 runs. */
enum nsvm_l1_event {
	NSVM_L1_INTR,
	NSVM_L1_NMI,
};

enum nsvm_l1_event_action {
	NSVM_EVENT_EXIT,		/* #VMEXIT(INTR) / #VMEXIT(NMI) to L1 now */
	NSVM_EVENT_AFTER_INJECTION,	/* enter L2 first: the exit follows the delivery of
					 * the event L1 injects (EVENTINJ) */
	NSVM_EVENT_HELD,		/* intercepted but masked for now: pending */
	NSVM_EVENT_NOT_INTERCEPTED,	/* L1 lets it reach L2 (KVM never does) */
};

/*
 * APM 15.13.1 and 15.21.1: L1 intercepting INTR gets #VMEXIT(INTR) when the interrupt is
 * not masked; with vmcb12's V_INTR_MASKING set the mask is L1's own RFLAGS.IF from the
 * VMRUN (kept in the host save area), with it clear L2's RFLAGS.IF. An intercepted NMI
 * exits at once. event_inj is vmcb02's EVENTINJ still to be delivered: VMRUN delivers an
 * injected event before the guest's first instruction boundary, where pending interrupts
 * are recognised (15.20), so the exit comes after that delivery, with an empty
 * EXITINTINFO. An exit made before it would hand the event back to L1 undelivered; KVM
 * then re-injects it and, with another interrupt pending, asks for an immediate exit
 * again: no guest instruction ever runs.
 */
enum nsvm_l1_event_action nsvm_l1_event_exits(const struct vmcb *vmcb12, enum nsvm_l1_event ev,
					      bool l1_if_at_vmrun, uint64_t l2_rflags,
					      uint64_t event_inj);

#endif

/* nsvm_sample: a valid vmcb12 for a 64-bit L2 with NPT, and one mutation per broken field. */
#ifndef NESTOR_NESTED_SVM_NSVM_SAMPLE_H
#define NESTOR_NESTED_SVM_NSVM_SAMPLE_H

#include "arch/x86/svm/vmcb.h"
#include "nested/svm/nsvm.h"

/*
 * Where the sample's pieces live in L1's guest-physical space. The host tests invent
 * these; the L1 test kernel (tests/guests/svm_vmrun.c) passes its real ones, so the same
 * VMCB and the same mutations run on the table and on a CPU.
 */
struct nsvm_sample {
	uint64_t vmcb_pa, iopm_pa, msrpm_pa, ncr3;
	uint64_t cr3, rip, rsp, rax;		/* L2's paging root, entry, stack, RAX */
	uint64_t gdt_base, idt_base;
	uint16_t gdt_limit, idt_limit;
	uint16_t cs_sel, ds_sel;		/* a 64-bit code and a flat data selector */
	uint64_t pat;				/* L2's G_PAT */
	uint64_t outside_ram_pa;		/* page-aligned, below MAXPHYADDR, not L1 RAM */
};

/*
 * A vmcb12 that passes every check for features *f, and L1's state at a VMRUN of it: CPL
 * 0, long mode, EFER.SVME. L2 starts in 64-bit mode at s->rip with NP_ENABLE (when NPT is
 * offered), intercepting VMRUN, VMMCALL, HLT, SHUTDOWN, I/O, MSRs and every exception.
 */
void nsvm_sample_build(struct vmcb *v, struct nsvm_vmrun *run, const struct nsvm_sample *s,
		       const struct nsvm_features *f);

/* What a mutation changes, which says whether a 64-bit L1 kernel can do the same. */
enum nsvm_mut_kind {
	NSVM_MUT_VMCB,		/* fields of vmcb12 */
	NSVM_MUT_RAX,		/* the VMCB address VMRUN is given */
	NSVM_MUT_L1_EFER,	/* L1 clears its own EFER.SVME */
	NSVM_MUT_L1_CPL,	/* L1 executes VMRUN at CPL 3 */
	NSVM_MUT_L1_MODE,	/* L1 outside 64-bit paged mode: not doable from long mode */
	NSVM_MUT_FEATURES,	/* L1 is offered less (CPUID): up to the L0, not to L1 */
};

struct nsvm_mutation {
	const char *check;	/* the table entry it must trip, by name */
	const char *variant;
	enum nsvm_mut_kind kind;
	void (*apply)(struct vmcb *v, struct nsvm_vmrun *run, struct nsvm_features *f,
		      const struct nsvm_sample *s);
};

/* Every table entry has at least one (tests/unit/test_nsvm_check.c asserts it). */
extern const struct nsvm_mutation nsvm_mutations[];
extern const size_t nsvm_mutation_count;

#endif

/* nsvm_check: VMRUN's checks on L1's vmcb12 as one ordered table, nestor's own included. */
#ifndef NESTOR_NESTED_SVM_NSVM_CHECK_H
#define NESTOR_NESTED_SVM_NSVM_CHECK_H

#include "arch/x86/svm/vmcb.h"
#include "nested/svm/nsvm.h"

/* Who demands a check: the APM (hardware does it), or nestor (safety, beyond the APM). */
enum nsvm_origin {
	NSVM_ORIGIN_APM,
	NSVM_ORIGIN_NESTOR,
};

/* What one check reads: everything is an input, nothing is read from hardware. */
struct nsvm_check_input {
	const struct nsvm_vmrun *vmrun;		/* L1's state at its VMRUN */
	const struct vmcb *vmcb;		/* vmcb12; NULL until it is known to be readable */
	const struct nsvm_features *feat;	/* what L1 is offered */
	const struct nsvm_ram *ram;		/* L1's RAM */
};

/* The fields a failing check prints in its log line. */
enum nsvm_field {
	NSVM_F_END,
	NSVM_F_RAX, NSVM_F_CPL, NSVM_F_L1_EFER, NSVM_F_L1_CR0, NSVM_F_L1_RFLAGS,
	NSVM_F_MAXPHYADDR, NSVM_F_NASID,
	NSVM_F_INTERCEPT_MISC1, NSVM_F_INTERCEPT_MISC2, NSVM_F_ASID, NSVM_F_IOPM, NSVM_F_MSRPM,
	NSVM_F_EVENT_INJ, NSVM_F_NP_CONTROL, NSVM_F_NCR3,
	NSVM_F_EFER, NSVM_F_CR0, NSVM_F_CR3, NSVM_F_CR4, NSVM_F_DR6, NSVM_F_DR7, NSVM_F_CS_ATTR,
	NSVM_F_G_PAT,
	NSVM_F_COUNT,
};

#define NSVM_CHECK_FIELDS 5

struct nsvm_check {
	const char *name;		/* stable: "save.efer_svme_clear" */
	const char *ref;		/* "APM Vol. 2 15.5.1", or what nestor's own rule protects */
	const char *rule;		/* the illegal condition, in the APM's words where it has some */
	enum nsvm_outcome outcome;	/* never NSVM_RUN */
	enum nsvm_origin origin;
	bool needs_vmcb;		/* reads vmcb12 (every check after the address checks) */
	bool (*fails)(const struct nsvm_check_input *in);
	uint8_t fields[NSVM_CHECK_FIELDS];	/* enum nsvm_field, NSVM_F_END-terminated */
};

/* The table, in evaluation order: the first failing entry decides (docs/nested-svm-checks.md). */
extern const struct nsvm_check nsvm_checks[];
extern const size_t nsvm_check_count;

struct nsvm_check_result {
	const struct nsvm_check *failed;	/* NULL: no check failed (so far) */
	bool needs_vmcb;			/* stopped before the first check that reads vmcb12 */
};

/*
 * Runs the table in order and stops at the first failure. With in->vmcb NULL it stops
 * before the first check that needs vmcb12 and says so: the caller maps vmcb12 (the
 * checks before it proved the address is L1 RAM) and runs the table again.
 * With origins_mask, only checks whose (1 << origin) bit is set are run.
 */
struct nsvm_check_result nsvm_check_run(const struct nsvm_check_input *in, unsigned origins_mask);
#define NSVM_ORIGINS_ALL ((1u << NSVM_ORIGIN_APM) | (1u << NSVM_ORIGIN_NESTOR))

/* The outcome of the whole table for this input (NSVM_RUN when nothing fails). */
enum nsvm_outcome nsvm_check_outcome(const struct nsvm_check_input *in, unsigned origins_mask);

const struct nsvm_check *nsvm_check_find(const char *name);

/*
 * The faults of VMLOAD/VMSAVE (vmcb_in_rax) and STGI/CLGI/INVLPGA: the table's entries
 * before the VMCB is read, those about rAX only when the instruction takes a VMCB address.
 * NULL when none fails.
 */
const struct nsvm_check *nsvm_insn_check(const struct nsvm_check_input *in, bool vmcb_in_rax);

/*
 * The one log line of a failing check: "name (ref): field=value ... -> outcome". Returns
 * the length the full line would have (fmt_snprintf's convention).
 */
int nsvm_check_describe(char *buf, size_t size, const struct nsvm_check *c,
			const struct nsvm_check_input *in);

/* A field's name and its value for this input (0 when the field is not readable). */
const char *nsvm_field_name(enum nsvm_field f);
uint64_t nsvm_field_value(enum nsvm_field f, const struct nsvm_check_input *in);

/*
 * Masks and predicates the checks (and the merge's tests) share. The MBZ masks depend on
 * L1's CPUID: a bit of a feature L1 is not offered must be zero.
 */
uint64_t nsvm_cr4_mbz(const struct nsvm_features *f);
uint64_t nsvm_efer_mbz(const struct nsvm_features *f);
bool nsvm_pat_valid(uint64_t pat);
bool nsvm_exception_vector_valid(const struct nsvm_features *f, uint8_t vector);
/* L1 asked for nested paging and it is offered: only then are nCR3 and G_PAT honoured. */
bool nsvm_npt_active(const struct vmcb *vmcb12, const struct nsvm_features *f);

#endif

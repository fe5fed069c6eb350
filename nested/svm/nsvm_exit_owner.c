/* nsvm_exit_owner: the rule that sends an exit from L2 to L1 or keeps it in nestor. */
#include "arch/x86/svm/svm_permmap.h"
#include "nested/svm/nsvm_exit.h"
#include "nested/svm/nsvm_permmap.h"

#define IOIO_PORT_SHIFT 16
#define IOIO_SIZE_SHIFT 4	/* EXITINFO1 bits 4-6: SZ8, SZ16, SZ32 (APM 15.10.2) */

static bool bit(uint32_t word, uint64_t n)
{
	return n < 32 && (word >> n & 1);
}

/* APM 15.10.2: EXITINFO1 holds the port (31:16) and the access size (one-hot, 6:4). */
static bool ioio_is_l1s(const struct nsvm_exit_ctx *x, uint64_t info1)
{
	unsigned size = (info1 >> IOIO_SIZE_SHIFT) & 1 ? 1 : (info1 >> IOIO_SIZE_SHIFT) & 2 ? 2 : 4;
	return nsvm_iopm_intercepts(x->l1_iopm, (uint16_t)(info1 >> IOIO_PORT_SHIFT), size);
}

enum nsvm_owner nsvm_exit_owner(const struct nsvm_exit_ctx *x, uint64_t code, uint64_t info1)
{
	const struct vmcb_control *c = &x->vmcb12->control;
	bool l1;
	if (code <= 0x1f)			/* CR0-15 reads and writes */
		l1 = bit(c->intercept_cr, code);
	else if (code <= 0x3f)			/* DR0-15 reads and writes */
		l1 = bit(c->intercept_dr, code - SVM_EXIT_READ_DR0);
	else if (code <= 0x5f)			/* exceptions 0-31 */
		l1 = bit(c->intercept_exceptions, code - SVM_EXIT_EXCP_BASE);
	else if (code <= SVM_EXIT_INIT)
		/* Physical INTR, NMI, SMI and INIT are nestor's: L1 only ever has virtual
		 * ones, which nsvm_l1_event_exits() turns into exits of their own. */
		l1 = false;
	else if (code == SVM_EXIT_IOIO)
		l1 = (c->intercept_misc1 & SVM_INTERCEPT_IOIO) && ioio_is_l1s(x, info1);
	else if (code == SVM_EXIT_MSR)
		l1 = (c->intercept_misc1 & SVM_INTERCEPT_MSR) &&
		     nsvm_msrpm_intercepts(x->l1_msrpm, x->ecx, info1 & 1);
	else if (code <= 0x7f)
		l1 = bit(c->intercept_misc1, code - SVM_EXIT_INTR);
	else if (code <= 0x9f)			/* VMRUN .. CR write traps */
		l1 = bit(c->intercept_misc2, code - SVM_EXIT_VMRUN);
	else if (code <= 0xbf)
		l1 = bit(c->intercept_misc3, code - SVM_EXIT_MISC3_BASE);
	else if (code == SVM_EXIT_NPF)
		/* Only faults in L1's own nested page tables are L1's; a page nestor has not
		 * mapped yet behind L1's is nestor's to fill. */
		l1 = x->feat->npt && (c->np_control & SVM_NP_ENABLE) && x->npf_in_l1_npt;
	else
		l1 = false;			/* VMEXIT_INVALID, AVIC, VMGEXIT: nestor's */
	return l1 ? NSVM_OWNER_L1 : NSVM_OWNER_L0;
}

static enum nsvm_l1_event_action unmasked(uint64_t event_inj)
{
	return (event_inj & SVM_EVENT_VALID) ? NSVM_EVENT_AFTER_INJECTION : NSVM_EVENT_EXIT;
}

enum nsvm_l1_event_action nsvm_l1_event_exits(const struct vmcb *vmcb12, enum nsvm_l1_event ev,
					      bool l1_if_at_vmrun, uint64_t l2_rflags,
					      uint64_t event_inj)
{
	const struct vmcb_control *c = &vmcb12->control;
	if (ev == NSVM_L1_NMI)
		return (c->intercept_misc1 & SVM_INTERCEPT_NMI) ? unmasked(event_inj)
								 : NSVM_EVENT_NOT_INTERCEPTED;
	if (!(c->intercept_misc1 & SVM_INTERCEPT_INTR))
		return NSVM_EVENT_NOT_INTERCEPTED;
	bool open = (c->vintr & SVM_V_INTR_MASKING) ? l1_if_at_vmrun
						    : (l2_rflags & (1ull << 9)) != 0;
	return open ? unmasked(event_inj) : NSVM_EVENT_HELD;
}

/* nsvm_check_control: VMRUN's consistency checks on vmcb12's control area. */
#include "nested/svm/nsvm_check_internal.h"

/* APM Vol. 2, 15.5.1: "The VMRUN intercept bit is clear." */
bool nsvm_fails_vmrun_intercept_clear(const struct nsvm_check_input *in)
{
	return !(in->vmcb->control.intercept_misc2 & SVM_INTERCEPT_VMRUN);
}

/* APM Vol. 2, 15.5.1: "ASID is equal to zero." */
bool nsvm_fails_asid_zero(const struct nsvm_check_input *in)
{
	return in->vmcb->control.asid == 0;
}

/*
 * APM Vol. 2, 15.5.1: "The MSR or IOIO intercept tables extend to a physical address that
 * is greater than or equal to the maximum supported physical address." Bits 11:0 of the
 * base are ignored (Appendix B). The maximum supported address is 2^MAXPHYADDR - 1, so a
 * table whose last byte is that address fails too: the APM's words, read literally.
 */
static bool table_beyond_maxphyaddr(const struct nsvm_features *f, uint64_t base_pa, uint64_t size)
{
	uint64_t base = base_pa & ~0xfffull;
	uint64_t last = base + (size - 1);
	if (last < base)
		return true;		/* wraps: certainly beyond */
	if (f->maxphyaddr >= 64)
		return last == ~0ull;
	return last >= (1ull << f->maxphyaddr) - 1;
}

bool nsvm_fails_msrpm_beyond_maxphyaddr(const struct nsvm_check_input *in)
{
	return table_beyond_maxphyaddr(in->feat, in->vmcb->control.msrpm_base_pa, SVM_MSRPM_SIZE);
}

bool nsvm_fails_iopm_beyond_maxphyaddr(const struct nsvm_check_input *in)
{
	return table_beyond_maxphyaddr(in->feat, in->vmcb->control.iopm_base_pa, SVM_IOPM_SIZE);
}

/*
 * APM Vol. 2, 15.20: "VMRUN exits with VMEXIT_INVALID error code if either: Reserved
 * values of TYPE have been specified, or TYPE = 3 (exception) has been specified with a
 * vector that does not correspond to an exception (this includes vector 2, which is an
 * NMI, not an exception)." TYPE is 0 (INTR), 2 (NMI), 3 (exception) or 4 (software
 * interrupt); 1, 5, 6 and 7 are reserved. Only a valid (V = 1) EVENTINJ is looked at.
 */
bool nsvm_fails_event_inj_type_reserved(const struct nsvm_check_input *in)
{
	uint64_t e = in->vmcb->control.event_inj;
	if (!(e & SVM_EVENT_VALID))
		return false;
	uint64_t type = e & SVM_EVENT_TYPE_MASK;
	return type != SVM_EVENT_TYPE_INTR && type != SVM_EVENT_TYPE_NMI &&
	       type != SVM_EVENT_TYPE_EXCEPTION && type != SVM_EVENT_TYPE_SOFT_INT;
}

bool nsvm_fails_event_inj_vector_not_exception(const struct nsvm_check_input *in)
{
	uint64_t e = in->vmcb->control.event_inj;
	if (!(e & SVM_EVENT_VALID) || (e & SVM_EVENT_TYPE_MASK) != SVM_EVENT_TYPE_EXCEPTION)
		return false;
	return !nsvm_exception_vector_valid(in->feat, (uint8_t)(e & SVM_EVENT_VECTOR_MASK));
}

/* nsvm_mutate_control: breaking vmcb12's control area, one field per mutation. */
#include "nested/svm/nsvm_mutate.h"

NSVM_MUTATOR(nsvm_mut_no_vmrun_intercept)
{
	v->control.intercept_misc2 &= ~SVM_INTERCEPT_VMRUN;
}

NSVM_MUTATOR(nsvm_mut_asid_zero)
{
	v->control.asid = 0;
}

/* The first page at 2^MAXPHYADDR, and the last table that still ends at 2^MAXPHYADDR - 1. */
NSVM_MUTATOR(nsvm_mut_msrpm_at_limit)
{
	v->control.msrpm_base_pa = nsvm_mut_pa_limit(f);
}

NSVM_MUTATOR(nsvm_mut_msrpm_last_page)
{
	v->control.msrpm_base_pa = nsvm_mut_pa_limit(f) - SVM_MSRPM_SIZE;
}

NSVM_MUTATOR(nsvm_mut_iopm_at_limit)
{
	v->control.iopm_base_pa = nsvm_mut_pa_limit(f);
}

NSVM_MUTATOR(nsvm_mut_iopm_last_pages)
{
	v->control.iopm_base_pa = nsvm_mut_pa_limit(f) - SVM_IOPM_SIZE;
}

static void event(struct vmcb *v, uint64_t type, uint8_t vector)
{
	v->control.event_inj = SVM_EVENT_VALID | (type << 8) | vector;
}

#define EVENT_TYPE(fn, type) NSVM_MUTATOR(fn) { event(v, type, 0x20); }
#define EXCEPTION(fn, vector) NSVM_MUTATOR(fn) { event(v, 3, vector); }

EVENT_TYPE(nsvm_mut_event_type1, 1)
EVENT_TYPE(nsvm_mut_event_type5, 5)
EVENT_TYPE(nsvm_mut_event_type6, 6)
EVENT_TYPE(nsvm_mut_event_type7, 7)
EXCEPTION(nsvm_mut_exception_2, 2)
EXCEPTION(nsvm_mut_exception_9, 9)
EXCEPTION(nsvm_mut_exception_15, 15)
EXCEPTION(nsvm_mut_exception_20, 20)
EXCEPTION(nsvm_mut_exception_21, 21)
EXCEPTION(nsvm_mut_exception_22, 22)
EXCEPTION(nsvm_mut_exception_27, 27)
EXCEPTION(nsvm_mut_exception_29, 29)
EXCEPTION(nsvm_mut_exception_31, 31)
EXCEPTION(nsvm_mut_exception_32, 32)
EXCEPTION(nsvm_mut_exception_255, 255)

NSVM_MUTATOR(nsvm_mut_ncr3_at_limit)
{
	v->control.n_cr3 = nsvm_mut_pa_limit(f);
}

NSVM_MUTATOR(nsvm_mut_ncr3_bit63)
{
	v->control.n_cr3 |= 1ull << 63;
}

NSVM_MUTATOR(nsvm_mut_ncr3_outside_ram)
{
	v->control.n_cr3 = s->outside_ram_pa;
}

NSVM_MUTATOR(nsvm_mut_asid_nasid)
{
	v->control.asid = f->nasid;
}

NSVM_MUTATOR(nsvm_mut_asid_max)
{
	v->control.asid = 0xffffffff;
}

NSVM_MUTATOR(nsvm_mut_msrpm_outside_ram)
{
	v->control.msrpm_base_pa = s->outside_ram_pa;
}

NSVM_MUTATOR(nsvm_mut_iopm_outside_ram)
{
	v->control.iopm_base_pa = s->outside_ram_pa;
}

/* nsvm_fields: the names and values a failing check prints. */
#include "nested/svm/nsvm_check.h"

static const char *const names[NSVM_F_COUNT] = {
	[NSVM_F_END] = "?",
	[NSVM_F_RAX] = "rax", [NSVM_F_CPL] = "cpl", [NSVM_F_L1_EFER] = "l1.efer",
	[NSVM_F_L1_CR0] = "l1.cr0", [NSVM_F_L1_RFLAGS] = "l1.rflags",
	[NSVM_F_MAXPHYADDR] = "maxphyaddr", [NSVM_F_NASID] = "nasid",
	[NSVM_F_INTERCEPT_MISC1] = "intercept_misc1", [NSVM_F_INTERCEPT_MISC2] = "intercept_misc2",
	[NSVM_F_ASID] = "asid", [NSVM_F_IOPM] = "iopm_base_pa", [NSVM_F_MSRPM] = "msrpm_base_pa",
	[NSVM_F_EVENT_INJ] = "event_inj", [NSVM_F_NP_CONTROL] = "np_control",
	[NSVM_F_NCR3] = "n_cr3", [NSVM_F_EFER] = "efer", [NSVM_F_CR0] = "cr0",
	[NSVM_F_CR3] = "cr3", [NSVM_F_CR4] = "cr4", [NSVM_F_DR6] = "dr6", [NSVM_F_DR7] = "dr7",
	[NSVM_F_CS_ATTR] = "cs.attrib", [NSVM_F_G_PAT] = "g_pat",
};

const char *nsvm_field_name(enum nsvm_field f)
{
	return (unsigned)f < NSVM_F_COUNT && names[f] ? names[f] : "?";
}

static uint64_t vmrun_field(enum nsvm_field f, const struct nsvm_vmrun *r)
{
	switch (f) {
	case NSVM_F_RAX: return r->rax;
	case NSVM_F_CPL: return r->cpl;
	case NSVM_F_L1_EFER: return r->efer;
	case NSVM_F_L1_CR0: return r->cr0;
	case NSVM_F_L1_RFLAGS: return r->rflags;
	default: return 0;
	}
}

static uint64_t vmcb_field(enum nsvm_field f, const struct vmcb *v)
{
	const struct vmcb_control *c = &v->control;
	const struct vmcb_save *s = &v->save;
	switch (f) {
	case NSVM_F_INTERCEPT_MISC1: return c->intercept_misc1;
	case NSVM_F_INTERCEPT_MISC2: return c->intercept_misc2;
	case NSVM_F_ASID: return c->asid;
	case NSVM_F_IOPM: return c->iopm_base_pa;
	case NSVM_F_MSRPM: return c->msrpm_base_pa;
	case NSVM_F_EVENT_INJ: return c->event_inj;
	case NSVM_F_NP_CONTROL: return c->np_control;
	case NSVM_F_NCR3: return c->n_cr3;
	case NSVM_F_EFER: return s->efer;
	case NSVM_F_CR0: return s->cr0;
	case NSVM_F_CR3: return s->cr3;
	case NSVM_F_CR4: return s->cr4;
	case NSVM_F_DR6: return s->dr6;
	case NSVM_F_DR7: return s->dr7;
	case NSVM_F_CS_ATTR: return s->cs.attrib;
	case NSVM_F_G_PAT: return s->g_pat;
	default: return 0;
	}
}

uint64_t nsvm_field_value(enum nsvm_field f, const struct nsvm_check_input *in)
{
	if (f == NSVM_F_MAXPHYADDR)
		return in->feat->maxphyaddr;
	if (f == NSVM_F_NASID)
		return in->feat->nasid;
	if (f <= NSVM_F_L1_RFLAGS)
		return vmrun_field(f, in->vmrun);
	return in->vmcb ? vmcb_field(f, in->vmcb) : 0;
}

/* nvmx_check_guest_regs: guest CRs, DR7, MSRs, GDTR/IDTR, RIP and RFLAGS (SDM 26.3.1.1, 26.3.1.3-4). */
#include "nested/vmx/nvmx_check_internal.h"
#include "nested/vmx/nvmx_check_preds.h"

#define CR0_PE NVMX_BIT(0)
#define CR0_NW NVMX_BIT(29)
#define CR0_CD NVMX_BIT(30)
#define CR0_PG NVMX_BIT(31)
#define CR4_PAE NVMX_BIT(5)
#define CR4_PCIDE NVMX_BIT(17)

/*
 * CR0 against FIXED0/FIXED1 (23.8), except PE and PG with unrestricted guest, and never
 * NW and CD, which VM entry does not change (26.3.1.1, 26.3.2.1).
 */
NVMX_PRED(guest_cr0_fixed)
{
	uint64_t fixed0 = e->caps->msrs.cr0_fixed0 & ~(CR0_NW | CR0_CD);
	uint64_t fixed1 = e->caps->msrs.cr0_fixed1 | CR0_NW | CR0_CD;

	if (nvmx_ug(e))
		fixed0 &= ~(CR0_PE | CR0_PG);
	return (e->v->guest_cr0 & fixed0) == fixed0 && !(e->v->guest_cr0 & ~fixed1);
}

NVMX_PRED(guest_cr0_pg_needs_pe)
{
	return !(e->v->guest_cr0 & CR0_PG) || (e->v->guest_cr0 & CR0_PE);
}

NVMX_PRED(guest_cr4_fixed)
{
	const struct vmx_cap_msrs *m = &e->caps->msrs;
	return (e->v->guest_cr4 & m->cr4_fixed0) == m->cr4_fixed0 &&
	       !(e->v->guest_cr4 & ~m->cr4_fixed1);
}

NVMX_PRED(guest_debugctl)
{
	return !(e->entry & ENTRY_LOAD_DEBUG_CONTROLS) ||
	       !(e->v->guest_debugctl & ~e->caps->debugctl_valid);
}

NVMX_PRED(guest_ia32e_needs_pg)
{
	return !nvmx_ia32e_guest(e) || (e->v->guest_cr0 & CR0_PG);
}

NVMX_PRED(guest_ia32e_needs_pae)
{
	return !nvmx_ia32e_guest(e) || (e->v->guest_cr4 & CR4_PAE);
}

NVMX_PRED(guest_pcide_needs_ia32e)
{
	return nvmx_ia32e_guest(e) || !(e->v->guest_cr4 & CR4_PCIDE);
}

NVMX_PRED(guest_cr3_width)
{
	return !(e->v->guest_cr3 >> e->caps->maxphyaddr);
}

NVMX_PRED(guest_dr7_high)
{
	return !(e->entry & ENTRY_LOAD_DEBUG_CONTROLS) || !(e->v->guest_dr7 >> 32);
}

NVMX_PRED(guest_sysenter_esp)
{
	return nvmx_canonical(e, e->v->guest_sysenter_esp);
}

NVMX_PRED(guest_sysenter_eip)
{
	return nvmx_canonical(e, e->v->guest_sysenter_eip);
}

NVMX_PRED(guest_perf_global_ctrl)
{
	return !(e->entry & ENTRY_LOAD_PERF_GLOBAL_CTRL) ||
	       !(e->v->guest_perf_global_ctrl & ~e->caps->perf_global_ctrl_valid);
}

NVMX_PRED(guest_pat)
{
	return !(e->entry & ENTRY_LOAD_PAT) || nvmx_pat_ok(e->v->guest_pat);
}

NVMX_PRED(guest_efer_reserved)
{
	return !(e->entry & ENTRY_LOAD_EFER) || !(e->v->guest_efer & ~e->caps->efer_valid);
}

NVMX_PRED(guest_efer_lma)
{
	return !(e->entry & ENTRY_LOAD_EFER) ||
	       !!(e->v->guest_efer & NVMX_BIT(10)) == nvmx_ia32e_guest(e);
}

NVMX_PRED(guest_efer_lme)
{
	return !(e->entry & ENTRY_LOAD_EFER) || !(e->v->guest_cr0 & CR0_PG) ||
	       !!(e->v->guest_efer & NVMX_BIT(8)) == nvmx_ia32e_guest(e);
}

/* IA32_BNDCFGS: bits 11:2 reserved, bits 63:12 a canonical linear address. */
NVMX_PRED(guest_bndcfgs)
{
	uint64_t b = e->v->guest_bndcfgs;

	return !(e->entry & ENTRY_LOAD_BNDCFGS) ||
	       (!(b & 0xffcull) && nvmx_canonical(e, b & ~0xfffull));
}

/* arg 0: GDTR, 1: IDTR. */
NVMX_PRED(guest_dtr_base)
{
	return nvmx_canonical(e, arg ? e->v->guest_idtr_base : e->v->guest_gdtr_base);
}

NVMX_PRED(guest_dtr_limit)
{
	return !((arg ? e->v->guest_idtr_limit : e->v->guest_gdtr_limit) >> 16);
}

static bool cs_l(const struct nvmx_eval *e)
{
	return e->v->guest_cs_ar & AR_L;
}

NVMX_PRED(guest_rip_high)
{
	return (nvmx_ia32e_guest(e) && cs_l(e)) || !(e->v->guest_rip >> 32);
}

NVMX_PRED(guest_rip_canonical)
{
	return !(nvmx_ia32e_guest(e) && cs_l(e)) || nvmx_canonical(e, e->v->guest_rip);
}

/* Bits 63:22, 15, 5 and 3 are 0; bit 1 is 1. */
NVMX_PRED(guest_rflags_reserved)
{
	uint64_t f = e->v->guest_rflags;
	return !(f & (~0x3fffffull | NVMX_BIT(15) | NVMX_BIT(5) | NVMX_BIT(3))) && (f & 2);
}

NVMX_PRED(guest_rflags_vm)
{
	return !nvmx_v86(e) || (!nvmx_ia32e_guest(e) && (e->v->guest_cr0 & CR0_PE));
}

NVMX_PRED(guest_rflags_if_injection)
{
	return !nvmx_injecting(e) || nvmx_inj_type(e) != INTR_TYPE_EXTERNAL ||
	       (e->v->guest_rflags & NVMX_BIT(9));
}

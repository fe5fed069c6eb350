/* nvmx_check_guest_state: non-register state, the VMCS link pointer, PDPTEs (SDM 26.3.1.5-6). */
#include "nested/vmx/nvmx_check_internal.h"
#include "nested/vmx/nvmx_check_preds.h"

#define INTR_BLOCKING (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS)

static uint32_t intr(const struct nvmx_eval *e)
{
	return e->v->guest_interruptibility;
}

static uint32_t vector(const struct nvmx_eval *e)
{
	return e->v->entry_intr_info & INTR_INFO_VECTOR_MASK;
}

/* 0-3, and HLT / shutdown / wait-for-SIPI only when IA32_VMX_MISC bits 6-8 offer them. */
NVMX_PRED(guest_activity_supported)
{
	uint32_t s = e->v->guest_activity_state;
	return s == ACTIVITY_ACTIVE || (s <= 3 && (e->caps->msrs.misc & NVMX_BIT(5 + s)));
}

NVMX_PRED(guest_activity_hlt_ss_dpl)
{
	return e->v->guest_activity_state != ACTIVITY_HLT ||
	       !(e->v->guest_ss_ar & (3u << AR_DPL_SHIFT));
}

NVMX_PRED(guest_activity_blocking)
{
	return !(intr(e) & INTR_BLOCKING) || e->v->guest_activity_state == ACTIVITY_ACTIVE;
}

/* Which injected events each activity state allows (26.3.1.5). */
NVMX_PRED(guest_activity_injection)
{
	uint32_t t = nvmx_inj_type(e), vec = vector(e);

	if (!nvmx_injecting(e))
		return true;
	switch (e->v->guest_activity_state) {
	case ACTIVITY_ACTIVE:
		return true;
	case ACTIVITY_HLT:
		return t == INTR_TYPE_EXTERNAL || t == INTR_TYPE_NMI ||
		       (t == INTR_TYPE_HW_EXCEPTION && (vec == 1 || vec == 18)) ||
		       (t == INTR_TYPE_OTHER_EVENT && vec == 0);
	case ACTIVITY_SHUTDOWN:
		return t == INTR_TYPE_NMI || (t == INTR_TYPE_HW_EXCEPTION && vec == 18);
	default:
		return false;
	}
}

NVMX_PRED(guest_intr_reserved)
{
	return !(intr(e) & ~0x1fu);
}

NVMX_PRED(guest_intr_sti_and_movss)
{
	return (intr(e) & INTR_BLOCKING) != INTR_BLOCKING;
}

NVMX_PRED(guest_intr_sti_without_if)
{
	return !(intr(e) & INTERRUPTIBILITY_STI) || (e->v->guest_rflags & NVMX_BIT(9));
}

NVMX_PRED(guest_intr_extint_injection)
{
	return !nvmx_injecting(e) || nvmx_inj_type(e) != INTR_TYPE_EXTERNAL ||
	       !(intr(e) & INTR_BLOCKING);
}

NVMX_PRED(guest_intr_nmi_injection_movss)
{
	return !nvmx_injecting(e) || nvmx_inj_type(e) != INTR_TYPE_NMI ||
	       !(intr(e) & INTERRUPTIBILITY_MOV_SS);
}

/* L1 is never in SMM under nestor. */
NVMX_PRED(guest_intr_smi)
{
	return !(intr(e) & INTERRUPTIBILITY_SMI);
}

NVMX_PRED(guest_intr_vnmi_injection)
{
	return !(e->pin & PIN_VIRTUAL_NMIS) || !nvmx_injecting(e) ||
	       nvmx_inj_type(e) != INTR_TYPE_NMI || !(intr(e) & INTERRUPTIBILITY_NMI);
}

NVMX_PRED(guest_intr_enclave)
{
	return !(intr(e) & INTERRUPTIBILITY_ENCLAVE) ||
	       (!(intr(e) & INTERRUPTIBILITY_MOV_SS) && e->caps->sgx);
}

/* Bits 11:4, 13, 15 and 63:17 reserved. */
NVMX_PRED(guest_pending_dbg_reserved)
{
	return !(e->v->guest_pending_dbg &
		 (0xff0ull | NVMX_BIT(13) | NVMX_BIT(15) | ~0x1ffffull));
}

/* The BS checks apply with STI or MOV-SS blocking or in HLT. */
static bool bs_rule_applies(const struct nvmx_eval *e)
{
	return (intr(e) & INTR_BLOCKING) || e->v->guest_activity_state == ACTIVITY_HLT;
}

static bool tf_single_step(const struct nvmx_eval *e)
{
	return (e->v->guest_rflags & NVMX_BIT(8)) && !(e->v->guest_debugctl & NVMX_BIT(1));
}

NVMX_PRED(guest_pending_dbg_bs_set)
{
	return !bs_rule_applies(e) || !tf_single_step(e) ||
	       (e->v->guest_pending_dbg & PENDING_DBG_BS);
}

NVMX_PRED(guest_pending_dbg_bs_clear)
{
	return !bs_rule_applies(e) || tf_single_step(e) ||
	       !(e->v->guest_pending_dbg & PENDING_DBG_BS);
}

/* RTM (bit 16): only bit 12 beside it, RTM supported, no MOV-SS blocking. */
NVMX_PRED(guest_pending_dbg_rtm)
{
	uint64_t p = e->v->guest_pending_dbg;

	if (!(p & PENDING_DBG_RTM))
		return true;
	return (p & ~PENDING_DBG_RTM) == PENDING_DBG_BP_ENABLED && e->caps->rtm &&
	       !(intr(e) & INTERRUPTIBILITY_MOV_SS);
}

static bool link_used(const struct nvmx_eval *e)
{
	return e->v->link_pointer != ~0ull;
}

NVMX_PRED(guest_link_aligned)
{
	return !link_used(e) || !(e->v->link_pointer & 0xfff);
}

NVMX_PRED(guest_link_width)
{
	return !link_used(e) || !(e->v->link_pointer >> e->caps->maxphyaddr);
}

/* nestor safety: the revision identifier at the link pointer must be L1 RAM. */
NVMX_PRED(link_in_ram)
{
	return !link_used(e) || e->env->read(e->env->ctx, e->v->link_pointer, &e->link_rev, 4);
}

NVMX_PRED(guest_link_revision)
{
	return !link_used(e) ||
	       (e->link_rev & VMX_BASIC_REVISION_MASK) ==
		       (e->caps->msrs.basic & VMX_BASIC_REVISION_MASK);
}

NVMX_PRED(guest_link_shadow)
{
	return !link_used(e) ||
	       !!(e->link_rev & (1u << 31)) == !!(e->proc2 & PROC2_VMCS_SHADOWING);
}

NVMX_PRED(guest_link_not_current)
{
	return !link_used(e) || e->v->link_pointer != e->env->vmcs12_gpa;
}

/* PAE paging: CR0.PG, CR4.PAE, not IA-32e (26.3.1.6). */
static bool pae_paging(const struct nvmx_eval *e)
{
	return (e->v->guest_cr0 & NVMX_BIT(31)) && (e->v->guest_cr4 & NVMX_BIT(5)) &&
	       !nvmx_ia32e_guest(e);
}

/* A present PDPTE has bits 2:1, 8:5 and 63:MAXPHYADDR clear (SDM 4.4.1). */
static bool pdpte_ok(const struct nvmx_eval *e, uint64_t p)
{
	return !(p & 1) || (!(p & 0x1e6ull) && !(p >> e->caps->maxphyaddr));
}

/* nestor safety: without EPT the PDPTEs are read from the table at guest CR3. */
NVMX_PRED(pdpt_in_ram)
{
	if (!pae_paging(e) || (e->proc2 & PROC2_EPT))
		return true;
	return e->env->read(e->env->ctx, e->v->guest_cr3 & 0xffffffe0ull, e->pdpte, 32);
}

NVMX_PRED(guest_pdpte_memory)
{
	return !pae_paging(e) || (e->proc2 & PROC2_EPT) || pdpte_ok(e, e->pdpte[arg]);
}

NVMX_PRED(guest_pdpte_field)
{
	const uint64_t f[4] = { e->v->guest_pdpte0, e->v->guest_pdpte1, e->v->guest_pdpte2,
				e->v->guest_pdpte3 };
	return !pae_paging(e) || !(e->proc2 & PROC2_EPT) || pdpte_ok(e, f[arg]);
}

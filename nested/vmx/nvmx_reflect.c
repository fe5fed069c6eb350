/* nvmx_reflect: an exit from L2 into vmcs12 (27.2, 27.3) and L1's state from its host area (27.5). */
#include "nested/vmx/nvmx_exit.h"

#define CR0_KEPT 0xffffffff7ffaffd0ull	/* 63:32, CD, NW, 28:19, 17, 15:6, ET (27.5.1) */
#define CR4_PAE (1ull << 5)
#define CR0_PG (1ull << 31)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)

void nvmx_save_exit(struct vmcs12 *v12, const struct vmcs12 *v02, const struct nvmx_exit *e)
{
	uint64_t dr7 = v12->guest_dr7, debugctl = v12->guest_debugctl;
	uint64_t pat = v12->guest_pat, efer = v12->guest_efer;
	uint64_t pdpte[4] = { v12->guest_pdpte0, v12->guest_pdpte1, v12->guest_pdpte2,
			      v12->guest_pdpte3 };
	uint64_t link = v12->link_pointer, timer = v12->preemption_timer;
	bool ept = nvmx_proc2(v12) & PROC2_EPT;

	vmcs12_copy_guest(v12, v02);
	/* Fields whose saving a control decides, and those a VM exit never writes. */
	if (!(v12->exit_controls & EXIT_SAVE_DEBUG_CONTROLS))
		v12->guest_dr7 = dr7, v12->guest_debugctl = debugctl;
	if (!(v12->exit_controls & EXIT_SAVE_PAT))
		v12->guest_pat = pat;
	if (!(v12->exit_controls & EXIT_SAVE_EFER))
		v12->guest_efer = efer;
	if (!ept || (v02->guest_efer & EFER_LMA) || !(v02->guest_cr4 & CR4_PAE) ||
	    !(v02->guest_cr0 & CR0_PG)) {
		v12->guest_pdpte0 = pdpte[0], v12->guest_pdpte1 = pdpte[1];
		v12->guest_pdpte2 = pdpte[2], v12->guest_pdpte3 = pdpte[3];
	}
	v12->link_pointer = link;
	v12->preemption_timer = timer;
	/* 27.2 end: "IA-32e mode guest" holds EFER.LMA (IA32_VMX_MISC[5]). */
	v12->entry_controls = (v12->entry_controls & ~ENTRY_IA32E_GUEST) |
			      ((v02->guest_efer & EFER_LMA) ? ENTRY_IA32E_GUEST : 0);
	v12->entry_intr_info &= ~INTR_INFO_VALID;
	v12->exit_reason = e->reason;
	v12->exit_qualification = e->qual;
	v12->guest_linear_address = e->guest_linear;
	v12->guest_physical_address = e->guest_phys;
	v12->exit_intr_info = e->intr_info;
	v12->exit_intr_error = e->intr_error;
	v12->idt_vectoring_info = e->idt_info;
	v12->idt_vectoring_error = e->idt_error;
	v12->exit_instruction_len = e->insn_len;
	v12->exit_instruction_info = e->insn_info;
}

/* 27.5.2: a data segment of the host: usable with a non-null selector (base 0, 4 GiB,
 * read/write accessed, DPL 0, D/B and G set), else unusable. */
static void host_data_seg(uint16_t sel, uint16_t *s, uint64_t *base, uint32_t *limit,
			  uint32_t *ar)
{
	*s = sel;
	*base = 0;
	*limit = 0xffffffff;
	*ar = sel ? 0xc093 : 0x1c093;
}

static void host_segments(const struct vmcs12 *v, struct vmcs12 *l1, bool l64)
{
	l1->guest_cs_sel = v->host_cs_sel;
	l1->guest_cs_base = 0;
	l1->guest_cs_limit = 0xffffffff;
	l1->guest_cs_ar = 0x809b | (l64 ? AR_L : AR_DB) | AR_G;
	host_data_seg(v->host_ss_sel, &l1->guest_ss_sel, &l1->guest_ss_base, &l1->guest_ss_limit,
		      &l1->guest_ss_ar);
	host_data_seg(v->host_ds_sel, &l1->guest_ds_sel, &l1->guest_ds_base, &l1->guest_ds_limit,
		      &l1->guest_ds_ar);
	host_data_seg(v->host_es_sel, &l1->guest_es_sel, &l1->guest_es_base, &l1->guest_es_limit,
		      &l1->guest_es_ar);
	host_data_seg(v->host_fs_sel, &l1->guest_fs_sel, &l1->guest_fs_base, &l1->guest_fs_limit,
		      &l1->guest_fs_ar);
	host_data_seg(v->host_gs_sel, &l1->guest_gs_sel, &l1->guest_gs_base, &l1->guest_gs_limit,
		      &l1->guest_gs_ar);
	l1->guest_fs_base = v->host_fs_base;
	l1->guest_gs_base = v->host_gs_base;
	l1->guest_tr_sel = v->host_tr_sel;
	l1->guest_tr_base = v->host_tr_base;
	l1->guest_tr_limit = 0x67;
	l1->guest_tr_ar = 0x8b;
	l1->guest_ldtr_sel = 0;
	l1->guest_ldtr_base = 0;
	l1->guest_ldtr_limit = 0;
	l1->guest_ldtr_ar = AR_UNUSABLE;
	l1->guest_gdtr_base = v->host_gdtr_base;
	l1->guest_idtr_base = v->host_idtr_base;
	l1->guest_gdtr_limit = l1->guest_idtr_limit = 0xffff;
}

void nvmx_host_state(const struct vmcs12 *v12, const struct vmcs12 *l2,
		     const struct nvmx_caps *caps, bool nmi_exit, struct vmcs12 *l1)
{
	const struct vmx_cap_msrs *m = &caps->msrs;
	bool l64 = v12->exit_controls & EXIT_HOST_ADDR_SPACE_SIZE;

	vmcs12_clear(l1);
	/* Bits a VM exit does not load keep L2's value; those fixed in VMX operation keep
	 * their fixed value (unrestricted guest relaxes L2, never L1). */
	l1->guest_cr0 = (((v12->host_cr0 & ~CR0_KEPT) | (l2->guest_cr0 & CR0_KEPT)) |
			 m->cr0_fixed0) & m->cr0_fixed1;
	l1->guest_cr3 = v12->host_cr3 & ((1ull << caps->maxphyaddr) - 1);
	l1->guest_cr4 = ((v12->host_cr4 | m->cr4_fixed0) & m->cr4_fixed1) | (l64 ? CR4_PAE : 0);
	l1->guest_dr7 = 0x400;
	l1->guest_debugctl = 0;
	l1->guest_sysenter_cs = v12->host_sysenter_cs;
	l1->guest_sysenter_esp = v12->host_sysenter_esp;
	l1->guest_sysenter_eip = v12->host_sysenter_eip;
	if (v12->exit_controls & EXIT_LOAD_EFER)
		l1->guest_efer = v12->host_efer;
	else
		l1->guest_efer = (l2->guest_efer & ~(EFER_LMA | EFER_LME)) |
				 (l64 ? EFER_LMA | EFER_LME : 0);
	l1->guest_pat = (v12->exit_controls & EXIT_LOAD_PAT) ? v12->host_pat : l2->guest_pat;
	l1->entry_controls = (l1->guest_efer & EFER_LMA) ? ENTRY_IA32E_GUEST : 0;
	host_segments(v12, l1, l64);
	l1->guest_rip = v12->host_rip;
	l1->guest_rsp = v12->host_rsp;
	l1->guest_rflags = 2;
	l1->guest_interruptibility = nmi_exit ? INTERRUPTIBILITY_NMI : 0;
	l1->guest_activity_state = ACTIVITY_ACTIVE;
	l1->guest_pending_dbg = 0;
	l1->link_pointer = ~0ull;
}

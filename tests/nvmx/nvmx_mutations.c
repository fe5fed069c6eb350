/* nvmx_mutations: for every check-table row, the change to the valid vmcs12 that breaks it alone. */
#include "tests/nvmx/nvmx_cases.h"

#include "arch/x86/vmx/vmx_caps.h"
#include "lib/string.h"

#define NONCANON 0x0000800000000000ull
#define BIT(n) (1ull << (n))
#define MUT(n) static void n(const struct nvmx_case *c)

static uint64_t true_or(const struct nvmx_caps *k, uint64_t plain, uint64_t tru)
{
	return (k->msrs.basic & VMX_BASIC_TRUE_CTLS) ? tru : plain;
}

/* Sets a bit the MSR does not allow, or clears one it forces. */
static void break_ctl(uint32_t *f, uint64_t msr)
{
	for (int b = 31; b >= 0; b--)
		if (!(VMX_CTL_MAY1(msr) & (1u << b))) {
			*f |= 1u << b;
			return;
		}
	for (int b = 0; b < 32; b++)
		if (VMX_CTL_MUST1(msr) & (1u << b)) {
			*f &= ~(1u << b);
			return;
		}
}

static uint16_t *sel(struct vmcs12 *v, int s)
{
	uint16_t *x[8] = { &v->guest_es_sel, &v->guest_cs_sel, &v->guest_ss_sel, &v->guest_ds_sel,
			   &v->guest_fs_sel, &v->guest_gs_sel, &v->guest_ldtr_sel, &v->guest_tr_sel };
	return x[s];
}

static uint64_t *base(struct vmcs12 *v, int s)
{
	uint64_t *x[8] = { &v->guest_es_base, &v->guest_cs_base, &v->guest_ss_base,
			   &v->guest_ds_base, &v->guest_fs_base, &v->guest_gs_base,
			   &v->guest_ldtr_base, &v->guest_tr_base };
	return x[s];
}

static uint32_t *limit(struct vmcs12 *v, int s)
{
	uint32_t *x[8] = { &v->guest_es_limit, &v->guest_cs_limit, &v->guest_ss_limit,
			   &v->guest_ds_limit, &v->guest_fs_limit, &v->guest_gs_limit,
			   &v->guest_ldtr_limit, &v->guest_tr_limit };
	return x[s];
}

static uint32_t *ar(struct vmcs12 *v, int s)
{
	uint32_t *x[8] = { &v->guest_es_ar, &v->guest_cs_ar, &v->guest_ss_ar, &v->guest_ds_ar,
			   &v->guest_fs_ar, &v->guest_gs_ar, &v->guest_ldtr_ar, &v->guest_tr_ar };
	return x[s];
}

/* RFLAGS.VM with consistent v86 segments: base = selector << 4, limit FFFFH, AR F3H. */
static void make_v86(struct vmcs12 *v)
{
	for (int s = VMCS_SEG_ES; s <= VMCS_SEG_GS; s++) {
		*sel(v, s) = (uint16_t)(0x1000 + 0x100 * s);
		*base(v, s) = (uint64_t)*sel(v, s) << 4;
		*limit(v, s) = 0xffff;
		*ar(v, s) = 0xf3;
	}
	v->guest_rflags |= BIT(17);
}

/* A 32-bit protected-mode guest with PAE paging (CR0.PG, CR4.PAE kept). */
static void make32(const struct nvmx_case *c)
{
	c->v->entry_controls &= ~ENTRY_IA32E_GUEST;
	c->v->guest_efer &= ~0x500ull;
	c->v->guest_cs_ar = 0xc09b;
}

/* PAE paging without EPT: the PDPTEs come from the table at guest CR3. */
static void make_pae_no_ept(const struct nvmx_case *c)
{
	make32(c);
	c->v->proc2_controls &= ~PROC2_EPT;
	c->v->guest_cr3 = c->l->pdpt;
}

static void ldtr_usable(struct vmcs12 *v)
{
	v->guest_ldtr_sel = 0x20;
	v->guest_ldtr_ar = 0x82;
	v->guest_ldtr_limit = 0xffff;
}

static void write_mem(const struct nvmx_case *c, uint64_t gpa, const void *p, unsigned len)
{
	memcpy(c->l->ptr(c->l->ctx, gpa, len), p, len);
}

static uint64_t beyond(const struct nvmx_case *c)
{
	return 1ull << c->caps->maxphyaddr;
}

static void inject(const struct nvmx_case *c, uint32_t type, uint32_t vector)
{
	c->v->entry_intr_info = INTR_INFO_VALID | type | vector;
}

/* ---- 26.2.1.1 ---- */
MUT(pin_reserved) { break_ctl(&c->v->pin_controls, true_or(c->caps, c->caps->msrs.pin, c->caps->msrs.true_pin)); }
MUT(proc_reserved) { break_ctl(&c->v->proc_controls, true_or(c->caps, c->caps->msrs.proc, c->caps->msrs.true_proc)); }
MUT(proc2_reserved) { break_ctl(&c->v->proc2_controls, c->caps->msrs.proc2); }
MUT(cr3_target_count) { c->v->cr3_target_count = VMX_MISC_CR3_TARGETS(c->caps->msrs.misc) + 1; }
MUT(io_bitmap_a) { c->v->io_bitmap_a |= 0x800; }
MUT(io_bitmap_b) { c->v->io_bitmap_b = beyond(c); }
MUT(msr_bitmap) { c->v->msr_bitmap |= 0x10; }
MUT(vapic_addr) { c->v->virtual_apic_page |= 0x100; }
MUT(tpr_threshold_reserved) { c->v->tpr_threshold |= 0x10; }
MUT(vapic_not_ram) { c->v->virtual_apic_page = c->l->not_ram; }
MUT(tpr_vs_vtpr) { uint8_t x = 0x10; write_mem(c, c->l->vapic + 0x80, &x, 1); }
MUT(vnmi_needs_nmi_exiting) { c->v->pin_controls &= ~PIN_NMI_EXITING; }
MUT(nmi_window_needs_vnmi)
{
	c->v->pin_controls &= ~PIN_VIRTUAL_NMIS;
	c->v->proc_controls |= PROC_NMI_WINDOW_EXITING;
}
MUT(apic_access_addr)
{
	c->v->proc2_controls |= PROC2_VIRT_APIC_ACCESSES;
	c->v->apic_access_addr |= 0x80;
}
MUT(apicv_needs_tpr_shadow)
{
	c->v->proc_controls &= ~PROC_TPR_SHADOW;
	c->v->proc2_controls |= PROC2_VIRT_X2APIC;
}
MUT(x2apic_vs_vaa) { c->v->proc2_controls |= PROC2_VIRT_X2APIC | PROC2_VIRT_APIC_ACCESSES; }
MUT(vid_needs_extint)
{
	c->v->proc2_controls |= PROC2_VIRT_INTR_DELIVERY;
	c->v->pin_controls &= ~PIN_EXTINT_EXITING;
}
MUT(posted_needs_vid) { c->v->pin_controls |= PIN_POSTED_INTERRUPTS; }
static void posted(const struct nvmx_case *c)
{
	c->v->pin_controls |= PIN_POSTED_INTERRUPTS;
	c->v->proc2_controls |= PROC2_VIRT_INTR_DELIVERY;
}
MUT(posted_needs_ack) { posted(c); c->v->exit_controls &= ~EXIT_ACK_INTR_ON_EXIT; }
MUT(posted_vector) { posted(c); c->v->posted_intr_nv = 0x1f2; }
MUT(posted_desc) { posted(c); c->v->posted_intr_desc |= 0x20; }
MUT(vpid_zero) { c->v->vpid = 0; }
MUT(eptp_memtype) { c->v->ept_pointer = (c->v->ept_pointer & ~7ull) | 2; }
MUT(eptp_walk) { c->v->ept_pointer = (c->v->ept_pointer & ~EPTP_WALK_MASK) | (1u << EPTP_WALK_SHIFT); }
MUT(eptp_ad) { c->v->ept_pointer |= EPTP_AD; }
MUT(eptp_reserved) { c->v->ept_pointer |= 0x80; }
MUT(pml_needs_ept) { c->v->proc2_controls = (c->v->proc2_controls | PROC2_PML) & ~PROC2_EPT; }
MUT(pml_addr) { c->v->proc2_controls |= PROC2_PML; c->v->pml_address |= 0x40; }
MUT(ug_needs_ept)
{
	c->v->proc2_controls = (c->v->proc2_controls | PROC2_UNRESTRICTED_GUEST) & ~PROC2_EPT;
}
MUT(mbe_needs_ept)
{
	c->v->proc2_controls = (c->v->proc2_controls | PROC2_MODE_BASED_EPT) & ~PROC2_EPT;
}
MUT(vmfunc_reserved) { c->v->proc2_controls |= PROC2_VMFUNC; c->v->vmfunc_controls = BIT(63); }
MUT(eptp_switch_needs_ept)
{
	c->v->proc2_controls = (c->v->proc2_controls | PROC2_VMFUNC) & ~PROC2_EPT;
	c->v->vmfunc_controls = VMFUNC_EPTP_SWITCHING;
}
MUT(eptp_list_addr)
{
	c->v->proc2_controls |= PROC2_VMFUNC;
	c->v->vmfunc_controls = VMFUNC_EPTP_SWITCHING;
	c->v->eptp_list_addr |= 0x8;
}
MUT(vmread_bitmap) { c->v->proc2_controls |= PROC2_VMCS_SHADOWING; c->v->vmread_bitmap |= 1; }
MUT(vmwrite_bitmap) { c->v->proc2_controls |= PROC2_VMCS_SHADOWING; c->v->vmwrite_bitmap = beyond(c); }
MUT(ve_info_addr) { c->v->proc2_controls |= PROC2_EPT_VE; c->v->ve_info_addr |= 0x4; }

/* ---- 26.2.1.2 ---- */
MUT(exit_reserved) { break_ctl(&c->v->exit_controls, true_or(c->caps, c->caps->msrs.exit, c->caps->msrs.true_exit)); }
MUT(exit_save_timer) { c->v->exit_controls |= EXIT_SAVE_PREEMPTION_TIMER; }
MUT(exit_store_addr) { c->v->exit_msr_store_count = 1; c->v->exit_msr_store_addr |= 8; }
MUT(exit_store_end) { c->v->exit_msr_store_count = 2; c->v->exit_msr_store_addr = beyond(c) - 16; }
MUT(exit_load_addr) { c->v->exit_msr_load_count = 1; c->v->exit_msr_load_addr = beyond(c); }
MUT(exit_load_end) { c->v->exit_msr_load_count = 3; c->v->exit_msr_load_addr = beyond(c) - 32; }

/* ---- 26.2.1.3 ---- */
MUT(entry_reserved) { break_ctl(&c->v->entry_controls, true_or(c->caps, c->caps->msrs.entry, c->caps->msrs.true_entry)); }
MUT(inject_type) { inject(c, 1u << 8, 0); }
MUT(inject_nmi_vector) { inject(c, INTR_TYPE_NMI, 3); }
MUT(inject_hw_vector) { inject(c, INTR_TYPE_HW_EXCEPTION, 32); }
MUT(inject_other_vector) { inject(c, INTR_TYPE_OTHER_EVENT, 1); }
MUT(inject_errcode_required) { inject(c, INTR_TYPE_HW_EXCEPTION, 13); }
MUT(inject_errcode_forbidden) { inject(c, INTR_TYPE_HW_EXCEPTION | INTR_INFO_ERROR_VALID, 6); }
MUT(inject_info_reserved) { inject(c, INTR_TYPE_HW_EXCEPTION | (1u << 12), 6); }
MUT(inject_errcode_reserved)
{
	inject(c, INTR_TYPE_HW_EXCEPTION | INTR_INFO_ERROR_VALID, 13);
	c->v->entry_exception_error = 0x10000;
}
MUT(inject_len) { inject(c, INTR_TYPE_SW_INTERRUPT, 0x80); c->v->entry_instruction_len = 16; }
MUT(entry_load_addr) { c->v->entry_msr_load_addr |= 8; }
MUT(entry_load_end) { c->v->entry_msr_load_addr = beyond(c) - 16; }
MUT(entry_smm) { c->v->entry_controls |= ENTRY_DEACTIVATE_DUAL_MONITOR; }

/* ---- 26.2.2-26.2.4 ---- */
MUT(host_cr0) { c->v->host_cr0 &= ~BIT(5); }
MUT(host_cr4) { c->v->host_cr4 &= ~BIT(13); }
MUT(host_cr3) { c->v->host_cr3 |= beyond(c); }
MUT(host_esp) { c->v->host_sysenter_esp = NONCANON; }
MUT(host_eip) { c->v->host_sysenter_eip = NONCANON; }
MUT(host_perf)
{
	c->v->exit_controls |= EXIT_LOAD_PERF_GLOBAL_CTRL;
	c->v->host_perf_global_ctrl = BIT(40);
}
MUT(host_pat) { c->v->host_pat = 0x0007040600070402ull; }
MUT(host_efer_reserved) { c->v->host_efer |= BIT(2); }
MUT(host_efer_lma) { c->v->host_efer &= ~BIT(10); }
MUT(host_efer_lme) { c->v->host_efer &= ~BIT(8); }
MUT(host_es_sel) { c->v->host_es_sel |= 3; }
MUT(host_cs_sel) { c->v->host_cs_sel |= 4; }
MUT(host_ss_sel) { c->v->host_ss_sel |= 1; }
MUT(host_ds_sel) { c->v->host_ds_sel |= 2; }
MUT(host_fs_sel) { c->v->host_fs_sel |= 4; }
MUT(host_gs_sel) { c->v->host_gs_sel |= 3; }
MUT(host_tr_sel) { c->v->host_tr_sel |= 4; }
MUT(host_cs_zero) { c->v->host_cs_sel = 0; }
MUT(host_tr_zero) { c->v->host_tr_sel = 0; }
static void host32(const struct nvmx_case *c)
{
	c->v->exit_controls &= ~EXIT_HOST_ADDR_SPACE_SIZE;
	c->v->host_efer &= ~0x500ull;
}
MUT(host_ss_zero) { host32(c); c->v->host_ss_sel = 0; }
MUT(host_fs_base) { c->v->host_fs_base = NONCANON; }
MUT(host_gs_base) { c->v->host_gs_base = NONCANON; }
MUT(host_gdtr_base) { c->v->host_gdtr_base = NONCANON; }
MUT(host_idtr_base) { c->v->host_idtr_base = NONCANON; }
MUT(host_tr_base) { c->v->host_tr_base = NONCANON; }
MUT(host_outside) { c->env->l1_lma = false; }
MUT(host_inside) { host32(c); }
static void l1_32(const struct nvmx_case *c)
{
	c->env->l1_lma = false;
	host32(c);
	make32(c);
}
MUT(host32_pcide) { l1_32(c); c->v->host_cr4 |= BIT(17); }
MUT(host32_rip) { l1_32(c); c->v->host_rip |= BIT(32); }
MUT(host64_pae) { c->v->host_cr4 &= ~BIT(5); }
MUT(host64_rip) { c->v->host_rip = NONCANON; }

/* ---- 26.3.1.1 ---- */
MUT(guest_cr0) { c->v->guest_cr0 &= ~BIT(5); }
MUT(guest_pg_pe) { c->v->proc2_controls |= PROC2_UNRESTRICTED_GUEST; c->v->guest_cr0 &= ~BIT(0); }
MUT(guest_cr4) { c->v->guest_cr4 &= ~BIT(13); }
MUT(guest_debugctl)
{
	c->v->entry_controls |= ENTRY_LOAD_DEBUG_CONTROLS;
	c->v->guest_debugctl = BIT(2);
}
MUT(guest_ia32e_pg) { c->v->proc2_controls |= PROC2_UNRESTRICTED_GUEST; c->v->guest_cr0 &= ~BIT(31); }
MUT(guest_ia32e_pae) { c->v->guest_cr4 &= ~BIT(5); }
MUT(guest_pcide) { make32(c); c->v->guest_cr4 |= BIT(17); }
MUT(guest_cr3) { c->v->guest_cr3 |= beyond(c); }
MUT(guest_dr7) { c->v->entry_controls |= ENTRY_LOAD_DEBUG_CONTROLS; c->v->guest_dr7 |= BIT(32); }
MUT(guest_esp) { c->v->guest_sysenter_esp = NONCANON; }
MUT(guest_eip) { c->v->guest_sysenter_eip = NONCANON; }
MUT(guest_perf)
{
	c->v->entry_controls |= ENTRY_LOAD_PERF_GLOBAL_CTRL;
	c->v->guest_perf_global_ctrl = BIT(40);
}
MUT(guest_pat) { c->v->guest_pat = 0x0207040600070406ull; }
MUT(guest_efer_reserved) { c->v->guest_efer |= BIT(2); }
MUT(guest_efer_lma) { c->v->guest_efer &= ~BIT(10); }
MUT(guest_efer_lme) { c->v->guest_efer &= ~BIT(8); }
MUT(guest_bndcfgs) { c->v->entry_controls |= ENTRY_LOAD_BNDCFGS; c->v->guest_bndcfgs = 4; }

/* ---- 26.3.1.2 ---- */
MUT(tr_ti) { c->v->guest_tr_sel |= 4; }
MUT(ldtr_ti) { ldtr_usable(c->v); c->v->guest_ldtr_sel |= 4; }
MUT(ss_rpl) { c->v->guest_ss_sel |= 3; }

#define SEGS(X) X(cs, VMCS_SEG_CS) X(ss, VMCS_SEG_SS) X(ds, VMCS_SEG_DS) X(es, VMCS_SEG_ES) \
	X(fs, VMCS_SEG_FS) X(gs, VMCS_SEG_GS)
#define DATA_SEGS(X) X(ds, VMCS_SEG_DS) X(es, VMCS_SEG_ES) X(fs, VMCS_SEG_FS) X(gs, VMCS_SEG_GS)

#define V86_MUTS(n, s) \
	MUT(n##_v86_base) { make_v86(c->v); *base(c->v, s) += 0x10; } \
	MUT(n##_v86_limit) { make_v86(c->v); *limit(c->v, s) = 0xfffff; } \
	MUT(n##_v86_ar) { make_v86(c->v); *ar(c->v, s) = 0xf2; } \
	MUT(n##_s) { *ar(c->v, s) &= ~AR_S; } \
	MUT(n##_p) { *ar(c->v, s) &= ~AR_P; } \
	MUT(n##_ar_reserved) { *ar(c->v, s) |= 0x100; } \
	MUT(n##_granularity) { *limit(c->v, s) = 0xffffe; }
SEGS(V86_MUTS)

#define DATA_MUTS(n, s) \
	MUT(n##_type) { *ar(c->v, s) = (*ar(c->v, s) & ~0xfu) | 2; } \
	MUT(n##_dpl) { *sel(c->v, s) |= 3; }
DATA_SEGS(DATA_MUTS)

MUT(tr_base) { c->v->guest_tr_base = NONCANON; }
MUT(fs_base) { c->v->guest_fs_base = NONCANON; }
MUT(gs_base) { c->v->guest_gs_base = NONCANON; }
MUT(ldtr_base) { ldtr_usable(c->v); c->v->guest_ldtr_base = NONCANON; }
MUT(cs_base_high) { c->v->guest_cs_base = BIT(32); }
MUT(ss_base_high) { c->v->guest_ss_base = BIT(32); }
MUT(ds_base_high) { c->v->guest_ds_base = BIT(33); }
MUT(es_base_high) { c->v->guest_es_base = BIT(40); }
MUT(cs_type) { c->v->guest_cs_ar = (c->v->guest_cs_ar & ~0xfu) | 1; }
MUT(ss_type) { c->v->guest_ss_ar = (c->v->guest_ss_ar & ~0xfu) | 1; }
MUT(cs_dpl) { c->v->guest_cs_ar |= 3u << AR_DPL_SHIFT; }
MUT(ss_dpl_rpl) { c->v->guest_cs_ar |= 3u << AR_DPL_SHIFT; c->v->guest_ss_ar |= 3u << AR_DPL_SHIFT; }
MUT(ss_dpl_zero)
{
	c->v->proc2_controls |= PROC2_UNRESTRICTED_GUEST;
	c->v->guest_cs_ar = (c->v->guest_cs_ar & ~0xfu) | 3;
	c->v->guest_ss_ar |= 3u << AR_DPL_SHIFT;
}
MUT(cs_l_db) { c->v->guest_cs_ar |= AR_DB; }
MUT(tr_type) { c->v->guest_tr_ar = (c->v->guest_tr_ar & ~0xfu) | 3; }
MUT(tr_s) { c->v->guest_tr_ar |= AR_S; }
MUT(tr_p) { c->v->guest_tr_ar &= ~AR_P; }
MUT(tr_ar_reserved) { c->v->guest_tr_ar |= BIT(17); }
MUT(tr_granularity) { c->v->guest_tr_ar |= AR_G; }
MUT(tr_usable) { c->v->guest_tr_ar |= AR_UNUSABLE; }
MUT(ldtr_type) { ldtr_usable(c->v); c->v->guest_ldtr_ar = 0x83; }
MUT(ldtr_s) { ldtr_usable(c->v); c->v->guest_ldtr_ar |= AR_S; }
MUT(ldtr_p) { ldtr_usable(c->v); c->v->guest_ldtr_ar &= ~AR_P; }
MUT(ldtr_ar_reserved) { ldtr_usable(c->v); c->v->guest_ldtr_ar |= 0x800; }
MUT(ldtr_granularity) { ldtr_usable(c->v); c->v->guest_ldtr_limit = 0x100000; }

/* ---- 26.3.1.3-26.3.1.4 ---- */
MUT(gdtr_base) { c->v->guest_gdtr_base = NONCANON; }
MUT(idtr_base) { c->v->guest_idtr_base = NONCANON; }
MUT(gdtr_limit) { c->v->guest_gdtr_limit = 0x10000; }
MUT(idtr_limit) { c->v->guest_idtr_limit = 0x20000; }
MUT(rip_high) { c->v->guest_cs_ar = 0xc09b; c->v->guest_rip |= BIT(32); }
MUT(rip_canonical) { c->v->guest_rip = NONCANON; }
MUT(rflags_reserved) { c->v->guest_rflags |= BIT(3); }
MUT(rflags_vm) { make_v86(c->v); }
MUT(rflags_if) { inject(c, INTR_TYPE_EXTERNAL, 0x30); }

/* ---- 26.3.1.5 ---- */
MUT(activity_supported) { c->v->guest_activity_state = 4; }
MUT(activity_hlt_dpl)
{
	c->v->guest_activity_state = ACTIVITY_HLT;
	c->v->guest_cs_sel |= 3;
	c->v->guest_ss_sel |= 3;
	c->v->guest_cs_ar |= 3u << AR_DPL_SHIFT;
	c->v->guest_ss_ar |= 3u << AR_DPL_SHIFT;
}
MUT(activity_blocking)
{
	c->v->guest_activity_state = ACTIVITY_HLT;
	c->v->guest_interruptibility = INTERRUPTIBILITY_STI;
	c->v->guest_rflags |= BIT(9);
}
MUT(activity_injection)
{
	c->v->guest_activity_state = ACTIVITY_HLT;
	inject(c, INTR_TYPE_HW_EXCEPTION, 6);
}
MUT(intr_reserved) { c->v->guest_interruptibility = BIT(5); }
MUT(intr_sti_movss) { c->v->guest_interruptibility = 3; c->v->guest_rflags |= BIT(9); }
MUT(intr_sti_if) { c->v->guest_interruptibility = INTERRUPTIBILITY_STI; }
MUT(intr_extint)
{
	inject(c, INTR_TYPE_EXTERNAL, 0x30);
	c->v->guest_rflags |= BIT(9);
	c->v->guest_interruptibility = INTERRUPTIBILITY_MOV_SS;
}
MUT(intr_nmi_movss) { inject(c, INTR_TYPE_NMI, 2); c->v->guest_interruptibility = INTERRUPTIBILITY_MOV_SS; }
MUT(intr_smi) { c->v->guest_interruptibility = INTERRUPTIBILITY_SMI; }
MUT(intr_vnmi) { inject(c, INTR_TYPE_NMI, 2); c->v->guest_interruptibility = INTERRUPTIBILITY_NMI; }
MUT(intr_enclave) { c->v->guest_interruptibility = INTERRUPTIBILITY_ENCLAVE; }
MUT(pdbg_reserved) { c->v->guest_pending_dbg = BIT(4); }
MUT(pdbg_bs_set)
{
	c->v->guest_interruptibility = INTERRUPTIBILITY_STI;
	c->v->guest_rflags |= BIT(9) | BIT(8);
}
MUT(pdbg_bs_clear)
{
	c->v->guest_interruptibility = INTERRUPTIBILITY_STI;
	c->v->guest_rflags |= BIT(9);
	c->v->guest_pending_dbg = PENDING_DBG_BS;
}
MUT(pdbg_rtm) { c->v->guest_pending_dbg = PENDING_DBG_RTM | PENDING_DBG_BP_ENABLED | 1; }
MUT(link_aligned) { c->v->link_pointer = c->l->shadow | 0x800; }
MUT(link_width) { c->v->link_pointer = beyond(c); }
MUT(link_not_ram) { c->v->link_pointer = c->l->not_ram; }
MUT(link_revision)
{
	uint32_t r = (uint32_t)((c->caps->msrs.basic + 1) & VMX_BASIC_REVISION_MASK);
	write_mem(c, c->l->shadow, &r, 4);
	c->v->link_pointer = c->l->shadow;
}
MUT(link_shadow)
{
	uint32_t r = (uint32_t)(c->caps->msrs.basic & VMX_BASIC_REVISION_MASK) | (1u << 31);
	write_mem(c, c->l->shadow, &r, 4);
	c->v->link_pointer = c->l->shadow;
}
MUT(link_current) { c->v->link_pointer = c->l->vmcs12; }

/* ---- 26.3.1.6 ---- */
MUT(pdpt_not_ram) { make_pae_no_ept(c); c->v->guest_cr3 = c->l->not_ram; }
static void pdpte_mem(const struct nvmx_case *c, int i)
{
	uint64_t bad = 0x3;		/* present, reserved bit 1 */
	make_pae_no_ept(c);
	write_mem(c, c->l->pdpt + 8u * i, &bad, 8);
}
MUT(pdpte0_mem) { pdpte_mem(c, 0); }
MUT(pdpte1_mem) { pdpte_mem(c, 1); }
MUT(pdpte2_mem) { pdpte_mem(c, 2); }
MUT(pdpte3_mem) { pdpte_mem(c, 3); }
MUT(pdpte0_field) { make32(c); c->v->guest_pdpte0 = 0x21; }
MUT(pdpte1_field) { make32(c); c->v->guest_pdpte1 = beyond(c) | 1; }
MUT(pdpte2_field) { make32(c); c->v->guest_pdpte2 = 0x5; }
MUT(pdpte3_field) { make32(c); c->v->guest_pdpte3 = 0x101; }

/* ---- 26.4 (the element is the second one where it can be: qualification 2) ---- */
static void msr_set(const struct nvmx_case *c, unsigned i, uint32_t index, uint32_t rsvd,
		    uint64_t value)
{
	uint8_t e[16];
	memcpy(e, &index, 4);
	memcpy(e + 4, &rsvd, 4);
	memcpy(e + 8, &value, 8);
	write_mem(c, c->l->msr_load + 16ull * i, e, 16);
}
MUT(msr_count) { c->v->entry_msr_load_count = VMX_MISC_MAX_MSR_LIST(c->caps->msrs.misc) + 1; }
MUT(msr_not_ram) { c->v->entry_msr_load_addr = c->l->not_ram; }
MUT(msr_fs_gs) { msr_set(c, 1, 0xc0000101u, 0, 0); }
MUT(msr_x2apic) { c->env->l1_x2apic = true; msr_set(c, 0, 0x808, 0, 0); }
MUT(msr_reserved) { msr_set(c, 1, 0x174, 1, 0); }
MUT(msr_wrmsr) { msr_set(c, 0, 0x175, 0, NONCANON); }

#define SEG_ROWS(n, s) { "guest." #n "_s", n##_s }, { "guest." #n "_p", n##_p }, \
	{ "guest." #n "_ar_reserved", n##_ar_reserved }, \
	{ "guest." #n "_granularity", n##_granularity },
#define V86_ROWS(n, s) { "guest." #n "_v86_base", n##_v86_base }, \
	{ "guest." #n "_v86_limit", n##_v86_limit }, { "guest." #n "_v86_ar", n##_v86_ar },
#define DATA_ROWS(n, s) { "guest." #n "_type", n##_type }, { "guest." #n "_dpl", n##_dpl },

const struct nvmx_mutation nvmx_mutations[] = {
	{ "ctl.pin_reserved", pin_reserved }, { "ctl.proc_reserved", proc_reserved },
	{ "ctl.proc2_reserved", proc2_reserved }, { "ctl.cr3_target_count", cr3_target_count },
	{ "ctl.io_bitmap_a_addr", io_bitmap_a }, { "ctl.io_bitmap_b_addr", io_bitmap_b },
	{ "ctl.msr_bitmap_addr", msr_bitmap }, { "ctl.virtual_apic_addr", vapic_addr },
	{ "ctl.tpr_threshold_reserved", tpr_threshold_reserved },
	{ "safety.virtual_apic_page_ram", vapic_not_ram },
	{ "ctl.tpr_threshold_vs_vtpr", tpr_vs_vtpr },
	{ "ctl.virtual_nmis_need_nmi_exiting", vnmi_needs_nmi_exiting },
	{ "ctl.nmi_window_needs_virtual_nmis", nmi_window_needs_vnmi },
	{ "ctl.apic_access_addr", apic_access_addr },
	{ "ctl.apicv_needs_tpr_shadow", apicv_needs_tpr_shadow },
	{ "ctl.x2apic_virt_vs_apic_access", x2apic_vs_vaa },
	{ "ctl.vid_needs_extint_exiting", vid_needs_extint },
	{ "ctl.posted_intr_needs_vid", posted_needs_vid },
	{ "ctl.posted_intr_needs_ack", posted_needs_ack },
	{ "ctl.posted_intr_vector", posted_vector }, { "ctl.posted_intr_desc_addr", posted_desc },
	{ "ctl.vpid_nonzero", vpid_zero }, { "ctl.eptp_memory_type", eptp_memtype },
	{ "ctl.eptp_walk_length", eptp_walk }, { "ctl.eptp_accessed_dirty", eptp_ad },
	{ "ctl.eptp_reserved", eptp_reserved }, { "ctl.pml_needs_ept", pml_needs_ept },
	{ "ctl.pml_addr", pml_addr }, { "ctl.unrestricted_guest_needs_ept", ug_needs_ept },
	{ "ctl.mode_based_ept_needs_ept", mbe_needs_ept },
	{ "ctl.vmfunc_reserved", vmfunc_reserved },
	{ "ctl.eptp_switching_needs_ept", eptp_switch_needs_ept },
	{ "ctl.eptp_list_addr", eptp_list_addr }, { "ctl.vmread_bitmap_addr", vmread_bitmap },
	{ "ctl.vmwrite_bitmap_addr", vmwrite_bitmap }, { "ctl.ve_info_addr", ve_info_addr },
	{ "ctl.exit_reserved", exit_reserved },
	{ "ctl.exit_save_preemption_timer", exit_save_timer },
	{ "ctl.exit_msr_store_addr", exit_store_addr }, { "ctl.exit_msr_store_end", exit_store_end },
	{ "ctl.exit_msr_load_addr", exit_load_addr }, { "ctl.exit_msr_load_end", exit_load_end },
	{ "ctl.entry_reserved", entry_reserved }, { "ctl.inject_type", inject_type },
	{ "ctl.inject_nmi_vector", inject_nmi_vector },
	{ "ctl.inject_hw_exception_vector", inject_hw_vector },
	{ "ctl.inject_other_vector", inject_other_vector },
	{ "ctl.inject_error_code_required", inject_errcode_required },
	{ "ctl.inject_error_code_forbidden", inject_errcode_forbidden },
	{ "ctl.inject_info_reserved", inject_info_reserved },
	{ "ctl.inject_error_code_reserved", inject_errcode_reserved },
	{ "ctl.inject_instruction_len", inject_len },
	{ "ctl.entry_msr_load_addr", entry_load_addr }, { "ctl.entry_msr_load_end", entry_load_end },
	{ "ctl.entry_smm_outside_smm", entry_smm },
	{ "host.cr0_fixed", host_cr0 }, { "host.cr4_fixed", host_cr4 }, { "host.cr3_width", host_cr3 },
	{ "host.sysenter_esp_canonical", host_esp }, { "host.sysenter_eip_canonical", host_eip },
	{ "host.perf_global_ctrl", host_perf }, { "host.pat", host_pat },
	{ "host.efer_reserved", host_efer_reserved }, { "host.efer_lma", host_efer_lma },
	{ "host.efer_lme", host_efer_lme },
	{ "host.es_sel_rpl_ti", host_es_sel }, { "host.cs_sel_rpl_ti", host_cs_sel },
	{ "host.ss_sel_rpl_ti", host_ss_sel }, { "host.ds_sel_rpl_ti", host_ds_sel },
	{ "host.fs_sel_rpl_ti", host_fs_sel }, { "host.gs_sel_rpl_ti", host_gs_sel },
	{ "host.tr_sel_rpl_ti", host_tr_sel }, { "host.cs_sel_nonzero", host_cs_zero },
	{ "host.tr_sel_nonzero", host_tr_zero }, { "host.ss_sel_nonzero", host_ss_zero },
	{ "host.fs_base_canonical", host_fs_base }, { "host.gs_base_canonical", host_gs_base },
	{ "host.gdtr_base_canonical", host_gdtr_base }, { "host.idtr_base_canonical", host_idtr_base },
	{ "host.tr_base_canonical", host_tr_base },
	{ "host.outside_ia32e", host_outside }, { "host.inside_ia32e", host_inside },
	{ "host.host32_cr4_pcide", host32_pcide }, { "host.host32_rip_high", host32_rip },
	{ "host.host64_cr4_pae", host64_pae }, { "host.host64_rip_canonical", host64_rip },
	{ "guest.cr0_fixed", guest_cr0 }, { "guest.cr0_pg_needs_pe", guest_pg_pe },
	{ "guest.cr4_fixed", guest_cr4 }, { "guest.debugctl_reserved", guest_debugctl },
	{ "guest.ia32e_needs_cr0_pg", guest_ia32e_pg }, { "guest.ia32e_needs_cr4_pae", guest_ia32e_pae },
	{ "guest.cr4_pcide_needs_ia32e", guest_pcide }, { "guest.cr3_width", guest_cr3 },
	{ "guest.dr7_high", guest_dr7 }, { "guest.sysenter_esp_canonical", guest_esp },
	{ "guest.sysenter_eip_canonical", guest_eip }, { "guest.perf_global_ctrl", guest_perf },
	{ "guest.pat", guest_pat }, { "guest.efer_reserved", guest_efer_reserved },
	{ "guest.efer_lma", guest_efer_lma }, { "guest.efer_lme", guest_efer_lme },
	{ "guest.bndcfgs", guest_bndcfgs },
	{ "guest.tr_sel_ti", tr_ti }, { "guest.ldtr_sel_ti", ldtr_ti },
	{ "guest.ss_rpl_eq_cs_rpl", ss_rpl },
	SEGS(V86_ROWS)
	{ "guest.tr_base_canonical", tr_base }, { "guest.fs_base_canonical", fs_base },
	{ "guest.gs_base_canonical", gs_base }, { "guest.ldtr_base_canonical", ldtr_base },
	{ "guest.cs_base_high", cs_base_high }, { "guest.ss_base_high", ss_base_high },
	{ "guest.ds_base_high", ds_base_high }, { "guest.es_base_high", es_base_high },
	{ "guest.cs_type", cs_type }, { "guest.ss_type", ss_type },
	DATA_SEGS(DATA_ROWS)
	SEGS(SEG_ROWS)
	{ "guest.cs_dpl", cs_dpl }, { "guest.ss_dpl_eq_rpl", ss_dpl_rpl },
	{ "guest.ss_dpl_zero", ss_dpl_zero }, { "guest.cs_l_and_db", cs_l_db },
	{ "guest.tr_type", tr_type }, { "guest.tr_s", tr_s }, { "guest.tr_p", tr_p },
	{ "guest.tr_ar_reserved", tr_ar_reserved }, { "guest.tr_granularity", tr_granularity },
	{ "guest.tr_usable", tr_usable }, { "guest.ldtr_type", ldtr_type },
	{ "guest.ldtr_s", ldtr_s }, { "guest.ldtr_p", ldtr_p },
	{ "guest.ldtr_ar_reserved", ldtr_ar_reserved },
	{ "guest.ldtr_granularity", ldtr_granularity },
	{ "guest.gdtr_base_canonical", gdtr_base }, { "guest.idtr_base_canonical", idtr_base },
	{ "guest.gdtr_limit_high", gdtr_limit }, { "guest.idtr_limit_high", idtr_limit },
	{ "guest.rip_high", rip_high }, { "guest.rip_canonical", rip_canonical },
	{ "guest.rflags_reserved", rflags_reserved }, { "guest.rflags_vm", rflags_vm },
	{ "guest.rflags_if_for_extint", rflags_if },
	{ "guest.activity_state_supported", activity_supported },
	{ "guest.activity_hlt_ss_dpl", activity_hlt_dpl },
	{ "guest.activity_blocking", activity_blocking },
	{ "guest.activity_injection", activity_injection },
	{ "guest.intr_reserved", intr_reserved }, { "guest.intr_sti_and_movss", intr_sti_movss },
	{ "guest.intr_sti_without_if", intr_sti_if }, { "guest.intr_extint_injection", intr_extint },
	{ "guest.intr_nmi_injection_movss", intr_nmi_movss }, { "guest.intr_smi", intr_smi },
	{ "guest.intr_vnmi_injection", intr_vnmi }, { "guest.intr_enclave", intr_enclave },
	{ "guest.pending_dbg_reserved", pdbg_reserved },
	{ "guest.pending_dbg_bs_set", pdbg_bs_set }, { "guest.pending_dbg_bs_clear", pdbg_bs_clear },
	{ "guest.pending_dbg_rtm", pdbg_rtm },
	{ "guest.link_pointer_aligned", link_aligned }, { "guest.link_pointer_width", link_width },
	{ "safety.link_pointer_ram", link_not_ram },
	{ "guest.link_pointer_revision", link_revision },
	{ "guest.link_pointer_shadow", link_shadow },
	{ "guest.link_pointer_not_current", link_current },
	{ "safety.pdpt_ram", pdpt_not_ram },
	{ "guest.pdpte0_memory", pdpte0_mem }, { "guest.pdpte1_memory", pdpte1_mem },
	{ "guest.pdpte2_memory", pdpte2_mem }, { "guest.pdpte3_memory", pdpte3_mem },
	{ "guest.pdpte0_field", pdpte0_field }, { "guest.pdpte1_field", pdpte1_field },
	{ "guest.pdpte2_field", pdpte2_field }, { "guest.pdpte3_field", pdpte3_field },
	{ "msr.load_count_limit", msr_count }, { "safety.msr_load_entry_ram", msr_not_ram },
	{ "msr.load_fs_gs_base", msr_fs_gs }, { "msr.load_x2apic", msr_x2apic },
	{ "msr.load_reserved", msr_reserved }, { "msr.load_wrmsr_fault", msr_wrmsr },
};

const unsigned nvmx_mutation_count = sizeof(nvmx_mutations) / sizeof(nvmx_mutations[0]);

const struct nvmx_mutation *nvmx_mutation_find(const char *check)
{
	for (unsigned i = 0; i < nvmx_mutation_count; i++)
		if (!strcmp(nvmx_mutations[i].check, check))
			return &nvmx_mutations[i];
	return NULL;
}

/* nvmx_valid: the valid vmcs12 every mutation starts from: a 64-bit L2 with TPR shadow, EPT, VPID. */
#include "tests/nvmx/nvmx_cases.h"

#include "arch/x86/vmx/vmx_caps.h"
#include "lib/string.h"

/* A control word: what the capability MSR forces, plus what we want where it may be 1. */
static uint32_t ctl(uint64_t msr, uint32_t want)
{
	return VMX_CTL_MUST1(msr) | (want & VMX_CTL_MAY1(msr));
}

static uint64_t true_or(const struct nvmx_caps *c, uint64_t plain, uint64_t tru)
{
	return (c->msrs.basic & VMX_BASIC_TRUE_CTLS) ? tru : plain;
}

static void put32(const struct nvmx_case *c, uint64_t gpa, uint32_t x)
{
	memcpy(c->l->ptr(c->l->ctx, gpa, 4), &x, 4);
}

static void msr_entry(const struct nvmx_case *c, unsigned i, uint32_t index, uint64_t value)
{
	uint8_t *p = c->l->ptr(c->l->ctx, c->l->msr_load + 16ull * i, 16);
	uint32_t zero = 0;

	memcpy(p, &index, 4);
	memcpy(p + 4, &zero, 4);
	memcpy(p + 8, &value, 8);
}

static void valid_controls(const struct nvmx_case *c)
{
	const struct nvmx_caps *k = c->caps;
	struct vmcs12 *v = c->v;

	v->pin_controls = ctl(true_or(k, k->msrs.pin, k->msrs.true_pin),
			      PIN_EXTINT_EXITING | PIN_NMI_EXITING | PIN_VIRTUAL_NMIS);
	v->proc_controls = ctl(true_or(k, k->msrs.proc, k->msrs.true_proc),
			       PROC_HLT_EXITING | PROC_TPR_SHADOW | PROC_IO_BITMAPS |
				       PROC_MSR_BITMAPS | PROC_SECONDARY);
	v->proc2_controls = ctl(k->msrs.proc2, PROC2_EPT | PROC2_VPID);
	v->exit_controls = ctl(true_or(k, k->msrs.exit, k->msrs.true_exit),
			       EXIT_HOST_ADDR_SPACE_SIZE | EXIT_ACK_INTR_ON_EXIT | EXIT_SAVE_PAT |
				       EXIT_LOAD_PAT | EXIT_SAVE_EFER | EXIT_LOAD_EFER);
	v->entry_controls = ctl(true_or(k, k->msrs.entry, k->msrs.true_entry),
				ENTRY_IA32E_GUEST | ENTRY_LOAD_PAT | ENTRY_LOAD_EFER);
	v->io_bitmap_a = c->l->io_a;
	v->io_bitmap_b = c->l->io_b;
	v->msr_bitmap = c->l->msr_bitmap;
	v->virtual_apic_page = c->l->vapic;
	v->apic_access_addr = c->l->apic_access;
	v->posted_intr_desc = c->l->posted_desc;
	v->posted_intr_nv = 0xf2;
	v->pml_address = c->l->pml;
	v->eptp_list_addr = c->l->eptp_list;
	v->vmread_bitmap = c->l->vmread_bitmap;
	v->vmwrite_bitmap = c->l->vmwrite_bitmap;
	v->ve_info_addr = c->l->ve_info;
	v->tpr_threshold = 2;		/* <= VTPR[7:4] = 3 */
	v->vpid = 1;
	v->ept_pointer = c->l->ept_root | (3u << EPTP_WALK_SHIFT) |
			 ((k->msrs.ept_vpid & EPT_CAP_WB) ? VMX_MEMTYPE_WB : VMX_MEMTYPE_UC);
	v->cr3_target_count = 0;
	v->exit_msr_store_addr = c->l->msr_store;
	v->exit_msr_load_addr = c->l->msr_store;
	v->entry_msr_load_addr = c->l->msr_load;
	v->entry_msr_load_count = NVMX_VALID_MSR_LOADS;
	v->link_pointer = ~0ull;
	v->cr0_mask = ~0ull;
	v->cr4_mask = ~0ull;
}

static void valid_host(const struct nvmx_case *c)
{
	const struct nvmx_layout *l = c->l;
	struct vmcs12 *v = c->v;

	v->host_cr0 = l->host_cr0;
	v->host_cr3 = l->host_cr3;
	v->host_cr4 = l->host_cr4;
	v->host_efer = l->host_efer;
	v->host_pat = l->host_pat;
	v->host_cs_sel = l->host_cs;
	v->host_ss_sel = v->host_ds_sel = v->host_es_sel = l->host_ds;
	v->host_fs_sel = v->host_gs_sel = l->host_ds;
	v->host_tr_sel = l->host_tr;
	v->host_tr_base = l->host_tr_base;
	v->host_gdtr_base = l->host_gdt;
	v->host_idtr_base = l->host_idt;
	v->host_rip = l->host_rip;
	v->host_rsp = l->host_rsp;
}

/* Flat 64-bit segments: CS 08 (L), data 10, TR 18 busy 64-bit TSS, LDTR unusable. */
static void valid_guest(const struct nvmx_case *c)
{
	const struct vmx_cap_msrs *m = &c->caps->msrs;
	struct vmcs12 *v = c->v;

	v->guest_cr0 = (0x80000031ull | m->cr0_fixed0) & m->cr0_fixed1;	/* PG NE ET PE */
	v->guest_cr4 = (0x20ull | m->cr4_fixed0) & m->cr4_fixed1;		/* PAE, VMXE */
	v->cr0_shadow = v->guest_cr0;
	v->cr4_shadow = v->guest_cr4 & ~(1ull << 13);
	v->guest_cr3 = c->l->guest_cr3;
	v->guest_dr7 = 0x400;
	v->guest_efer = 0x500 & c->caps->efer_valid;				/* LME LMA */
	v->guest_pat = 0x0007040600070406ull;
	v->guest_es_sel = v->guest_ss_sel = v->guest_ds_sel = 0x10;
	v->guest_fs_sel = v->guest_gs_sel = 0x10;
	v->guest_cs_sel = 0x08;
	v->guest_tr_sel = 0x18;
	v->guest_es_limit = v->guest_cs_limit = v->guest_ss_limit = 0xffffffffu;
	v->guest_ds_limit = v->guest_fs_limit = v->guest_gs_limit = 0xffffffffu;
	v->guest_es_ar = v->guest_ss_ar = v->guest_ds_ar = 0xc093;
	v->guest_fs_ar = v->guest_gs_ar = 0xc093;
	v->guest_cs_ar = 0xa09b;
	v->guest_ldtr_ar = AR_UNUSABLE;
	v->guest_tr_ar = 0x8b;
	v->guest_tr_limit = 0x67;
	v->guest_tr_base = c->l->guest_tss;
	v->guest_gdtr_base = c->l->guest_gdt;
	v->guest_gdtr_limit = 0x27;
	v->guest_idtr_base = c->l->guest_idt;
	v->guest_idtr_limit = 0xfff;
	v->guest_rip = c->l->guest_rip;
	v->guest_rsp = c->l->guest_rsp;
	v->guest_rflags = 2;
	v->guest_activity_state = ACTIVITY_ACTIVE;
}

void nvmx_valid_vmcs12(const struct nvmx_case *c)
{
	memset(c->v, 0, sizeof(*c->v));
	c->v->revision = VMCS12_REVISION;
	valid_controls(c);
	valid_host(c);
	valid_guest(c);
	c->env->l1_lma = true;
	c->env->l1_x2apic = false;
	c->env->vmcs12_gpa = c->l->vmcs12;
	/* VTPR 30H: class 3, above the threshold 2 (26.2.1.1). */
	*(uint8_t *)c->l->ptr(c->l->ctx, c->l->vapic + 0x80, 1) = 0x30;
	put32(c, c->l->vmcs12, (uint32_t)(c->caps->msrs.basic & VMX_BASIC_REVISION_MASK));
	put32(c, c->l->shadow, (uint32_t)(c->caps->msrs.basic & VMX_BASIC_REVISION_MASK));
	memset(c->l->ptr(c->l->ctx, c->l->pdpt, 32), 0, 32);
	/* IA32_SYSENTER_CS then IA32_SYSENTER_ESP, repeated to fill 513 elements. */
	for (unsigned i = 0; i < 513; i++)
		msr_entry(c, i, i & 1 ? 0x175 : 0x174, 0);
}

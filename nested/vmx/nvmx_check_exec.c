/* nvmx_check_exec: predicates for the VM-execution control fields (SDM 26.2.1.1). */
#include "apic/tpr_rule.h"
#include "nested/vmx/nvmx_check_internal.h"
#include "nested/vmx/nvmx_check_preds.h"

NVMX_PRED(pin_reserved)
{
	const struct nvmx_caps *c = e->caps;
	return nvmx_ctl_ok(e->v->pin_controls, nvmx_ctl_msr(c, c->msrs.pin, c->msrs.true_pin));
}

NVMX_PRED(proc_reserved)
{
	const struct nvmx_caps *c = e->caps;
	return nvmx_ctl_ok(e->v->proc_controls, nvmx_ctl_msr(c, c->msrs.proc, c->msrs.true_proc));
}

/* Secondary controls are checked only when activated (else they act as 0). */
NVMX_PRED(proc2_reserved)
{
	return !(e->proc & PROC_SECONDARY) || nvmx_ctl_ok(e->v->proc2_controls, e->caps->msrs.proc2);
}

NVMX_PRED(cr3_target_count)
{
	return e->v->cr3_target_count <= VMX_MISC_CR3_TARGETS(e->caps->msrs.misc);
}

NVMX_PRED(io_bitmap_a)
{
	return !(e->proc & PROC_IO_BITMAPS) || nvmx_page_ok(e, e->v->io_bitmap_a);
}

NVMX_PRED(io_bitmap_b)
{
	return !(e->proc & PROC_IO_BITMAPS) || nvmx_page_ok(e, e->v->io_bitmap_b);
}

NVMX_PRED(msr_bitmap)
{
	return !(e->proc & PROC_MSR_BITMAPS) || nvmx_page_ok(e, e->v->msr_bitmap);
}

NVMX_PRED(vapic_addr)
{
	return !(e->proc & PROC_TPR_SHADOW) || nvmx_page_ok(e, e->v->virtual_apic_page);
}

NVMX_PRED(tpr_threshold_reserved)
{
	if (!(e->proc & PROC_TPR_SHADOW) || (e->proc2 & PROC2_VIRT_INTR_DELIVERY))
		return true;
	return !(e->v->tpr_threshold & ~0xfu);
}

/* The VTPR rule applies with TPR shadow on and both VAA and VID off. */
static bool vtpr_rule_applies(const struct nvmx_eval *e)
{
	return (e->proc & PROC_TPR_SHADOW) &&
	       !(e->proc2 & (PROC2_VIRT_APIC_ACCESSES | PROC2_VIRT_INTR_DELIVERY));
}

/* nestor safety: VTPR (byte 80H of the virtual-APIC page) must be L1 RAM to be read. */
NVMX_PRED(vapic_in_ram)
{
	if (!vtpr_rule_applies(e))
		return true;
	return e->env->read(e->env->ctx, e->v->virtual_apic_page + 0x80, &e->vtpr, 1);
}

NVMX_PRED(tpr_threshold_vs_vtpr)
{
	if (!vtpr_rule_applies(e))
		return true;
	/* The same rule nestor checks before its own entries (apic/tpr_rule.h). Bits 31:4
	 * are ctl.tpr_threshold_reserved's; the rule compares bits 3:0. */
	return apic_tpr_threshold_invariant_ok((uint8_t)(e->v->tpr_threshold & 0xf), e->vtpr);
}

NVMX_PRED(vnmi_needs_nmi_exiting)
{
	return (e->pin & PIN_NMI_EXITING) || !(e->pin & PIN_VIRTUAL_NMIS);
}

NVMX_PRED(nmi_window_needs_vnmi)
{
	return (e->pin & PIN_VIRTUAL_NMIS) || !(e->proc & PROC_NMI_WINDOW_EXITING);
}

NVMX_PRED(apic_access_addr)
{
	return !(e->proc2 & PROC2_VIRT_APIC_ACCESSES) || nvmx_page_ok(e, e->v->apic_access_addr);
}

NVMX_PRED(apicv_needs_tpr_shadow)
{
	return (e->proc & PROC_TPR_SHADOW) ||
	       !(e->proc2 & (PROC2_VIRT_X2APIC | PROC2_APIC_REG_VIRT | PROC2_VIRT_INTR_DELIVERY));
}

NVMX_PRED(x2apic_virt_vs_vaa)
{
	return !(e->proc2 & PROC2_VIRT_X2APIC) || !(e->proc2 & PROC2_VIRT_APIC_ACCESSES);
}

NVMX_PRED(vid_needs_extint_exiting)
{
	return !(e->proc2 & PROC2_VIRT_INTR_DELIVERY) || (e->pin & PIN_EXTINT_EXITING);
}

NVMX_PRED(posted_needs_vid)
{
	return !(e->pin & PIN_POSTED_INTERRUPTS) || (e->proc2 & PROC2_VIRT_INTR_DELIVERY);
}

NVMX_PRED(posted_needs_ack)
{
	return !(e->pin & PIN_POSTED_INTERRUPTS) || (e->exit & EXIT_ACK_INTR_ON_EXIT);
}

NVMX_PRED(posted_vector)
{
	return !(e->pin & PIN_POSTED_INTERRUPTS) || !(e->v->posted_intr_nv & 0xff00);
}

NVMX_PRED(posted_desc_addr)
{
	return !(e->pin & PIN_POSTED_INTERRUPTS) || nvmx_addr_ok(e, e->v->posted_intr_desc, 0x3f);
}

NVMX_PRED(vpid_nonzero)
{
	return !(e->proc2 & PROC2_VPID) || e->v->vpid != 0;
}

NVMX_PRED(eptp_memtype)
{
	uint64_t mt = e->v->ept_pointer & EPTP_MEMTYPE_MASK, cap = e->caps->msrs.ept_vpid;

	if (!(e->proc2 & PROC2_EPT))
		return true;
	return (mt == VMX_MEMTYPE_UC && (cap & EPT_CAP_UC)) ||
	       (mt == VMX_MEMTYPE_WB && (cap & EPT_CAP_WB));
}

/* Bits 5:3 = walk length - 1: 3 (4 levels) or 4 (5 levels), as EPT_VPID_CAP offers. */
NVMX_PRED(eptp_walk_length)
{
	uint64_t w = (e->v->ept_pointer & EPTP_WALK_MASK) >> EPTP_WALK_SHIFT;
	uint64_t cap = e->caps->msrs.ept_vpid;

	if (!(e->proc2 & PROC2_EPT))
		return true;
	return (w == 3 && (cap & EPT_CAP_4LEVEL)) || (w == 4 && (cap & EPT_CAP_5LEVEL));
}

NVMX_PRED(eptp_ad)
{
	return !(e->proc2 & PROC2_EPT) || !(e->v->ept_pointer & EPTP_AD) ||
	       (e->caps->msrs.ept_vpid & EPT_CAP_AD);
}

NVMX_PRED(eptp_reserved)
{
	uint64_t p = e->v->ept_pointer;

	return !(e->proc2 & PROC2_EPT) || (!(p & 0xf80) && !(p >> e->caps->maxphyaddr));
}

NVMX_PRED(pml_needs_ept)
{
	return !(e->proc2 & PROC2_PML) || (e->proc2 & PROC2_EPT);
}

NVMX_PRED(pml_addr)
{
	return !(e->proc2 & PROC2_PML) || nvmx_page_ok(e, e->v->pml_address);
}

NVMX_PRED(ug_needs_ept)
{
	return !(e->proc2 & PROC2_UNRESTRICTED_GUEST) || (e->proc2 & PROC2_EPT);
}

NVMX_PRED(mode_based_ept_needs_ept)
{
	return !(e->proc2 & PROC2_MODE_BASED_EPT) || (e->proc2 & PROC2_EPT);
}

NVMX_PRED(vmfunc_reserved)
{
	return !(e->proc2 & PROC2_VMFUNC) || !(e->v->vmfunc_controls & ~e->caps->msrs.vmfunc);
}

static bool eptp_switching(const struct nvmx_eval *e)
{
	return (e->proc2 & PROC2_VMFUNC) && (e->v->vmfunc_controls & VMFUNC_EPTP_SWITCHING);
}

NVMX_PRED(eptp_switching_needs_ept)
{
	return !eptp_switching(e) || (e->proc2 & PROC2_EPT);
}

NVMX_PRED(eptp_list_addr)
{
	return !eptp_switching(e) || nvmx_page_ok(e, e->v->eptp_list_addr);
}

NVMX_PRED(vmread_bitmap)
{
	return !(e->proc2 & PROC2_VMCS_SHADOWING) || nvmx_page_ok(e, e->v->vmread_bitmap);
}

NVMX_PRED(vmwrite_bitmap)
{
	return !(e->proc2 & PROC2_VMCS_SHADOWING) || nvmx_page_ok(e, e->v->vmwrite_bitmap);
}

NVMX_PRED(ve_info_addr)
{
	return !(e->proc2 & PROC2_EPT_VE) || nvmx_page_ok(e, e->v->ve_info_addr);
}

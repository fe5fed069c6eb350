/* nsvm_merge: vmcb12 + nestor's state -> vmcb02, following what VMRUN loads (APM Vol. 3, VMRUN). */
#include "lib/string.h"
#include "nested/svm/nsvm_merge.h"

/* The int_ctl bits L1 sets for its L2 and hardware honours as L1 asked (APM 15.21). */
#define INT_CTL_FROM_L1 (SVM_V_TPR_MASK | SVM_V_IRQ | SVM_V_INTR_PRIO_MASK | SVM_V_IGN_TPR | \
			 SVM_V_INTR_VECTOR_MASK)

/* Intercepts: nestor's and L1's are both needed, so an exit happens if either asks. */
static void merge_intercepts(struct vmcb_control *o, const struct vmcb_control *c12,
			     const struct nsvm_l0 *l0)
{
	o->intercept_cr = c12->intercept_cr | l0->intercept_cr;
	o->intercept_dr = c12->intercept_dr | l0->intercept_dr;
	o->intercept_exceptions = c12->intercept_exceptions | l0->intercept_exceptions;
	o->intercept_misc1 = c12->intercept_misc1 | l0->intercept_misc1;
	/* VMRUN is always intercepted: the consistency checks demand it of every VMCB. */
	o->intercept_misc2 = c12->intercept_misc2 | l0->intercept_misc2 | SVM_INTERCEPT_VMRUN;
	o->intercept_misc3 = c12->intercept_misc3 | l0->intercept_misc3;
}

/*
 * int_ctl: V_TPR, V_IRQ, V_INTR_PRIO, V_IGN_TPR and V_INTR_VECTOR as L1 asked. V_INTR_MASKING
 * is nestor's and always set: with it clear L2's RFLAGS.IF would mask nestor's own physical
 * interrupts (15.21.1) and L2 could keep nestor from ever running; L1's choice is honoured in
 * software (nsvm_l1_event_exits, nsvm_l2_tpr_is_l1_tpr). V_GIF and V_GIF_ENABLE only when
 * VGIF is offered (15.33.2); AVIC is never offered, so its bits stay clear.
 */
static uint64_t merge_int_ctl(uint64_t vintr12, const struct nsvm_features *f)
{
	uint64_t v = (vintr12 & INT_CTL_FROM_L1) | SVM_V_INTR_MASKING;
	if (f->vgif)
		v |= vintr12 & (SVM_V_GIF | SVM_V_GIF_ENABLE);
	return v;
}

static void merge_control(struct vmcb_control *o, const struct vmcb_control *c12,
			  const struct nsvm_l0 *l0, const struct nsvm_features *f,
			  const struct nsvm_merge_info *info)
{
	merge_intercepts(o, c12, l0);
	o->iopm_base_pa = l0->iopm_pa;
	o->msrpm_base_pa = l0->msrpm_pa;
	/* TSC_OFFSET (APM Appendix B): guest TSC = host TSC + offset, so L2's adds both. */
	o->tsc_offset = l0->tsc_offset + c12->tsc_offset;
	o->asid = l0->asid;
	/* Any flush L1 asks for is a full flush of L2's ASID: without FLUSHBYASID the only
	 * defined non-zero value is 1, and nestor does not tell 3 and 7 apart (APM 15.16). */
	o->tlb_control = info->flush ? SVM_TLB_CONTROL_FLUSH_ALL : SVM_TLB_CONTROL_NOTHING;
	o->vintr = merge_int_ctl(c12->vintr, f);
	o->interrupt_shadow = c12->interrupt_shadow & SVM_INTERRUPT_SHADOW;
	/* nestor always runs its guests on its own NPT: the shadow of L1's, or the one it
	 * gives L1 when L1 pages L2 itself (shadow paging in L1: L2-physical is L1-physical). */
	o->np_control = SVM_NP_ENABLE;
	o->n_cr3 = info->l1_npt ? l0->ncr3_shadow : l0->ncr3_l1;
	o->event_inj = c12->event_inj;		/* 15.20: injected into L2 as L1 asked */
	uint64_t ext = 0;
	if (f->lbr_virt)
		ext |= c12->virt_ext & SVM_VIRT_EXT_LBR_ENABLE;
	/* 15.33.1: virtualized VMSAVE/VMLOAD works through nested paging only. */
	if (f->v_vmsave_vmload && info->l1_npt)
		ext |= c12->virt_ext & SVM_VIRT_EXT_V_VMSAVE_VMLOAD;
	o->virt_ext = ext;
	o->clean_bits = 0;	/* a fresh vmcb02: everything is dirty */
	/* 15.7.1: NRIP is an output; L1 can only have seen it with NRIPS offered. */
	o->next_rip = f->nrips ? c12->next_rip : 0;
}

/* The state VMRUN loads from the VMCB (APM Vol. 3, VMRUN: "load guest state"). */
static void copy_vmrun_state(struct vmcb_save *d, const struct vmcb_save *s)
{
	d->es = s->es;
	d->cs = s->cs;
	d->ss = s->ss;
	d->ds = s->ds;
	d->gdtr = s->gdtr;
	d->idtr = s->idtr;
	d->cpl = s->cpl;
	d->efer = s->efer;
	d->cr4 = s->cr4;
	d->cr3 = s->cr3;
	d->cr0 = s->cr0;
	d->dr7 = s->dr7;
	d->dr6 = s->dr6;
	d->rflags = s->rflags;
	d->rip = s->rip;
	d->rsp = s->rsp;
	d->rax = s->rax;
	d->cr2 = s->cr2;
}

/* The state VMLOAD/VMSAVE move and VMRUN/#VMEXIT leave in the processor (VMLOAD). */
void nsvm_copy_vmload_state(struct vmcb_save *d, const struct vmcb_save *s)
{
	d->fs = s->fs;
	d->gs = s->gs;
	d->tr = s->tr;
	d->ldtr = s->ldtr;
	d->kernel_gs_base = s->kernel_gs_base;
	d->star = s->star;
	d->lstar = s->lstar;
	d->cstar = s->cstar;
	d->sfmask = s->sfmask;
	d->sysenter_cs = s->sysenter_cs;
	d->sysenter_esp = s->sysenter_esp;
	d->sysenter_eip = s->sysenter_eip;
}

static void copy_lbr_state(struct vmcb_save *d, const struct vmcb_save *s)
{
	d->dbgctl = s->dbgctl;
	d->br_from = s->br_from;
	d->br_to = s->br_to;
	d->last_excp_from = s->last_excp_from;
	d->last_excp_to = s->last_excp_to;
}

void nsvm_merge(struct vmcb *vmcb02, const struct vmcb *vmcb12, const struct vmcb_save *l1_cpu,
		const struct nsvm_l0 *l0, const struct nsvm_features *f, struct nsvm_merge_info *info)
{
	info->l1_npt = f->npt && (vmcb12->control.np_control & SVM_NP_ENABLE);
	info->flush = vmcb12->control.tlb_control != SVM_TLB_CONTROL_NOTHING;
	info->l1_v_intr_masking = vmcb12->control.vintr & SVM_V_INTR_MASKING;

	memset(vmcb02, 0, sizeof(*vmcb02));
	merge_control(&vmcb02->control, &vmcb12->control, l0, f, info);
	copy_vmrun_state(&vmcb02->save, &vmcb12->save);
	nsvm_copy_vmload_state(&vmcb02->save, l1_cpu);
	/* 15.25 (G_PAT): with nested paging the guest's PAT is G_PAT; without it L2 uses the PAT
	 * register it finds, which is L1's. */
	vmcb02->save.g_pat = info->l1_npt ? vmcb12->save.g_pat : l1_cpu->g_pat;
	/* 15.23: the LBR state is the guest's only with LBR virtualization enabled. */
	if (vmcb02->control.virt_ext & SVM_VIRT_EXT_LBR_ENABLE)
		copy_lbr_state(&vmcb02->save, &vmcb12->save);
}

/* nsvm_reflect: an L2 exit that is L1's, written into vmcb12 as #VMEXIT would. */
#include "nested/svm/nsvm_merge.h"

static void save_guest_state(struct vmcb_save *d, const struct vmcb_save *s)
{
	/* "#VMEXIT: save guest state to VMCB": the segments VMRUN loaded, the control and
	 * debug registers, RFLAGS, RIP, RSP, RAX and CPL. */
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
	d->cr2 = s->cr2;
	d->cr0 = s->cr0;
	d->dr7 = s->dr7;
	d->dr6 = s->dr6;
	d->rflags = s->rflags;
	d->rip = s->rip;
	d->rsp = s->rsp;
	d->rax = s->rax;
}

void nsvm_reflect_exit(struct vmcb *vmcb12, struct vmcb_save *l1_cpu, const struct vmcb *vmcb02,
		       const struct nsvm_features *f)
{
	struct vmcb_control *c = &vmcb12->control;
	const struct vmcb_control *c2 = &vmcb02->control;
	c->exit_code = c2->exit_code;
	c->exit_info1 = c2->exit_info1;
	c->exit_info2 = c2->exit_info2;
	c->exit_int_info = c2->exit_int_info;
	/* 15.7.1: only a processor with NRIP save writes NextRIP. */
	if (f->nrips)
		c->next_rip = c2->next_rip;
	/* #VMEXIT writes back V_TPR and V_IRQ (and V_GIF with VGIF, 15.33.2); the rest of
	 * int_ctl is L1's and stays as L1 wrote it. */
	uint64_t mask = SVM_V_TPR_MASK | SVM_V_IRQ;
	if (f->vgif)
		mask |= SVM_V_GIF;
	c->vintr = (c->vintr & ~mask) | (c2->vintr & mask);
	c->interrupt_shadow = c2->interrupt_shadow & (SVM_INTERRUPT_SHADOW | SVM_GUEST_INTERRUPT_MASK);
	c->event_inj = 0;		/* "clear EVENTINJ field in VMCB" */
	save_guest_state(&vmcb12->save, &vmcb02->save);
	/* 15.25 (G_PAT): with nested paging #VMEXIT saves the guest PAT as G_PAT. */
	if (f->npt && (c->np_control & SVM_NP_ENABLE))
		vmcb12->save.g_pat = vmcb02->save.g_pat;
	if (f->lbr_virt && (c->virt_ext & SVM_VIRT_EXT_LBR_ENABLE)) {
		vmcb12->save.dbgctl = vmcb02->save.dbgctl;
		vmcb12->save.br_from = vmcb02->save.br_from;
		vmcb12->save.br_to = vmcb02->save.br_to;
		vmcb12->save.last_excp_from = vmcb02->save.last_excp_from;
		vmcb12->save.last_excp_to = vmcb02->save.last_excp_to;
	}
	/* #VMEXIT reloads only the host state VMRUN saved: L2's FS, GS, TR, LDTR and the
	 * syscall MSRs stay in the processor until L1's VMSAVE/VMLOAD (15.5.2). */
	nsvm_copy_vmload_state(l1_cpu, &vmcb02->save);
}

void nsvm_reflect_invalid(struct vmcb *vmcb12)
{
	/* The caller also clears L1's GIF: a #VMEXIT always does, this one included. */
	vmcb12->control.exit_code = SVM_EXIT_INVALID;
	vmcb12->control.exit_info1 = 0;
	vmcb12->control.exit_info2 = 0;
	vmcb12->control.event_inj = 0;
}

bool nsvm_l2_tpr_is_l1_tpr(const struct vmcb *vmcb12, const struct vmcb *vmcb02, uint8_t *tpr)
{
	if (vmcb12->control.vintr & SVM_V_INTR_MASKING)
		return false;
	*tpr = (uint8_t)(vmcb02->control.vintr & SVM_V_TPR_MASK);
	return true;
}

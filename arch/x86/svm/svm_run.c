/* svm_run: one vCPU's life on SVM: decide, enter, exit, handle, until the VM stops. */
#include "apic/apic_arbiter.h"
#include "arch/x86/percpu.h"
#include "arch/x86/svm/svm.h"
#include "arch/x86/svm/svm_internal.h"
#include "vm/vcpu_entry.h"
#include "vm/vm.h"

#define INTERCEPT_CR8_WRITE (1u << (16 + 8))

static void svm_intr_state(struct vcpu *v, struct apic_intr_state *st)
{
	const struct svm_vcpu *s = svm_of(v);
	const struct vmcb *vmcb = s->vmcb;
	st->rflags_if = vmcb->save.rflags & SVM_RFLAGS_IF;
	st->interrupt_shadow = vmcb->control.interrupt_shadow & 1;
	st->event_pending = vmcb->control.event_inj & SVM_EVENT_VALID;
	st->nmi_blocked = s->nmi_blocked;
}

static void svm_init(struct vcpu *v)
{
	struct svm_vcpu *s = svm_of(v);
	svm_vmcb_set_sipi(s->vmcb, 0);
	s->vmcb->control.event_inj = 0;
	s->nmi_blocked = s->nmi_singlestep = false;
}

static void svm_sipi(struct vcpu *v, uint8_t vector)
{
	svm_vmcb_set_sipi(svm_of(v)->vmcb, vector);
}

/* Applies the interrupt core's decision to the VMCB (the backend holds no policy). */
static void svm_apply_decision(struct vcpu *v, struct vlapic *l, const struct apic_decision *d)
{
	struct svm_vcpu *s = svm_of(v);
	struct vmcb_control *c = &s->vmcb->control;

	if (d->inject) {
		uint8_t vector = apic_ack(l, d);
		bool nmi = d->source == APIC_SRC_NMI;
		c->event_inj = vector | (nmi ? SVM_EVENT_TYPE_NMI : SVM_EVENT_TYPE_INTR) |
			       SVM_EVENT_VALID;
		s->last_source = (uint8_t)d->source;
		s->last_vector = vector;
		if (nmi) {
			/* Blocked until the handler's IRET completes (SDM Vol. 3A 6.7.1): watch
			 * for that IRET from now on, whether or not another NMI is waiting. */
			s->nmi_blocked = true;
			c->intercept_misc1 |= SVM_INTERCEPT_IRET;
		}
		v->stats.injected[nmi ? INJECT_NMI : d->source == APIC_SRC_EXTINT ? INJECT_EXTINT
										 : INJECT_LAPIC]++;
	}
	/* IRQ window (APM 15.21.4): a virtual interrupt that ignores V_TPR, with VINTR
	 * intercepted, exits as soon as the guest can take an interrupt. */
	if (d->irq_window != APIC_WINDOW_NONE) {
		if (!(c->vintr & SVM_V_IRQ))
			v->stats.irq_windows++;
		c->vintr |= SVM_V_IRQ | SVM_V_IGN_TPR | (0xfull << SVM_V_INTR_PRIO_SHIFT);
		c->intercept_misc1 |= SVM_INTERCEPT_VINTR;
	} else {
		c->vintr &= ~(SVM_V_IRQ | SVM_V_IGN_TPR | (0xfull << SVM_V_INTR_PRIO_SHIFT));
		c->intercept_misc1 &= ~SVM_INTERCEPT_VINTR;
	}
	if (d->nmi_window && !s->nmi_singlestep)
		c->intercept_misc1 |= SVM_INTERCEPT_IRET;
	c->vintr = (c->vintr & ~SVM_V_TPR_MASK) | (d->v_tpr & 0xf);
	s->entry_v_tpr = d->v_tpr & 0xf;
	/*
	 * CR8 writes are also intercepted while an IRQ window is open: QEMU 7.2's TCG
	 * (target/i386/tcg/sysemu/misc_helper.c, MOV to CR8 with V_INTR_MASKING) calls
	 * cpu_interrupt() without the iothread lock whenever V_IRQ is set and aborts the
	 * whole emulator on an assertion. Emulating the write here avoids that path.
	 */
	if (d->cr8_write_intercept || d->irq_window != APIC_WINDOW_NONE)
		c->intercept_cr |= INTERCEPT_CR8_WRITE;
	else
		c->intercept_cr &= ~INTERCEPT_CR8_WRITE;
}

static const struct vcpu_entry_ops svm_entry_ops = {
	.init = svm_init,
	.sipi = svm_sipi,
	.intr_state = svm_intr_state,
	.apply_decision = svm_apply_decision,
};

/*
 * With V_INTR_MASKING the guest's MOV to CR8 lands in V_TPR without an exit (APM
 * 15.21.1). Only a change since entry is news for the vLAPIC: V_TPR holds TPR[7:4]
 * alone, so copying it back unconditionally would drop TPR[3:0] and undo a TPR the
 * exit handler itself just wrote through MMIO or MSR.
 */
static void svm_sync_v_tpr(struct vcpu *v, struct vlapic *l)
{
	struct svm_vcpu *s = svm_of(v);
	uint8_t v_tpr = (uint8_t)(s->vmcb->control.vintr & SVM_V_TPR_MASK);
	if (v_tpr != s->entry_v_tpr) {
		vlapic_sync_tpr_from_vapic(l, (uint8_t)(v_tpr << 4));
		s->entry_v_tpr = v_tpr;
	}
}

/*
 * EXITINTINFO (APM 15.7.2): an event was being delivered when the exit happened and did
 * not reach the guest. Interrupts go back to the interrupt core (which re-decides);
 * exceptions are re-injected as they were.
 */
static void svm_requeue_undelivered(struct vcpu *v, struct vlapic *l)
{
	struct svm_vcpu *s = svm_of(v);
	struct vmcb_control *c = &s->vmcb->control;
	uint64_t info = c->exit_int_info;
	if (!(info & SVM_EVENT_VALID))
		return;	/* QEMU leaves stale bits with V clear (emulators.md) */
	uint64_t type = info & SVM_EVENT_TYPE_MASK;
	if (type == SVM_EVENT_TYPE_INTR || type == SVM_EVENT_TYPE_NMI) {
		enum apic_source src = type == SVM_EVENT_TYPE_NMI ? APIC_SRC_NMI
								   : (enum apic_source)s->last_source;
		if (type == SVM_EVENT_TYPE_NMI)
			s->nmi_blocked = false;
		apic_requeue(l, src, (uint8_t)info);
	} else {
		c->event_inj = info & ~(1ull << 30);	/* bit 30 reserved in EVENTINJ */
	}
}

void svm_vcpu_run(struct vcpu *v)
{
	struct svm_vcpu *s = svm_of(v);
	struct svm_cpu *hc = percpu_this()->virt;
	struct vmcb *vmcb = s->vmcb;
	struct vlapic *l = apic_vm_vcpu(&v->vm->apic, v->id);

	while (!v->vm->stopping) {
		if (!vcpu_prepare_entry(v, l, &svm_entry_ops))
			continue;
		vmcb->save.rax = v->gprs.r[GPR_RAX];
		vmcb->save.rsp = v->gprs.r[GPR_RSP];
		/* TCG has no flush-by-ASID: flush everything the first time (emulators.md). */
		vmcb->control.tlb_control = s->started ? 0 : 1;
		s->started = true;
		svm_vmrun(s->vmcb_pa, &v->gprs, hc->host_vmcb_pa);
		v->gprs.r[GPR_RAX] = vmcb->save.rax;
		v->gprs.r[GPR_RSP] = vmcb->save.rsp;
		vmcb->control.event_inj = 0;	/* consumed by VMRUN */
		v->stats.exits++;
		/* A physical interrupt (timer, kick) made the exit: take it now. */
		if (vmcb->control.exit_code == SVM_EXIT_INTR)
			__asm__ volatile("sti; nop; cli" ::: "memory");
		vlapic_set_clock(l, vm_now_ns(v->vm));
		svm_sync_v_tpr(v, l);
		svm_requeue_undelivered(v, l);
		if (!svm_handle_exit(v))
			break;
	}
	v->state = VCPU_STOPPED;
}

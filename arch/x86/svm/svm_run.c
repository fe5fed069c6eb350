/* svm_run: SVM's side of the shared run loop (vm/vcpu_run.c): injection, VMRUN, what an exit leaves. */
#include "apic/apic_arbiter.h"
#include "arch/x86/percpu.h"
#include "arch/x86/svm/svm.h"
#include "arch/x86/svm/svm_internal.h"
#include "arch/x86/svm/svm_nested.h"
#include "drivers/lapic.h"
#include "vm/vcpu_arch.h"
#include "vm/vm.h"


static void svm_intr_state(struct vcpu *v, struct apic_intr_state *st)
{
	const struct svm_vcpu *s = svm_of(v);
	const struct vmcb *vmcb = s->vmcb;
	st->rflags_if = vmcb->save.rflags & SVM_RFLAGS_IF;
	st->interrupt_shadow = vmcb->control.interrupt_shadow & 1;
	st->event_pending = vmcb->control.event_inj & SVM_EVENT_VALID;
	st->nmi_blocked = s->nmi_blocked;
	st->events_held = false;
	/* While L2 runs L1's events become exits to L1 (svm_nested_exit.c), never injections
	 * into L2. L1's GIF clear holds them too (APM 15.17); with the hardware's virtual GIF
	 * an interrupt window may still be opened (V_GIF holds V_IRQ, 15.33.2) but nothing is
	 * injected: EVENTINJ ignores V_GIF. */
	if (s->nested && !v->guest_mode && !svm_nested_gif(s)) {
		if (s->nested->vgif_hw) {
			st->rflags_if = false;
			st->nmi_blocked = true;
		} else {
			st->events_held = true;
		}
	}
	st->events_held |= s->nested && v->guest_mode;
	/*
	 * From the intercepted IRET until its single-step trap RFLAGS holds nestor's TF
	 * (svm_exit_iret). An event delivered in between would push that TF into its frame,
	 * and the guest would trap once more after that handler's IRET, a #DB of nobody's
	 * (guest nmi: `nmi-and-single-step-trap-once`). The step is one instruction: hold
	 * events until it traps; the arbiter looks again at every entry meanwhile.
	 */
	st->events_held |= s->nmi_singlestep;
}

static void svm_init(struct vcpu *v)
{
	struct svm_vcpu *s = svm_of(v);
	/* INIT resets the whole virtual CPU, its SVM state included: L2 is gone, GIF set,
	 * EFER.SVME clear (as EFER is, SDM Vol. 3A 9.1.1). */
	if (s->nested) {
		s->vmcb = s->vmcb01;
		s->vmcb_pa = (uint64_t)(uintptr_t)s->vmcb01;
		v->guest_mode = false;
		svm_nested_set_gif(s, true);
		s->nested->efer_svme = false;
	}
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

	/* vmcb02's interrupt controls are L1's for its L2 (nsvm_merge): nothing of L1's. */
	if (v->guest_mode)
		return;
	if (d->inject) {
		uint8_t vector = apic_ack(l, d);
		bool nmi = d->source == APIC_SRC_NMI;
		c->event_inj = vector | (nmi ? SVM_EVENT_TYPE_NMI : SVM_EVENT_TYPE_INTR) |
			       SVM_EVENT_VALID;
		v->last_source = (uint8_t)d->source;
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
	 * CR8 writes are always intercepted (svm_vmcb.c), not only when the decision asks
	 * for it (d->cr8_write_intercept): QEMU 7.2's TCG neither raises #GP for CR8 bits
	 * 63:4 in a guest (SDM Vol. 3A 11.8.6.1, APM Vol. 2 15.21.1 leave the check to the
	 * CPU) nor survives a MOV to CR8 while V_IRQ is set (target/i386/tcg/sysemu/
	 * misc_helper.c calls cpu_interrupt() without the iothread lock and aborts the
	 * emulator). Linux and the L1 hypervisors barely write CR8, so the exits are few.
	 */
}

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
 * An external interrupt injected through EVENTINJ is followed by an exit before the
 * guest's first instruction: a self-IPI with the kick vector, sent now with host IF = 0,
 * is pending when VMRUN sets GIF, and the INTR intercept takes it at the first
 * instruction boundary. VMRUN delivers EVENTINJ before that boundary (APM Vol. 2 15.20),
 * and with V_INTR_MASKING a physical interrupt is masked by the host's RFLAGS.IF alone
 * (15.21.1), which svm_vmrun sets: on any CPU the exit lands at the handler's first
 * instruction with EXITINTINFO empty, as if the host interrupt had come one instruction
 * later, and the guest sees nothing of it.
 *
 * It is there for QEMU 7.2's TCG (target/i386/tcg/sysemu/svm_helper.c, helper_vmrun): for
 * an EVENTINJ of type INTR it sets cs->exception_index to the vector, delivers the event
 * at once (do_interrupt_x86_hardirq) and never resets the index, which stays "pending"
 * until the next exception or exit overwrites it. An exit request of the TCG loop in
 * between (accel/tcg/cpu-exec.c, cpu_handle_interrupt keeps an index other than -1) makes
 * cpu_handle_exception deliver the vector a second time, as an exception: wherever the
 * guest is, IF = 0 in the handler or not. With single-threaded TCG every interrupt another
 * vCPU gets from QEMU's I/O thread (its timer) is such a request for the running one, and
 * Linux, interrupted in user mode, took the second delivery before its SWAPGS and died on
 * the entry stack's guard page (docs/reliability.md, tests/guests/inject_once.c). The INTR
 * exit overwrites the index (cpu_vmexit) at the first point where the TCG loop looks at
 * its requests, before the exit request: it handles interrupt_request first. NMIs,
 * exceptions and software interrupts are delivered through cpu_loop_exit, which ends with
 * the index reset, and need no exit.
 */
static bool svm_injects_external_interrupt(const struct vmcb *vmcb)
{
	uint64_t e = vmcb->control.event_inj;
	return (e & SVM_EVENT_VALID) && (e & SVM_EVENT_TYPE_MASK) == SVM_EVENT_TYPE_INTR;
}

/*
 * VMRUN with the guest's RAX and RSP in the VMCB (APM 15.5.1: VMRUN takes them from
 * there; the stub moves the other registers). TCG has no flush-by-ASID, so a flush is a
 * full one (TLB_CONTROL 1, emulators.md): at the first run and after the guest's paging
 * controls changed under nestor's hands.
 */
static bool svm_enter(struct vcpu *v)
{
	struct svm_vcpu *s = svm_of(v);
	struct svm_cpu *hc = percpu_this()->virt;
	struct vmcb *vmcb = s->vmcb;
	bool exit_after_injection = svm_injects_external_interrupt(vmcb);

	vmcb->save.rax = v->gprs.r[GPR_RAX];
	vmcb->save.rsp = v->gprs.r[GPR_RSP];
	vmcb->control.tlb_control = (!s->started || s->flush_tlb) ? 1 : 0;
	s->started = true;
	s->flush_tlb = false;
	if (exit_after_injection) {
		lapic_send_ipi(lapic_id(), LAPIC_VECTOR_KICK);
		v->stats.exits_after_injection++;
	}
	svm_vmrun(s->vmcb_pa, &v->gprs, hc->host_vmcb_pa);
	v->gprs.r[GPR_RAX] = vmcb->save.rax;
	v->gprs.r[GPR_RSP] = vmcb->save.rsp;
	vmcb->control.event_inj = 0;	/* consumed by VMRUN */
	if (vmcb->control.exit_code == SVM_EXIT_IOIO)
		s->exit_next_rip = vmcb->control.exit_info2;
	else
		s->exit_next_rip = svm_has_nrips ? vmcb->control.next_rip : 0;
	return true;	/* a failed VMRUN is an exit too (VMEXIT_INVALID) */
}

static bool svm_start(struct vcpu *v)
{
	(void)v;
	return true;
}

static bool svm_exit_is_host_interrupt(struct vcpu *v)
{
	return svm_of(v)->vmcb->control.exit_code == SVM_EXIT_INTR;
}

const struct vcpu_arch_ops svm_vcpu_ops = {
	.decode_flags = X86_DECODE_AMD,
	.init = svm_init,
	.sipi = svm_sipi,
	.intr_state = svm_intr_state,
	.apply_decision = svm_apply_decision,
	.start = svm_start,
	.enter = svm_enter,
	.exit_is_host_interrupt = svm_exit_is_host_interrupt,
	.sync_tpr = svm_sync_v_tpr,
	.undelivered_event = svm_undelivered_event,
	.handle_exit = svm_handle_exit,
	.get_reg = svm_get_reg,
	.set_reg = svm_set_reg,
	.switched_msr = svm_switched_msr,
	.emul_cpu = svm_emul_cpu,
	.cpl = svm_cpl,
	.long_mode_code = svm_long_mode_code,
	.exit_insn_len = svm_exit_insn_len,
	.clear_interrupt_shadow = svm_clear_interrupt_shadow,
	.inject = svm_inject,
};

/* vmx_run: one vCPU's life on VMX: decide, enter, exit, handle, until the VM stops. */
#include "apic/apic_arbiter.h"
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmx_internal.h"
#include "vm/vcpu_entry.h"
#include "vm/vm.h"

#define EXIT_EXTERNAL_INTERRUPT 1

static void vmx_intr_state(struct vcpu *v, struct apic_intr_state *st)
{
	uint32_t intr = (uint32_t)vmcs_read(VMCS_GUEST_INTERRUPTIBILITY);
	st->rflags_if = vmcs_read(VMCS_GUEST_RFLAGS) & RFLAGS_IF;
	st->interrupt_shadow = intr & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS);
	st->event_pending = vmcs_read(VMCS_ENTRY_INTR_INFO) & INTR_INFO_VALID;
	/* With virtual NMIs the CPU tracks NMI blocking itself, from injection to IRET. */
	st->nmi_blocked = intr & INTERRUPTIBILITY_NMI;
	(void)v;
}

/* INIT: the guest-state setter also drops a pending injection and NMI blocking. */
static void vmx_init(struct vcpu *v)
{
	(void)v;
	vmx_guest_set_sipi(0);
}

static void vmx_sipi(struct vcpu *v, uint8_t vector)
{
	(void)v;
	vmx_guest_set_sipi(vector);
}

/* Applies the interrupt core's decision to the VMCS (the backend holds no policy). */
static void vmx_apply_decision(struct vcpu *v, struct vlapic *l, const struct apic_decision *d)
{
	struct vmx_vcpu *x = vmx_of(v);
	uint32_t proc = x->proc & ~(PROC_IRQ_WINDOW_EXITING | PROC_NMI_WINDOW_EXITING);

	if (d->inject) {
		uint8_t vector = apic_ack(l, d);
		bool nmi = d->source == APIC_SRC_NMI;
		vmcs_write(VMCS_ENTRY_INTR_INFO, vector | (nmi ? INTR_TYPE_NMI : INTR_TYPE_EXTERNAL) |
				INTR_INFO_VALID);
		x->last_source = (uint8_t)d->source;
		v->stats.injected[nmi ? INJECT_NMI : d->source == APIC_SRC_EXTINT ? INJECT_EXTINT
										 : INJECT_LAPIC]++;
	}
	/* Interrupt- and NMI-window exiting (SDM 26.6.5, 26.6.6): an exit as soon as the
	 * guest can take the event apic/ is holding. */
	if (d->irq_window != APIC_WINDOW_NONE) {
		if (!(x->proc & PROC_IRQ_WINDOW_EXITING))
			v->stats.irq_windows++;
		proc |= PROC_IRQ_WINDOW_EXITING;
	}
	if (d->nmi_window)
		proc |= PROC_NMI_WINDOW_EXITING;
	if (proc != x->proc) {
		vmcs_write(VMCS_PROC_CONTROLS, proc);
		x->proc = proc;
	}
	vmx_tpr_before_entry(v, d->tpr, d->tpr_threshold);
}

static const struct vcpu_entry_ops vmx_entry_ops = {
	.init = vmx_init,
	.sipi = vmx_sipi,
	.intr_state = vmx_intr_state,
	.apply_decision = vmx_apply_decision,
};

/*
 * IDT-vectoring information (SDM 27.2.4): an event was being delivered when the
 * exit happened and did not reach the guest. Interrupts and NMIs go back to the interrupt
 * core (which re-decides); exceptions are re-injected as they were, software ones with
 * the instruction length the exit reported.
 */
static void vmx_requeue_undelivered(struct vcpu *v, struct vlapic *l)
{
	struct vmx_vcpu *x = vmx_of(v);
	uint32_t info = (uint32_t)vmcs_read(VMCS_IDT_VECTORING_INFO);
	if (!(info & INTR_INFO_VALID))
		return;
	uint32_t type = info & INTR_INFO_TYPE_MASK;
	if (type == INTR_TYPE_EXTERNAL || type == INTR_TYPE_NMI) {
		enum apic_source src = type == INTR_TYPE_NMI ? APIC_SRC_NMI
							     : (enum apic_source)x->last_source;
		/* An NMI that never reached the guest does not block NMIs yet (SDM 26.3.1.5
		 * would refuse to inject it again while the VMCS claims it does). */
		if (type == INTR_TYPE_NMI)
			vmcs_write(VMCS_GUEST_INTERRUPTIBILITY,
				   vmcs_read(VMCS_GUEST_INTERRUPTIBILITY) & ~INTERRUPTIBILITY_NMI);
		apic_requeue(l, src, (uint8_t)(info & INTR_INFO_VECTOR_MASK));
		return;
	}
	if (info & INTR_INFO_ERROR_VALID)
		vmcs_write(VMCS_ENTRY_EXCEPTION_ERROR, vmcs_read(VMCS_IDT_VECTORING_ERROR));
	if (type == INTR_TYPE_SW_INTERRUPT || type == INTR_TYPE_PRIV_SW_EXCEPTION ||
	    type == INTR_TYPE_SW_EXCEPTION)
		vmcs_write(VMCS_ENTRY_INSTRUCTION_LEN, vmcs_read(VMCS_EXIT_INSTRUCTION_LEN));
	vmcs_write(VMCS_ENTRY_INTR_INFO, info & ~INTR_INFO_NMI_UNBLOCKED_BY_IRET);
}

/* The first entry on this CPU: nothing cached for this EPT or VPID may be stale (28.3.3). */
static void vmx_flush_on_start(struct vcpu *v)
{
	const struct vmx_vm *xv = v->vm->arch;
	invept(vmx_cfg.invept_single ? INVEPT_SINGLE_CONTEXT : INVEPT_ALL_CONTEXTS, xv->eptp);
	if (vmx_cfg.vpid)
		invvpid(vmx_cfg.invvpid_single ? INVVPID_SINGLE_CONTEXT : INVVPID_ALL_CONTEXTS,
			vmx_of(v)->vpid);
}

void vmx_vcpu_run(struct vcpu *v)
{
	struct vmx_vcpu *x = vmx_of(v);
	struct vlapic *l = apic_vm_vcpu(&v->vm->apic, v->id);

	if (!vmx_vmcs_setup(v)) {
		v->state = VCPU_STOPPED;
		return;
	}
	vmx_flush_on_start(v);
	while (!v->vm->stopping) {
		if (!vcpu_prepare_entry(v, l, &vmx_entry_ops))
			continue;
		vmcs_write(VMCS_GUEST_RSP, v->gprs.r[GPR_RSP]);
		enum vmx_status st = vmx_enter(&v->gprs, x->launched);
		if (st != VMX_OK) {
			vmx_report_vmfail(v, x->launched ? "VMRESUME" : "VMLAUNCH", st);
			break;
		}
		uint32_t reason = (uint32_t)vmcs_read(VMCS_EXIT_REASON);
		v->gprs.r[GPR_RSP] = vmcs_read(VMCS_GUEST_RSP);
		v->stats.exits++;
		/* A physical interrupt (timer, kick) made the exit: take it now. */
		if ((reason & 0xffff) == EXIT_EXTERNAL_INTERRUPT)
			__asm__ volatile("sti; nop; cli" ::: "memory");
		if (reason & EXIT_REASON_ENTRY_FAILURE) {
			vmx_report_entry_failure(v, reason);
			break;
		}
		x->launched = true;
		vlapic_set_clock(l, vm_now_ns(v->vm));
		vmx_tpr_after_exit(v);
		vmx_requeue_undelivered(v, l);
		if (!vmx_handle_exit(v, reason))
			break;
	}
	v->state = VCPU_STOPPED;
}

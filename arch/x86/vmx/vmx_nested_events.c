/* vmx_nested_events: L1's own interrupts and NMIs while L2 runs, and nestor's decision on vmcs02. */
#include "apic/apic_arbiter.h"
#include "apic/apic_vm.h"
#include "arch/x86/vmx/vmx_caps.h"
#include "arch/x86/vmx/vmx_internal.h"
#include "arch/x86/vmx/vmx_nested.h"
#include "drivers/lapic.h"
#include "vm/vm.h"

/*
 * With "external-interrupt exiting" (or "NMI exiting") in vmcs12, an interrupt (NMI) for
 * L1 that arrives while L2 runs is a VM exit to L1, whatever L2's RFLAGS.IF (25.2):
 * reason 1 with the vector in the exit interruption information when L1 asked to
 * acknowledge on exit (27.2.2, the vLAPIC acknowledges it: IRR to ISR), else with none and
 * the interrupt left pending; reason 0 with an NMI. An event vmcs02 was about to inject
 * into L2 goes back to L1 as IDT-vectoring information (27.2.4). Right after L1's
 * VMLAUNCH/VMRESUME, L2 first runs for a quantum (l2_quantum): interrupt latency is not
 * architectural, and under an emulator L1's timer would otherwise be due again at every
 * VMRESUME and L2 would never run an instruction.
 */
/* L2's quantum in TSC cycles (on Bochs, instructions) before L1's pending event exits. */
#define L2_QUANTUM_TSC 200000u

/*
 * The VMX-preemption timer of vmcs02 (nestor's own: L1 is not offered one) ends the
 * quantum with exit 52; without it, a self-IPI ends it at once.
 */
static void l2_quantum(struct vcpu *v)
{
	const struct vmx_nested_vm *nv = vmx_nested_vm(v);
	uint32_t pin = (uint32_t)vmcs_read(VMCS_PIN_CONTROLS);

	if (!(VMX_CTL_MAY1(nv->host.true_pin) & PIN_PREEMPTION_TIMER)) {
		lapic_send_ipi(lapic_id(), LAPIC_VECTOR_KICK);
		return;
	}
	vmcs_write(VMCS_PREEMPTION_TIMER, L2_QUANTUM_TSC >> (nv->host.misc & 0x1f));
	if (!(pin & PIN_PREEMPTION_TIMER))
		vmcs_write(VMCS_PIN_CONTROLS, pin | PIN_PREEMPTION_TIMER);
}

void vmx_nested_check_events(struct vcpu *v, struct vlapic *l)
{
	struct vmx_nested *nx = vmx_nested_of(v);
	const struct vmcs12 *v12 = nx->v12;
	struct apic_intr_state open = { .rflags_if = true };
	struct nvmx_exit e = { 0 };
	struct apic_decision d;
	uint32_t pending;
	bool nmi;

	if (!(v12->pin_controls & (PIN_EXTINT_EXITING | PIN_NMI_EXITING)))
		return;
	apic_decide(l, &open, vm_now_ns(v->vm), &d);
	if (!d.inject)
		return;
	nmi = d.source == APIC_SRC_NMI;
	if (!(v12->pin_controls & (nmi ? PIN_NMI_EXITING : PIN_EXTINT_EXITING)))
		return;		/* L2 takes it through its own IDT: the decision injects it */
	if (nx->run_pending) {
		l2_quantum(v);
		return;
	}
	pending = (uint32_t)vmcs_read(VMCS_ENTRY_INTR_INFO);
	if (pending & INTR_INFO_VALID) {
		e.idt_info = pending;
		e.idt_error = (uint32_t)vmcs_read(VMCS_ENTRY_EXCEPTION_ERROR);
		e.insn_len = (uint32_t)vmcs_read(VMCS_ENTRY_INSTRUCTION_LEN);
		vmcs_write(VMCS_ENTRY_INTR_INFO, 0);
	}
	if (nmi) {
		apic_ack(l, &d);
		e.reason = NVMX_EXIT_EXCEPTION_NMI;
		e.intr_info = INTR_INFO_VALID | INTR_TYPE_NMI | 2;
		nx->st.synth_nmi++;
	} else {
		e.reason = NVMX_EXIT_EXTINT;
		if (v12->exit_controls & EXIT_ACK_INTR_ON_EXIT)
			e.intr_info = INTR_INFO_VALID | INTR_TYPE_EXTERNAL | apic_ack(l, &d);
		nx->st.synth_intr++;
	}
	v->stats.l2_exits++;
	vmx_nested_vmexit(v, &e, nmi);
}

/*
 * apic_decide()'s decision while L2 runs is about L1's interrupts: injected into vmcs02
 * only when vmcs12 lets them reach L2 (no external-interrupt / NMI exiting), with
 * nestor's windows for them; otherwise they wait in the vLAPIC for the exit above. L1's
 * TPR stays in nestor's own virtual-APIC page (vmcs01); vmcs02's TPR shadow is L1's.
 */
void vmx_nested_apply_decision(struct vcpu *v, struct vlapic *l, const struct apic_decision *d)
{
	struct vmx_vcpu *x = vmx_of(v);
	struct vmx_nested *nx = vmx_nested_of(v);
	uint32_t pin = nx->v12->pin_controls, proc = nx->proc02;

	if (d->inject) {
		bool nmi = d->source == APIC_SRC_NMI;
		bool exits = pin & (nmi ? PIN_NMI_EXITING : PIN_EXTINT_EXITING);
		if (!exits && !(vmcs_read(VMCS_ENTRY_INTR_INFO) & INTR_INFO_VALID)) {
			uint8_t vector = apic_ack(l, d);
			vmcs_write(VMCS_ENTRY_INTR_INFO, vector | INTR_INFO_VALID |
					(nmi ? INTR_TYPE_NMI : INTR_TYPE_EXTERNAL));
			v->last_source = (uint8_t)d->source;
			v->stats.injected[nmi ? INJECT_NMI : d->source == APIC_SRC_EXTINT
						    ? INJECT_EXTINT : INJECT_LAPIC]++;
		}
	}
	if (d->irq_window != APIC_WINDOW_NONE && !(pin & PIN_EXTINT_EXITING))
		proc |= PROC_IRQ_WINDOW_EXITING;
	if (d->nmi_window && !(pin & PIN_NMI_EXITING) && (pin & PIN_VIRTUAL_NMIS))
		proc |= PROC_NMI_WINDOW_EXITING;
	if (proc != x->proc) {
		vmcs_write(VMCS_PROC_CONTROLS, proc);
		x->proc = proc;
	}
	*(volatile uint8_t *)&x->vapic[VAPIC_TPR] = d->tpr;
	x->entry_vtpr = d->tpr;
}

/* vcpu_entry: what happens before every VM entry, the same on VMX and SVM. */
#ifndef NESTOR_VM_VCPU_ENTRY_H
#define NESTOR_VM_VCPU_ENTRY_H

#include <stdbool.h>
#include <stdint.h>

struct apic_decision;
struct apic_intr_state;
struct vcpu;
struct vlapic;

/* The backend's side of the steps: its own registers, its own control fields. */
struct vcpu_entry_ops {
	/* INIT: the architectural reset state (SDM Vol. 3A 9.1.1), no pending injection. */
	void (*init)(struct vcpu *v);
	/* STARTUP: real mode at vector << 12 (CS = vector << 8, IP = 0; SDM 9.4.4). */
	void (*sipi)(struct vcpu *v, uint8_t vector);
	/* The guest's interruptibility as apic/ needs it. */
	void (*intr_state)(struct vcpu *v, struct apic_intr_state *st);
	/* Programs injection, windows and TPR virtualization from the decision. */
	void (*apply_decision)(struct vcpu *v, struct vlapic *l, const struct apic_decision *d);
};

/*
 * Brings the clock and (on vCPU 0) the devices up to date, applies INIT/SIPI, waits while
 * the vCPU waits for SIPI or is halted with nothing to wake it, then asks apic/ what to
 * inject and lets the backend apply it, and arms the host timer for the next deadline.
 * False when the vCPU did not get ready to enter (it waited); the caller loops.
 */
bool vcpu_prepare_entry(struct vcpu *v, struct vlapic *l, const struct vcpu_entry_ops *ops);

#endif

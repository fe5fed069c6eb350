/* vcpu_entry: what happens before every VM entry, the same on VMX and SVM. */
#ifndef NESTOR_VM_VCPU_ENTRY_H
#define NESTOR_VM_VCPU_ENTRY_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;
struct vlapic;

/*
 * Brings the clock and (on vCPU 0) the devices up to date, applies INIT/SIPI, waits while
 * the vCPU waits for SIPI or is halted with nothing to wake it, then asks apic/ what to
 * inject and lets the backend (v->ops) apply it, and arms the host timer for the next deadline.
 * False when the vCPU did not get ready to enter (it waited); the caller loops.
 */
bool vcpu_prepare_entry(struct vcpu *v, struct vlapic *l);

#endif

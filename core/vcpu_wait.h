/* vcpu_wait: how a vCPU's physical CPU waits and arms its timer, the same on every backend. */
#ifndef NESTOR_CORE_VCPU_WAIT_H
#define NESTOR_CORE_VCPU_WAIT_H

#include <stdint.h>

struct vcpu;
struct vlapic;

/* Arms the host timer for the earliest device or LAPIC-timer deadline of this vCPU. */
void vcpu_arm_timer(struct vcpu *v, uint64_t now_ns);
/*
 * Waits on this CPU until something may have changed for the vCPU (halted, or waiting
 * for SIPI): its LAPIC timer or a device deadline (the host timer), or a kick IPI from a
 * CPU that sent it an interrupt. Returns at once when an event is already requested or
 * the VM is stopping.
 */
void vcpu_wait(struct vcpu *v, struct vlapic *l, uint64_t now_ns);

#endif

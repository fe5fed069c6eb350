/* vcpu_run: the run loop both backends share. */
#ifndef NESTOR_VM_VCPU_RUN_H
#define NESTOR_VM_VCPU_RUN_H

struct vcpu;

/* Runs the vCPU on the calling CPU until the VM stops (v->ops is its backend's). */
void vcpu_run(struct vcpu *v);

#endif

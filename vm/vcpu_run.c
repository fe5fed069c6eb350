/* vcpu_run: one vCPU's life, the same on VMX and SVM: decide, enter, exit, handle, until the VM stops. */
#include "vm/vcpu_run.h"

#include "apic/apic_arbiter.h"
#include "vm/vcpu_arch.h"
#include "vm/vcpu_entry.h"
#include "vm/vcpu_exit.h"
#include "vm/vcpu_nested.h"
#include "vm/vm.h"

/*
 * After an exit, in this order: the physical interrupt that caused it is taken (its
 * handler may kick this vCPU); the vLAPIC's clock moves on; an L2 exit goes to the nested
 * code first; then L1's bookkeeping: the TPR the guest left behind, the event the exit
 * interrupted on its way in; and finally the exit itself.
 */
static bool vcpu_after_exit(struct vcpu *v, struct vlapic *l)
{
	const struct vcpu_arch_ops *ops = v->ops;
	struct vcpu_event ev;

	v->stats.exits++;
	if (ops->exit_is_host_interrupt(v))
		__asm__ volatile("sti; nop; cli" ::: "memory");
	vlapic_set_clock(l, vm_now_ns(v->vm));
	if (v->guest_mode && v->nested) {
		enum vcpu_nested_exit r = v->nested->exit(v);
		if (r != NESTED_EXIT_FOR_L0)
			return r == NESTED_EXIT_DONE;
	}
	ops->sync_tpr(v, l);
	ops->undelivered_event(v, &ev);
	vcpu_requeue_event(v, l, &ev);
	return ops->handle_exit(v);
}

void vcpu_run(struct vcpu *v)
{
	const struct vcpu_arch_ops *ops = v->ops;
	struct vlapic *l = apic_vm_vcpu(&v->vm->apic, v->id);

	if (ops->start(v)) {
		while (!v->vm->stopping) {
			if (!vcpu_prepare_entry(v, l))
				continue;
			if (!ops->enter(v) || !vcpu_after_exit(v, l))
				break;
		}
	}
	v->state = VCPU_STOPPED;
}

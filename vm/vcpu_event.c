/* vcpu_event: an event an exit kept from the guest goes back to where it came from. */
#include "vm/vcpu_exit.h"

#include "apic/apic_arbiter.h"
#include "vm/vcpu_arch.h"
#include "vm/vm.h"

/*
 * EXITINTINFO (APM 15.7.2) / IDT-vectoring information (SDM 27.2.4): an event was being
 * delivered when the exit happened and did not reach the guest. Interrupts and NMIs go
 * back to the interrupt core, which decides again before the next entry (a higher one
 * may have arrived meanwhile); exceptions and software events are injected again as they
 * were, software ones with the instruction length the exit reported.
 */
void vcpu_requeue_event(struct vcpu *v, struct vlapic *l, const struct vcpu_event *ev)
{
	if (!ev->valid)
		return;
	if (ev->type == VCPU_EVENT_EXTINT || ev->type == VCPU_EVENT_NMI) {
		enum apic_source src = ev->type == VCPU_EVENT_NMI ? APIC_SRC_NMI
								  : (enum apic_source)v->last_source;
		apic_requeue(l, src, ev->vector);
		return;
	}
	v->ops->inject(v, ev);
}

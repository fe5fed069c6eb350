/* vcpu_wait: how a vCPU's physical CPU waits and arms its timer, the same on every backend. */
#include "core/vcpu_wait.h"

#include "apic/apic_arbiter.h"
#include "core/vm.h"
#include "drivers/lapic.h"

void vcpu_arm_timer(struct vcpu *v, uint64_t now)
{
	uint64_t next = vm_next_deadline_ns(v->vm, v);
	lapic_timer_arm_ns(next == UINT64_MAX ? 0 : next > now ? next - now : 1);
}

/* STI;HLT is one window: an IPI that arrived after the last check is taken by the HLT. */
void vcpu_wait(struct vcpu *v, struct vlapic *l, uint64_t now)
{
	vcpu_arm_timer(v, now);
	if (apic_event_requested(l) || v->vm->stopping)
		return;
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

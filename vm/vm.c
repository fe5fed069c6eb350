/* vm: one virtual machine: guest RAM, vCPUs, buses, the platform and how it stops. */
#include "vm/vm.h"

#include <stdarg.h>

#include "drivers/run_end.h"
#include "drivers/tsc.h"
#include "lib/format.h"
#include "lib/log.h"

void vm_request_stop(struct vm *vm, unsigned status, const char *fmt, ...)
{
	bool expected = false;
	if (!__atomic_compare_exchange_n(&vm->stopping, &expected, true, false, __ATOMIC_SEQ_CST,
					 __ATOMIC_SEQ_CST))
		return;
	vm->stop_status = status;
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(vm->stop_reason, sizeof(vm->stop_reason), fmt, ap);
	va_end(ap);
	log_info("vm: stopping: %s", vm->stop_reason);
}

void vm_stop_vcpu(struct vcpu *v, const char *fmt, ...)
{
	char why[100];
	va_list ap;
	va_start(ap, fmt);
	fmt_vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	vm_request_stop(v->vm, RUN_STATUS_VM_STOPPED, "vcpu%u: %s", v->id, why);
}

uint64_t vm_now_ns(const struct vm *vm)
{
	return tsc_now_ns() - vm->start_ns;
}

void vm_note_halted(struct vm *vm, struct vcpu *v, bool irqs_off)
{
	v->halted_irqs_off = irqs_off;
	if (!irqs_off)
		return;
	for (unsigned i = 0; i < vm->nvcpus; i++) {
		const struct vcpu *u = &vm->vcpus[i];
		bool stuck = u->state == VCPU_WAIT_FOR_SIPI ||
			     (u->state == VCPU_HALTED && u->halted_irqs_off);
		if (!stuck)
			return;
	}
	vm_request_stop(vm, RUN_STATUS_VM_STOPPED, "every vCPU is halted with interrupts "
			"disabled or waits for SIPI: nothing can wake the VM (last: vcpu%u)", v->id);
}

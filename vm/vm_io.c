/* vm_io: guest port I/O and device time, serialized for the lock-free device models. */
#include "vm/vm.h"

/*
 * The time is read under the lock, as vm_io_read/write do: a CPU that read it before and
 * waited for the lock (or was descheduled in between: QEMU's single-threaded TCG runs the
 * vCPUs in turns of milliseconds) would move the devices back behind another vCPU's port
 * access ("time went backwards", which the devices ignore).
 */
void vm_devices_tick(struct vm *vm)
{
	spin_lock(&vm->device_lock);
	uint64_t now = vm_now_ns(vm);
	platform_set_time(&vm->devices, now);
	spin_unlock(&vm->device_lock);
	vioapic_set_time(&vm->apic.ioapic, now);	/* vCPU 0's alone: in order */
}

uint32_t vm_io_read(struct vm *vm, uint16_t port, unsigned size)
{
	spin_lock(&vm->device_lock);
	platform_set_time(&vm->devices, vm_now_ns(vm));
	uint32_t value = io_bus_read(&vm->io, port, size);
	spin_unlock(&vm->device_lock);
	return value;
}

void vm_io_write(struct vm *vm, uint16_t port, unsigned size, uint32_t value)
{
	spin_lock(&vm->device_lock);
	platform_set_time(&vm->devices, vm_now_ns(vm));
	io_bus_write(&vm->io, port, size, value);
	spin_unlock(&vm->device_lock);
}

uint64_t vm_next_deadline_ns(struct vm *vm, const struct vcpu *v)
{
	uint64_t next = vlapic_timer_next_deadline_ns(&vm->apic.vcpu[v->id]);
	/* Device timers (PIT, RTC, ACPI PM) are driven by vCPU 0 only: one CPU polls them. */
	if (v->id == 0) {
		spin_lock(&vm->device_lock);
		uint64_t d = platform_next_deadline(&vm->devices);
		spin_unlock(&vm->device_lock);
		if (d < next)
			next = d;
		d = vioapic_next_deadline_ns(&vm->apic.ioapic);
		if (d < next)
			next = d;
	}
	return next;
}

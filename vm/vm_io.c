/* vm_io: guest port I/O and device time, serialized for the lock-free device models. */
#include "vm/vm.h"

#include "arch/x86/cpu.h"
#include "lib/log.h"

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

void vm_io_permmap_passthrough(const struct vm *vm, uint8_t *map)
{
	/* APM 15.10.1 and SDM 25.1.3: an access of N bytes exits if the bit of any of its N
	 * ports is set, so the timer's 4 bytes are all cleared for a 32-bit read to pass. */
	for (unsigned i = 0; vm->pm_timer_port && i < 4; i++) {
		unsigned port = vm->pm_timer_port + i;
		map[port / 8] &= (uint8_t)~(1u << (port % 8));
	}
}

/* How many of the access's bytes fall on the passed-through host PM timer. */
static unsigned vm_io_passed_bytes(const struct vm *vm, uint16_t port, unsigned size)
{
	unsigned n = 0;
	for (unsigned i = 0; vm->pm_timer_port && i < size; i++)
		n += port + i >= vm->pm_timer_port && port + i < vm->pm_timer_port + 4u;
	return n;
}

static uint32_t host_in(uint16_t port, unsigned size)
{
	return size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
}

/*
 * An access that exits although its port is passed through: L2's, which L1 lets through
 * while nestor's map for L2 intercepts every port, or one that straddles the timer's edge.
 * Inside the timer it reads the host's (what L1 itself would read), in one access so the
 * counter is not torn; bytes outside go to nestor's devices.
 */
static uint32_t vm_io_read_passed(struct vm *vm, uint16_t port, unsigned size)
{
	if (vm_io_passed_bytes(vm, port, size) == size)
		return host_in(port, size);
	uint32_t value = 0;
	for (unsigned i = 0; i < size; i++) {
		uint16_t p = (uint16_t)(port + i);
		uint32_t b = vm_io_passed_bytes(vm, p, 1) ? inb(p) : io_bus_read(&vm->io, p, 1);
		value |= (b & 0xff) << (8 * i);
	}
	return value;
}

uint32_t vm_io_read(struct vm *vm, uint16_t port, unsigned size)
{
	spin_lock(&vm->device_lock);
	if (vm_io_passed_bytes(vm, port, size)) {
		uint32_t value = vm_io_read_passed(vm, port, size);
		spin_unlock(&vm->device_lock);
		return value;
	}
	platform_set_time(&vm->devices, vm_now_ns(vm));
	uint32_t value = io_bus_read(&vm->io, port, size);
	spin_unlock(&vm->device_lock);
	return value;
}

void vm_io_write(struct vm *vm, uint16_t port, unsigned size, uint32_t value)
{
	spin_lock(&vm->device_lock);
	platform_set_time(&vm->devices, vm_now_ns(vm));
	if (!vm_io_passed_bytes(vm, port, size)) {
		io_bus_write(&vm->io, port, size, value);
	} else {
		/* The PM timer is read-only (ACPI 6.5, 4.8.3.3): the host's is not written. */
		if (!vm->pm_timer_write_logged)
			log_warn("vm: guest wrote %#x to port %#x (%u bytes), the host's read-only PM "
				 "timer: ignored (said once)", value, port, size);
		vm->pm_timer_write_logged = true;
		for (unsigned i = 0; i < size; i++)
			if (!vm_io_passed_bytes(vm, (uint16_t)(port + i), 1))
				io_bus_write(&vm->io, (uint16_t)(port + i), 1, value >> (8 * i) & 0xff);
	}
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

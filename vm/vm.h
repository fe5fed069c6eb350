/* vm: one virtual machine: guest RAM, vCPUs, buses, the platform and how it stops. */
#ifndef NESTOR_VM_VM_H
#define NESTOR_VM_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "apic/apic_vm.h"
#include "devices/platform.h"
#include "lib/guest_mem.h"
#include "lib/io_bus.h"
#include "lib/mmio_bus.h"
#include "lib/spinlock.h"
#include "vm/cpuid_model.h"
#include "vm/vcpu.h"
#include "vm/vm_nested.h"

#define VM_MAX_VCPUS 8

struct vm {
	struct guest_mem mem;
	unsigned nvcpus;
	struct vcpu vcpus[VM_MAX_VCPUS];
	struct io_bus io;
	struct mmio_bus mmio;
	struct apic_vm apic;		/* vLAPICs, vIOAPIC, vPIC (they lock themselves) */
	struct platform devices;	/* UART, PIT, RTC, ... (serialized by device_lock) */
	/* Serializes device models: they are plain state machines without locks. */
	struct spinlock device_lock;
	/* Set once, by whoever ends the run first (guest debug-exit, poweroff, a fatal
	 * guest error); every vCPU leaves its loop when it sees it. */
	volatile bool stopping;
	unsigned stop_status;
	char stop_reason[120];
	/* Guest clock: nanoseconds of host time since the VM started. */
	uint64_t start_ns;
	/* The TSC at that instant: VM time and the guests' TSC have one epoch (the vLAPIC's
	 * TSC-deadline conversion uses it). */
	uint64_t start_tsc;
	void *arch;			/* the backend's per-VM state (nested tables, bitmaps) */
	/* A failure of the backend's own to provoke once (option fault=vmwrite|invept, enum
	 * debug_fault), so the test suite sees how it is reported; 0 normally. */
	unsigned test_fault;
	struct vm_nested_offer nested;	/* what L1 is offered of nested virtualization */
	/* The host's ACPI PM timer handed to the guest (pm-timer=host, core/vm_build.c): the
	 * FADT names its port and the backends leave its 4 ports out of the I/O intercepts.
	 * 0: nestor's emulated timer at 0x608 serves the guest. */
	uint16_t pm_timer_port;
	bool pm_timer_32bit;
	bool pm_timer_write_logged;
	/* What L1 is offered (vm/personality.h) and where CPUID's host answers come from. */
	const struct personality *personality;
	struct cpuid_host cpuid_host;
};

/*
 * Ends the run for every vCPU with `status` (drivers/run_end.h); the first caller wins and
 * its reason is what the report prints. Safe from any CPU.
 */
void vm_request_stop(struct vm *vm, unsigned status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same for a fatal outcome of vCPU v: status "VM stopped", reason "vcpuN: ...". */
void vm_stop_vcpu(struct vcpu *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
uint64_t vm_now_ns(const struct vm *vm);
/*
 * A vCPU found nothing to wake it from HLT. When every vCPU is halted with interrupts
 * disabled or waits for a SIPI, nothing can ever wake the VM: it is stopped with a report
 * instead of hanging until an outside timeout.
 */
void vm_note_halted(struct vm *vm, struct vcpu *v, bool irqs_off);
/* Brings the platform devices to the VM's current time (they may raise IRQs). */
void vm_devices_tick(struct vm *vm);
/* The earliest time (VM ns) the devices or this vCPU's LAPIC timer need attention. */
uint64_t vm_next_deadline_ns(struct vm *vm, const struct vcpu *v);
/*
 * Clears, in an I/O permission map of one bit per port (SVM's IOPM, VMX's bitmaps A and B
 * side by side), the ports the guest reaches directly: the host PM timer's, if passed.
 */
void vm_io_permmap_passthrough(const struct vm *vm, uint8_t *map);
/* Guest port I/O through the device bus, at the VM's current time. */
uint32_t vm_io_read(struct vm *vm, uint16_t port, unsigned size);
void vm_io_write(struct vm *vm, uint16_t port, unsigned size, uint32_t value);

#endif

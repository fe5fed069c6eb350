/* vm_build: creating the one VM of a run from the boot options, running it, ending it. */
#include "core/vm_build.h"

#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "arch/x86/smp.h"
#include "arch/x86/trap.h"
#include "core/vcpu_report.h"
#include "devices/acpi_pm.h"
#include "drivers/host_acpi.h"
#include "drivers/lapic.h"
#include "drivers/run_end.h"
#include "drivers/tsc.h"
#include "lib/boot_info.h"
#include "lib/log.h"
#include "lib/string.h"
#include "vm/vcpu_run.h"
#include "vm/vcpu_msr.h"
#include "vm/virt.h"
#include "vm/vm_cpu_model.h"
#include "vm/personality.h"
#include "vm/vm.h"

#define IOAPIC_BASE 0xfec00000ull
#define IOAPIC_WINDOW 0x1000ull
#define ISA_IRQS 16
#define VCPU_STOP_WAIT_NS 2000000000ull

static volatile bool vcpu_done[VM_MAX_VCPUS];

/*
 * ISA IRQ n reaches both interrupt controllers, as on a PC: the 8259 pair on its IRQ
 * input and the I/O APIC on pin n, except IRQ 0 (PIT), which the MADT's interrupt
 * source override puts on pin 2 (the 8259 cascade never reaches the I/O APIC).
 */
static void vm_irq_set_level(void *ctx, unsigned irq, bool level)
{
	struct vm *vm = ctx;
	if (irq < ISA_IRQS)
		vpic_set_irq(&vm->apic.pic, irq, level);
	unsigned gsi = irq == 0 ? 2 : irq;
	if (gsi < VIOAPIC_PINS && irq != 2)
		vioapic_set_pin(&vm->apic.ioapic, gsi, level);
}

/* Makes a vCPU on another CPU leave guest mode or HLT; called under device locks. */
static void vm_kick(void *ctx, unsigned vcpu_id)
{
	struct vm *vm = ctx;
	if (vcpu_id >= vm->nvcpus)
		return;
	struct percpu *target = vm->vcpus[vcpu_id].cpu;
	if (target && target != percpu_this())
		lapic_send_ipi(target->apic_id, LAPIC_VECTOR_KICK);
}

static void vm_debug_exit(void *ctx, uint32_t value)
{
	struct vm *vm = ctx;
	unsigned status = value & 0xff;
	/* nestor's own statuses must stay nestor's: a guest cannot claim a nestor crash. */
	if (status >= RUN_STATUS_VM_STOPPED && status <= RUN_STATUS_CRASH) {
		vm_request_stop(vm, RUN_STATUS_FAIL, "guest wrote %#x to the debug-exit port, which "
			       "collides with nestor's reserved statuses; reported as fail", value);
		return;
	}
	vm_request_stop(vm, status, "guest wrote %#x to the debug-exit port", value);
}

static void vm_power_off(void *ctx)
{
	vm_request_stop(ctx, RUN_STATUS_PASS, "guest powered off (ACPI S5)");
}

static void vm_reset(void *ctx, const char *source)
{
	vm_request_stop(ctx, RUN_STATUS_VM_STOPPED, "guest asked for a reset (%s); nestor does "
			"not reboot guests", source);
}

static void vm_timer_interrupt(struct trap_frame *f)
{
	(void)f;
	lapic_eoi();	/* its only job is to make the CPU leave the guest or HLT */
}

static bool vm_create_interrupts(struct vm *vm, const struct boot_info *bi, bool apicv)
{
	struct apic_vm_config cfg = {
		.nr_vcpus = vm->nvcpus,
		.ioapic_eoi_register = bi->options.ioapic == IOAPIC_V20,
		.storm_threshold = bi->options.storm_guard ? bi->options.storm_guard
							   : VIOAPIC_STORM_GUARD_OFF,
		.apicv = apicv,
		.x2apic = true,
		.maxphyaddr = cpuid(0x80000000, 0).eax >= 0x80000008 ?
				      cpuid(0x80000008, 0).eax & 0xff : 36,
		.tsc = { .tsc_hz = tsc_hz(), .tsc_at_zero = vm->start_tsc },
		.kick = vm_kick,
		.ctx = vm,
	};
	if (!apic_vm_init(&vm->apic, &cfg))
		return false;
	/* The vPIC's ports: master, slave, and the ELCR pair. */
	return io_bus_register(&vm->io, 0x20, 2, "pic-master", &vpic_io_ops, &vm->apic.pic) &&
	       io_bus_register(&vm->io, 0xa0, 2, "pic-slave", &vpic_io_ops, &vm->apic.pic) &&
	       io_bus_register(&vm->io, 0x4d0, 2, "pic-elcr", &vpic_io_ops, &vm->apic.pic) &&
	       mmio_bus_register(&vm->mmio, IOAPIC_BASE, IOAPIC_WINDOW, "ioapic",
				 &vioapic_mmio_ops, &vm->apic.ioapic);
}

static bool vm_create_devices(struct vm *vm)
{
	struct platform_config cfg = {
		.ram_below_4g = vm->mem.size,
		.nb_cpus = (uint16_t)vm->nvcpus,
		.max_cpus = (uint16_t)vm->nvcpus,
		.wall_clock_seconds = 1767225600,	/* 2026-01-01: reproducible guest dates */
		.now_ns = 0,
		.pc_testdev = true,
	};
	struct platform_callbacks cb = {
		.ctx = vm,
		.irq = { vm_irq_set_level, vm },
		.debug_exit = vm_debug_exit,
		.power_off = vm_power_off,
		.reset = vm_reset,
	};
	return platform_register_devices(&vm->devices, &vm->io, &cfg, &cb);
}

/*
 * pm-timer=host: the guest gets the host's ACPI PM timer, which its FADT then names, and
 * reads it without an exit. Under emulation every exit costs tens of microseconds, more than
 * Linux allows a calibration read (docs/performance.md: without this it cannot calibrate
 * its TSC and takes the PM timer, at an exit per read, as its clock). The timer is a
 * read-only counter of real time at the same 3.579545 MHz as nestor's own; the guest sees
 * another origin, nothing else. Its ports must be the timer's alone: a port a device model
 * of nestor's serves is not given away (nestor's own timer bytes at 0x608 excepted: the
 * host's replaces them). PM1 status TMR_STS and its SCI stay nestor's (docs/devices.md).
 */
static void vm_choose_pm_timer(struct vm *vm, const struct boot_info *bi,
			       const struct host_acpi *host)
{
	uint16_t port = host->pm_tmr_port;
	if (bi->options.pm_timer == PM_TIMER_EMULATED) {
		log_info("vm: ACPI PM timer: nestor's at %#x (pm-timer=emulated)", ACPI_PM_TMR_BLK);
		return;
	}
	if (!port) {
		log_info("vm: ACPI PM timer: nestor's at %#x: the host has none in I/O space",
			 ACPI_PM_TMR_BLK);
		return;
	}
	for (unsigned i = 0; i < 4; i++) {
		uint16_t p = (uint16_t)(port + i);
		const struct io_bus_range *r = io_bus_find(&vm->io, p);
		bool own_timer = p >= ACPI_PM_TMR_BLK && p < ACPI_PM_TMR_BLK + ACPI_PM_TMR_LEN;
		if (r && !own_timer) {
			log_warn("vm: ACPI PM timer: the host's at %#x overlaps nestor's %s at port %#x; "
				 "nestor's emulated timer at %#x serves the guest", port, r->name, p,
				 ACPI_PM_TMR_BLK);
			return;
		}
	}
	vm->pm_timer_port = port;
	vm->pm_timer_32bit = host->pm_tmr_32bit;
	log_info("vm: ACPI PM timer: the host's at port %#x (%u-bit), read without an exit "
		 "(pm-timer=emulated for nestor's)", port, vm->pm_timer_32bit ? 32 : 24);
}

/* Whether a page holds only zeros: 64 bytes per step, ORed, so that an emulator runs one short
 * translated block per step (REPE SCASQ, one iteration per quad, took twice as long under
 * QEMU's TCG: docs/performance.md). */
static bool vm_page_is_zero(const uint64_t *q)
{
	for (unsigned i = 0; i < 512; i += 8)
		if (q[i] | q[i + 1] | q[i + 2] | q[i + 3] | q[i + 4] | q[i + 5] | q[i + 6] | q[i + 7])
			return false;
	return true;
}

/*
 * Zeroes the pages of [ram, ram + size) that are not zero already; returns how many. Reading
 * a page the firmware never touched costs little, where writing it would make an emulator
 * (or a host hypervisor) allocate it: a plain memset of 512 MiB took 5.7 s under QEMU's TCG.
 */
static uint64_t vm_zero_ram(uint8_t *ram, uint64_t size)
{
	uint64_t dirty = 0;
	for (uint64_t off = 0; off + 4096 <= size; off += 4096) {
		if (!vm_page_is_zero((const uint64_t *)(ram + off))) {
			memset(ram + off, 0, 4096);
			dirty++;
		}
	}
	return dirty;
}

bool vm_create(struct vm *vm, const struct boot_info *bi, const struct virt_ops *ops,
	       unsigned ncpus, const struct host_acpi *host)
{
	memset(vm, 0, sizeof(*vm));
	vm->mem.hva = (uint8_t *)bi->guest_ram;
	vm->mem.size = (uint64_t)bi->options.mem_mb << 20;
	vm->nvcpus = ncpus < VM_MAX_VCPUS ? ncpus : VM_MAX_VCPUS;
	vm->test_fault = bi->options.fault;
	vm->start_tsc = rdtsc();
	vm->start_ns = tsc_ns_at(vm->start_tsc);
	io_bus_init(&vm->io);
	mmio_bus_init(&vm->mmio);
	if (!vm_cpu_model_init(vm, bi->options.personality))
		return false;
	if (!vm->mem.hva) {
		log_error("vm: no guest RAM was allocated");
		return false;
	}
	/* The firmware hands the block over as it left it: whatever it held is nobody's
	 * business of the guest's (tests/guests/ram_zero.c). Before the loaders write. */
	uint64_t t0 = tsc_now_ns();
	uint64_t dirty = vm_zero_ram(vm->mem.hva, vm->mem.size);
	log_debug("vm: %llu MiB of guest RAM checked in %llu ms, %llu pages held data and were "
		  "zeroed", (unsigned long long)(vm->mem.size >> 20),
		  (unsigned long long)((tsc_now_ns() - t0) / 1000000), (unsigned long long)dirty);
	/* apicv=on asks the backend for hardware APIC virtualization; one without it says so
	 * rather than silently running the TPR-shadow configuration instead. */
	bool apicv = bi->options.apicv == APICV_ON;
	if (apicv && !ops->apicv) {
		log_error("vm: apicv=on: the %s backend does not implement hardware APIC "
			  "virtualization yet (apicv=off runs TPR shadow / V_TPR)", ops->name);
		return false;
	}
	if (!vm_create_interrupts(vm, bi, apicv) || !vm_create_devices(vm))
		return false;
	vm_choose_pm_timer(vm, bi, host);

	struct guest_entry entry;
	if (!payload_load(vm, bi, &entry))
		return false;
	/* What L1 is offered: the backend's vm_init turns on what it implements of it. */
	vm->nested.wanted = vm->personality->virt.svm;
	vm->nested.paging = bi->options.nested_paging == NESTED_PAGING_ON;
	if (!ops->vm_init(vm))
		return false;
	for (unsigned i = 0; i < vm->nvcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];
		v->vm = vm;
		v->id = i;
		vcpu_msrs_reset(v);
		if (!ops->vcpu_init(v, i == 0 ? &entry : 0))
			return false;
	}
	trap_set_irq_handler(LAPIC_VECTOR_TIMER, vm_timer_interrupt);
	log_info("vm: %u vCPU%s, %llu MiB of RAM, backend %s", vm->nvcpus,
		 vm->nvcpus == 1 ? "" : "s", (unsigned long long)(vm->mem.size >> 20), ops->name);
	return true;
}

static const struct virt_ops *run_ops;

/* Runs on each vCPU's own physical CPU. */
static void vm_vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	struct percpu *cpu = percpu_this();
	v->cpu = cpu;
	cpu->vcpu = v;
	if (!run_ops->cpu_enable(cpu))
		vm_request_stop(v->vm, RUN_STATUS_VM_STOPPED, "cpu %u cannot enable %s", cpu->index,
				run_ops->name);
	else
		vcpu_run(v);
	lapic_timer_arm_ns(0);
	__atomic_store_n(&vcpu_done[v->id], true, __ATOMIC_RELEASE);
}

void vm_run(struct vm *vm, const struct virt_ops *ops)
{
	run_ops = ops;
	for (unsigned i = 1; i < vm->nvcpus; i++)
		smp_run_on(percpu_all[i], vm_vcpu_thread, &vm->vcpus[i]);
	vm_vcpu_thread(&vm->vcpus[0]);

	/* vCPU 0 is done: make sure every other vCPU noticed the stop before reporting. */
	uint64_t deadline = tsc_now_ns() + VCPU_STOP_WAIT_NS;
	for (unsigned i = 1; i < vm->nvcpus; i++) {
		while (!__atomic_load_n(&vcpu_done[i], __ATOMIC_ACQUIRE)) {
			if (tsc_now_ns() > deadline) {
				log_warn("vm: vcpu%u did not stop within 2 s", i);
				break;
			}
			vm_kick(vm, i);
			tsc_delay_ns(1000000);
		}
	}
	spin_lock(&vm->device_lock);
	platform_flush_console(&vm->devices);
	spin_unlock(&vm->device_lock);
	vm_log_report(vm);
	apic_vm_report(&vm->apic, "report");
	platform_log_stats(&vm->devices);
	run_end(vm->stop_status);
}

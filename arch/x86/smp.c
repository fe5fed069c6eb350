/* smp: starting the host's application processors and handing them work. */
#include "arch/x86/smp.h"

#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "arch/x86/trap.h"
#include "drivers/host_acpi.h"
#include "drivers/lapic.h"
#include "drivers/tsc.h"
#include "lib/log.h"
#include "lib/string.h"

extern const char ap_trampoline_start[], ap_trampoline_end[];
extern const char ap_trampoline_cr3[], ap_trampoline_stack[], ap_trampoline_arg[],
	ap_trampoline_entry[];

/* Long enough for Bochs, where 1 ms of guest time is a lot of host time. */
#define AP_START_TIMEOUT_NS 500000000ull

static uint64_t boot_cr0, boot_cr4;

static void smp_kick_handler(struct trap_frame *f)
{
	(void)f;
	lapic_eoi();	/* the point was only to leave HLT */
}

void smp_boot_cpu_init(void)
{
	boot_cr0 = read_cr0();
	boot_cr4 = read_cr4();
	lapic_init();
	trap_set_irq_handler(LAPIC_VECTOR_KICK, smp_kick_handler);
}

/* An AP between jobs: HLT with interrupts on, so a kick IPI wakes it. */
static __attribute__((noreturn)) void smp_idle(struct percpu *cpu)
{
	for (;;) {
		void (*fn)(void *) = cpu->work;
		if (fn) {
			cpu->work = 0;
			fn(cpu->work_arg);
			continue;
		}
		__asm__ volatile("sti; hlt; cli" ::: "memory");
	}
}

/* First C code on an AP, on its own stack; the trampoline left it in long mode. */
static __attribute__((noreturn)) void smp_ap_entry(struct percpu *cpu)
{
	/* Same control registers as the boot CPU (caches, WP, OSFXSR, ...). */
	write_cr0(boot_cr0);
	write_cr4(boot_cr4);
	percpu_load(cpu);
	idt_load();
	lapic_init();
	if (lapic_id() != cpu->apic_id)
		log_warn("smp: cpu %u reports APIC ID %u, MADT said %u", cpu->index, lapic_id(),
			 cpu->apic_id);
	__atomic_store_n(&cpu->online, true, __ATOMIC_RELEASE);
	smp_idle(cpu);
}

static bool smp_start_one(unsigned index, uint32_t apic_id, uintptr_t page)
{
	struct percpu *cpu = percpu_create(index, apic_id);
	if (!cpu) {
		log_error("smp: out of pages for cpu %u", index);
		return false;
	}
	size_t len = (size_t)(ap_trampoline_end - ap_trampoline_start);
	memcpy((void *)page, ap_trampoline_start, len);
	uint64_t *cr3 = (uint64_t *)(page + (uintptr_t)(ap_trampoline_cr3 - ap_trampoline_start));
	uint64_t *stack = (uint64_t *)(page + (uintptr_t)(ap_trampoline_stack - ap_trampoline_start));
	uint64_t *arg = (uint64_t *)(page + (uintptr_t)(ap_trampoline_arg - ap_trampoline_start));
	uint64_t *entry = (uint64_t *)(page + (uintptr_t)(ap_trampoline_entry - ap_trampoline_start));
	*cr3 = read_cr3();
	*stack = cpu->stack_top;
	*arg = (uint64_t)(uintptr_t)cpu;
	*entry = (uint64_t)(uintptr_t)smp_ap_entry;

	lapic_start_ap(apic_id, (uint8_t)(page >> 12));
	uint64_t deadline = tsc_now_ns() + AP_START_TIMEOUT_NS;
	while (!__atomic_load_n(&cpu->online, __ATOMIC_ACQUIRE)) {
		if (tsc_now_ns() > deadline) {
			log_error("smp: cpu %u (APIC ID %u) did not come up", index, apic_id);
			return false;
		}
		cpu_pause();
	}
	log_info("smp: cpu %u online (APIC ID %u)", index, apic_id);
	return true;
}

/*
 * Without a MADT (OVMF under Bochs publishes no ACPI tables) nobody says which CPUs exist.
 * When the smp option asks for N > 1 CPUs, APIC IDs 0..N-1 are tried in turn, the IDs a
 * PC's firmware and Bochs give its CPUs; an ID nobody answers costs one start timeout.
 * Without the option the boot CPU runs alone, as before.
 */
static unsigned smp_probe_aps(unsigned limit, uintptr_t page, uint32_t bsp_id)
{
	unsigned online = 1;
	log_info("smp: no MADT: trying APIC IDs 0-%u for the %u CPUs smp=%u asks for", limit - 1,
		 limit, limit);
	for (uint32_t id = 0; id < limit && online < limit; id++)
		if (id != bsp_id && smp_start_one(online, id, page))
			online++;
	return online;
}

unsigned smp_start_aps(const struct host_acpi *acpi, unsigned limit, uintptr_t page)
{
	struct percpu *bsp = percpu_this();
	bsp->apic_id = lapic_id();
	bsp->online = true;
	unsigned online = 1;
	if (!acpi->has_madt && limit <= 1) {
		log_info("smp: no MADT and no smp=N option: boot CPU only");
		return online;
	}
	if (!page || page >= 0x100000 || (page & 0xfff)) {
		log_error("smp: no usable trampoline page below 1 MiB; boot CPU only");
		return online;
	}
	if (!acpi->has_madt)
		return smp_probe_aps(limit, page, bsp->apic_id);
	for (unsigned i = 0; i < acpi->ncpus; i++) {
		if (limit && online >= limit)
			break;
		if (acpi->apic_ids[i] == bsp->apic_id)
			continue;
		if (smp_start_one(online, acpi->apic_ids[i], page))
			online++;
	}
	return online;
}

void smp_run_on(struct percpu *cpu, void (*fn)(void *), void *arg)
{
	cpu->work_arg = arg;
	__atomic_store_n(&cpu->work, fn, __ATOMIC_RELEASE);
	lapic_send_ipi(cpu->apic_id, LAPIC_VECTOR_KICK);
}

/* smp: starting the host's application processors and handing them work. */
#ifndef NESTOR_ARCH_X86_SMP_H
#define NESTOR_ARCH_X86_SMP_H

#include <stdint.h>

struct host_acpi;
struct percpu;

/*
 * Starts every CPU the MADT lists (at most `limit` CPUs in all when limit != 0) with
 * INIT/SIPI through the trampoline page (below 1 MiB); returns how many CPUs are online,
 * the boot CPU included. A CPU that does not come up is reported and left alone.
 */
unsigned smp_start_aps(const struct host_acpi *acpi, unsigned limit, uintptr_t trampoline_page);
/* Runs fn(arg) on the idle CPU `cpu` (which must be online and idle). */
void smp_run_on(struct percpu *cpu, void (*fn)(void *), void *arg);
/* The boot CPU's side of the per-CPU setup, after its percpu area is loaded. */
void smp_boot_cpu_init(void);

#endif

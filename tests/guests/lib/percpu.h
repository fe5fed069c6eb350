/* percpu: per-CPU state of a test guest, reached through the GS base. */
#ifndef GUEST_PERCPU_H
#define GUEST_PERCPU_H

#include <stdbool.h>
#include <stdint.h>

#include "layout.h"

struct percpu {
	struct percpu *self;		/* %gs:0, so this_cpu() is a single load */
	unsigned index;			/* 0 = BSP, APs numbered in the order they arrive */
	uint32_t apic_id;
	bool x2apic;			/* LAPIC accessed through MSRs (x2APIC mode) */
	volatile bool online;

	volatile uint32_t irq_count[256];	/* deliveries per vector on this CPU */
	volatile int fault_vector;		/* set by a fixed-up exception, -1 = none */
	uint64_t fault_error;

	void (*volatile work)(void *);		/* smp_run_on(): the AP polls for this */
	void *work_arg;
	volatile bool work_done;
};

extern struct percpu percpu[MAX_CPUS];

static inline struct percpu *this_cpu(void)
{
	struct percpu *p;
	asm volatile("mov %%gs:0, %0" : "=r"(p));
	return p;
}

void percpu_init(unsigned index);

#endif

/* apic_inhibit: the VM-wide reasons why APIC virtualization (AVIC, APICv) must be off. */
#ifndef NESTOR_APIC_APIC_INHIBIT_H
#define NESTOR_APIC_APIC_INHIBIT_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/spinlock.h"

struct apic_vm;
struct vlapic;

enum apic_inhibit_reason {
	APIC_INHIBIT_DISABLED,		/* the VM was configured without APIC virtualization */
	APIC_INHIBIT_IRQWIN,		/* some vCPU needs an IRQ window (ExtINT), seed 001 */
	APIC_INHIBIT_APIC_ID_MODIFIED,	/* guest changed an xAPIC ID: the hardware table is stale */
	APIC_INHIBIT_APIC_BASE_MODIFIED,	/* guest moved the xAPIC page */
	APIC_INHIBIT_NESTED,		/* set by a backend while a vCPU runs a nested guest */
	APIC_INHIBIT_COUNT,
};

struct apic_inhibits {
	struct spinlock lock;
	uint32_t reasons;		/* bit per enum apic_inhibit_reason, under lock */
	/* vCPUs currently waiting for an IRQ window; in its own cache line (the seed's advice). */
	int nr_irq_window_req __attribute__((aligned(64)));
};

void apic_inhibit_set(struct apic_vm *vm, enum apic_inhibit_reason reason, bool set);
bool apic_inhibit_test(struct apic_vm *vm, enum apic_inhibit_reason reason);
bool apic_inhibited(struct apic_vm *vm);
uint32_t apic_inhibit_reasons(struct apic_vm *vm);
const char *apic_inhibit_name(enum apic_inhibit_reason reason);

/* Seed 001: a vCPU starts / stops waiting for an IRQ window that needs the inhibit. */
void apic_irq_window_inhibit_get(struct vlapic *v);
void apic_irq_window_inhibit_put(struct vlapic *v);

#endif

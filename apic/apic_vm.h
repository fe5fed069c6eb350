/* apic_vm: one VM's interrupt controllers (vLAPICs, vIOAPIC, vPIC) and their wiring. */
#ifndef NESTOR_APIC_APIC_VM_H
#define NESTOR_APIC_APIC_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "apic/apic_inhibit.h"
#include "apic/apic_stats.h"
#include "apic/apic_time.h"
#include "apic/vioapic.h"
#include "apic/vlapic.h"
#include "apic/vpic.h"

#define APIC_MAX_VCPUS 16

/* What the backend and the VM wiring give the interrupt core. */
struct apic_vm_config {
	unsigned nr_vcpus;		/* 1..APIC_MAX_VCPUS; vCPU 0 is the BSP */
	bool ioapic_eoi_register;	/* vIOAPIC version 0x20 (EOI register) or 0x11 */
	bool apicv;			/* the backend uses APIC virtualization (AVIC/APICv) */
	bool x2apic;			/* CPUID offers x2APIC: EXTD may be set */
	unsigned maxphyaddr;		/* guest physical-address width, for APIC-base checks */
	uint32_t storm_threshold;	/* 0 = VIOAPIC_DEFAULT_STORM_THRESHOLD; VIOAPIC_STORM_GUARD_OFF */
	struct apic_tsc_clock tsc;
	/*
	 * kick: make vCPU `vcpu_id` look at its interrupts soon: IPI its physical CPU out of
	 * guest mode, or wake it from HLT. Called from any CPU, possibly under a device
	 * lock: it must not block and must not call back into apic/. It may name the
	 * calling vCPU itself (its own timer, a self-IPI): nothing to do then.
	 */
	void (*kick)(void *ctx, unsigned vcpu_id);
	/* Optional: the VM-wide APIC-virtualization inhibit turned on or off. */
	void (*apicv_update)(void *ctx, bool inhibited);
	void *ctx;
};

struct apic_vm {
	struct apic_vm_config cfg;
	struct vlapic vcpu[APIC_MAX_VCPUS];
	struct vioapic ioapic;
	struct vpic pic;
	struct apic_inhibits inhibits;
	struct apic_stats stats;
	uint32_t lowest_priority_rr;	/* round-robin start for lowest-priority ties */
};

/* false (and logged) for a bad configuration; the VM is unusable then. */
bool apic_vm_init(struct apic_vm *vm, const struct apic_vm_config *cfg);
struct vlapic *apic_vm_vcpu(struct apic_vm *vm, unsigned vcpu_id);
void apic_vm_kick(struct apic_vm *vm, unsigned vcpu_id);
/* The earliest virtual time at which any vCPU's timer needs attention (UINT64_MAX: none). */
uint64_t apic_vm_next_deadline_ns(struct apic_vm *vm);
void apic_vm_report(struct apic_vm *vm, const char *who);

#endif

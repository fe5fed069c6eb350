/* harness: a small VM of apic/ for host tests, with a kick recorder and guest-like helpers. */
#ifndef NESTOR_TESTS_APIC_HARNESS_H
#define NESTOR_TESTS_APIC_HARNESS_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "apic/apic_arbiter.h"
#include "apic/apic_msg.h"
#include "apic/apic_regs.h"
#include "apic/apic_vm.h"
#include "tests/unit/capture.h"

static unsigned harness_kicks[APIC_MAX_VCPUS];
static unsigned harness_apicv_updates;
static bool harness_apicv_inhibited;

static void harness_kick(void *ctx, unsigned vcpu_id)
{
	(void)ctx;
	__atomic_fetch_add(&harness_kicks[vcpu_id], 1, __ATOMIC_RELAXED);
}

static void harness_apicv_update(void *ctx, bool inhibited)
{
	(void)ctx;
	harness_apicv_updates++;
	harness_apicv_inhibited = inhibited;
}

static inline struct apic_vm_config harness_config(unsigned nr_vcpus)
{
	struct apic_vm_config cfg = {
		.nr_vcpus = nr_vcpus,
		.ioapic_eoi_register = true,
		.x2apic = true,
		.maxphyaddr = 39,
		.kick = harness_kick,
		.apicv_update = harness_apicv_update,
	};
	return cfg;
}

static inline void harness_reset_counters(void)
{
	memset(harness_kicks, 0, sizeof(harness_kicks));
	harness_apicv_updates = 0;
	harness_apicv_inhibited = false;
}

/* A fresh VM for one test: logs captured, counters cleared. */
static inline bool harness_start(struct apic_vm *vm, const struct apic_vm_config *cfg)
{
	capture_reset();
	harness_reset_counters();
	return apic_vm_init(vm, cfg);
}

/* Guest-side register access through the xAPIC page. */
static inline uint32_t lapic_read(struct vlapic *v, unsigned offset)
{
	return (uint32_t)vlapic_mmio_ops.read(v, offset, 4);
}

static inline void lapic_write(struct vlapic *v, unsigned offset, uint32_t value)
{
	vlapic_mmio_ops.write(v, offset, 4, value);
}

/* What Linux does first: software-enable with spurious vector 0xff. */
static inline void lapic_enable(struct vlapic *v)
{
	lapic_write(v, APIC_REG_SPIV, APIC_SPIV_ENABLE | 0xff);
}

static inline const struct apic_intr_state *intr_open(void)
{
	static const struct apic_intr_state s = { .rflags_if = true };
	return &s;
}

static inline const struct apic_intr_state *intr_closed(void)
{
	static const struct apic_intr_state s = { .rflags_if = false };
	return &s;
}

/* One VM entry as a backend does it: decide, and ack when told to inject; -1 if nothing. */
static inline int enter_guest(struct vlapic *v, const struct apic_intr_state *s, uint64_t now,
			      struct apic_decision *d)
{
	apic_decide(v, s, now, d);
	if (!d->inject)
		return -1;
	return apic_ack(v, d);
}

static inline void ioapic_write_rte(struct apic_vm *vm, unsigned pin, uint64_t rte)
{
	vioapic_write_indirect(&vm->ioapic, VIOAPIC_REG_REDIR0 + 2 * pin + 1, (uint32_t)(rte >> 32));
	vioapic_write_indirect(&vm->ioapic, VIOAPIC_REG_REDIR0 + 2 * pin, (uint32_t)rte);
}

static inline uint64_t rte_fixed(uint8_t vector, unsigned dest, bool level)
{
	return vector | (level ? VIOAPIC_RTE_LEVEL : 0) | ((uint64_t)dest << VIOAPIC_RTE_DEST_SHIFT);
}

/* The Linux PIC init sequence: ICW1..ICW4, master at `base`, slave at base + 8, all unmasked. */
static inline void pic_linux_init(struct vpic *pic, uint8_t base)
{
	vpic_write_port(pic, 0x20, 0x11);
	vpic_write_port(pic, 0x21, base);
	vpic_write_port(pic, 0x21, 0x04);
	vpic_write_port(pic, 0x21, 0x01);
	vpic_write_port(pic, 0xa0, 0x11);
	vpic_write_port(pic, 0xa1, (uint8_t)(base + 8));
	vpic_write_port(pic, 0xa1, 0x02);
	vpic_write_port(pic, 0xa1, 0x01);
	vpic_write_port(pic, 0x21, 0x00);
	vpic_write_port(pic, 0xa1, 0x00);
}

/* LINT0 unmasked in ExtINT mode: the virtual-wire setup of the BSP. */
static inline void lapic_virtual_wire(struct vlapic *v)
{
	lapic_write(v, APIC_REG_LVT_LINT0, APIC_DM_EXTINT << 8);
}

#endif

/* vioapic: the VM's virtual I/O APIC (82093AA, version 0x11, or 0x20 with an EOI register). */
#ifndef NESTOR_APIC_VIOAPIC_H
#define NESTOR_APIC_VIOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/mmio_bus.h"
#include "lib/spinlock.h"

struct apic_vm;

#define VIOAPIC_PINS		24
#define VIOAPIC_DEFAULT_BASE	0xfec00000ull
#define VIOAPIC_WINDOW_SIZE	0x100u
#define VIOAPIC_VERSION_EOI	0x20	/* has the EOI register at offset 0x40 */
#define VIOAPIC_VERSION_PLAIN	0x11	/* 82093AA: no EOI register */

/* MMIO layout: index register, data window, EOI register (version 0x20 only). */
#define VIOAPIC_REGSEL		0x00
#define VIOAPIC_WINDOW		0x10
#define VIOAPIC_EOI		0x40

/* Indirect registers. */
#define VIOAPIC_REG_ID		0x00
#define VIOAPIC_REG_VERSION	0x01
#define VIOAPIC_REG_ARB		0x02
#define VIOAPIC_REG_REDIR0	0x10

/* Redirection entry bits (82093AA datasheet 3.2.4). */
#define VIOAPIC_RTE_VECTOR	0xffull
#define VIOAPIC_RTE_DM_SHIFT	8
#define VIOAPIC_RTE_LOGICAL	(1ull << 11)
#define VIOAPIC_RTE_DELIVS	(1ull << 12)
#define VIOAPIC_RTE_POLARITY	(1ull << 13)
#define VIOAPIC_RTE_REMOTE_IRR	(1ull << 14)
#define VIOAPIC_RTE_LEVEL	(1ull << 15)
#define VIOAPIC_RTE_MASKED	(1ull << 16)
#define VIOAPIC_RTE_DEST_SHIFT	56
#define VIOAPIC_RTE_WRITABLE_LO	0x0001afffull
#define VIOAPIC_RTE_WRITABLE_HI	0xff000000ull

#define VIOAPIC_DEFAULT_STORM_THRESHOLD 1000u

struct vioapic_pin {
	uint64_t rte;
	bool line;		/* the device's line, asserted or not */
	bool latched;		/* an edge (or a level) waiting to be delivered */
	bool storm_held;	/* re-delivery stopped until the line drops or the entry is rewritten */
	uint32_t redeliveries;	/* re-deliveries on EOI since the line last dropped */
};

struct vioapic {
	struct apic_vm *vm;
	struct spinlock lock;
	uint8_t version;
	uint32_t id;
	uint32_t regsel;
	uint32_t storm_threshold;
	struct vioapic_pin pin[VIOAPIC_PINS];
};

void vioapic_init(struct vioapic *io, struct apic_vm *vm, bool eoi_register,
		  uint32_t storm_threshold);
void vioapic_reset(struct vioapic *io);
bool vioapic_has_eoi_register(const struct vioapic *io);
/* A device line (a GSI): level is the logical assertion, polarity is the guest's business. */
void vioapic_set_pin(struct vioapic *io, unsigned pin, bool level);
/* An EOI for `vector`, broadcast by a local APIC or written to the EOI register. */
void vioapic_eoi(struct vioapic *io, uint8_t vector);
uint32_t vioapic_read_indirect(struct vioapic *io, uint32_t index);
void vioapic_write_indirect(struct vioapic *io, uint32_t index, uint32_t value);
/* Delivers a pin's pending request if its entry allows; io->lock held. */
void vioapic_service_pin(struct vioapic *io, unsigned pin);
bool vioapic_pin_storm_held(struct vioapic *io, unsigned pin);
uint64_t vioapic_read_rte(struct vioapic *io, unsigned pin);

extern const struct mmio_bus_ops vioapic_mmio_ops;	/* dev = struct vioapic */

#endif

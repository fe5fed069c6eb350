/* vpic: the VM's two cascaded virtual 8259A PICs, with ELCR, feeding LINT0 (ExtINT). */
#ifndef NESTOR_APIC_VPIC_H
#define NESTOR_APIC_VPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/io_bus.h"
#include "lib/spinlock.h"

struct apic_vm;

#define VPIC_MASTER_PORT	0x20
#define VPIC_SLAVE_PORT		0xa0
#define VPIC_ELCR_PORT		0x4d0
#define VPIC_CASCADE_IRQ	2

/* One 8259A (Intel 8259A datasheet; PIIX/ICH ELCR for edge/level per IRQ). */
struct vpic_chip {
	uint8_t irr, imr, isr;
	uint8_t line;		/* current input levels, for edge detection */
	uint8_t elcr, elcr_mask;
	uint8_t irq_base;	/* ICW2 & 0xf8 */
	uint8_t top_priority;	/* the IRQ that has the highest priority now (rotation) */
	uint8_t init_step;	/* 0 = ready, 1..3 = expecting ICW2..ICW4 */
	bool icw4_needed, single, auto_eoi, rotate_on_aeoi, special_nested;
	bool read_isr, poll, special_mask;
};

struct vpic {
	struct apic_vm *vm;
	struct spinlock lock;
	struct vpic_chip chip[2];	/* 0 = master, 1 = slave on master IRQ2 */
	bool output;			/* the master's INT pin */
};

void vpic_init(struct vpic *pic, struct apic_vm *vm);
void vpic_set_irq(struct vpic *pic, unsigned irq, bool level);
bool vpic_has_output(const struct vpic *pic);
/* The vector an INTA would return now, without acknowledging it. */
uint8_t vpic_peek_vector(struct vpic *pic);
/* The INTA cycle: acknowledges the highest request and returns its vector (IRQ7 if none). */
uint8_t vpic_intack(struct vpic *pic);
void vpic_write_port(struct vpic *pic, uint16_t port, uint8_t value);
uint8_t vpic_read_port(struct vpic *pic, uint16_t port);

/* Ports 0x20-0x21, 0xa0-0xa1 and 0x4d0-0x4d1 all use these ops; dev = struct vpic. */
extern const struct io_bus_ops vpic_io_ops;

/* Chip-level logic shared by vpic.c and vpic_io.c. */
/* Steps from the top-priority IRQ to the first set bit of mask (8 when empty). */
unsigned vpic_chip_priority(const struct vpic_chip *c, uint8_t mask);
int vpic_chip_pending_irq(const struct vpic_chip *c, bool is_master);
void vpic_chip_ack(struct vpic_chip *c, unsigned irq);
void vpic_update_output(struct vpic *pic);

#endif

/* vpic_io: the 8259A programming interface: ICW1-4, OCW1-3, poll and the ELCR ports. */
#include "apic/apic_vm.h"
#include "lib/log.h"

/* ICW1 (A0=0, D4=1) starts initialisation: masks, ISR and priorities are cleared. */
static void write_icw1(struct vpic *pic, struct vpic_chip *c, uint8_t value)
{
	c->irr &= c->elcr;	/* pending edges are forgotten; asserted level lines stay */
	c->imr = c->isr = 0;
	c->top_priority = 0;
	c->irq_base = 0;
	c->read_isr = c->poll = c->special_mask = false;
	c->auto_eoi = c->rotate_on_aeoi = c->special_nested = false;
	c->icw4_needed = value & 1;
	c->single = value & 2;
	c->init_step = 1;
	if (value & 0x08)
		apic_note_bad_access(pic->vm, "8259 LTIM (use the ELCR for level mode)", value, 0);
}

/* OCW2: EOI, rotation and priority commands (bits 7:5 select, bits 2:0 a level). */
static void write_ocw2(struct vpic_chip *c, uint8_t value)
{
	unsigned cmd = value >> 5, irq, p;

	switch (cmd) {
	case 0: case 4:	/* rotate in automatic EOI mode: clear / set */
		c->rotate_on_aeoi = cmd == 4;
		break;
	case 1: case 5:	/* non-specific EOI: the highest-priority in-service level */
		p = vpic_chip_priority(c, c->isr);
		if (p == 8)
			break;
		irq = (p + c->top_priority) & 7;
		c->isr &= (uint8_t)~(1u << irq);
		if (cmd == 5)
			c->top_priority = (uint8_t)((irq + 1) & 7);
		break;
	case 3: case 7:	/* specific EOI (and rotate) */
		irq = value & 7;
		c->isr &= (uint8_t)~(1u << irq);
		if (cmd == 7)
			c->top_priority = (uint8_t)((irq + 1) & 7);
		break;
	case 6:		/* set priority: level L becomes the lowest */
		c->top_priority = (uint8_t)(((value & 7) + 1) & 7);
		break;
	default:	/* 2: no operation */
		break;
	}
}

/* OCW3: poll, read-register select, special mask mode. */
static void write_ocw3(struct vpic_chip *c, uint8_t value)
{
	if (value & 0x04)
		c->poll = true;
	if (value & 0x02)
		c->read_isr = value & 1;
	if (value & 0x40)
		c->special_mask = (value >> 5) & 1;
}

/* ICW2..ICW4 follow ICW1 on the data port; otherwise the data port is the mask (OCW1). */
static void write_data(struct vpic_chip *c, uint8_t value)
{
	switch (c->init_step) {
	case 1:
		c->irq_base = value & 0xf8;
		c->init_step = c->single ? (c->icw4_needed ? 3 : 0) : 2;
		break;
	case 2:	/* ICW3: nestor's cascade is fixed (slave on master IR2) */
		c->init_step = c->icw4_needed ? 3 : 0;
		break;
	case 3:
		c->special_nested = (value >> 4) & 1;
		c->auto_eoi = (value >> 1) & 1;
		c->init_step = 0;
		break;
	default:
		c->imr = value;
		break;
	}
}

/* Poll command: the next read acknowledges and returns 0x80 | level, or 0 with nothing pending. */
static uint8_t poll_read(struct vpic_chip *c, bool is_master)
{
	int irq = vpic_chip_pending_irq(c, is_master);
	c->poll = false;
	if (irq < 0)
		return 0;
	vpic_chip_ack(c, (unsigned)irq);
	return (uint8_t)(0x80 | irq);
}

void vpic_write_port(struct vpic *pic, uint16_t port, uint8_t value)
{
	spin_lock(&pic->lock);
	if (port == VPIC_ELCR_PORT || port == VPIC_ELCR_PORT + 1) {
		struct vpic_chip *c = &pic->chip[port - VPIC_ELCR_PORT];
		c->elcr = value & c->elcr_mask;
		/*
		 * A level-triggered request is the line itself: an edge latched before the
		 * switch would otherwise stay in IRR with the line low, and since acknowledging
		 * a level request keeps it, be raised again after every EOI.
		 */
		c->irr = (uint8_t)((c->irr & ~c->elcr) | (c->line & c->elcr));
	} else if ((port & ~1u) == VPIC_MASTER_PORT || (port & ~1u) == VPIC_SLAVE_PORT) {
		struct vpic_chip *c = &pic->chip[(port & ~1u) == VPIC_SLAVE_PORT];
		if (port & 1)
			write_data(c, value);
		else if (value & 0x10)
			write_icw1(pic, c, value);
		else if (value & 0x08)
			write_ocw3(c, value);
		else
			write_ocw2(c, value);
	} else {
		apic_note_bad_access(pic->vm, "vPIC write to foreign port", port, value);
	}
	vpic_update_output(pic);
	spin_unlock(&pic->lock);
}

uint8_t vpic_read_port(struct vpic *pic, uint16_t port)
{
	uint8_t value = 0xff;

	spin_lock(&pic->lock);
	if (port == VPIC_ELCR_PORT || port == VPIC_ELCR_PORT + 1) {
		value = pic->chip[port - VPIC_ELCR_PORT].elcr;
	} else if ((port & ~1u) == VPIC_MASTER_PORT || (port & ~1u) == VPIC_SLAVE_PORT) {
		bool is_master = (port & ~1u) == VPIC_MASTER_PORT;
		struct vpic_chip *c = &pic->chip[!is_master];
		if (c->poll)
			value = poll_read(c, is_master);
		else if (port & 1)
			value = c->imr;
		else
			value = c->read_isr ? c->isr : c->irr;
		vpic_update_output(pic);
	} else {
		apic_note_bad_access(pic->vm, "vPIC read of foreign port", port, 0);
	}
	spin_unlock(&pic->lock);
	return value;
}

/* Wider accesses read or write consecutive ports, one byte each, as on the ISA bus. */
static uint32_t vpic_io_read(void *dev, uint16_t port, unsigned size)
{
	uint32_t value = 0;
	for (unsigned i = 0; i < size && i < 4; i++)
		value |= (uint32_t)vpic_read_port(dev, (uint16_t)(port + i)) << (8 * i);
	return value;
}

static void vpic_io_write(void *dev, uint16_t port, unsigned size, uint32_t value)
{
	for (unsigned i = 0; i < size && i < 4; i++)
		vpic_write_port(dev, (uint16_t)(port + i), (uint8_t)(value >> (8 * i)));
}

const struct io_bus_ops vpic_io_ops = {
	.read = vpic_io_read,
	.write = vpic_io_write,
};

/* vpic: the 8259A pair's priority resolution, request lines and INTA cycle. */
#include "apic/apic_vm.h"
#include "lib/string.h"

void vpic_init(struct vpic *pic, struct apic_vm *vm)
{
	memset(pic, 0, sizeof(*pic));
	pic->vm = vm;
	/* ELCR: IRQ0-2 (timer, keyboard, cascade) and IRQ8, IRQ13 are always edge (PIIX4 ELCR). */
	pic->chip[0].elcr_mask = 0xf8;
	pic->chip[1].elcr_mask = 0xde;
}

/* Steps from the current top-priority IRQ to the first set bit of `mask`; 8 if none. */
unsigned vpic_chip_priority(const struct vpic_chip *c, uint8_t mask)
{
	unsigned p = 0;
	if (!mask)
		return 8;
	while (!(mask & (1u << ((p + c->top_priority) & 7))))
		p++;
	return p;
}

/*
 * The IRQ this chip would raise INT for: the highest-priority unmasked request that is
 * above every in-service level. Special mask mode ignores masked in-service levels;
 * special fully nested mode lets the slave interrupt a slave handler (8259A datasheet).
 */
int vpic_chip_pending_irq(const struct vpic_chip *c, bool is_master)
{
	unsigned request = vpic_chip_priority(c, c->irr & (uint8_t)~c->imr);
	uint8_t in_service = c->isr;

	if (request == 8)
		return -1;
	if (c->special_mask)
		in_service &= (uint8_t)~c->imr;
	if (is_master && c->special_nested)
		in_service &= (uint8_t)~(1u << VPIC_CASCADE_IRQ);
	if (request >= vpic_chip_priority(c, in_service))
		return -1;
	return (int)((request + c->top_priority) & 7);
}

/* INTA on one chip: set ISR (or rotate in auto-EOI), drop an edge request. */
void vpic_chip_ack(struct vpic_chip *c, unsigned irq)
{
	uint8_t bit = (uint8_t)(1u << irq);

	if (c->auto_eoi) {
		if (c->rotate_on_aeoi)
			c->top_priority = (uint8_t)((irq + 1) & 7);
	} else {
		c->isr |= bit;
	}
	if (!(c->elcr & bit))
		c->irr &= (uint8_t)~bit;
}

/*
 * Recomputes the cascade (slave INT on master IR2) and the master's INT pin. A rising
 * INT wakes every vCPU that takes 8259 interrupts. Lock held.
 */
void vpic_update_output(struct vpic *pic)
{
	struct vpic_chip *master = &pic->chip[0];
	bool out;

	if (vpic_chip_pending_irq(&pic->chip[1], false) >= 0)
		master->irr |= 1u << VPIC_CASCADE_IRQ;
	else
		master->irr &= (uint8_t)~(1u << VPIC_CASCADE_IRQ);
	out = vpic_chip_pending_irq(master, true) >= 0;
	if (out && !pic->output) {
		__atomic_store_n(&pic->output, true, __ATOMIC_RELEASE);
		for (unsigned i = 0; i < pic->vm->cfg.nr_vcpus; i++) {
			struct vlapic *v = &pic->vm->vcpu[i];
			if (vlapic_lint0_accepts_pic(v) ||
			    __atomic_load_n(&v->extint_msg_pending, __ATOMIC_ACQUIRE))
				vlapic_notify(v);
		}
	} else if (!out && pic->output) {
		__atomic_store_n(&pic->output, false, __ATOMIC_RELEASE);
	}
}

/* IRQ line 0-15: edge requests latch on the rising edge, level requests follow the line. */
void vpic_set_irq(struct vpic *pic, unsigned irq, bool level)
{
	struct vpic_chip *c;
	uint8_t bit;

	if (irq >= 16) {
		apic_note_bad_access(pic->vm, "vPIC IRQ out of range", irq, level);
		return;
	}
	spin_lock(&pic->lock);
	c = &pic->chip[irq >> 3];
	bit = (uint8_t)(1u << (irq & 7));
	if (level) {
		if ((c->elcr & bit) || !(c->line & bit))
			c->irr |= bit;
		c->line |= bit;
	} else {
		if (c->elcr & bit)
			c->irr &= (uint8_t)~bit;
		c->line &= (uint8_t)~bit;
	}
	vpic_update_output(pic);
	spin_unlock(&pic->lock);
}

bool vpic_has_output(const struct vpic *pic)
{
	return __atomic_load_n(&pic->output, __ATOMIC_ACQUIRE);
}

/*
 * The INTA cycle (8259A datasheet, "interrupt sequence"): the master answers, or hands
 * the cycle to the slave for IR2. With no request left the chip answers IRQ7 (spurious),
 * without setting ISR. `commit` false only computes the answer.
 */
static uint8_t inta(struct vpic *pic, bool commit)
{
	struct vpic_chip *master = &pic->chip[0], *slave = &pic->chip[1];
	int irq = vpic_chip_pending_irq(master, true);
	int irq2;

	if (irq < 0) {
		if (commit)
			apic_stat_inc(&pic->vm->stats.pic_spurious);
		return (uint8_t)(master->irq_base + 7);
	}
	if (commit)
		vpic_chip_ack(master, (unsigned)irq);
	if (irq != VPIC_CASCADE_IRQ)
		return (uint8_t)(master->irq_base + irq);
	irq2 = vpic_chip_pending_irq(slave, false);
	if (irq2 < 0) {
		if (commit)
			apic_stat_inc(&pic->vm->stats.pic_spurious);
		return (uint8_t)(slave->irq_base + 7);
	}
	if (commit)
		vpic_chip_ack(slave, (unsigned)irq2);
	return (uint8_t)(slave->irq_base + irq2);
}

uint8_t vpic_peek_vector(struct vpic *pic)
{
	uint8_t vector;
	spin_lock(&pic->lock);
	vector = inta(pic, false);
	spin_unlock(&pic->lock);
	return vector;
}

uint8_t vpic_intack(struct vpic *pic)
{
	uint8_t vector;
	spin_lock(&pic->lock);
	vector = inta(pic, true);
	apic_stat_inc(&pic->vm->stats.pic_intack);
	vpic_update_output(pic);
	spin_unlock(&pic->lock);
	return vector;
}

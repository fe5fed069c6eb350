/* pic: programming the 8259A pair (8259A datasheet: ICW1-4, OCW1-3). */
#include "pic.h"

#include "x86.h"

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1
#define ICW1_INIT_ICW4	0x11
#define ICW4_8086	0x01
#define OCW2_EOI	0x20
#define OCW3_READ_IRR	0x0a
#define OCW3_READ_ISR	0x0b

void pic_init(uint8_t master_base, uint8_t slave_base)
{
	outb(PIC1_CMD, ICW1_INIT_ICW4);
	outb(PIC2_CMD, ICW1_INIT_ICW4);
	outb(PIC1_DATA, master_base);
	outb(PIC2_DATA, slave_base);
	outb(PIC1_DATA, 1u << 2);	/* ICW3: slave on IRQ2 */
	outb(PIC2_DATA, 2);		/* ICW3: slave identity 2 */
	outb(PIC1_DATA, ICW4_8086);
	outb(PIC2_DATA, ICW4_8086);
	pic_set_mask(0xffff);
}

void pic_set_mask(uint16_t mask)
{
	outb(PIC1_DATA, mask & 0xff);
	outb(PIC2_DATA, mask >> 8);
}

uint16_t pic_get_mask(void)
{
	return inb(PIC1_DATA) | (uint16_t)inb(PIC2_DATA) << 8;
}

void pic_eoi(unsigned irq)
{
	if (irq >= 8)
		outb(PIC2_CMD, OCW2_EOI);
	outb(PIC1_CMD, OCW2_EOI);
}

static uint16_t pic_read_reg(uint8_t ocw3)
{
	outb(PIC1_CMD, ocw3);
	outb(PIC2_CMD, ocw3);
	return inb(PIC1_CMD) | (uint16_t)inb(PIC2_CMD) << 8;
}

uint16_t pic_read_isr(void)
{
	return pic_read_reg(OCW3_READ_ISR);
}

uint16_t pic_read_irr(void)
{
	return pic_read_reg(OCW3_READ_IRR);
}

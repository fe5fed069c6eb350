/* pic: the 8259A master/slave pair. */
#ifndef GUEST_PIC_H
#define GUEST_PIC_H

#include <stdint.h>

/* Vector bases the library programs: clear of the exception vectors 0-31. */
#define PIC_MASTER_BASE	0x30
#define PIC_SLAVE_BASE	0x38

/* ICW1-ICW4: edge triggered, cascade on IRQ2, 8086 mode, normal EOI; everything masked. */
void pic_init(uint8_t master_base, uint8_t slave_base);
/* Bit n masks IRQ n (0-7 master, 8-15 slave). */
void pic_set_mask(uint16_t mask);
uint16_t pic_get_mask(void);
void pic_eoi(unsigned irq);
/* OCW3 register reads: in-service and request registers of both chips. */
uint16_t pic_read_isr(void);
uint16_t pic_read_irr(void);

#endif

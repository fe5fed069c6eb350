/* ioapic: the I/O APIC at its fixed address, redirection entries and the EOI register. */
#ifndef GUEST_IOAPIC_H
#define GUEST_IOAPIC_H

#include <stdint.h>

#define IOAPIC_BASE		0xfec00000ul
#define IOAPIC_REG_ID		0x00
#define IOAPIC_REG_VERSION	0x01
#define IOAPIC_REG_REDIR	0x10	/* entry n: registers 0x10 + 2n (low), 0x11 + 2n (high) */

/* Redirection entry bits (82093AA datasheet, 3.2.4). */
#define REDIR_MASKED		(1ull << 16)
#define REDIR_LEVEL		(1ull << 15)
#define REDIR_REMOTE_IRR	(1ull << 14)
#define REDIR_ACTIVE_LOW	(1ull << 13)
#define REDIR_DELIVERY_STATUS	(1ull << 12)
#define REDIR_DEST_LOGICAL	(1ull << 11)
#define REDIR_DEST(apic_id)	((uint64_t)(apic_id) << 56)

uint32_t ioapic_read(unsigned reg);
void ioapic_write(unsigned reg, uint32_t val);
uint64_t ioapic_redir_read(unsigned pin);
void ioapic_redir_write(unsigned pin, uint64_t entry);
unsigned ioapic_version(void);
unsigned ioapic_pins(void);
void ioapic_mask_all(void);
/* The EOI register of version 0x20 I/O APICs: clears Remote IRR of entries with this vector. */
void ioapic_eoi(unsigned vector);

/*
 * ISA IRQ lines driven through QEMU's pc-testdev (port 0x2000 + line): the way the
 * guests raise and lower an interrupt line at will, edge or level.
 */
void testdev_set_irq_line(unsigned line, int level);

#endif

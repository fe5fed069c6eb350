/* ioapic: indirect register access through IOREGSEL/IOWIN (82093AA datasheet, 3.0). */
#include "ioapic.h"

#include "x86.h"

#define IOAPIC_IOREGSEL	0x00
#define IOAPIC_IOWIN	0x10
#define IOAPIC_EOI	0x40
#define TESTDEV_IRQ_PORT 0x2000

uint32_t ioapic_read(unsigned reg)
{
	mmio_write32(IOAPIC_BASE + IOAPIC_IOREGSEL, reg);
	return mmio_read32(IOAPIC_BASE + IOAPIC_IOWIN);
}

void ioapic_write(unsigned reg, uint32_t val)
{
	mmio_write32(IOAPIC_BASE + IOAPIC_IOREGSEL, reg);
	mmio_write32(IOAPIC_BASE + IOAPIC_IOWIN, val);
}

uint64_t ioapic_redir_read(unsigned pin)
{
	uint32_t low = ioapic_read(IOAPIC_REG_REDIR + 2 * pin);
	uint32_t high = ioapic_read(IOAPIC_REG_REDIR + 2 * pin + 1);

	return ((uint64_t)high << 32) | low;
}

/* High half first, so the entry never becomes unmasked with a stale destination. */
void ioapic_redir_write(unsigned pin, uint64_t entry)
{
	ioapic_write(IOAPIC_REG_REDIR + 2 * pin + 1, entry >> 32);
	ioapic_write(IOAPIC_REG_REDIR + 2 * pin, (uint32_t)entry);
}

unsigned ioapic_version(void)
{
	return ioapic_read(IOAPIC_REG_VERSION) & 0xff;
}

unsigned ioapic_pins(void)
{
	return ((ioapic_read(IOAPIC_REG_VERSION) >> 16) & 0xff) + 1;
}

void ioapic_mask_all(void)
{
	unsigned n = ioapic_pins();

	if (n > 240)	/* an absent IOAPIC reads all ones */
		return;
	for (unsigned pin = 0; pin < n; pin++)
		ioapic_redir_write(pin, REDIR_MASKED);
}

void ioapic_eoi(unsigned vector)
{
	mmio_write32(IOAPIC_BASE + IOAPIC_EOI, vector & 0xff);
}

void testdev_set_irq_line(unsigned line, int level)
{
	outb(TESTDEV_IRQ_PORT + line, level ? 1 : 0);
}

/* pci_host: PCI configuration mechanism #1 (0xcf8/0xcfc) with only a host bridge at 00:00.0. */
#include "devices/pci_host.h"

#include "devices/dev_log.h"

enum pci_log_reason { PCI_LOG_UNDECODED, PCI_LOG_READ_ONLY, PCI_LOG_RESERVED };

void pci_host_init(struct pci_host *h, struct reset_control *reset)
{
	h->address = 0;
	h->reset = reset;
	h->logged = 0;
	h->stats = (struct pci_host_stats){ 0 };
	pci_host_bridge_reset(h->config);
}

static bool pci_is_host_bridge(uint32_t address)
{
	return (address & 0x00ffff00u) == 0;	/* bus 0, device 0, function 0 */
}

uint32_t pci_host_config_read(struct pci_host *h, uint32_t address, unsigned offset, unsigned size)
{
	unsigned reg = (address & 0xfc) + offset;
	uint32_t value = 0;

	h->stats.config_reads++;
	if (!pci_is_host_bridge(address)) {
		h->stats.absent_reads++;
		/* master abort: no device answers, every byte reads 0xff */
		return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
	}
	for (unsigned i = 0; i < size; i++)
		value |= (uint32_t)h->config[reg + i] << (8 * i);
	return value;
}

void pci_host_config_write(struct pci_host *h, uint32_t address, unsigned offset, unsigned size,
			   uint32_t value)
{
	unsigned reg = (address & 0xfc) + offset;
	bool dropped = false;

	h->stats.config_writes++;
	for (unsigned i = 0; i < size; i++) {
		if (pci_is_host_bridge(address) && pci_host_bridge_writable(reg + i))
			h->config[reg + i] = (uint8_t)(value >> (8 * i));
		else
			dropped = true;
	}
	if (!dropped)
		return;
	h->stats.ignored_writes++;
	dev_log_once(&h->logged, PCI_LOG_READ_ONLY, LOG_DEBUG,
		     "pci: config write %#x to %02x:%02x.%u offset %#x size %u hits read-only or "
		     "absent registers; dropped (logged once)", value, (address >> 16) & 0xff,
		     (address >> 11) & 0x1f, (address >> 8) & 7, reg, size);
}

/* Cycles nobody decodes: reads float to all ones, writes vanish. */
static uint32_t pci_undecoded(struct pci_host *h, uint16_t port, unsigned size)
{
	h->stats.undecoded++;
	dev_log_once(&h->logged, PCI_LOG_UNDECODED, LOG_DEBUG,
		     "pci: %u-byte access to port %#x is not a configuration cycle (config "
		     "disabled, straddling, or not a dword at 0xcf8); all ones / dropped", size, port);
	return 0xffffffffu;
}

/*
 * Only a dword access to 0xcf8 reaches CONFIG_ADDRESS (PCI Local Bus spec 3.0, 3.2.2.3.2);
 * narrower accesses there are ordinary I/O, which is how a byte at 0xcf9 reaches the
 * reset control register and how Linux's "outb(0x01, 0xcfb)" probe stays harmless.
 */
static uint32_t pci_host_io_read(void *dev, uint16_t port, unsigned size)
{
	struct pci_host *h = dev;
	unsigned offset = (uint16_t)(port - PCI_CONFIG_DATA);

	if (port == PCI_CONFIG_ADDRESS && size == 4)
		return h->address;
	if (port == RESET_CF9_PORT && size == 1)
		return reset_cf9_read(h->reset);
	if (port < PCI_CONFIG_DATA || offset + size > 4 || !(h->address & PCI_ADDRESS_ENABLE))
		return pci_undecoded(h, port, size);
	return pci_host_config_read(h, h->address, offset, size);
}

static void pci_host_io_write(void *dev, uint16_t port, unsigned size, uint32_t value)
{
	struct pci_host *h = dev;
	unsigned offset = (uint16_t)(port - PCI_CONFIG_DATA);

	if (port == PCI_CONFIG_ADDRESS && size == 4) {
		if (value & PCI_ADDRESS_RESERVED)
			dev_log_once(&h->logged, PCI_LOG_RESERVED, LOG_DEBUG,
				     "pci: CONFIG_ADDRESS %#x sets reserved bits 30:24/1:0; "
				     "they read back as 0", value);
		h->address = value & ~PCI_ADDRESS_RESERVED;
	} else if (port == RESET_CF9_PORT && size == 1) {
		reset_cf9_write(h->reset, (uint8_t)value);
	} else if (port < PCI_CONFIG_DATA || offset + size > 4 ||
		   !(h->address & PCI_ADDRESS_ENABLE)) {
		pci_undecoded(h, port, size);
	} else {
		pci_host_config_write(h, h->address, offset, size, value);
	}
}

const struct io_bus_ops pci_host_io_ops = { pci_host_io_read, pci_host_io_write };

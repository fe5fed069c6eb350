/* pci_host_bridge: configuration space of the one PCI function nestor shows, the host bridge. */
#include "devices/pci_host.h"

#include "lib/string.h"

static void pci_put16(uint8_t *config, unsigned offset, uint16_t value)
{
	config[offset] = (uint8_t)value;
	config[offset + 1] = (uint8_t)(value >> 8);
}

/*
 * Header type 0, single function, no BARs, no capabilities, no interrupt pin: the
 * bridge only has to exist so that bus 0 enumerates. Status reads 0.
 */
void pci_host_bridge_reset(uint8_t config[PCI_CONFIG_SPACE])
{
	memset(config, 0, PCI_CONFIG_SPACE);
	pci_put16(config, 0x00, PCI_HOST_VENDOR_ID);
	pci_put16(config, 0x02, PCI_HOST_DEVICE_ID);
	pci_put16(config, 0x04, PCI_HOST_COMMAND);
	config[0x09] = (uint8_t)PCI_HOST_CLASS;
	config[0x0a] = (uint8_t)(PCI_HOST_CLASS >> 8);
	config[0x0b] = (uint8_t)(PCI_HOST_CLASS >> 16);
}

/* Only the cache line size (0x0c) and interrupt line (0x3c) are read/write scratch bytes. */
bool pci_host_bridge_writable(unsigned offset)
{
	return offset == 0x0c || offset == 0x3c;
}

/* pci_host: PCI configuration mechanism #1 (0xcf8/0xcfc) with only a host bridge at 00:00.0. */
#ifndef NESTOR_DEVICES_PCI_HOST_H
#define NESTOR_DEVICES_PCI_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/reset_control.h"
#include "lib/io_bus.h"

#define PCI_CONFIG_ADDRESS  0xcf8
#define PCI_CONFIG_DATA     0xcfc
#define PCI_HOST_PORT_BASE  0xcf8
#define PCI_HOST_PORT_COUNT 8	/* 0xcf8-0xcff; 0xcf9 bytes go to the reset control register */

#define PCI_ADDRESS_ENABLE   0x80000000u
#define PCI_ADDRESS_RESERVED 0x7f000003u	/* bits 30:24 and 1:0 read as zero */

/*
 * The host bridge looks like QEMU q35's: an Intel 82G33/Q35 DRAM controller, 8086:29c0,
 * class 06 00 00 (host bridge), revision 0. Linux's pci_sanity_check accepts a bus 0
 * with a host bridge on it, and no Linux driver claims this function without its IGD.
 */
#define PCI_HOST_VENDOR_ID 0x8086
#define PCI_HOST_DEVICE_ID 0x29c0
#define PCI_HOST_CLASS     0x060000
#define PCI_HOST_COMMAND   0x0006	/* memory space + bus master, read-only */

#define PCI_CONFIG_SPACE 256

struct pci_host_stats {
	uint64_t config_reads;
	uint64_t config_writes;
	uint64_t absent_reads;		/* functions other than 00:00.0: all ones */
	uint64_t ignored_writes;	/* to read-only bytes or absent functions */
	uint64_t undecoded;		/* disabled cycles, straddling or odd-sized accesses */
};

struct pci_host {
	uint32_t address;
	uint8_t config[PCI_CONFIG_SPACE];
	struct reset_control *reset;
	uint32_t logged;
	struct pci_host_stats stats;
};

void pci_host_init(struct pci_host *h, struct reset_control *reset);
/* One configuration cycle (what the data port turns into); offset + size within a dword. */
uint32_t pci_host_config_read(struct pci_host *h, uint32_t address, unsigned offset, unsigned size);
void pci_host_config_write(struct pci_host *h, uint32_t address, unsigned offset, unsigned size,
			   uint32_t value);

/* pci_host_bridge.c: the bridge's reset configuration space and its few writable bytes. */
void pci_host_bridge_reset(uint8_t config[PCI_CONFIG_SPACE]);
bool pci_host_bridge_writable(unsigned offset);

extern const struct io_bus_ops pci_host_io_ops;

#endif

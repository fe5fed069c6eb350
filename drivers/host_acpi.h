/* host_acpi: the host firmware's ACPI tables, read for the CPU and I/O APIC list (MADT) and the PM timer (FADT). */
#ifndef NESTOR_DRIVERS_HOST_ACPI_H
#define NESTOR_DRIVERS_HOST_ACPI_H

#include <stdbool.h>
#include <stdint.h>

#define HOST_ACPI_MAX_CPUS 64
#define HOST_ACPI_MAX_IOAPICS 8

struct host_ioapic {
	uint8_t id;
	uint32_t address;
	uint32_t gsi_base;
};

struct host_acpi {
	bool has_rsdp;
	bool has_madt;
	unsigned revision;		/* RSDP revision: 0 = ACPI 1.0 (RSDT), 2+ = XSDT */
	uint64_t lapic_address;
	bool pcat_compat;		/* MADT flags bit 0: dual 8259s present */
	unsigned ncpus;			/* enabled (or online-capable) local APICs */
	uint32_t apic_ids[HOST_ACPI_MAX_CPUS];
	unsigned ncpus_ignored;		/* disabled, or beyond HOST_ACPI_MAX_CPUS */
	unsigned nioapics;
	struct host_ioapic ioapics[HOST_ACPI_MAX_IOAPICS];
	unsigned noverrides;		/* interrupt source overrides */
	bool has_fadt;
	/* The FADT's PM timer: an I/O port range of 4 bytes, 0 when there is none (hardware-
	 * reduced ACPI, a memory-mapped block, or a port range that would run past 0xffff). */
	uint16_t pm_tmr_port;
	bool pm_tmr_32bit;		/* FADT flags TMR_VAL_EXT: 32-bit counter, else 24-bit */
};

/*
 * Parses the tables reachable from the RSDP at physical address `rsdp` (identity-mapped;
 * 0 = the firmware published none). Every signature, checksum and length is validated;
 * a bad table is logged and skipped, never trusted.
 */
void host_acpi_parse(uint64_t rsdp, struct host_acpi *out);
void host_acpi_log(const struct host_acpi *a);

#endif

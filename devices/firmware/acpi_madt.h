/* acpi_madt: the Multiple APIC Description Table (LAPICs, IOAPIC, overrides, NMI). */
#ifndef NESTOR_DEVICES_FIRMWARE_ACPI_MADT_H
#define NESTOR_DEVICES_FIRMWARE_ACPI_MADT_H

#include <stddef.h>
#include <stdint.h>

#include "devices/firmware/acpi_platform.h"
#include "devices/firmware/acpi_tables.h"

/* ACPI 6.4, 5.2.12, Tables 5.43 to 5.50. */
struct acpi_madt {
	struct acpi_header header;	/* "APIC", revision 5 */
	uint32_t lapic_address;
	uint32_t flags;			/* bit 0 PCAT_COMPAT: dual 8259s present */
} __attribute__((packed));

struct madt_lapic {
	uint8_t type;			/* 0 */
	uint8_t length;			/* 8 */
	uint8_t processor_uid;
	uint8_t apic_id;
	uint32_t flags;			/* bit 0: enabled */
} __attribute__((packed));

struct madt_ioapic {
	uint8_t type;			/* 1 */
	uint8_t length;			/* 12 */
	uint8_t ioapic_id;
	uint8_t reserved;
	uint32_t address;
	uint32_t gsi_base;
} __attribute__((packed));

struct madt_override {
	uint8_t type;			/* 2 */
	uint8_t length;			/* 10 */
	uint8_t bus;			/* 0: ISA */
	uint8_t source;			/* ISA IRQ */
	uint32_t gsi;
	uint16_t flags;			/* MPS INTI flags: polarity 1:0, trigger 3:2 */
} __attribute__((packed));

struct madt_lapic_nmi {
	uint8_t type;			/* 4 */
	uint8_t length;			/* 6 */
	uint8_t processor_uid;		/* 0xFF: all processors */
	uint16_t flags;
	uint8_t lint;			/* 0 or 1 */
} __attribute__((packed));

_Static_assert(sizeof(struct acpi_madt) == 44, "MADT header layout");
_Static_assert(sizeof(struct madt_lapic) == 8, "MADT LAPIC layout");
_Static_assert(sizeof(struct madt_ioapic) == 12, "MADT IOAPIC layout");
_Static_assert(sizeof(struct madt_override) == 10, "MADT override layout");
_Static_assert(sizeof(struct madt_lapic_nmi) == 6, "MADT NMI layout");

#define MADT_TYPE_LAPIC 0
#define MADT_TYPE_IOAPIC 1
#define MADT_TYPE_OVERRIDE 2
#define MADT_TYPE_LAPIC_NMI 4

/* MPS INTI flags (ACPI 6.4, Table 5.50). */
#define MPS_POLARITY_HIGH 0x1u
#define MPS_TRIGGER_EDGE 0x4u
#define MPS_TRIGGER_LEVEL 0xCu

/* Bytes the MADT for p takes. */
size_t acpi_madt_size(const struct acpi_platform *p);

/* Writes the MADT for p into buf (at least acpi_madt_size(p) bytes) and seals it. */
void acpi_madt_build(uint8_t *buf, const struct acpi_platform *p);

#endif

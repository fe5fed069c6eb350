/* acpi_tables: the byte layout of the ACPI tables nestor writes for its guests. */
#ifndef NESTOR_DEVICES_FIRMWARE_ACPI_TABLES_H
#define NESTOR_DEVICES_FIRMWARE_ACPI_TABLES_H

#include <stdint.h>

/*
 * Field layouts from the ACPI 6.4 specification, chapter 5.2. Every structure is
 * packed and little-endian, exactly as the guest reads it; the size checks below
 * fail the build if a field is ever mistyped.
 */

/* 5.2.5.3: Root System Description Pointer, revision 2 (ACPI 2.0+). */
struct acpi_rsdp {
	char signature[8];		/* "RSD PTR " */
	uint8_t checksum;		/* over the first 20 bytes (the ACPI 1.0 part) */
	char oem_id[6];
	uint8_t revision;		/* 2: the XSDT fields below are valid */
	uint32_t rsdt_address;
	uint32_t length;		/* of this whole structure: 36 */
	uint64_t xsdt_address;
	uint8_t extended_checksum;	/* over all 36 bytes */
	uint8_t reserved[3];
} __attribute__((packed));

/* 5.2.6: the header every description table starts with. */
struct acpi_header {
	char signature[4];
	uint32_t length;		/* whole table, header included */
	uint8_t revision;
	uint8_t checksum;		/* all bytes of the table sum to zero */
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	char creator_id[4];
	uint32_t creator_revision;
} __attribute__((packed));

/* 5.2.3.2: Generic Address Structure. */
struct acpi_gas {
	uint8_t space_id;		/* ACPI_GAS_IO for port I/O */
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;		/* 1 byte, 2 word, 3 dword, 4 qword */
	uint64_t address;
} __attribute__((packed));

#define ACPI_GAS_IO 1
#define ACPI_GAS_ACCESS_BYTE 1
#define ACPI_GAS_ACCESS_WORD 2
#define ACPI_GAS_ACCESS_DWORD 3

_Static_assert(sizeof(struct acpi_rsdp) == 36, "RSDP layout");
_Static_assert(sizeof(struct acpi_header) == 36, "table header layout");
_Static_assert(sizeof(struct acpi_gas) == 12, "GAS layout");

#endif

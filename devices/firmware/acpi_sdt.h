/* acpi_sdt: header and checksum helpers shared by every table nestor builds. */
#ifndef NESTOR_DEVICES_FIRMWARE_ACPI_SDT_H
#define NESTOR_DEVICES_FIRMWARE_ACPI_SDT_H

#include <stddef.h>
#include <stdint.h>

#include "devices/firmware/acpi_tables.h"

#define ACPI_OEM_ID "NESTOR"
#define ACPI_OEM_TABLE_ID "NESTORVM"
#define ACPI_CREATOR_ID "NSTR"

/* The value that makes the bytes of p[0..len) sum to zero modulo 256 when stored in. */
uint8_t acpi_checksum(const void *p, size_t len);

/* Fills a header with nestor's OEM and creator fields; checksum left 0. */
void acpi_header_init(struct acpi_header *h, const char sig[4], uint32_t length,
		      uint8_t revision);

/* Sets the checksum of the table at `table` (header first) over its length field's bytes. */
void acpi_table_seal(void *table);

#endif

/* acpi_sdt: header and checksum helpers shared by every table nestor builds. */
#include "devices/firmware/acpi_sdt.h"

#include <stddef.h>

#include "lib/string.h"

uint8_t acpi_checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + b[i]);
	return (uint8_t)(0 - sum);
}

void acpi_header_init(struct acpi_header *h, const char sig[4], uint32_t length,
		      uint8_t revision)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->signature, sig, 4);
	h->length = length;
	h->revision = revision;
	memcpy(h->oem_id, ACPI_OEM_ID, 6);
	memcpy(h->oem_table_id, ACPI_OEM_TABLE_ID, 8);
	h->oem_revision = 1;
	memcpy(h->creator_id, ACPI_CREATOR_ID, 4);
	h->creator_revision = 1;
}

/* ACPI 6.4, 5.2.6: the entire table, including the checksum field, sums to zero. */
void acpi_table_seal(void *table)
{
	uint8_t *t = table;
	uint32_t length;

	memcpy(&length, t + offsetof(struct acpi_header, length), sizeof(length));
	t[offsetof(struct acpi_header, checksum)] = 0;
	t[offsetof(struct acpi_header, checksum)] = acpi_checksum(t, length);
}

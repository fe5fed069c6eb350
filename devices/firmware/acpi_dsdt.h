/* acpi_dsdt: the Differentiated System Description Table, as small as Linux accepts. */
#ifndef NESTOR_DEVICES_FIRMWARE_ACPI_DSDT_H
#define NESTOR_DEVICES_FIRMWARE_ACPI_DSDT_H

#include <stddef.h>
#include <stdint.h>

#include "devices/firmware/acpi_platform.h"

/* Largest DSDT acpi_dsdt_build() writes (header, \_S5 and the keyboard controller). */
#define ACPI_DSDT_MAX 128u

/* Writes the DSDT for p into buf (ACPI_DSDT_MAX bytes), seals it, returns its length. */
size_t acpi_dsdt_build(uint8_t *buf, const struct acpi_platform *p);

#endif

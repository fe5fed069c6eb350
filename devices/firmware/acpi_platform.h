/* acpi_platform: the guest platform the ACPI tables describe, and where they live. */
#ifndef NESTOR_DEVICES_FIRMWARE_ACPI_PLATFORM_H
#define NESTOR_DEVICES_FIRMWARE_ACPI_PLATFORM_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/acpi_pm.h"
#include "devices/reset_control.h"

#include "lib/guest_mem.h"

/*
 * All tables live in one page of the BIOS area, with the RSDP first: an OS that is
 * given no RSDP address (multiboot kernels, kvm-unit-tests, Linux without a boot
 * protocol field) finds it by scanning 0xE0000-0xFFFFF on 16-byte boundaries
 * (ACPI 6.4, 5.2.5.1). The e820 map reports this area as reserved.
 */
#define ACPI_AREA_BASE 0xF0000ull
#define ACPI_AREA_SIZE 0x1000ull
#define ACPI_RSDP_ADDR ACPI_AREA_BASE

/*
 * The IOAPIC ID is one 4-bit field on the 82093AA (IOAPIC ID register bits 27:24),
 * and the default IOAPIC ID is ncpus so it never equals a LAPIC ID: ncpus <= 15.
 */
#define ACPI_MAX_CPUS 15u

#define ACPI_LAPIC_BASE 0xFEE00000u
#define ACPI_IOAPIC_BASE 0xFEC00000u
#define ACPI_IOAPIC_PINS 24u

/*
 * The values the I/O devices must agree with. The defaults (acpi_platform_defaults)
 * are nestor's platform: ACPI PM block at 0x600 (PM1a_EVT 0x600, PM1a_CNT 0x604,
 * PM_TMR 0x608), SCI on ISA IRQ 9, reset by writing 6 to port 0xCF9, S5 requested by
 * SLP_TYP 5 in PM1a_CNT, no RTC century register (Linux then assumes 20xx).
 */
struct acpi_platform {
	unsigned ncpus;			/* 1..ACPI_MAX_CPUS; xAPIC IDs 0..ncpus-1 */
	uint8_t ioapic_id;
	uint16_t pm1a_evt_port;		/* 4 bytes: PM1 status, PM1 enable */
	uint16_t pm1a_cnt_port;		/* 2 bytes: PM1 control (SCI_EN, SLP_TYP, SLP_EN) */
	uint16_t pm_tmr_port;		/* 4 bytes: 3.579545 MHz ACPI PM timer */
	bool pm_tmr_32bit;		/* FADT TMR_VAL_EXT: a 32-bit counter (nestor's is 24-bit) */
	uint8_t sci_irq;		/* ISA IRQ, level triggered, active high */
	uint16_t reset_port;
	uint8_t reset_value;
	uint8_t s5_slp_typ;		/* SLP_TYP value of \_S5 (3 bits) */
	uint8_t rtc_century;		/* CMOS index of the century byte, 0 = none */
};

/* The I/O device models own these numbers (devices/acpi_pm.h, devices/reset_control.h);
 * the tables describe what the devices do. */
#define ACPI_PM1A_EVT_PORT ACPI_PM1A_EVT_BLK
#define ACPI_PM1A_CNT_PORT ACPI_PM1A_CNT_BLK
#define ACPI_PM_TMR_PORT ACPI_PM_TMR_BLK
#define ACPI_RESET_PORT RESET_CF9_PORT
#define ACPI_RESET_VALUE (CF9_RST_CPU | CF9_SYS_RST)	/* 6: hard reset now */
#define ACPI_S5_SLP_TYP ACPI_SLP_TYP_S5
#define ACPI_RTC_CENTURY 0u		/* QEMU uses 0x32; 0 = none until the RTC model has it */

/* Fills p with nestor's platform for ncpus vCPUs (IOAPIC ID = ncpus). */
void acpi_platform_defaults(struct acpi_platform *p, unsigned ncpus);

/* Guest-physical address of each table acpi_build() wrote. */
struct acpi_layout {
	uint64_t rsdp, xsdt, rsdt, fadt, facs, dsdt, madt;
	uint64_t end;			/* first byte after the last table */
};

/*
 * Writes RSDP, XSDT, RSDT, FADT, FACS, DSDT and MADT for p into the ACPI area of
 * guest RAM. False (logged) when p is invalid or guest RAM does not cover the area.
 */
bool acpi_build(const struct guest_mem *mem, const struct acpi_platform *p,
		struct acpi_layout *out);

#endif

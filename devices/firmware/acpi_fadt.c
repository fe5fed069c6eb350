/* acpi_fadt: the Fixed ACPI Description Table and the FACS it points to. */
#include "devices/firmware/acpi_fadt.h"

#include "devices/firmware/acpi_sdt.h"
#include "lib/string.h"

/* ACPI 6.4, Table 5.10: fixed feature flags. */
#define FADT_WBINVD (1u << 0)		/* WBINVD flushes all caches (always true on x86) */
#define FADT_PROC_C1 (1u << 2)		/* C1 (HLT) works on every processor */
#define FADT_PWR_BUTTON (1u << 4)	/* 1: no fixed-feature power button */
#define FADT_SLP_BUTTON (1u << 5)	/* 1: no fixed-feature sleep button */
#define FADT_FIX_RTC (1u << 6)		/* 1: no RTC wake status in PM1 */
#define FADT_TMR_VAL_EXT (1u << 8)	/* the PM timer counts 32 bits, not 24 */
#define FADT_RESET_REG_SUP (1u << 10)	/* RESET_REG / RESET_VALUE are valid */

/* ACPI 6.4, Table 5.11: IA-PC boot architecture flags. */
#define BOOT_ARCH_LEGACY_DEVICES (1u << 0)	/* ISA devices (UART, PIT, RTC, PIC) exist */
#define BOOT_ARCH_8042 (1u << 1)

/* 5.2.9: latencies above 100 / 1000 us mean "C2 / C3 not supported". */
#define FADT_NO_C2 101u
#define FADT_NO_C3 1001u

static void gas_io(struct acpi_gas *g, uint16_t port, uint8_t bits, uint8_t access)
{
	g->space_id = ACPI_GAS_IO;
	g->bit_width = bits;
	g->bit_offset = 0;
	g->access_size = access;
	g->address = port;
}

/*
 * Only PM1a and the PM timer exist: no PM1b, PM2, GPE blocks, no SMI command port
 * (SMI_CMD = 0 tells the OS the platform is already in ACPI mode, 5.2.9). Every
 * block is given both as a 32-bit port and as its X_ Generic Address with the same
 * value, so ACPICA finds no 32/64-bit mismatch to warn about.
 */
void acpi_fadt_build(struct acpi_fadt *f, const struct acpi_platform *p, uint32_t facs,
		     uint32_t dsdt)
{
	memset(f, 0, sizeof(*f));
	acpi_header_init(&f->header, "FACP", sizeof(*f), 6);
	f->firmware_ctrl = facs;
	f->dsdt = dsdt;
	f->x_dsdt = dsdt;
	f->sci_int = p->sci_irq;
	f->pm1a_evt_blk = p->pm1a_evt_port;
	f->pm1a_cnt_blk = p->pm1a_cnt_port;
	f->pm_tmr_blk = p->pm_tmr_port;
	f->pm1_evt_len = 4;
	f->pm1_cnt_len = 2;
	f->pm_tmr_len = 4;
	f->p_lvl2_lat = FADT_NO_C2;
	f->p_lvl3_lat = FADT_NO_C3;
	f->century = p->rtc_century;
	f->iapc_boot_arch = BOOT_ARCH_LEGACY_DEVICES | BOOT_ARCH_8042;
	f->flags = FADT_WBINVD | FADT_PROC_C1 | FADT_PWR_BUTTON | FADT_SLP_BUTTON |
		   FADT_FIX_RTC | FADT_RESET_REG_SUP | (p->pm_tmr_32bit ? FADT_TMR_VAL_EXT : 0);
	gas_io(&f->reset_reg, p->reset_port, 8, ACPI_GAS_ACCESS_BYTE);
	f->reset_value = p->reset_value;
	gas_io(&f->x_pm1a_evt_blk, p->pm1a_evt_port, 32, ACPI_GAS_ACCESS_WORD);
	gas_io(&f->x_pm1a_cnt_blk, p->pm1a_cnt_port, 16, ACPI_GAS_ACCESS_WORD);
	gas_io(&f->x_pm_tmr_blk, p->pm_tmr_port, 32, ACPI_GAS_ACCESS_DWORD);
	memcpy(f->hypervisor_vendor, "nestor\0\0", 8);
	acpi_table_seal(&f->header);
}

void acpi_facs_build(struct acpi_facs *f)
{
	memset(f, 0, sizeof(*f));
	memcpy(f->signature, "FACS", 4);
	f->length = sizeof(*f);
	f->version = 2;
}

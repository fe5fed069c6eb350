/* acpi_build: lays out and writes the guest's ACPI tables in the BIOS area. */
#include "devices/firmware/acpi_platform.h"

#include "devices/firmware/acpi_dsdt.h"
#include "devices/firmware/acpi_fadt.h"
#include "devices/firmware/acpi_madt.h"
#include "devices/firmware/acpi_sdt.h"
#include "lib/log.h"
#include "lib/string.h"

/* The tables the XSDT and RSDT list (the FADT leads to the FACS and the DSDT). */
#define ACPI_SDT_ENTRIES 2u

void acpi_platform_defaults(struct acpi_platform *p, unsigned ncpus)
{
	memset(p, 0, sizeof(*p));
	p->ncpus = ncpus;
	p->ioapic_id = (uint8_t)ncpus;
	p->pm1a_evt_port = ACPI_PM1A_EVT_PORT;
	p->pm1a_cnt_port = ACPI_PM1A_CNT_PORT;
	p->pm_tmr_port = ACPI_PM_TMR_PORT;
	p->sci_irq = ACPI_SCI_IRQ;
	p->reset_port = ACPI_RESET_PORT;
	p->reset_value = ACPI_RESET_VALUE;
	p->s5_slp_typ = ACPI_S5_SLP_TYP;
	p->rtc_century = ACPI_RTC_CENTURY;
}

static bool platform_valid(const struct acpi_platform *p)
{
	if (p->ncpus < 1 || p->ncpus > ACPI_MAX_CPUS) {
		log_error("ACPI: %u vCPUs; the tables support 1 to %u", p->ncpus, ACPI_MAX_CPUS);
		return false;
	}
	if (p->ioapic_id > 15) {
		log_error("ACPI: IOAPIC ID %u does not fit the 4-bit ID field", p->ioapic_id);
		return false;
	}
	/* IRQ 0 and 2 are the PIT and the cascade: the SCI cannot share them. */
	if (p->sci_irq > 15 || p->sci_irq == 0 || p->sci_irq == 2) {
		log_error("ACPI: SCI on ISA IRQ %u is not possible", p->sci_irq);
		return false;
	}
	if (p->s5_slp_typ > 7) {
		log_error("ACPI: SLP_TYP %u does not fit 3 bits", p->s5_slp_typ);
		return false;
	}
	if (!p->pm1a_evt_port || !p->pm1a_cnt_port || !p->pm_tmr_port || !p->reset_port) {
		log_error("ACPI: a PM or reset port is 0");
		return false;
	}
	return true;
}

/* Offset of the next table in the area: ACPI asks for none, 16 keeps them readable. */
static uint64_t place(uint64_t *cursor, uint64_t size, uint64_t align)
{
	uint64_t at = (*cursor + align - 1) & ~(align - 1);
	*cursor = at + size;
	return at;
}

static void write_rsdp(uint8_t *area, const struct acpi_layout *l)
{
	struct acpi_rsdp r;

	memset(&r, 0, sizeof(r));
	memcpy(r.signature, "RSD PTR ", 8);
	memcpy(r.oem_id, ACPI_OEM_ID, 6);
	r.revision = 2;
	r.rsdt_address = (uint32_t)l->rsdt;
	r.length = sizeof(r);
	r.xsdt_address = l->xsdt;
	/* 5.2.5.3: the first checksum covers the 20-byte ACPI 1.0 structure only. */
	r.checksum = acpi_checksum(&r, 20);
	r.extended_checksum = acpi_checksum(&r, sizeof(r));
	memcpy(area + (l->rsdp - ACPI_AREA_BASE), &r, sizeof(r));
}

/* XSDT (64-bit entries) and RSDT (32-bit entries) list the same tables. */
static void write_sdt(uint8_t *area, uint64_t at, const char sig[4], unsigned width,
		      const uint64_t *tables)
{
	uint8_t *t = area + (at - ACPI_AREA_BASE);
	struct acpi_header h;
	uint32_t len = (uint32_t)(sizeof(h) + ACPI_SDT_ENTRIES * width);

	acpi_header_init(&h, sig, len, 1);
	memcpy(t, &h, sizeof(h));
	for (unsigned i = 0; i < ACPI_SDT_ENTRIES; i++)
		memcpy(t + sizeof(h) + i * width, &tables[i], width);	/* little-endian */
	acpi_table_seal(t);
}

bool acpi_build(const struct guest_mem *mem, const struct acpi_platform *p,
		struct acpi_layout *out)
{
	if (!platform_valid(p))
		return false;
	uint8_t *area = guest_mem_ptr(mem, ACPI_AREA_BASE, ACPI_AREA_SIZE);
	if (!area) {
		log_error("ACPI: guest RAM (%llu bytes) does not cover the table area at %#llx",
			  (unsigned long long)mem->size, ACPI_AREA_BASE);
		return false;
	}
	memset(area, 0, ACPI_AREA_SIZE);

	uint64_t cursor = ACPI_AREA_BASE;
	struct acpi_layout l;
	uint8_t dsdt[ACPI_DSDT_MAX];
	size_t dsdt_len = acpi_dsdt_build(dsdt, p);

	l.rsdp = place(&cursor, sizeof(struct acpi_rsdp), 16);
	l.facs = place(&cursor, sizeof(struct acpi_facs), 64);	/* 5.2.10: 64-byte aligned */
	l.dsdt = place(&cursor, dsdt_len, 16);
	l.fadt = place(&cursor, sizeof(struct acpi_fadt), 16);
	l.madt = place(&cursor, acpi_madt_size(p), 16);
	l.xsdt = place(&cursor, sizeof(struct acpi_header) + ACPI_SDT_ENTRIES * 8, 16);
	l.rsdt = place(&cursor, sizeof(struct acpi_header) + ACPI_SDT_ENTRIES * 4, 16);
	l.end = cursor;
	/* At ACPI_MAX_CPUS the tables take under 1 KiB of their 4 KiB page. */
	_Static_assert(ACPI_MAX_CPUS * sizeof(struct madt_lapic) + 1024 < ACPI_AREA_SIZE,
		       "ACPI tables fit their page");

	struct acpi_facs facs;
	struct acpi_fadt fadt;
	acpi_facs_build(&facs);
	memcpy(area + (l.facs - ACPI_AREA_BASE), &facs, sizeof(facs));
	memcpy(area + (l.dsdt - ACPI_AREA_BASE), dsdt, dsdt_len);
	acpi_fadt_build(&fadt, p, (uint32_t)l.facs, (uint32_t)l.dsdt);
	memcpy(area + (l.fadt - ACPI_AREA_BASE), &fadt, sizeof(fadt));
	acpi_madt_build(area + (l.madt - ACPI_AREA_BASE), p);

	const uint64_t tables[ACPI_SDT_ENTRIES] = { l.fadt, l.madt };
	write_sdt(area, l.xsdt, "XSDT", 8, tables);
	write_sdt(area, l.rsdt, "RSDT", 4, tables);
	write_rsdp(area, &l);
	*out = l;
	log_debug("ACPI: RSDP %#llx, %u vCPUs, IOAPIC ID %u, SCI IRQ %u, tables end %#llx",
		  (unsigned long long)l.rsdp, p->ncpus, p->ioapic_id, p->sci_irq,
		  (unsigned long long)l.end);
	return true;
}

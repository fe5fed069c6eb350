/* fuzz_firmware: the ACPI table builder and the e820 map on any platform description and RAM size. */
#include <string.h>

#include "devices/firmware/acpi_fadt.h"
#include "devices/firmware/acpi_madt.h"
#include "devices/firmware/acpi_platform.h"
#include "devices/firmware/e820.h"
#include "tests/fuzz/fuzz.h"

/*
 * The input fills a struct acpi_platform (vCPUs, IOAPIC ID, PM/reset ports, SCI IRQ,
 * SLP_TYP, century index), picks a guest RAM that covers the table area or not, and
 * gives a RAM size for the e820 map (any value, or a page-aligned one in range).
 * Beyond "no crash", checked:
 *  - acpi_build() accepts exactly the platforms its documented rules allow: 1..15
 *    vCPUs, a 4-bit IOAPIC ID, SCI on ISA IRQ 1..15 but 2, a
 *    3-bit SLP_TYP, no port 0; and RAM covering [0xF0000, 0xF1000);
 *  - built tables: RSDP checksums, every table inside the area with its signature,
 *    length and zero byte sum, tables not overlapping, RSDT and XSDT naming the FADT
 *    and MADT; the FADT's FACS/DSDT pointers, SCI, PM ports and reset register are the
 *    platform's; the MADT's entries exactly fill it: one enabled LAPIC per vCPU with
 *    IDs 0..n-1, the IOAPIC with its ID and address, the SCI override level-triggered;
 *  - e820_build() accepts exactly page-aligned sizes of 2 MiB..3 GiB; its map is sorted,
 *    non-overlapping, its RAM adds up to the size less the 1 KiB EBDA and the BIOS hole,
 *    the PVH, zero-page and multiboot encodings carry the same entries (0 when the
 *    space is too small), and mem_lower/mem_upper are 639 KiB and size - 1 MiB.
 */

static struct guest_mem mem;

static uint8_t sum(const uint8_t *p, size_t len)
{
	uint8_t s = 0;
	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + p[i]);
	return s;
}

static const uint8_t *table(uint64_t gpa, const char *sig)
{
	const uint8_t *t;
	uint32_t len;

	FUZZ_CHECK(gpa >= ACPI_AREA_BASE && gpa + 36 <= ACPI_AREA_BASE + ACPI_AREA_SIZE,
		   "%s at %#llx", sig, (unsigned long long)gpa);
	t = mem.hva + gpa;
	memcpy(&len, t + 4, 4);
	FUZZ_CHECK(!memcmp(t, sig, 4) && len >= 36 && gpa + len <= ACPI_AREA_BASE + ACPI_AREA_SIZE &&
		   sum(t, len) == 0, "%s: signature, length %u or checksum", sig, len);
	return t;
}

static bool platform_allowed(const struct acpi_platform *p)
{
	return p->ncpus >= 1 && p->ncpus <= ACPI_MAX_CPUS && p->ioapic_id <= 15 &&
	       p->sci_irq >= 1 && p->sci_irq <= 15 &&
	       p->sci_irq != 2 && p->s5_slp_typ <= 7 && p->pm1a_evt_port && p->pm1a_cnt_port &&
	       p->pm_tmr_port && p->reset_port;
}

static void check_madt(const uint8_t *t, const struct acpi_platform *p)
{
	uint32_t len, at = sizeof(struct acpi_madt);
	unsigned lapics = 0, ioapics = 0, sci_level = 0;

	memcpy(&len, t + 4, 4);
	while (at < len) {
		uint8_t type = t[at], elen = t[at + 1];
		FUZZ_CHECK(elen >= 2 && at + elen <= len, "MADT entry of length %u at %u", elen, at);
		if (type == MADT_TYPE_LAPIC) {
			struct madt_lapic l;
			memcpy(&l, t + at, sizeof(l));
			FUZZ_CHECK(l.apic_id == lapics && (l.flags & 1), "LAPIC entry %u: ID %u",
				   lapics, l.apic_id);
			lapics++;
		} else if (type == MADT_TYPE_IOAPIC) {
			struct madt_ioapic io;
			memcpy(&io, t + at, sizeof(io));
			FUZZ_CHECK(io.ioapic_id == p->ioapic_id && io.address == ACPI_IOAPIC_BASE,
				   "IOAPIC entry");
			ioapics++;
		} else if (type == MADT_TYPE_OVERRIDE) {
			struct madt_override o;
			memcpy(&o, t + at, sizeof(o));
			if (o.source == p->sci_irq && o.gsi == p->sci_irq &&
			    (o.flags & 0xc) == (MPS_TRIGGER_LEVEL & 0xc))
				sci_level++;
		}
		at += elen;
	}
	FUZZ_CHECK(at == len && lapics == p->ncpus && ioapics == 1 && sci_level == 1,
		   "MADT: %u LAPICs, %u IOAPICs, SCI level override %u", lapics, ioapics, sci_level);
}

static void check_acpi(const struct acpi_layout *l, const struct acpi_platform *p)
{
	const uint8_t *r = mem.hva + l->rsdp;
	const uint8_t *rsdt, *xsdt, *fadt_t;
	struct acpi_fadt fadt;
	uint64_t x[2];
	uint32_t y[2];

	FUZZ_CHECK(l->rsdp == ACPI_RSDP_ADDR && !memcmp(r, "RSD PTR ", 8) && sum(r, 20) == 0 &&
		   sum(r, 36) == 0, "RSDP");
	rsdt = table(l->rsdt, "RSDT");
	xsdt = table(l->xsdt, "XSDT");
	fadt_t = table(l->fadt, "FACP");
	table(l->madt, "APIC");
	table(l->dsdt, "DSDT");
	FUZZ_CHECK(!memcmp(mem.hva + l->facs, "FACS", 4), "FACS");
	FUZZ_CHECK(l->end <= ACPI_AREA_BASE + ACPI_AREA_SIZE, "tables end at %#llx",
		   (unsigned long long)l->end);
	memcpy(y, rsdt + 36, 8);
	memcpy(x, xsdt + 36, 16);
	FUZZ_CHECK(y[0] == l->fadt && y[1] == l->madt && x[0] == l->fadt && x[1] == l->madt,
		   "RSDT/XSDT entries");
	memcpy(&fadt, fadt_t, sizeof(fadt));
	FUZZ_CHECK(fadt.firmware_ctrl == l->facs && fadt.dsdt == l->dsdt &&
		   (fadt.x_dsdt == 0 || fadt.x_dsdt == l->dsdt), "FADT pointers");
	FUZZ_CHECK(fadt.sci_int == p->sci_irq && fadt.pm1a_evt_blk == p->pm1a_evt_port &&
		   fadt.pm1a_cnt_blk == p->pm1a_cnt_port && fadt.pm_tmr_blk == p->pm_tmr_port &&
		   fadt.reset_reg.address == p->reset_port && fadt.reset_value == p->reset_value &&
		   fadt.century == p->rtc_century, "FADT fields");
	check_madt(mem.hva + l->madt, p);
}

static void check_e820(uint64_t size)
{
	struct e820_map m;
	struct hvm_memmap_table_entry pvh[E820_MAX_ENTRIES];
	struct boot_e820_entry zp[E820_MAX_ENTRIES];
	struct multiboot_mmap_entry mb[E820_MAX_ENTRIES];
	bool allowed = size >= E820_MEM_MIN && size <= E820_MEM_MAX && !(size & 0xfff);
	uint64_t ram = 0, end = 0;
	uint32_t lower, upper;

	FUZZ_CHECK(e820_build(size, &m) == allowed, "e820 of %#llx bytes: accepted %d",
		   (unsigned long long)size, !allowed);
	if (!allowed)
		return;
	FUZZ_CHECK(m.n >= 1 && m.n <= E820_MAX_ENTRIES, "%u entries", m.n);
	for (unsigned i = 0; i < m.n; i++) {
		const struct e820_entry *e = &m.e[i];
		FUZZ_CHECK(e->size && e->addr >= end && e->addr + e->size > e->addr,
			   "entry %u [%#llx, +%#llx) after %#llx", i, (unsigned long long)e->addr,
			   (unsigned long long)e->size, (unsigned long long)end);
		end = e->addr + e->size;
		if (e->type == E820_RAM) {
			FUZZ_CHECK(end <= size, "RAM entry past the end");
			ram += e->size;
		}
	}
	FUZZ_CHECK(ram == E820_LOW_RAM_END + size - E820_HIGH_RAM_BASE, "RAM %#llx of %#llx",
		   (unsigned long long)ram, (unsigned long long)size);
	FUZZ_CHECK(e820_to_pvh(&m, pvh, m.n) == m.n && e820_to_zeropage(&m, zp, m.n) == m.n &&
		   e820_to_multiboot(&m, mb, m.n) == m.n, "encodings");
	FUZZ_CHECK(e820_to_pvh(&m, pvh, m.n - 1) == 0 && e820_to_zeropage(&m, zp, m.n - 1) == 0 &&
		   e820_to_multiboot(&m, mb, m.n - 1) == 0, "encodings into too little space");
	for (unsigned i = 0; i < m.n; i++)
		FUZZ_CHECK(pvh[i].addr == m.e[i].addr && pvh[i].size == m.e[i].size &&
			   pvh[i].type == m.e[i].type && pvh[i].reserved == 0 &&
			   zp[i].addr == m.e[i].addr && zp[i].size == m.e[i].size &&
			   zp[i].type == m.e[i].type && mb[i].size == 20 && mb[i].addr == m.e[i].addr &&
			   mb[i].len == m.e[i].size && mb[i].type == m.e[i].type, "entry %u encoded", i);
	e820_multiboot_mem(&m, &lower, &upper);
	FUZZ_CHECK(lower == 639 && upper == (size - E820_HIGH_RAM_BASE) >> 10,
		   "mem_lower %u mem_upper %u", lower, upper);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size, 0 };
	struct acpi_platform p;
	struct acpi_layout l;
	uint8_t f = fuzz_u8(&in);
	struct guest_mem small = { .hva = NULL };	/* no translate(): a VM's own RAM */
	uint64_t e820_size;
	bool built;

	fuzz_quiet_log();
	if (!mem.hva) {
		mem.size = 0x100000;
		mem.hva = calloc(1, mem.size);
	}
	if (f & 1) {		/* a structured platform: mostly valid */
		acpi_platform_defaults(&p, 1 + fuzz_u8(&in) % 16);
		if (f & 2)
			p.ioapic_id = fuzz_u8(&in) & 0x1f;
		if (f & 4)
			p.sci_irq = fuzz_u8(&in) & 0x1f;
		if (f & 8)
			p.s5_slp_typ = fuzz_u8(&in) & 0xf;
		if (f & 0x10) {
			p.pm1a_evt_port = fuzz_u16(&in);
			p.pm1a_cnt_port = fuzz_u16(&in);
			p.pm_tmr_port = fuzz_u16(&in);
			p.reset_port = fuzz_u16(&in);
			p.reset_value = fuzz_u8(&in);
			p.rtc_century = fuzz_u8(&in);
		}
	} else {		/* any bytes */
		memset(&p, 0, sizeof(p));
		p.ncpus = fuzz_u32(&in);
		p.ioapic_id = fuzz_u8(&in);
		p.pm1a_evt_port = fuzz_u16(&in);
		p.pm1a_cnt_port = fuzz_u16(&in);
		p.pm_tmr_port = fuzz_u16(&in);
		p.sci_irq = fuzz_u8(&in);
		p.reset_port = fuzz_u16(&in);
		p.reset_value = fuzz_u8(&in);
		p.s5_slp_typ = fuzz_u8(&in);
		p.rtc_century = fuzz_u8(&in);
	}
	/* RAM that ends inside the table area must be refused, not written past. */
	small.size = ACPI_AREA_BASE + (fuzz_u16(&in) & 0xfff);
	small.hva = malloc(small.size);
	FUZZ_CHECK(!acpi_build(&small, &p, &l), "tables built into %#llx bytes of RAM",
		   (unsigned long long)small.size);
	free(small.hva);

	built = acpi_build(&mem, &p, &l);
	FUZZ_CHECK(built == platform_allowed(&p), "platform ncpus %u ioapic %u sci %u slp %u: built %d",
		   p.ncpus, p.ioapic_id, p.sci_irq, p.s5_slp_typ, built);
	if (built)
		check_acpi(&l, &p);

	e820_size = (f & 0x80) ? fuzz_u64(&in) : (uint64_t)fuzz_u32(&in) << 12;
	check_e820(e820_size);
	return 0;
}

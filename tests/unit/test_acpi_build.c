/* test_acpi_build: the guest ACPI tables: checksums, pointers and the fields Linux reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "devices/firmware/acpi_dsdt.h"
#include "devices/firmware/acpi_fadt.h"
#include "devices/firmware/acpi_madt.h"
#include "devices/firmware/acpi_platform.h"
#include "tests/unit/capture.h"
#include "tests/unit/loader_fixture.h"

static int setup(void **state)
{
	(void)state;
	return vm_setup(2 * MiB, 2);
}

static const uint8_t *at(uint64_t gpa)
{
	assert_true(gpa < mem.size);
	return mem.hva + gpa;
}

/* A little-endian field of 1 to 8 bytes. */
static uint64_t rd(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;
	memcpy(&v, p, bytes);
	return v;
}

static uint8_t sum(const uint8_t *p, size_t len)
{
	uint8_t s = 0;
	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + p[i]);
	return s;
}

/* A table at gpa with this signature, a sane length and a zero byte sum. */
static const uint8_t *table(uint64_t gpa, const char *sig)
{
	const uint8_t *t = at(gpa);
	assert_memory_equal(t, sig, 4);
	uint32_t len = rd(t + 4, 4);
	assert_true(len >= 36 && gpa + len <= ACPI_AREA_BASE + ACPI_AREA_SIZE);
	assert_int_equal(sum(t, len), 0);
	assert_memory_equal(t + 10, "NESTOR", 6);
	return t;
}

static struct acpi_layout build(unsigned ncpus)
{
	struct acpi_platform p;
	struct acpi_layout l;
	acpi_platform_defaults(&p, ncpus);
	assert_true(acpi_build(&mem, &p, &l));
	return l;
}

static void test_rsdp(void **state)
{
	(void)state;
	struct acpi_layout l = build(2);
	assert_int_equal(l.rsdp, 0xF0000);
	const uint8_t *r = at(0xF0000);
	assert_memory_equal(r, "RSD PTR ", 8);
	assert_int_equal(sum(r, 20), 0);	/* ACPI 1.0 checksum */
	assert_int_equal(sum(r, 36), 0);	/* extended checksum */
	assert_int_equal(r[15], 2);
	assert_int_equal(rd(r + 20, 4), 36);
	assert_int_equal(rd(r + 16, 4), l.rsdt);
	assert_int_equal(rd(r + 24, 8), l.xsdt);
	assert_true(l.end <= ACPI_AREA_BASE + ACPI_AREA_SIZE);
}

static void test_xsdt_and_rsdt_list_fadt_and_madt(void **state)
{
	(void)state;
	struct acpi_layout l = build(2);
	const uint8_t *x = table(l.xsdt, "XSDT");
	const uint8_t *r = table(l.rsdt, "RSDT");
	assert_int_equal(rd(x + 4, 4), 36 + 2 * 8);
	assert_int_equal(rd(r + 4, 4), 36 + 2 * 4);
	assert_int_equal(rd(x + 36, 8), l.fadt);
	assert_int_equal(rd(x + 44, 8), l.madt);
	assert_int_equal(rd(r + 36, 4), l.fadt);
	assert_int_equal(rd(r + 40, 4), l.madt);
	table(l.fadt, "FACP");
	table(l.madt, "APIC");
}

static void check_gas_io(const struct acpi_gas *g, uint16_t port, uint8_t bits)
{
	assert_int_equal(g->space_id, 1);
	assert_int_equal(g->bit_width, bits);
	assert_int_equal(g->address, port);
}

static void test_fadt_fields(void **state)
{
	(void)state;
	struct acpi_layout l = build(2);
	struct acpi_fadt f;
	memcpy(&f, table(l.fadt, "FACP"), sizeof(f));
	assert_int_equal(f.header.length, 276);
	assert_int_equal(f.header.revision, 6);
	assert_int_equal(f.sci_int, 9);
	assert_int_equal(f.smi_cmd, 0);
	assert_int_equal(f.pm1a_evt_blk, 0x600);
	assert_int_equal(f.pm1a_cnt_blk, 0x604);
	assert_int_equal(f.pm_tmr_blk, 0x608);
	assert_int_equal(f.pm1_evt_len, 4);
	assert_int_equal(f.pm1_cnt_len, 2);
	assert_int_equal(f.pm_tmr_len, 4);
	check_gas_io(&f.x_pm1a_evt_blk, 0x600, 32);
	check_gas_io(&f.x_pm1a_cnt_blk, 0x604, 16);
	check_gas_io(&f.x_pm_tmr_blk, 0x608, 32);
	assert_int_equal(f.pm1b_evt_blk | f.pm1b_cnt_blk | f.gpe0_blk | f.gpe1_blk, 0);
	/* IAPC_BOOT_ARCH: legacy devices and an 8042. */
	assert_int_equal(f.iapc_boot_arch, 0x3);
	/* RESET_REG_SUP, and the reset register is port 0xCF9 written with 6. */
	assert_true(f.flags & (1u << 10));
	assert_false(f.flags & (1u << 20));	/* not HW_REDUCED_ACPI */
	check_gas_io(&f.reset_reg, 0xCF9, 8);
	assert_int_equal(f.reset_value, 6);
	assert_int_equal(f.firmware_ctrl, l.facs);
	assert_int_equal(f.x_firmware_ctrl, 0);
	assert_int_equal(f.dsdt, l.dsdt);
	assert_int_equal(f.x_dsdt, l.dsdt);
}

static void test_facs(void **state)
{
	(void)state;
	struct acpi_layout l = build(1);
	const uint8_t *f = at(l.facs);
	assert_memory_equal(f, "FACS", 4);
	assert_int_equal(rd(f + 4, 4), 64);
	assert_int_equal(l.facs % 64, 0);
	assert_int_equal(f[32], 2);
}

#define KBD_AML_LEN 53u	/* the keyboard controller after \\_S5 */

static void test_dsdt_s5_aml(void **state)
{
	(void)state;
	struct acpi_layout l = build(2);
	const uint8_t *d = table(l.dsdt, "DSDT");
	/* Name (_S5, Package (4) { 5, 5, Zero, Zero }) */
	static const uint8_t aml[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04,
				       0x0A, 0x05, 0x0A, 0x05, 0x00, 0x00 };
	assert_int_equal(rd(d + 4, 4), 36 + sizeof(aml) + KBD_AML_LEN);
	assert_memory_equal(d + 36, aml, sizeof(aml));
}

/* Scope (\_SB) { Device (KBD) { Name (_HID, EisaId ("PNP0303")) Name (_CRS, ...) } }, as iasl
 * compiles it (test_acpi_build_iasl round-trips the whole table). */
static void test_dsdt_keyboard_aml(void **state)
{
	(void)state;
	struct acpi_layout l = build(2);
	const uint8_t *d = table(l.dsdt, "DSDT");
	static const uint8_t kbd[] = {
		0x10, 0x34, '_', 'S', 'B', '_', 0x5B, 0x82, 0x2D, 'K', 'B', 'D', '_',
		0x08, '_', 'H', 'I', 'D', 0x0C, 0x41, 0xD0, 0x03, 0x03,
		0x08, '_', 'C', 'R', 'S', 0x11, 0x18, 0x0A, 0x15,
		0x47, 0x01, 0x60, 0x00, 0x60, 0x00, 0x01, 0x01,	/* IO (Decode16, 0x60, 0x60, 1, 1) */
		0x47, 0x01, 0x64, 0x00, 0x64, 0x00, 0x01, 0x01,	/* IO (Decode16, 0x64, 0x64, 1, 1) */
		0x22, 0x02, 0x00, 0x79, 0x00 };			/* IRQNoFlags () {1}, end tag */
	_Static_assert(sizeof(kbd) == KBD_AML_LEN, "KBD_AML_LEN");
	assert_memory_equal(d + 36 + 14, kbd, sizeof(kbd));
}

static void test_dsdt_small_slp_typ_uses_constant_opcodes(void **state)
{
	(void)state;
	struct acpi_platform p;
	uint8_t buf[ACPI_DSDT_MAX];
	acpi_platform_defaults(&p, 1);
	p.s5_slp_typ = 0;
	static const uint8_t zero[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0, 0, 0, 0 };
	assert_int_equal(acpi_dsdt_build(buf, &p), 36 + sizeof(zero) + KBD_AML_LEN);
	assert_memory_equal(buf + 36, zero, sizeof(zero));
	assert_int_equal(sum(buf, 36 + sizeof(zero) + KBD_AML_LEN), 0);
	p.s5_slp_typ = 1;
	static const uint8_t one[] = { 0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 1, 1, 0, 0 };
	assert_int_equal(acpi_dsdt_build(buf, &p), 36 + sizeof(one) + KBD_AML_LEN);
	assert_memory_equal(buf + 36, one, sizeof(one));
}

static void test_madt_entries(void **state)
{
	(void)state;
	const unsigned ncpus = 4;
	struct acpi_layout l = build(ncpus);
	const uint8_t *m = table(l.madt, "APIC");
	uint32_t len = rd(m + 4, 4);
	assert_int_equal(rd(m + 36, 4), 0xFEE00000);
	assert_int_equal(rd(m + 40, 4), 1);	/* PCAT_COMPAT */

	unsigned lapics = 0, ioapics = 0, overrides = 0, nmis = 0;
	for (uint32_t off = 44; off < len;) {
		const uint8_t *e = m + off;
		assert_true(e[1] >= 2 && off + e[1] <= len);
		switch (e[0]) {
		case MADT_TYPE_LAPIC:
			assert_int_equal(e[1], 8);
			assert_int_equal(e[2], lapics);		/* processor UID */
			assert_int_equal(e[3], lapics);		/* APIC ID */
			assert_int_equal(rd(e + 4, 4), 1);	/* enabled */
			lapics++;
			break;
		case MADT_TYPE_IOAPIC:
			assert_int_equal(e[2], ncpus);
			assert_int_equal(rd(e + 4, 4), 0xFEC00000);
			assert_int_equal(rd(e + 8, 4), 0);
			ioapics++;
			break;
		case MADT_TYPE_OVERRIDE: {
			uint16_t flags;
			memcpy(&flags, e + 8, 2);
			assert_int_equal(e[2], 0);
			if (e[3] == 0) {
				assert_int_equal(rd(e + 4, 4), 2);
				assert_int_equal(flags, 0x5);	/* edge, active high */
			} else {
				assert_int_equal(e[3], 9);
				assert_int_equal(rd(e + 4, 4), 9);
				assert_int_equal(flags, 0xD);	/* level, active high */
			}
			overrides++;
			break;
		}
		case MADT_TYPE_LAPIC_NMI:
			assert_int_equal(e[1], 6);
			assert_int_equal(e[2], 0xFF);
			assert_int_equal(e[5], 1);		/* LINT1 */
			nmis++;
			break;
		default:
			fail_msg("unexpected MADT entry type %u", e[0]);
		}
		off += e[1];
	}
	assert_int_equal(lapics, ncpus);
	assert_int_equal(ioapics, 1);
	assert_int_equal(overrides, 2);
	assert_int_equal(nmis, 1);
}

static void test_most_cpus_fit_and_nothing_outside_the_page(void **state)
{
	(void)state;
	memset(mem.hva + 0xEF000, 0xAA, 0x1000);
	memset(mem.hva + 0xF1000, 0xAA, 0x1000);
	struct acpi_layout l = build(ACPI_MAX_CPUS);
	table(l.madt, "APIC");
	table(l.rsdt, "RSDT");
	for (unsigned i = 0; i < 0x1000; i++) {
		assert_int_equal(mem.hva[0xEF000 + i], 0xAA);
		assert_int_equal(mem.hva[0xF1000 + i], 0xAA);
	}
}

static void expect_refused(struct acpi_platform *p, const char *why)
{
	struct acpi_layout l;
	capture_reset();
	assert_false(acpi_build(&mem, p, &l));
	assert_true(capture_contains(why));
}

static void test_bad_platforms_are_refused(void **state)
{
	(void)state;
	struct acpi_platform p;
	acpi_platform_defaults(&p, 0);
	expect_refused(&p, "0 vCPUs");
	acpi_platform_defaults(&p, ACPI_MAX_CPUS + 1);
	expect_refused(&p, "16 vCPUs");
	acpi_platform_defaults(&p, 2);
	p.ioapic_id = 16;
	expect_refused(&p, "IOAPIC ID 16");
	acpi_platform_defaults(&p, 2);
	p.sci_irq = 2;
	expect_refused(&p, "SCI on ISA IRQ 2");
	acpi_platform_defaults(&p, 2);
	p.s5_slp_typ = 8;
	expect_refused(&p, "SLP_TYP 8");
	acpi_platform_defaults(&p, 2);
	p.pm_tmr_port = 0;
	expect_refused(&p, "port is 0");
}

static void test_too_little_guest_ram(void **state)
{
	(void)state;
	struct acpi_platform p;
	struct guest_mem small = { .hva = mem.hva, .size = 0xF0800 };
	struct acpi_layout l;
	acpi_platform_defaults(&p, 1);
	capture_reset();
	assert_false(acpi_build(&small, &p, &l));
	assert_true(capture_contains("does not cover"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rsdp, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_xsdt_and_rsdt_list_fadt_and_madt, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_fadt_fields, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_facs, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_dsdt_s5_aml, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_dsdt_keyboard_aml, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_dsdt_small_slp_typ_uses_constant_opcodes, setup,
						vm_teardown),
		cmocka_unit_test_setup_teardown(test_madt_entries, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_most_cpus_fit_and_nothing_outside_the_page, setup,
						vm_teardown),
		cmocka_unit_test_setup_teardown(test_bad_platforms_are_refused, setup, vm_teardown),
		cmocka_unit_test_setup_teardown(test_too_little_guest_ram, setup, vm_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_host_acpi: RSDP/XSDT/RSDT walk, MADT and FADT parsing, including corrupted tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "drivers/host_acpi.h"
#include "tests/unit/capture.h"

/* Tables are built in host memory; the parser's "physical" addresses are host pointers. */
static uint8_t rsdp[36], xsdt[64], rsdt[64], madt[256], other[276];

static void fix_checksum(uint8_t *t, uint32_t len, unsigned at)
{
	uint8_t sum = 0;
	t[at] = 0;
	for (uint32_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + t[i]);
	t[at] = (uint8_t)(0 - sum);
}

static void header(uint8_t *t, const char *sig, uint32_t len)
{
	memset(t, 0, 36);
	memcpy(t, sig, 4);
	memcpy(t + 4, &len, 4);
}

static uint32_t madt_len;

static void madt_add(const uint8_t *e, uint8_t len)
{
	memcpy(madt + madt_len, e, len);
	madt_len += len;
}

static void build_tables(int revision)
{
	memset(madt, 0, sizeof(madt));
	madt_len = 44;
	uint32_t lapic = 0xfee00000, flags = 1;
	memcpy(madt + 36, &lapic, 4);
	memcpy(madt + 40, &flags, 4);
	const uint8_t cpu0[8] = { 0, 8, 0, 0, 1, 0, 0, 0 };
	const uint8_t cpu1[8] = { 0, 8, 1, 2, 1, 0, 0, 0 };
	const uint8_t cpu_off[8] = { 0, 8, 2, 7, 0, 0, 0, 0 };		/* disabled */
	const uint8_t x2cpu[16] = { 9, 16, 0, 0, 0x00, 0x01, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0 };
	const uint8_t ioapic[12] = { 1, 12, 5, 0, 0x00, 0x00, 0xc0, 0xfe, 0, 0, 0, 0 };
	const uint8_t iso[10] = { 2, 10, 0, 0, 2, 0, 0, 0, 0, 0 };
	madt_add(cpu0, 8);
	madt_add(cpu1, 8);
	madt_add(cpu_off, 8);
	madt_add(x2cpu, 16);
	madt_add(ioapic, 12);
	madt_add(iso, 10);
	header(madt, "APIC", madt_len);
	memcpy(madt + 4, &madt_len, 4);
	fix_checksum(madt, madt_len, 9);

	/* An ACPI 6 FADT (276 bytes): PM_TMR_BLK 0x608 (PM_TMR_LEN 4), X_PM_TMR_BLK port 0xb008,
	 * TMR_VAL_EXT set. */
	memset(other, 0, sizeof(other));
	header(other, "FACP", sizeof(other));
	uint32_t tmr = 0x608, fflags = 1u << 8;
	uint64_t xtmr = 0xb008;
	memcpy(other + 76, &tmr, 4);
	other[91] = 4;
	memcpy(other + 112, &fflags, 4);
	other[208] = 1;		/* GAS: system I/O */
	other[209] = 32;
	memcpy(other + 212, &xtmr, 8);
	fix_checksum(other, sizeof(other), 9);

	uint64_t a = (uintptr_t)other, b = (uintptr_t)madt;
	header(xsdt, "XSDT", 36 + 16);
	memcpy(xsdt + 36, &a, 8);
	memcpy(xsdt + 44, &b, 8);
	fix_checksum(xsdt, 52, 9);

	uint32_t a32 = (uint32_t)(uintptr_t)other, b32 = (uint32_t)(uintptr_t)madt;
	header(rsdt, "RSDT", 36 + 8);
	memcpy(rsdt + 36, &a32, 4);
	memcpy(rsdt + 40, &b32, 4);
	fix_checksum(rsdt, 44, 9);

	memset(rsdp, 0, sizeof(rsdp));
	memcpy(rsdp, "RSD PTR ", 8);
	rsdp[15] = (uint8_t)revision;
	uint32_t r32 = (uint32_t)(uintptr_t)rsdt, rlen = 36;
	uint64_t x64 = (uintptr_t)xsdt;
	memcpy(rsdp + 16, &r32, 4);
	memcpy(rsdp + 20, &rlen, 4);
	memcpy(rsdp + 24, &x64, 8);
	fix_checksum(rsdp, 20, 8);
	fix_checksum(rsdp, 36, 32);
}

static int setup(void **state)
{
	(void)state;
	capture_reset();
	build_tables(2);
	return 0;
}

static void test_no_rsdp(void **state)
{
	(void)state;
	struct host_acpi a;
	host_acpi_parse(0, &a);
	assert_false(a.has_rsdp);
	assert_false(a.has_madt);
	host_acpi_log(&a);
	assert_true(capture_contains("no ACPI MADT from the firmware (no RSDP published): CPUs unknown"));
}

static void test_xsdt_madt(void **state)
{
	(void)state;
	struct host_acpi a;
	host_acpi_parse((uintptr_t)rsdp, &a);
	assert_true(a.has_madt);
	assert_int_equal(a.revision, 2);
	assert_int_equal(a.lapic_address, 0xfee00000);
	assert_true(a.pcat_compat);
	assert_int_equal(a.ncpus, 3);
	assert_int_equal(a.apic_ids[0], 0);
	assert_int_equal(a.apic_ids[1], 2);
	assert_int_equal(a.apic_ids[2], 0x100);	/* from the x2APIC entry */
	assert_int_equal(a.ncpus_ignored, 1);
	assert_int_equal(a.nioapics, 1);
	assert_int_equal(a.ioapics[0].id, 5);
	assert_int_equal(a.ioapics[0].address, 0xfec00000);
	assert_int_equal(a.noverrides, 1);
	host_acpi_log(&a);
	assert_true(capture_contains("3 CPUs (APIC IDs 0,2,256)"));
}

static void refix_fadt(void)
{
	fix_checksum(other, sizeof(other), 9);
}

static void test_fadt_pm_timer(void **state)
{
	(void)state;
	struct host_acpi a;
	host_acpi_parse((uintptr_t)rsdp, &a);
	assert_true(a.has_fadt);
	assert_int_equal(a.pm_tmr_port, 0xb008);	/* X_PM_TMR_BLK supersedes PM_TMR_BLK */
	assert_true(a.pm_tmr_32bit);
	host_acpi_log(&a);
	assert_true(capture_contains("host: ACPI PM timer at port 0xb008 (32-bit)"));

	memset(other + 212, 0, 8);		/* no X_ block: the 32-bit field */
	other[112 + 1] = 0;			/* TMR_VAL_EXT clear */
	refix_fadt();
	host_acpi_parse((uintptr_t)rsdp, &a);
	assert_int_equal(a.pm_tmr_port, 0x608);
	assert_false(a.pm_tmr_32bit);

	other[91] = 3;				/* PM_TMR_LEN must be 4 */
	refix_fadt();
	host_acpi_parse((uintptr_t)rsdp, &a);
	assert_int_equal(a.pm_tmr_port, 0);
	host_acpi_log(&a);
	assert_true(capture_contains("no ACPI PM timer in I/O space (the FADT names none)"));
}

static void test_fadt_pm_timer_not_passable(void **state)
{
	(void)state;
	struct host_acpi a;
	other[208] = 0;				/* X_PM_TMR_BLK in memory space */
	refix_fadt();
	host_acpi_parse((uintptr_t)rsdp, &a);
	assert_true(a.has_fadt);
	assert_int_equal(a.pm_tmr_port, 0);

	build_tables(2);
	uint64_t high = 0xfffe;			/* 4 ports would run past 0xffff */
	memcpy(other + 212, &high, 8);
	refix_fadt();
	host_acpi_parse((uintptr_t)rsdp, &a);
	assert_int_equal(a.pm_tmr_port, 0);

	build_tables(2);
	other[112 + 2] = 0x10;			/* flags bit 20: HW_REDUCED_ACPI */
	refix_fadt();
	host_acpi_parse((uintptr_t)rsdp, &a);
	assert_int_equal(a.pm_tmr_port, 0);
	assert_true(a.has_madt);		/* the MADT after it is still read */

	build_tables(2);
	uint32_t short_len = 100;		/* too short to hold the flags */
	memcpy(other + 4, &short_len, 4);
	fix_checksum(other, short_len, 9);
	host_acpi_parse((uintptr_t)rsdp, &a);
	assert_false(a.has_fadt);
	assert_int_equal(a.pm_tmr_port, 0);
	assert_true(capture_contains("FADT too short (100 bytes)"));
	host_acpi_log(&a);
	assert_true(capture_contains("no ACPI PM timer in I/O space (no FADT)"));
}

static void test_rsdt_for_acpi_1(void **state)
{
	(void)state;
	if (sizeof(void *) == 8 && (uintptr_t)rsdt > 0xffffffffu)
		fail_msg("RSDT test needs the tables below 4 GiB (static data of a non-PIE test)");
	build_tables(0);
	struct host_acpi a;
	host_acpi_parse((uintptr_t)rsdp, &a);
	assert_true(a.has_madt);
	assert_int_equal(a.revision, 0);
	assert_int_equal(a.ncpus, 3);
}

static void test_bad_checksums_are_not_trusted(void **state)
{
	(void)state;
	struct host_acpi a;
	madt[50] ^= 0xff;			/* corrupt the MADT body */
	host_acpi_parse((uintptr_t)rsdp, &a);
	assert_false(a.has_madt);
	assert_true(capture_contains("table APIC"));
	assert_true(capture_contains("bad checksum"));

	build_tables(2);
	rsdp[0] = 'X';
	host_acpi_parse((uintptr_t)rsdp, &a);
	assert_false(a.has_rsdp);
	assert_true(capture_contains("RSDP at"));
}

static void test_bad_entry_length_stops_the_walk(void **state)
{
	(void)state;
	struct host_acpi a;
	madt[44 + 8 + 1] = 0;			/* the second entry claims length 0 */
	fix_checksum(madt, madt_len, 9);
	host_acpi_parse((uintptr_t)rsdp, &a);
	assert_true(a.has_madt);
	assert_int_equal(a.ncpus, 1);
	assert_true(capture_contains("bad length 0"));
}

static void test_absurd_table_length(void **state)
{
	(void)state;
	struct host_acpi a;
	uint32_t huge = 0x7fffffff;
	memcpy(madt + 4, &huge, 4);
	host_acpi_parse((uintptr_t)rsdp, &a);
	assert_false(a.has_madt);
	assert_true(capture_contains("bad length 2147483647"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_no_rsdp, setup),
		cmocka_unit_test_setup(test_xsdt_madt, setup),
		cmocka_unit_test_setup(test_fadt_pm_timer, setup),
		cmocka_unit_test_setup(test_fadt_pm_timer_not_passable, setup),
		cmocka_unit_test_setup(test_rsdt_for_acpi_1, setup),
		cmocka_unit_test_setup(test_bad_checksums_are_not_trusted, setup),
		cmocka_unit_test_setup(test_bad_entry_length_stops_the_walk, setup),
		cmocka_unit_test_setup(test_absurd_table_length, setup),
	};
	return cmocka_run_group_tests_name("host_acpi", tests, NULL, NULL);
}

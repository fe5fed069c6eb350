/* test_e820: the guest memory map and its PVH, multiboot and zero-page encodings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "devices/firmware/e820.h"
#include "tests/unit/capture.h"

#define MiB (1ull << 20)

static void check_entry(const struct e820_entry *e, uint64_t addr, uint64_t size, uint32_t type)
{
	assert_int_equal(e->addr, addr);
	assert_int_equal(e->size, size);
	assert_int_equal(e->type, type);
}

static void test_layout_256m(void **state)
{
	(void)state;
	struct e820_map m;
	assert_true(e820_build(256 * MiB, &m));
	assert_int_equal(m.n, 5);
	check_entry(&m.e[0], 0, 0x9FC00, E820_RAM);
	check_entry(&m.e[1], 0x9FC00, 0x100000 - 0x9FC00, E820_RESERVED);
	check_entry(&m.e[2], 0x100000, 255 * MiB, E820_RAM);
	check_entry(&m.e[3], 0xFEC00000, 0x1000, E820_RESERVED);
	check_entry(&m.e[4], 0xFEE00000, 0x1000, E820_RESERVED);
}

/* Sorted, non-overlapping, and RAM covers exactly [0, mem) minus the BIOS hole. */
static void test_entries_are_sorted_and_disjoint(void **state)
{
	(void)state;
	const uint64_t sizes[] = { 2 * MiB, 64 * MiB, 1024 * MiB, 3072 * MiB };
	for (unsigned s = 0; s < 4; s++) {
		struct e820_map m;
		assert_true(e820_build(sizes[s], &m));
		uint64_t ram = 0;
		for (unsigned i = 0; i < m.n; i++) {
			if (i)
				assert_true(m.e[i - 1].addr + m.e[i - 1].size <= m.e[i].addr);
			if (m.e[i].type == E820_RAM) {
				ram += m.e[i].size;
				assert_true(m.e[i].addr + m.e[i].size <= sizes[s]);
			}
		}
		assert_int_equal(ram, sizes[s] - (0x100000 - 0x9FC00));
	}
}

static void test_bad_sizes_are_refused(void **state)
{
	(void)state;
	const uint64_t bad[] = { 0, 1 * MiB, 2 * MiB - 4096, 64 * MiB + 1, 3072 * MiB + 4096,
				 4096 * MiB };
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct e820_map m = { .n = 7 };
		capture_reset();
		assert_false(e820_build(bad[i], &m));
		assert_int_equal(m.n, 0);
		assert_true(capture_contains("is not supported"));
	}
}

static void test_pvh_encoding(void **state)
{
	(void)state;
	struct e820_map m;
	struct hvm_memmap_table_entry pvh[8];
	memset(pvh, 0xEE, sizeof(pvh));
	assert_true(e820_build(128 * MiB, &m));
	assert_int_equal(e820_to_pvh(&m, pvh, 8), 5);
	for (unsigned i = 0; i < 5; i++) {
		assert_int_equal(pvh[i].addr, m.e[i].addr);
		assert_int_equal(pvh[i].size, m.e[i].size);
		assert_int_equal(pvh[i].type, m.e[i].type);
		assert_int_equal(pvh[i].reserved, 0);
	}
	assert_int_equal(e820_to_pvh(&m, pvh, 4), 0);	/* too small: nothing */
}

static void test_multiboot_encoding(void **state)
{
	(void)state;
	struct e820_map m;
	struct multiboot_mmap_entry mb[8];
	assert_true(e820_build(128 * MiB, &m));
	assert_int_equal(e820_to_multiboot(&m, mb, 8), 5);
	const uint8_t *raw = (const uint8_t *)mb;
	/* Entry 2 starts 48 bytes in: size 20, base 1 MiB, length 127 MiB, type 1. */
	uint32_t size, type;
	uint64_t base, len;
	memcpy(&size, raw + 48, 4);
	memcpy(&base, raw + 52, 8);
	memcpy(&len, raw + 60, 8);
	memcpy(&type, raw + 68, 4);
	assert_int_equal(size, 20);
	assert_int_equal(base, 0x100000);
	assert_int_equal(len, 127 * MiB);
	assert_int_equal(type, 1);
	assert_int_equal(e820_to_multiboot(&m, mb, 2), 0);
}

static void test_zeropage_encoding(void **state)
{
	(void)state;
	struct e820_map m;
	struct boot_e820_entry z[8];
	assert_true(e820_build(128 * MiB, &m));
	assert_int_equal(e820_to_zeropage(&m, z, 8), 5);
	const uint8_t *raw = (const uint8_t *)z;
	uint64_t base;
	uint32_t type;
	memcpy(&base, raw + 20 * 4, 8);
	memcpy(&type, raw + 20 * 4 + 16, 4);
	assert_int_equal(base, 0xFEE00000);
	assert_int_equal(type, E820_RESERVED);
	assert_int_equal(e820_to_zeropage(&m, z, 0), 0);
}

/* QEMU's option ROM: INT 12h gives 639 KiB; mem_upper is RAM contiguous from 1 MiB. */
static void test_multiboot_mem_fields(void **state)
{
	(void)state;
	struct e820_map m;
	uint32_t lower, upper;
	assert_true(e820_build(256 * MiB, &m));
	e820_multiboot_mem(&m, &lower, &upper);
	assert_int_equal(lower, 639);
	assert_int_equal(upper, 255 * 1024);
	assert_true(e820_build(3072 * MiB, &m));
	e820_multiboot_mem(&m, &lower, &upper);
	assert_int_equal(upper, 3071 * 1024);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_256m),
		cmocka_unit_test(test_entries_are_sorted_and_disjoint),
		cmocka_unit_test(test_bad_sizes_are_refused),
		cmocka_unit_test(test_pvh_encoding),
		cmocka_unit_test(test_multiboot_encoding),
		cmocka_unit_test(test_zeropage_encoding),
		cmocka_unit_test(test_multiboot_mem_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

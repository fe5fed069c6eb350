/* test_nsvm_npt: the walk of L1's nested page table that nestor's shadow NPT is built from. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "nested/svm/nsvm_npt.h"

/* L1's RAM for the tests: 64 pages at L1-physical 0x100000. */
#define RAM_BASE 0x100000ull
#define RAM_PAGES 64
static uint64_t ram[RAM_PAGES][512];
static unsigned reads, sets;

static bool read_entry(void *ctx, uint64_t gpa, uint64_t set, uint64_t *entry)
{
	(void)ctx;
	if (gpa < RAM_BASE || gpa >= RAM_BASE + RAM_PAGES * 4096ull || (gpa & 7))
		return false;
	uint64_t *e = &ram[(gpa - RAM_BASE) / 4096][(gpa & 0xfff) / 8];
	reads++;
	if (set && (*e & set) != set) {
		sets++;
		*e |= set;
	}
	*entry = *e;
	return true;
}

#define P 1ull
#define W 2ull
#define U 4ull
#define A (1ull << 5)
#define D (1ull << 6)
#define PS (1ull << 7)
#define NX (1ull << 63)
#define TABLE (P | W | U)
#define PAGE(i) (RAM_BASE + (uint64_t)(i) * 4096)

static struct nsvm_npt_mode mode;

/* PML4 page 0, PDPT page 1, PD page 2, PT page 3: L2 [0, 2 MiB) through PT page 3. */
static int setup(void **state)
{
	(void)state;
	memset(ram, 0, sizeof(ram));
	reads = sets = 0;
	ram[0][0] = PAGE(1) | TABLE;
	ram[1][0] = PAGE(2) | TABLE;
	ram[2][0] = PAGE(3) | TABLE;
	mode = (struct nsvm_npt_mode){ .ncr3 = PAGE(0), .levels = 4, .maxphyaddr = 40, .nxe = true };
	return 0;
}

static void walk(uint64_t gpa, uint64_t access, struct nsvm_npt_result *r)
{
	nsvm_npt_walk(read_entry, NULL, &mode, gpa, access, r);
}

static void test_4k_leaf_translates_and_sets_accessed(void **state)
{
	(void)state;
	ram[3][5] = 0x7654000 | P | W | U;
	struct nsvm_npt_result r;
	walk(0x5123, 0, &r);
	assert_true(r.ok);
	assert_int_equal(r.l1_gpa, 0x7654123);
	assert_int_equal(r.page_size, 4096);
	assert_true(r.writable);
	assert_true(r.executable);
	assert_false(r.dirty);		/* a read sets A, not D */
	assert_int_equal(r.level, 1);
	assert_true(ram[3][5] & A);
	assert_false(ram[3][5] & D);
	assert_true(ram[0][0] & A);
	assert_true(ram[2][0] & A);
	walk(0x5123, NSVM_NPF_W, &r);
	assert_true(r.ok);
	assert_true(r.dirty);
	assert_true(ram[3][5] & D);
}

static void test_2m_and_1g_leaves(void **state)
{
	(void)state;
	ram[2][3] = 0x40000000ull | P | W | U | PS;	/* L2 [6 MiB, 8 MiB) */
	ram[1][2] = 0x80000000ull | P | U | PS;		/* L2 [2 GiB, 3 GiB), read-only */
	struct nsvm_npt_result r;
	walk(0x6abcde, 0, &r);
	assert_true(r.ok);
	assert_int_equal(r.l1_gpa, 0x400abcde);
	assert_int_equal(r.page_size, 2ull << 20);
	assert_int_equal(r.level, 2);
	walk(0x80123456, 0, &r);
	assert_true(r.ok);
	assert_int_equal(r.l1_gpa, 0x80123456);
	assert_int_equal(r.page_size, 1ull << 30);
	assert_false(r.writable);
	walk(0x80123456, NSVM_NPF_W, &r);
	assert_false(r.ok);
	assert_int_equal(r.error, NSVM_NPF_P | NSVM_NPF_W | NSVM_NPF_U);
}

static void test_not_present_at_each_level(void **state)
{
	(void)state;
	struct nsvm_npt_result r;
	walk(0x5000, NSVM_NPF_W, &r);		/* PTE 5 absent */
	assert_false(r.ok);
	assert_false(r.bad_table);
	assert_int_equal(r.error, NSVM_NPF_W | NSVM_NPF_U);
	assert_int_equal(r.level, 1);
	walk(0x200000, 0, &r);			/* PDE 1 absent */
	assert_int_equal(r.error, NSVM_NPF_U);
	assert_int_equal(r.level, 2);
	walk(1ull << 39, NSVM_NPF_ID, &r);	/* PML4E 1 absent */
	assert_int_equal(r.error, NSVM_NPF_ID | NSVM_NPF_U);
	assert_int_equal(r.level, 4);
	assert_int_equal(sets, 0);		/* a fault sets no accessed bit */
}

/* KVM's MMIO entries: present with bits above MAXPHYADDR set: a reserved-bit fault. */
static void test_reserved_bits(void **state)
{
	(void)state;
	struct nsvm_npt_result r;
	ram[3][7] = (1ull << 51) | 0x1000 | P | W | U;
	walk(0x7000, 0, &r);
	assert_false(r.ok);
	assert_int_equal(r.error, NSVM_NPF_P | NSVM_NPF_RSVD | NSVM_NPF_U);
	ram[3][7] = 0x1000 | P | W | U | NX;
	mode.nxe = false;
	walk(0x7000, 0, &r);
	assert_int_equal(r.error, NSVM_NPF_P | NSVM_NPF_RSVD | NSVM_NPF_U);
	mode.nxe = true;
	walk(0x7000, 0, &r);
	assert_true(r.ok);
	assert_false(r.executable);
	walk(0x7000, NSVM_NPF_ID, &r);
	assert_false(r.ok);
	assert_int_equal(r.error, NSVM_NPF_P | NSVM_NPF_ID | NSVM_NPF_U);
	ram[0][1] = PAGE(4) | TABLE | PS;	/* PS in a PML4E is reserved */
	walk(1ull << 39, 0, &r);
	assert_int_equal(r.error, NSVM_NPF_P | NSVM_NPF_RSVD | NSVM_NPF_U);
	assert_int_equal(nsvm_npt_reserved(&mode, 2, true) & 0x1fe000, 0x1fe000);
	assert_int_equal(nsvm_npt_reserved(&mode, 2, true) & 0x1000, 0);	/* PAT */
}

static void test_rights_combine_over_levels(void **state)
{
	(void)state;
	struct nsvm_npt_result r;
	ram[3][9] = 0x9000 | P | W | U;
	ram[2][0] = PAGE(3) | P | U;		/* the PD entry takes write away */
	walk(0x9000, NSVM_NPF_W, &r);
	assert_false(r.ok);
	assert_int_equal(r.error, NSVM_NPF_P | NSVM_NPF_W | NSVM_NPF_U);
	ram[2][0] = PAGE(3) | P | W;		/* no U: nested accesses are user accesses */
	walk(0x9000, 0, &r);
	assert_false(r.ok);
	assert_int_equal(r.error, NSVM_NPF_P | NSVM_NPF_U);
}

static void test_table_outside_ram_and_wide_addresses(void **state)
{
	(void)state;
	struct nsvm_npt_result r;
	ram[2][4] = 0x9990000000ull | TABLE;	/* a PT that is no RAM */
	walk(0x800000, 0, &r);
	assert_false(r.ok);
	assert_true(r.bad_table);
	walk(1ull << 48, 0, &r);		/* beyond 4-level paging */
	assert_false(r.ok);
}

static void test_five_levels(void **state)
{
	(void)state;
	struct nsvm_npt_result r;
	mode.levels = 5;
	mode.ncr3 = PAGE(10);
	ram[10][0] = PAGE(0) | TABLE;		/* PML5E 0 -> the 4-level tables */
	ram[10][1] = PAGE(11) | TABLE;		/* PML5E 1 -> [2^48, 2^49) */
	ram[11][0] = PAGE(1) | TABLE;
	ram[3][5] = 0x7654000 | P | W | U;
	walk(0x5000, 0, &r);
	assert_true(r.ok);
	assert_int_equal(r.l1_gpa, 0x7654000);
	walk((1ull << 48) | 0x5000, 0, &r);
	assert_true(r.ok);
	assert_int_equal(r.l1_gpa, 0x7654000);
	ram[10][2] = PAGE(12) | TABLE | PS;	/* PS in a PML5E is reserved */
	walk(2ull << 48, 0, &r);
	assert_int_equal(r.error, NSVM_NPF_P | NSVM_NPF_RSVD | NSVM_NPF_U);
	assert_int_equal(r.level, 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_4k_leaf_translates_and_sets_accessed, setup),
		cmocka_unit_test_setup(test_2m_and_1g_leaves, setup),
		cmocka_unit_test_setup(test_not_present_at_each_level, setup),
		cmocka_unit_test_setup(test_reserved_bits, setup),
		cmocka_unit_test_setup(test_rights_combine_over_levels, setup),
		cmocka_unit_test_setup(test_table_outside_ram_and_wide_addresses, setup),
		cmocka_unit_test_setup(test_five_levels, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

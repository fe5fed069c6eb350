/* test_pagetable: the shared 4-level builder (2 MiB vs 4 KiB leaves, formats, refusals). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "arch/x86/pagetable.h"
#include "lib/page_alloc.h"
#include "tests/unit/capture.h"

static const struct pt_format npt = { .table = 0x7, .leaf_4k = 0x7, .leaf_2m = 0x7 | PT_LARGE };
static void *mem;

static int setup(void **state)
{
	(void)state;
	capture_reset();
	mem = aligned_alloc(4096, 256 * 4096);
	assert_true(page_pool_init(&nestor_pages, (uintptr_t)mem, 256));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(mem);
	return 0;
}

static void test_large_and_small_leaves(void **state)
{
	(void)state;
	uint64_t root = pt_alloc_root();
	unsigned level;
	/* 2 MiB-aligned on both sides: large leaves, then a 12 KiB tail in small ones */
	assert_true(pt_map(root, &npt, 0, 0x40000000, (4ull << 20) + 0x3000));
	uint64_t e = pt_lookup(root, 0x123456, &level);
	assert_int_equal(level, 2);
	assert_int_equal(e, 0x40000000 | 0x7 | PT_LARGE);
	e = pt_lookup(root, (4ull << 20) + 0x2fff, &level);
	assert_int_equal(level, 1);
	assert_int_equal(e, (0x40000000 + (4ull << 20) + 0x2000) | 0x7);
	assert_int_equal(pt_lookup(root, (4ull << 20) + 0x3000, &level), 0);
	/* misaligned physical side: all small leaves */
	assert_true(pt_map(root, &npt, 0x80000000, 0x1000, 2ull << 20));
	assert_int_equal(pt_lookup(root, 0x80000000, &level), 0x1000 | 0x7);
	assert_int_equal(level, 1);
	/* high addresses use other PML4/PDPT slots */
	assert_true(pt_map(root, &npt, 0x7f00000000ull, 0x200000, 2ull << 20));
	assert_int_equal(pt_lookup(root, 0x7f00001000ull, &level), 0x200000 | 0x7 | PT_LARGE);
}

static void test_split_of_large_leaf_refused(void **state)
{
	(void)state;
	uint64_t root = pt_alloc_root();
	assert_true(pt_map(root, &npt, 0, 0, 2ull << 20));
	assert_false(pt_map(root, &npt, 0x1000, 0x1000, 0x1000));
}

static void test_out_of_pages(void **state)
{
	(void)state;
	assert_true(page_pool_init(&nestor_pages, (uintptr_t)mem, 3));
	uint64_t root = pt_alloc_root();
	/* a 4 KiB mapping needs PDPT, PD and PT: three more pages than the two left */
	assert_false(pt_map(root, &npt, 0x1000, 0x1000, 0x1000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_large_and_small_leaves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_of_large_leaf_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_pages, setup, teardown),
	};
	return cmocka_run_group_tests_name("pagetable", tests, NULL, NULL);
}

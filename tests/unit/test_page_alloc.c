/* test_page_alloc: allocation, alignment, exhaustion, freeing and refusal of bad frees. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "lib/page_alloc.h"
#include "tests/unit/capture.h"

#define NPAGES 64
static struct page_pool pool;
static uint8_t *mem;

static int setup(void **state)
{
	(void)state;
	capture_reset();
	/* one extra page so the pool can start on an odd page for the alignment tests */
	mem = aligned_alloc(1 << 16, (NPAGES + 1) * PAGE_SIZE);
	memset(mem, 0xcc, (NPAGES + 1) * PAGE_SIZE);
	assert_true(page_pool_init(&pool, (uintptr_t)mem + PAGE_SIZE, NPAGES));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(mem);
	return 0;
}

static void test_init_rejects_bad_pools(void **state)
{
	(void)state;
	struct page_pool p;
	assert_false(page_pool_init(&p, 0x1001, 4));
	assert_false(page_pool_init(&p, 0x1000, 0));
	assert_false(page_pool_init(&p, 0x1000, PAGE_POOL_MAX_PAGES + 1));
}

static void test_alloc_is_zeroed_and_distinct(void **state)
{
	(void)state;
	uintptr_t a = page_alloc(&pool, 1, 0);
	uintptr_t b = page_alloc(&pool, 2, 0);
	assert_true(a && b && a != b);
	assert_true(b >= a + PAGE_SIZE || a >= b + 2 * PAGE_SIZE);
	for (size_t i = 0; i < 2 * PAGE_SIZE; i++)
		assert_int_equal(((uint8_t *)b)[i], 0);
	assert_int_equal(pool.nfree, NPAGES - 3);
}

static void test_alignment(void **state)
{
	(void)state;
	/* the pool starts at an odd page (64 KiB + 4 KiB), so alignment must skip ahead */
	uintptr_t a = page_alloc(&pool, 1, 4);
	assert_int_equal(a % (4 * PAGE_SIZE), 0);
	uintptr_t b = page_alloc(&pool, 3, 16);
	assert_int_equal(b % (16 * PAGE_SIZE), 0);
	assert_int_equal(page_alloc(&pool, 1, 3), 0);	/* not a power of two */
}

static void test_exhaustion_and_reuse(void **state)
{
	(void)state;
	uintptr_t all = page_alloc(&pool, NPAGES, 1);
	assert_true(all);
	assert_int_equal(page_alloc(&pool, 1, 1), 0);
	assert_true(capture_contains("no run of 1 pages"));
	assert_int_equal(pool.low_water, 0);
	assert_true(page_free(&pool, all + 10 * PAGE_SIZE, 5));
	assert_int_equal(page_alloc(&pool, 6, 1), 0);
	assert_int_equal(page_alloc(&pool, 5, 1), all + 10 * PAGE_SIZE);
}

static void test_bad_frees_refused(void **state)
{
	(void)state;
	uintptr_t a = page_alloc(&pool, 2, 1);
	assert_false(page_free(&pool, a + 1, 1));		/* unaligned */
	assert_false(page_free(&pool, (uintptr_t)mem, 1));	/* below the pool */
	assert_false(page_free(&pool, a, NPAGES + 5));		/* runs past the end */
	assert_true(page_free(&pool, a, 2));
	assert_false(page_free(&pool, a, 1));			/* double free */
	assert_true(capture_contains("double free"));
	assert_int_equal(pool.nfree, NPAGES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_rejects_bad_pools),
		cmocka_unit_test_setup_teardown(test_alloc_is_zeroed_and_distinct, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alignment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exhaustion_and_reuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_frees_refused, setup, teardown),
	};
	return cmocka_run_group_tests_name("page_alloc", tests, NULL, NULL);
}

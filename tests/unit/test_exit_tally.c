/* test_exit_tally: counting exits by source, merging the vCPUs' tables, the top list and its lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vm/exit_tally.h"

static struct exit_tally a, b;

static int reset(void **state)
{
	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	return 0;
}

static void test_counts_by_kind_and_id(void **state)
{
	(void)state;
	struct exit_source_count top[8];
	for (int i = 0; i < 5; i++)
		exit_tally_add(&a, EXIT_SOURCE_PORT_IN, 0xcfc, 1);
	for (int i = 0; i < 3; i++)
		exit_tally_add(&a, EXIT_SOURCE_PORT_OUT, 0xcfc, 1);	/* same port, other direction */
	exit_tally_add(&a, EXIT_SOURCE_PORT_IN, 0, 1);		/* port 0 is a key like any other */
	exit_tally_add(&a, EXIT_SOURCE_MSR_WRITE, 0x6e0, 2);
	assert_int_equal(exit_tally_top(&a, top, 8), 4);
	assert_int_equal(top[0].kind, EXIT_SOURCE_PORT_IN);
	assert_int_equal(top[0].id, 0xcfc);
	assert_int_equal(top[0].count, 5);
	assert_int_equal(top[1].kind, EXIT_SOURCE_PORT_OUT);
	assert_int_equal(top[1].count, 3);
	assert_int_equal(top[2].kind, EXIT_SOURCE_MSR_WRITE);
	assert_int_equal(top[2].id, 0x6e0);
	assert_int_equal(top[3].kind, EXIT_SOURCE_PORT_IN);
	assert_int_equal(top[3].id, 0);
	assert_int_equal(a.untracked, 0);
}

static void test_top_keeps_the_largest_in_order(void **state)
{
	(void)state;
	struct exit_source_count top[3];
	/* MMIO pages 0..39 with counts 1..40: the top three are the last three, largest first. */
	for (unsigned i = 0; i < 40; i++)
		exit_tally_add(&a, EXIT_SOURCE_MMIO, 0xfec00000ull + i * 0x1000, i + 1);
	assert_int_equal(exit_tally_top(&a, top, 3), 3);
	assert_int_equal(top[0].count, 40);
	assert_int_equal(top[0].id, 0xfec00000ull + 39 * 0x1000);
	assert_int_equal(top[1].count, 39);
	assert_int_equal(top[2].count, 38);
	assert_int_equal(exit_tally_top(&a, top, 0), 0);
}

static void test_ties_rank_by_kind_then_id(void **state)
{
	(void)state;
	struct exit_source_count top[4];
	exit_tally_add(&a, EXIT_SOURCE_MSR_READ, 0x10, 7);
	exit_tally_add(&a, EXIT_SOURCE_PORT_OUT, 0x80, 7);
	exit_tally_add(&a, EXIT_SOURCE_PORT_OUT, 0x70, 7);
	assert_int_equal(exit_tally_top(&a, top, 4), 3);
	assert_int_equal(top[0].id, 0x70);
	assert_int_equal(top[1].id, 0x80);
	assert_int_equal(top[2].kind, EXIT_SOURCE_MSR_READ);
}

static void test_merge_sums_per_source(void **state)
{
	(void)state;
	struct exit_source_count top[4];
	exit_tally_add(&a, EXIT_SOURCE_PORT_IN, 0x608, 10);
	exit_tally_add(&b, EXIT_SOURCE_PORT_IN, 0x608, 5);
	exit_tally_add(&b, EXIT_SOURCE_PORT_IN, 0x61, 4);
	b.untracked = 2;
	exit_tally_merge(&a, &b);
	assert_int_equal(exit_tally_top(&a, top, 4), 2);
	assert_int_equal(top[0].id, 0x608);
	assert_int_equal(top[0].count, 15);
	assert_int_equal(top[1].id, 0x61);
	assert_int_equal(top[1].count, 4);
	assert_int_equal(a.untracked, 2);
}

/* More sources than slots: each is either counted exactly or counted as untracked. */
static void test_full_table_counts_untracked(void **state)
{
	(void)state;
	struct exit_source_count top[EXIT_TALLY_SLOTS];
	uint64_t sum = 0;
	for (unsigned msr = 0; msr < 4 * EXIT_TALLY_SLOTS; msr++)
		exit_tally_add(&a, EXIT_SOURCE_MSR_READ, msr, 3);
	unsigned n = exit_tally_top(&a, top, EXIT_TALLY_SLOTS);
	assert_true(n <= EXIT_TALLY_SLOTS);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(top[i].count, 3);
		sum += top[i].count;
	}
	assert_int_equal(sum + a.untracked, 4 * EXIT_TALLY_SLOTS * 3);
	assert_true(a.untracked > 0);
}

static void test_format_lines(void **state)
{
	(void)state;
	char line[128];
	struct exit_source_count e = { EXIT_SOURCE_PORT_IN, 0xcfc, 16600 };
	exit_tally_format(line, sizeof(line), 1, &e, "pci", 57500);
	assert_string_equal(line, " 1. port 0xcfc in (pci): 16600 exits, 28.9%");
	e = (struct exit_source_count){ EXIT_SOURCE_MSR_WRITE, 0x6e0, 1 };
	exit_tally_format(line, sizeof(line), 10, &e, NULL, 3);
	assert_string_equal(line, "10. msr 0x6e0 write: 1 exits, 33.3%");
	e = (struct exit_source_count){ EXIT_SOURCE_MMIO, 0xfee00000, 2 };
	exit_tally_format(line, sizeof(line), 2, &e, "lapic", 3);
	assert_string_equal(line, " 2. mmio 0xfee00000 (lapic): 2 exits, 66.7%");
	exit_tally_format(line, sizeof(line), 2, &e, "lapic", 0);
	assert_string_equal(line, " 2. mmio 0xfee00000 (lapic): 2 exits, 0.0%");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_counts_by_kind_and_id, reset),
		cmocka_unit_test_setup(test_top_keeps_the_largest_in_order, reset),
		cmocka_unit_test_setup(test_ties_rank_by_kind_then_id, reset),
		cmocka_unit_test_setup(test_merge_sums_per_source, reset),
		cmocka_unit_test_setup(test_full_table_counts_untracked, reset),
		cmocka_unit_test_setup(test_format_lines, reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

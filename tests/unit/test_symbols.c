/* test_symbols: address-to-function lookup used by the crash backtrace. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/symbols.h"

static const struct symbol_entry entries[] = { { 0x1000, 0 }, { 0x1040, 6 }, { 0x1100, 12 } };
static const char names[] = "alpha\0bravo\0delta";
static const struct symbol_table table = { entries, 3, names, 0x1180 };

static void test_lookup(void **state)
{
	(void)state;
	uint64_t off = 99;
	assert_string_equal(symbols_find(&table, 0x1000, &off), "alpha");
	assert_int_equal(off, 0);
	assert_string_equal(symbols_find(&table, 0x103f, &off), "alpha");
	assert_int_equal(off, 0x3f);
	assert_string_equal(symbols_find(&table, 0x1040, &off), "bravo");
	assert_string_equal(symbols_find(&table, 0x10ff, &off), "bravo");
	assert_string_equal(symbols_find(&table, 0x117f, &off), "delta");
	assert_int_equal(off, 0x7f);
}

static void test_outside_text(void **state)
{
	(void)state;
	uint64_t off;
	assert_null(symbols_find(&table, 0xfff, &off));
	assert_null(symbols_find(&table, 0x1180, &off));
	assert_null(symbols_find(&table, UINT64_MAX, &off));
	const struct symbol_table empty = { entries, 0, names, 0 };
	assert_null(symbols_find(&empty, 0x1000, &off));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_outside_text),
	};
	return cmocka_run_group_tests_name("symbols", tests, NULL, NULL);
}

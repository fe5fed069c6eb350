/* test_startup_phases: start-up stamps turned into per-phase milliseconds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lib/startup_phases.h"

static void test_phases_in_ms(void **state)
{
	(void)state;
	struct startup_phases p = { 0 };
	char buf[160];
	/* A 2 GHz TSC: 2,000,000 ticks per millisecond. */
	startup_phase_mark(&p, "entry", 1000);
	startup_phase_mark(&p, "files", 1000 + 850ull * 2000000);
	startup_phase_mark(&p, "calibration", 1000 + 850ull * 2000000 + 200000);	/* 0.1 ms */
	startup_phase_mark(&p, "VM build", 1000 + 1000ull * 2000000);
	int n = startup_phases_format(&p, 2000000000ull, buf, sizeof(buf));
	assert_string_equal(buf, "files 850.0 ms, calibration 0.1 ms, VM build 149.9 ms; "
				 "total 1000.0 ms");
	assert_int_equal(n, (int)strlen(buf));
}

static void test_nothing_to_say(void **state)
{
	(void)state;
	struct startup_phases p = { 0 };
	char buf[16] = "x";
	assert_int_equal(startup_phases_format(&p, 2000000000ull, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	startup_phase_mark(&p, "entry", 5);
	startup_phase_mark(&p, "files", 10);
	assert_int_equal(startup_phases_format(&p, 0, buf, sizeof(buf)), 0);
}

static void test_full_table_and_short_buffer(void **state)
{
	(void)state;
	struct startup_phases p = { 0 };
	char buf[24];
	for (unsigned i = 0; i < STARTUP_PHASES_MAX + 3; i++)
		startup_phase_mark(&p, "step", i * 1000000ull);
	assert_int_equal(p.n, STARTUP_PHASES_MAX);
	/* Truncated but terminated; the return value is the full length. */
	int n = startup_phases_format(&p, 1000000000ull, buf, sizeof(buf));
	assert_int_equal(strlen(buf), sizeof(buf) - 1);
	assert_true(n > (int)sizeof(buf));
	assert_memory_equal(buf, "step 1.0 ms, step 1.0 ms", sizeof(buf) - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phases_in_ms),
		cmocka_unit_test(test_nothing_to_say),
		cmocka_unit_test(test_full_table_and_short_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

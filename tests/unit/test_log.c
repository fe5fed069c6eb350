/* test_log: line format, level filtering and truncation of core/log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/capture.h"

static int setup(void **state)
{
	(void)state;
	capture_reset();
	log_set_level(LOG_INFO);
	return 0;
}

static void test_prefix_and_levels(void **state)
{
	(void)state;
	log_info("hello %d", 1);
	log_warn("careful");
	log_error("broken");
	log_debug("hidden at info");
	assert_string_equal(capture_buf, "[nestor] hello 1\n[nestor] WARN: careful\n"
					 "[nestor] ERROR: broken\n");
	log_set_level(LOG_TRACE);
	log_debug("now shown");
	log_trace("and this");
	assert_true(capture_contains("[nestor] debug: now shown\n"));
	assert_true(capture_contains("[nestor] trace: and this\n"));
}

static void test_error_level_only(void **state)
{
	(void)state;
	log_set_level(LOG_ERROR);
	log_warn("no");
	log_info("no");
	log_error("yes");
	log_always("always %s", "shown");
	assert_string_equal(capture_buf, "[nestor] ERROR: yes\n[nestor] always shown\n");
}

static void test_parse_level(void **state)
{
	(void)state;
	enum log_level l;
	assert_true(log_parse_level("debug", &l));
	assert_int_equal(l, LOG_DEBUG);
	assert_true(log_parse_level("error", &l));
	assert_int_equal(l, LOG_ERROR);
	assert_false(log_parse_level("debu", &l));
	assert_false(log_parse_level("debugx", &l));
	assert_false(log_parse_level("", &l));
}

static void test_long_line_is_marked_truncated(void **state)
{
	(void)state;
	char big[1000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	log_info("%s", big);
	assert_true(capture_len < 400);
	assert_true(capture_contains("x...\n"));
	assert_int_equal(capture_buf[capture_len - 1], '\n');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_prefix_and_levels, setup),
		cmocka_unit_test_setup(test_error_level_only, setup),
		cmocka_unit_test_setup(test_parse_level, setup),
		cmocka_unit_test_setup(test_long_line_is_marked_truncated, setup),
	};
	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}

/* test_dev_debug_exit: isa-debug-exit: every write ends the run with the value; reads float. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "devices/debug_exit.h"
#include "tests/unit/capture.h"

static uint32_t exit_values[4];
static unsigned exits;

static void on_exit_cb(void *ctx, uint32_t value)
{
	*(int *)ctx += 1;
	if (exits < 4)
		exit_values[exits] = value;
	exits++;
}

static void test_writes_reach_callback(void **state)
{
	(void)state;
	struct debug_exit d;
	int ctx = 0;
	capture_reset();
	exits = 0;
	debug_exit_init(&d, on_exit_cb, &ctx);
	debug_exit_io_ops.write(&d, DEBUG_EXIT_BASE, 4, 0);	/* kvm-unit-tests: outl(code, 0xf4) */
	debug_exit_io_ops.write(&d, DEBUG_EXIT_BASE + 1, 1, 0x31);
	debug_exit_io_ops.write(&d, DEBUG_EXIT_BASE + 3, 2, 0xbeef);
	assert_int_equal(exits, 3);
	assert_int_equal(ctx, 3);
	assert_int_equal(exit_values[0], 0);
	assert_int_equal(exit_values[1], 0x31);
	assert_int_equal(exit_values[2], 0xbeef);
	assert_int_equal(d.writes, 3);
	assert_int_equal(d.last_value, 0xbeef);
	assert_true(capture_contains("debug-exit: guest wrote 0x31 to port 0xf5 (status 99)"));
}

static void test_status_and_reads(void **state)
{
	(void)state;
	struct debug_exit d;
	debug_exit_init(&d, NULL, NULL);
	assert_int_equal(debug_exit_status(0), 1);
	assert_int_equal(debug_exit_status(1), 3);
	assert_int_equal(debug_exit_status(0x7f), 0xff);
	assert_int_equal(debug_exit_io_ops.read(&d, DEBUG_EXIT_BASE, 1), 0xffffffffu);
	/* no callback: the write is still counted and nothing crashes */
	debug_exit_io_ops.write(&d, DEBUG_EXIT_BASE, 1, 5);
	assert_int_equal(d.writes, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_writes_reach_callback),
		cmocka_unit_test(test_status_and_reads),
	};
	return cmocka_run_group_tests_name("dev_debug_exit", tests, NULL, NULL);
}

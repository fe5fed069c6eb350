/* test_dev_legacy: the empty 8042 (probe answers, reset paths) and the port 0x80 POST latch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "devices/i8042.h"
#include "devices/post_port.h"
#include "tests/unit/capture.h"
#include "tests/unit/dev_fakes.h"

static struct i8042 kbc;
static struct reset_control rc;
static struct fake_resets resets;

static int setup(void **state)
{
	(void)state;
	capture_reset();
	log_set_level(LOG_DEBUG);
	resets = (struct fake_resets){ 0 };
	reset_control_init(&rc, fake_reset, &resets);
	i8042_init(&kbc, &rc);
	return 0;
}

static uint8_t status(void)
{
	return (uint8_t)io_byte_block_ops.read(&kbc.command_io, I8042_STATUS_PORT, 1);
}

static void command(uint8_t c)
{
	io_byte_block_ops.write(&kbc.command_io, I8042_STATUS_PORT, 1, c);
}

static uint8_t data_in(void)
{
	return (uint8_t)io_byte_block_ops.read(&kbc.data_io, I8042_DATA_PORT, 1);
}

static void data_out(uint8_t v)
{
	io_byte_block_ops.write(&kbc.data_io, I8042_DATA_PORT, 1, v);
}

static void test_reset_status(void **state)
{
	(void)state;
	/* nothing to read, ready for input, self-test passed, keyboard not locked */
	assert_int_equal(status(), I8042_STR_SYS | I8042_STR_UNLOCKED);
	assert_int_equal(kbc.ctr, I8042_CTR_RESET);
	assert_int_equal(data_in(), 0);
	assert_int_equal(status() & I8042_STR_OBF, 0);
}

/* What i8042_controller_check/selftest/init ask, answered without a single timeout. */
static void test_linux_probe_sequence(void **state)
{
	(void)state;
	command(0xaa);
	assert_int_equal(status() & (I8042_STR_OBF | I8042_STR_CMD), I8042_STR_OBF | I8042_STR_CMD);
	assert_int_equal(data_in(), 0x55);
	assert_int_equal(status() & I8042_STR_OBF, 0);
	command(0x20);
	assert_int_equal(data_in(), I8042_CTR_RESET);
	command(0x60);
	data_out(0x47);
	assert_int_equal(status() & I8042_STR_CMD, 0);
	command(0x20);
	assert_int_equal(data_in(), 0x47);
	command(0xa7);
	command(0xad);
	command(0x20);
	assert_int_equal(data_in(), 0x47 | I8042_CTR_AUXDIS | I8042_CTR_KBDDIS);
	command(0xa8);
	command(0xae);
	command(0x20);
	assert_int_equal(data_in(), 0x47);
	command(0xab);
	assert_int_equal(data_in(), 0x00);
	command(0xa9);
	assert_int_equal(data_in(), 0x00);
	/* aux loopback comes back flagged as aux data */
	command(0xd3);
	data_out(0x5a);
	assert_int_equal(status() & (I8042_STR_OBF | I8042_STR_AUXDATA),
			 I8042_STR_OBF | I8042_STR_AUXDATA);
	assert_int_equal(data_in(), 0x5a);
	command(0xd2);
	data_out(0xfa);
	assert_int_equal(status() & I8042_STR_AUXDATA, 0);
	assert_int_equal(data_in(), 0xfa);
	assert_int_equal(resets.count, 0);
}

static void test_devices_absent_and_unknown_commands(void **state)
{
	(void)state;
	data_out(0xff);	/* keyboard reset: nobody answers */
	command(0xd4);
	data_out(0xf4);	/* mouse enable: nobody answers */
	assert_int_equal(status() & I8042_STR_OBF, 0);
	assert_int_equal(kbc.stats.device_bytes_dropped, 2);
	assert_true(capture_contains("no device attached"));
	command(0xc0);
	assert_int_equal(kbc.stats.unknown_commands, 1);
	assert_true(capture_contains("controller command 0xc0 not supported"));
	command(0x21);	/* other controller RAM bytes read 0 */
	assert_int_equal(data_in(), 0);
	command(0x61);
	data_out(0x99);	/* and writes to them vanish */
	assert_int_equal(kbc.ctr, I8042_CTR_RESET);
}

static void test_reset_paths(void **state)
{
	(void)state;
	command(0xff);	/* pulse nothing */
	assert_int_equal(resets.count, 0);
	command(0xfe);	/* Linux's reboot=kbd */
	assert_int_equal(resets.count, 1);
	assert_string_equal(resets.source, "8042 reset pulse");
	command(0xf0);
	assert_int_equal(resets.count, 2);
	/* output port: A20 kept, bit 0 low is a reset */
	command(0xd0);
	assert_int_equal(data_in(), I8042_OUTPORT_RESET | I8042_OUTPORT_A20);
	command(0xdd);
	command(0xd0);
	assert_int_equal(data_in(), I8042_OUTPORT_RESET);
	command(0xdf);
	command(0xd1);
	data_out(I8042_OUTPORT_RESET | I8042_OUTPORT_A20);
	assert_int_equal(resets.count, 2);
	command(0xd1);
	data_out(I8042_OUTPORT_A20);
	assert_int_equal(resets.count, 3);
	assert_string_equal(resets.source, "8042 output port");
}

static void test_wide_accesses(void **state)
{
	(void)state;
	command(0xaa);
	/* a word read at 0x64 returns status, then a byte nobody here decodes */
	assert_int_equal(io_byte_block_ops.read(&kbc.command_io, I8042_STATUS_PORT, 2) >> 8, 0xff);
	assert_int_equal(io_byte_block_ops.read(&kbc.data_io, I8042_DATA_PORT, 2), 0xff55);
	/* only the low byte of a word command write reaches the controller */
	io_byte_block_ops.write(&kbc.command_io, I8042_STATUS_PORT, 2, 0xfe20);
	assert_int_equal(resets.count, 0);
	assert_int_equal(data_in(), I8042_CTR_RESET);
}

static void test_post_port(void **state)
{
	(void)state;
	struct post_port p;
	post_port_init(&p);
	assert_int_equal(io_byte_block_ops.read(&p.io, POST_PORT, 1), 0);
	io_byte_block_ops.write(&p.io, POST_PORT, 1, 0x3c);
	io_byte_block_ops.write(&p.io, POST_PORT, 1, 0x00);
	io_byte_block_ops.write(&p.io, POST_PORT, 1, 0x9a);
	assert_int_equal(p.writes, 3);
	assert_int_equal(io_byte_block_ops.read(&p.io, POST_PORT, 1), 0x9a);
	/* a word write: the low byte is the POST code, the high byte belongs to 0x81 */
	io_byte_block_ops.write(&p.io, POST_PORT, 2, 0x7711);
	assert_int_equal(p.last, 0x11);
	assert_int_equal(io_byte_block_ops.read(&p.io, POST_PORT, 4), 0xffffff11u);
	assert_int_equal(capture_len, 0);	/* silent: Linux's I/O delay writes here constantly */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reset_status, setup),
		cmocka_unit_test_setup(test_linux_probe_sequence, setup),
		cmocka_unit_test_setup(test_devices_absent_and_unknown_commands, setup),
		cmocka_unit_test_setup(test_reset_paths, setup),
		cmocka_unit_test_setup(test_wide_accesses, setup),
		cmocka_unit_test_setup(test_post_port, setup),
	};
	return cmocka_run_group_tests_name("dev_legacy", tests, NULL, NULL);
}

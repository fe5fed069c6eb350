/* test_dev_fw_cfg: fw_cfg items as QEMU numbers them, the port protocol, FILE_DIR, bad accesses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "devices/fw_cfg.h"
#include "tests/unit/capture.h"

static struct fw_cfg fw;

static int setup(void **state)
{
	(void)state;
	capture_reset();
	log_set_level(LOG_DEBUG);
	fw_cfg_init(&fw, 0x1234567890ull, 2, 8);
	return 0;
}

static void select_key(uint16_t key)
{
	fw_cfg_io_ops.write(&fw, FW_CFG_PORT_SELECTOR, 2, key);
}

/* Reads n bytes the way kvm-unit-tests' fwcfg_get_u does: outw select, n x inb data. */
static uint64_t read_le(uint16_t key, int n)
{
	uint64_t value = 0;
	select_key(key);
	for (int i = 0; i < n; i++)
		value |= (uint64_t)fw_cfg_io_ops.read(&fw, FW_CFG_PORT_DATA, 1) << (8 * i);
	return value;
}

static void test_standard_items(void **state)
{
	(void)state;
	assert_int_equal(read_le(FW_CFG_SIGNATURE, 4), 0x554d4551);	/* "QEMU" */
	assert_int_equal(read_le(FW_CFG_ID, 4), 1);	/* traditional interface, no DMA */
	assert_int_equal(read_le(FW_CFG_RAM_SIZE, 8), 0x1234567890ull);
	assert_int_equal(read_le(FW_CFG_NB_CPUS, 2), 2);
	assert_int_equal(read_le(FW_CFG_MAX_CPUS, 2), 8);
	assert_int_equal(read_le(FW_CFG_FILE_DIR, 4), 0);	/* empty directory: count 0 */
	assert_int_equal(fw.stats.selects, 6);
}

static void test_reads_past_end_and_reselect(void **state)
{
	(void)state;
	/* past the end of the 2-byte NB_CPUS: zeros, and the offset does not run away */
	assert_int_equal(read_le(FW_CFG_NB_CPUS, 8), 2);
	assert_int_equal(fw.offset, 2);
	/* selecting again rewinds; a byte read at 0x510 also reads data */
	select_key(FW_CFG_SIGNATURE);
	assert_int_equal(fw_cfg_io_ops.read(&fw, FW_CFG_PORT_SELECTOR, 1), 'Q');
	assert_int_equal(fw_cfg_io_ops.read(&fw, FW_CFG_PORT_DATA, 1), 'E');
	select_key(FW_CFG_SIGNATURE);
	assert_int_equal(fw_cfg_io_ops.read(&fw, FW_CFG_PORT_DATA, 1), 'Q');
	/* the write flag names the same item */
	assert_int_equal(read_le(FW_CFG_SIGNATURE | FW_CFG_KEY_WRITE, 4), 0x554d4551);
}

static void test_unknown_keys_read_zero(void **state)
{
	(void)state;
	assert_int_equal(read_le(FW_CFG_UUID, 8), 0);
	assert_int_equal(read_le(0x3fff, 4), 0);
	assert_int_equal(read_le(FW_CFG_KEY_ARCH | 0x03, 8), 0);	/* arch items: none */
	assert_int_equal(read_le(FW_CFG_FILE_FIRST, 4), 0);	/* no file there yet */
	assert_int_equal(fw.stats.unknown_selects, 4);
	assert_true(capture_contains("fw_cfg: key 0x2 has no item here"));
}

static void test_file_directory(void **state)
{
	(void)state;
	static const uint8_t blob[5] = { 1, 2, 3, 4, 5 };
	uint8_t dir[4 + 2 * FW_CFG_DIR_ENTRY];

	assert_int_equal(fw_cfg_add_file(&fw, "etc/nestor", blob, sizeof(blob)), 0x20);
	assert_int_equal(fw_cfg_add_file(&fw, "opt/empty", NULL, 100), 0x21);
	select_key(FW_CFG_FILE_DIR);
	for (unsigned i = 0; i < sizeof(dir); i++)
		dir[i] = (uint8_t)fw_cfg_io_ops.read(&fw, FW_CFG_PORT_DATA, 1);
	assert_memory_equal(dir, "\0\0\0\2", 4);				/* count, big-endian */
	assert_memory_equal(dir + 4, "\0\0\0\5\0\x20\0\0", 8);		/* size, key, reserved */
	assert_string_equal((const char *)dir + 12, "etc/nestor");
	assert_int_equal(dir[4 + 63], 0);
	assert_memory_equal(dir + 4 + 64, "\0\0\0\0\0\x21\0\0", 8);	/* no data: size 0 */
	assert_string_equal((const char *)dir + 4 + 64 + 8, "opt/empty");
	assert_int_equal(read_le(0x20, 5), 0x0504030201ull);
	assert_int_equal(read_le(0x21, 1), 0);
}

static void test_file_directory_limits(void **state)
{
	(void)state;
	static const uint8_t b = 7;
	char long_name[FW_CFG_FILE_NAME + 1];

	memset(long_name, 'n', sizeof(long_name) - 1);
	long_name[FW_CFG_FILE_NAME] = 0;
	assert_int_equal(fw_cfg_add_file(&fw, long_name, &b, 1), 0);
	assert_int_equal(fw_cfg_add_file(&fw, "", &b, 1), 0);
	assert_int_equal(fw_cfg_add_file(&fw, NULL, &b, 1), 0);
	for (int i = 0; i < FW_CFG_MAX_FILES; i++)
		assert_int_equal(fw_cfg_add_file(&fw, "f", &b, 1), FW_CFG_FILE_FIRST + i);
	assert_int_equal(fw_cfg_add_file(&fw, "f", &b, 1), 0);
	assert_true(capture_contains("fw_cfg: cannot add file"));
	assert_int_equal(fw.nfiles, FW_CFG_MAX_FILES);
}

static void test_bad_accesses_defined(void **state)
{
	(void)state;
	select_key(FW_CFG_SIGNATURE);
	/* byte writes are legacy data writes: ignored, selection and offset kept */
	fw_cfg_io_ops.write(&fw, FW_CFG_PORT_DATA, 1, 0xaa);
	fw_cfg_io_ops.write(&fw, FW_CFG_PORT_SELECTOR, 1, FW_CFG_NB_CPUS);
	assert_int_equal(fw.selector, FW_CFG_SIGNATURE);
	/* wide reads and writes other than the 16-bit select are invalid */
	assert_int_equal(fw_cfg_io_ops.read(&fw, FW_CFG_PORT_DATA, 2), 0xffffffffu);
	assert_int_equal(fw_cfg_io_ops.read(&fw, FW_CFG_PORT_SELECTOR, 4), 0xffffffffu);
	fw_cfg_io_ops.write(&fw, FW_CFG_PORT_SELECTOR, 4, FW_CFG_NB_CPUS);
	fw_cfg_io_ops.write(&fw, FW_CFG_PORT_DATA, 2, FW_CFG_NB_CPUS);
	assert_int_equal(fw.selector, FW_CFG_SIGNATURE);
	assert_int_equal(fw.offset, 0);
	assert_int_equal(fw_cfg_io_ops.read(&fw, FW_CFG_PORT_DATA, 1), 'Q');
	assert_int_equal(fw.stats.ignored_accesses, 6);
	assert_true(capture_contains("data writes are not supported"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_standard_items, setup),
		cmocka_unit_test_setup(test_reads_past_end_and_reselect, setup),
		cmocka_unit_test_setup(test_unknown_keys_read_zero, setup),
		cmocka_unit_test_setup(test_file_directory, setup),
		cmocka_unit_test_setup(test_file_directory_limits, setup),
		cmocka_unit_test_setup(test_bad_accesses_defined, setup),
	};
	return cmocka_run_group_tests_name("dev_fw_cfg", tests, NULL, NULL);
}

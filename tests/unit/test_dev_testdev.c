/* test_dev_testdev: pc-testdev scratch register views, flush port, and level-setting IRQ lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "devices/pc_testdev.h"
#include "tests/unit/capture.h"
#include "tests/unit/dev_fakes.h"

static struct pc_testdev td;
static struct fake_irqs irqs;
static struct irq_line_sink sink;

static int setup(void **state)
{
	(void)state;
	capture_reset();
	log_set_level(LOG_DEBUG);
	sink = fake_irqs_sink(&irqs);
	pc_testdev_init(&td, &sink);
	return 0;
}

static void test_scratch_register_views(void **state)
{
	(void)state;
	assert_int_equal(io_byte_block_ops.read(&td.scratch_io, PC_TESTDEV_SCRATCH, 4), 0);
	io_byte_block_ops.write(&td.scratch_io, PC_TESTDEV_SCRATCH, 4, 0xdeadbeef);
	assert_int_equal(io_byte_block_ops.read(&td.scratch_io, PC_TESTDEV_SCRATCH, 4), 0xdeadbeef);
	assert_int_equal(io_byte_block_ops.read(&td.scratch_io, PC_TESTDEV_SCRATCH + 2, 2), 0xdead);
	/* the byte view at 0xe8 is the same register */
	assert_int_equal(io_byte_block_ops.read(&td.scratch_byte_io, PC_TESTDEV_SCRATCH_BYTE + 1, 1), 0xbe);
	io_byte_block_ops.write(&td.scratch_byte_io, PC_TESTDEV_SCRATCH_BYTE + 3, 1, 0x12);
	assert_int_equal(td.scratch, 0x12adbeef);
	/* an access running past the 4-byte window keeps to its own bytes */
	io_byte_block_ops.write(&td.scratch_io, PC_TESTDEV_SCRATCH + 3, 4, 0xaabbccdd);
	assert_int_equal(td.scratch, 0xddadbeef);
	assert_int_equal(io_byte_block_ops.read(&td.scratch_io, PC_TESTDEV_SCRATCH + 3, 4), 0xffffffddu);
}

static void test_flush_port(void **state)
{
	(void)state;
	pc_testdev_flush_io_ops.write(&td, PC_TESTDEV_FLUSH, 4, 0x1000);
	assert_int_equal(td.stats.flushes, 1);
	pc_testdev_flush_io_ops.write(&td, PC_TESTDEV_FLUSH, 1, 0x1000);
	pc_testdev_flush_io_ops.write(&td, PC_TESTDEV_FLUSH + 1, 4, 0x1000);
	assert_int_equal(td.stats.flushes, 1);
	assert_int_equal(pc_testdev_flush_io_ops.read(&td, PC_TESTDEV_FLUSH, 4), 0xffffffffu);
	assert_int_equal(td.stats.bad_accesses, 3);
	assert_true(capture_contains("flush port takes aligned dword writes only"));
}

/* kvm-unit-tests' set_irq_line(): outb(level, 0x2000 + line). */
static void test_irq_lines_follow_writes(void **state)
{
	(void)state;
	pc_testdev_irq_io_ops.write(&td, PC_TESTDEV_IRQ_BASE + 14, 1, 1);
	assert_true(irqs.level[14]);
	pc_testdev_irq_io_ops.write(&td, PC_TESTDEV_IRQ_BASE + 14, 1, 0x80);	/* still true */
	assert_int_equal(irqs.rises[14], 1);
	pc_testdev_irq_io_ops.write(&td, PC_TESTDEV_IRQ_BASE + 14, 1, 0);
	assert_false(irqs.level[14]);
	pc_testdev_irq_io_ops.write(&td, PC_TESTDEV_IRQ_BASE + 23, 1, 1);
	assert_true(irqs.level[23]);
	assert_true(td.lines[23].level);
	pc_testdev_irq_io_ops.write(&td, PC_TESTDEV_IRQ_BASE + 0, 1, 1);
	assert_true(irqs.level[0]);
	assert_int_equal(td.stats.irq_writes, 5);
	/* wider writes and reads are not part of the device */
	pc_testdev_irq_io_ops.write(&td, PC_TESTDEV_IRQ_BASE + 5, 2, 1);
	assert_false(irqs.level[5]);
	assert_int_equal(pc_testdev_irq_io_ops.read(&td, PC_TESTDEV_IRQ_BASE, 1), 0xffffffffu);
	/* a port beyond the 24 lines (if ever routed here) is refused, not indexed */
	pc_testdev_irq_io_ops.write(&td, PC_TESTDEV_IRQ_BASE + 24, 1, 1);
	assert_int_equal(irqs.bad_gsi, 0);
	assert_int_equal(td.stats.bad_accesses, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_scratch_register_views, setup),
		cmocka_unit_test_setup(test_flush_port, setup),
		cmocka_unit_test_setup(test_irq_lines_follow_writes, setup),
	};
	return cmocka_run_group_tests_name("dev_testdev", tests, NULL, NULL);
}

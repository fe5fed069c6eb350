/* test_buses: port-I/O and MMIO dispatch, overlap refusal, unclaimed defaults, guest_mem. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/guest_mem.h"
#include "lib/io_bus.h"
#include "lib/mmio_bus.h"
#include "tests/unit/capture.h"

struct fake_dev {
	uint16_t last_port;
	uint32_t last_value;
	unsigned last_size;
	int writes;
};

static uint32_t fake_read(void *dev, uint16_t port, unsigned size)
{
	(void)dev;
	(void)size;
	return 0xabcd0000u | port;
}

static void fake_write(void *dev, uint16_t port, unsigned size, uint32_t value)
{
	struct fake_dev *d = dev;
	d->last_port = port;
	d->last_value = value;
	d->last_size = size;
	d->writes++;
}

static const struct io_bus_ops fake_ops = { fake_read, fake_write };

static void test_io_dispatch_and_masking(void **state)
{
	(void)state;
	static struct io_bus bus;
	struct fake_dev d = { 0 };
	capture_reset();
	io_bus_init(&bus);
	assert_true(io_bus_register(&bus, 0x3f8, 8, "uart", &fake_ops, &d));
	assert_int_equal(io_bus_read(&bus, 0x3f9, 1), 0xf9);
	assert_int_equal(io_bus_read(&bus, 0x3f9, 2), 0x03f9);
	assert_int_equal(io_bus_read(&bus, 0x3f9, 4), 0xabcd03f9u);
	io_bus_write(&bus, 0x3ff, 1, 0x1234);
	assert_int_equal(d.last_port, 0x3ff);
	assert_int_equal(d.last_value, 0x34);
	assert_int_equal(d.writes, 1);
}

static void test_io_overlap_refused(void **state)
{
	(void)state;
	static struct io_bus bus;
	struct fake_dev d = { 0 };
	capture_reset();
	io_bus_init(&bus);
	assert_true(io_bus_register(&bus, 0x40, 4, "pit", &fake_ops, &d));
	assert_false(io_bus_register(&bus, 0x43, 2, "bad", &fake_ops, &d));
	assert_false(io_bus_register(&bus, 0x3e, 3, "bad2", &fake_ops, &d));
	assert_true(io_bus_register(&bus, 0x44, 1, "ok", &fake_ops, &d));
	assert_false(io_bus_register(&bus, 0xffff, 2, "wraps", &fake_ops, &d));
	assert_true(capture_contains("overlaps pit"));
}

static void test_io_unclaimed_defaults_logged_once(void **state)
{
	(void)state;
	static struct io_bus bus;
	capture_reset();
	log_set_level(LOG_DEBUG);
	io_bus_init(&bus);
	assert_int_equal(io_bus_read(&bus, 0x1234, 1), 0xff);
	assert_int_equal(io_bus_read(&bus, 0x1234, 2), 0xffff);
	assert_int_equal(io_bus_read(&bus, 0x1234, 4), 0xffffffffu);
	io_bus_write(&bus, 0x1235, 1, 7);
	assert_int_equal(bus.unhandled_reads, 3);
	assert_int_equal(bus.unhandled_writes, 1);
	/* one line per port: 0x1234 once and 0x1235 once */
	int lines = 0;
	for (const char *p = capture_buf; (p = strstr(p, "unhandled")); p++)
		lines++;
	assert_int_equal(lines, 2);
	log_set_level(LOG_INFO);
}

struct fake_mmio {
	uint64_t last_offset, last_value;
};

static uint64_t fake_mmio_read(void *dev, uint64_t offset, unsigned size)
{
	(void)dev;
	(void)size;
	return 0x1122334455667788ull + offset;
}

static void fake_mmio_write(void *dev, uint64_t offset, unsigned size, uint64_t value)
{
	struct fake_mmio *m = dev;
	(void)size;
	m->last_offset = offset;
	m->last_value = value;
}

static const struct mmio_bus_ops fake_mmio_ops = { fake_mmio_read, fake_mmio_write };

static void test_mmio_dispatch(void **state)
{
	(void)state;
	static struct mmio_bus bus;
	struct fake_mmio m = { 0 };
	capture_reset();
	mmio_bus_init(&bus);
	assert_true(mmio_bus_register(&bus, 0xfee00000, 0x1000, "lapic", &fake_mmio_ops, &m));
	assert_false(mmio_bus_register(&bus, 0xfee00800, 0x1000, "bad", &fake_mmio_ops, &m));
	assert_int_equal(mmio_bus_read(&bus, 0xfee00020, 4), 0x556677a8);
	mmio_bus_write(&bus, 0xfee000b0, 4, 0x1ffffffffull);
	assert_int_equal(m.last_offset, 0xb0);
	assert_int_equal(m.last_value, 0xffffffff);
	assert_int_equal(mmio_bus_read(&bus, 0xfec00000, 4), 0xffffffffu);
	assert_int_equal(mmio_bus_read(&bus, 0xfec00000, 8), ~0ull);
	assert_int_equal(bus.unhandled_reads, 2);
	assert_true(capture_contains("unhandled read of gpa 0xfec00000"));
}

static void test_guest_mem_bounds(void **state)
{
	(void)state;
	static uint8_t ram[4096];
	struct guest_mem m = { .hva = ram, .size = sizeof(ram) };
	uint32_t v = 0xdeadbeef;
	assert_true(guest_mem_write(&m, 4092, &v, 4));
	assert_false(guest_mem_write(&m, 4093, &v, 4));
	assert_false(guest_mem_read(&m, UINT64_MAX - 1, &v, 4));
	assert_null(guest_mem_ptr(&m, 0, 4097));
	assert_null(guest_mem_ptr(&m, 4096, 1));
	assert_non_null(guest_mem_ptr(&m, 4096, 0));
	assert_true(guest_mem_fill(&m, 0, 0xaa, 16));
	assert_int_equal(ram[15], 0xaa);
	assert_false(guest_mem_fill(&m, 1, 0, 4096));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_io_dispatch_and_masking),
		cmocka_unit_test(test_io_overlap_refused),
		cmocka_unit_test(test_io_unclaimed_defaults_logged_once),
		cmocka_unit_test(test_mmio_dispatch),
		cmocka_unit_test(test_guest_mem_bounds),
	};
	return cmocka_run_group_tests_name("buses", tests, NULL, NULL);
}

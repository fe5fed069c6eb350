/* test_pit_calibrate: the TSC calibration of nestor and the test guests against nestor's PIT model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "devices/clock_ticks.h"
#include "devices/pit8254.h"
#include "devices/port61.h"
#include "drivers/pit_calibrate.h"
#include "tests/unit/capture.h"
#include "tests/unit/dev_fakes.h"

#define TSC_HZ 2600000000ull

/*
 * A machine where every port access costs `access_ns` of time (an exit, or three: a nested
 * guest's PIT read goes to its VMM), reading the TSC costs 20 ns, and once, at access number
 * `stall_at`, the CPU is away for `stall_ns` (a descheduled emulator thread).
 */
struct machine {
	struct pit8254 pit;
	struct port61 p61;
	struct fake_irqs irqs;
	struct irq_line_sink sink;
	uint64_t now_ns, access_ns, stall_ns;
	unsigned accesses, stall_at;
	bool pit_stopped;	/* channel 2 never sees time pass */
};

static struct machine m;

static void advance(uint64_t ns)
{
	m.now_ns += ns;
	if (!m.pit_stopped)
		pit8254_set_time(&m.pit, m.now_ns);
}

static void access_time(void)
{
	if (++m.accesses == m.stall_at)
		advance(m.stall_ns);
	advance(m.access_ns);
}

static uint64_t fake_rdtsc(void *ctx)
{
	(void)ctx;
	advance(20);
	return (uint64_t)((unsigned __int128)m.now_ns * TSC_HZ / 1000000000u);
}

static uint8_t fake_inb(void *ctx, uint16_t port)
{
	(void)ctx;
	access_time();
	if (port == PORT61)
		return (uint8_t)io_byte_block_ops.read(&m.p61.io, port, 1);
	return (uint8_t)io_byte_block_ops.read(&m.pit.io, port, 1);
}

static void fake_outb(void *ctx, uint16_t port, uint8_t v)
{
	(void)ctx;
	access_time();
	if (port == PORT61)
		io_byte_block_ops.write(&m.p61.io, port, 1, v);
	else
		io_byte_block_ops.write(&m.pit.io, port, 1, v);
}

static const struct pit_cal_io fake_io = { fake_rdtsc, fake_inb, fake_outb, 0 };

static int setup(void **state)
{
	(void)state;
	capture_reset();
	memset(&m, 0, sizeof(m));
	m.now_ns = 1000000000ull;
	m.sink = fake_irqs_sink(&m.irqs);
	pit8254_init(&m.pit, PIT_IRQ, &m.sink, m.now_ns);
	port61_init(&m.p61, &m.pit);
	return 0;
}

/* The measured rate, within `permille` of the TSC's. */
static uint64_t calibrate_within(unsigned permille, struct pit_calibration *c)
{
	uint64_t hz = pit_calibrate_tsc_hz_io(&fake_io, c);
	uint64_t err = hz > TSC_HZ ? hz - TSC_HZ : TSC_HZ - hz;
	if (err * 1000 > TSC_HZ * permille)
		fail_msg("measured %llu Hz for %llu (%u windows, %u wrapped, readings of %u ticks)",
			 (unsigned long long)hz, (unsigned long long)TSC_HZ, c->windows, c->wrapped,
			 c->reading_ticks);
	return hz;
}

/* Bare metal or an emulator's fast path: a port access of a microsecond. */
static void test_fast_ports(void **state)
{
	(void)state;
	struct pit_calibration c;
	m.access_ns = 1000;
	calibrate_within(2, &c);
	assert_int_equal(c.windows, 3);
	assert_int_equal(c.wrapped, 0);
	assert_true(c.reading_ticks < 10);
}

/* A nested guest on QEMU: about 0.3 ms per access, a reading of about 1,000 PIT ticks. */
static void test_nested_guest_ports(void **state)
{
	(void)state;
	struct pit_calibration c;
	m.access_ns = 280000;
	calibrate_within(10, &c);
	assert_int_equal(c.windows, 3);
	assert_int_equal(c.wrapped, 0);
	assert_in_range(c.reading_ticks, 900, 1100);
}

/*
 * L2 under KVM's split irqchip under nestor on Bochs: 3.1 ms per access, 11,205 PIT ticks a
 * reading (measured, test_nvmx_l1). Eight opening readings outlasted the 65,536-tick count;
 * a quarter of the count then ends them.
 */
static void test_very_slow_ports(void **state)
{
	(void)state;
	struct pit_calibration c;
	m.access_ns = 3130000;
	calibrate_within(10, &c);
	assert_int_equal(c.windows, 3);
	assert_int_equal(c.wrapped, 0);
	assert_in_range(c.reading_ticks, 11000, 11400);
}

/* A 60 ms stall inside the first window: that window wrapped and is dropped, not used. */
static void test_stall_wraps_one_window(void **state)
{
	(void)state;
	struct pit_calibration c;
	m.access_ns = 1000;
	m.stall_at = 40;
	m.stall_ns = 60000000;
	calibrate_within(2, &c);
	assert_int_equal(c.windows, 3);
	assert_int_equal(c.wrapped, 1);
}

/* Channel 2 that never counts (a platform without one): 0, and no endless loop. */
static void test_dead_counter_gives_zero(void **state)
{
	(void)state;
	struct pit_calibration c;
	m.access_ns = 1000;
	m.pit_stopped = true;
	assert_int_equal(pit_calibrate_tsc_hz_io(&fake_io, &c), 0);
	assert_int_equal(c.windows, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_fast_ports, setup),
		cmocka_unit_test_setup(test_nested_guest_ports, setup),
		cmocka_unit_test_setup(test_very_slow_ports, setup),
		cmocka_unit_test_setup(test_stall_wraps_one_window, setup),
		cmocka_unit_test_setup(test_dead_counter_gives_zero, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

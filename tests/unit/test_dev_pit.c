/* test_dev_pit: the 8254 against injected time: modes, latches, read-back, gates, IRQ0, port 0x61. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "devices/clock_ticks.h"
#include "devices/pit8254.h"
#include "devices/port61.h"
#include "tests/unit/capture.h"
#include "tests/unit/dev_fakes.h"

#define T0 1000000000ull	/* the VM's clock does not start at zero */

static struct pit8254 pit;
static struct port61 p61;
static struct fake_irqs irqs;
static struct irq_line_sink sink;

static int setup(void **state)
{
	(void)state;
	capture_reset();
	log_set_level(LOG_DEBUG);
	sink = fake_irqs_sink(&irqs);
	pit8254_init(&pit, PIT_IRQ, &sink, T0);
	port61_init(&p61, &pit);
	return 0;
}

static uint64_t at_tick(uint64_t ticks)
{
	return T0 + clock_ns_for_ticks(ticks, PIT_HZ);
}

static void out8(uint16_t port, uint8_t v)
{
	if (port == PORT61)
		io_byte_block_ops.write(&p61.io, port, 1, v);
	else
		io_byte_block_ops.write(&pit.io, port, 1, v);
}

static uint8_t in8(uint16_t port)
{
	if (port == PORT61)
		return (uint8_t)io_byte_block_ops.read(&p61.io, port, 1);
	return (uint8_t)io_byte_block_ops.read(&pit.io, port, 1);
}

static uint16_t read_latched(unsigned c)
{
	out8(PIT_PORT_CONTROL, (uint8_t)(c << 6));	/* counter latch command */
	uint8_t lo = in8((uint16_t)(PIT_BASE + c));
	return (uint16_t)(lo | in8((uint16_t)(PIT_BASE + c)) << 8);
}

static void program(unsigned c, unsigned mode, uint16_t count)
{
	out8(PIT_PORT_CONTROL, (uint8_t)(c << 6 | PIT_ACCESS_WORD << 4 | mode << 1));
	out8((uint16_t)(PIT_BASE + c), (uint8_t)count);
	out8((uint16_t)(PIT_BASE + c), (uint8_t)(count >> 8));
}

static void test_reset_state_ticks_at_18hz(void **state)
{
	(void)state;
	assert_int_equal(pit.ch[0].mode, 3);
	assert_int_equal(pit.ch[0].reload, 0x10000);
	assert_int_equal(read_latched(0), 0);	/* 65536 shows as 0 */
	assert_int_equal(pit8254_next_deadline(&pit), at_tick(65536));
	pit8254_set_time(&pit, at_tick(65536) - 1);
	assert_int_equal(irqs.rises[PIT_IRQ], 0);
	pit8254_set_time(&pit, at_tick(65536));
	assert_int_equal(irqs.rises[PIT_IRQ], 1);
	assert_false(irqs.level[PIT_IRQ]);	/* a pulse, not a held level */
	assert_int_equal(pit8254_next_deadline(&pit), at_tick(2 * 65536));
	/* channel 2's gate is low at reset: it does not count */
	assert_false(pit.ch[2].gate);
	assert_int_equal(pit8254_count(&pit, 2), 0);
}

/* Linux's periodic tick: 0x34 (ch0, lo/hi, mode 2), LATCH = 1193 for HZ=1000. */
static void test_mode2_rate_generator(void **state)
{
	(void)state;
	program(0, 2, 1193);
	assert_int_equal(read_latched(0), 1193);
	pit8254_set_time(&pit, at_tick(100));
	assert_int_equal(read_latched(0), 1093);
	assert_true(pit8254_out(&pit, 0));
	pit8254_set_time(&pit, at_tick(1192));	/* count 1: OUT low for one tick */
	assert_int_equal(pit8254_count(&pit, 0), 1);
	assert_false(pit8254_out(&pit, 0));
	assert_int_equal(irqs.rises[PIT_IRQ], 0);
	assert_int_equal(pit8254_next_deadline(&pit), at_tick(1193));
	pit8254_set_time(&pit, at_tick(1193));	/* reload: OUT rises, IRQ0 */
	assert_int_equal(pit8254_count(&pit, 0), 1193 & 0xffff);
	assert_true(pit8254_out(&pit, 0));
	assert_int_equal(irqs.rises[PIT_IRQ], 1);
	assert_int_equal(pit8254_next_deadline(&pit), at_tick(2 * 1193));
	for (int k = 2; k <= 10; k++)
		pit8254_set_time(&pit, at_tick((uint64_t)k * 1193));
	assert_int_equal(irqs.rises[PIT_IRQ], 10);
	assert_int_equal(pit.stats.coalesced_edges, 0);
	/* the host was late by three periods: one pulse, three edges coalesced */
	pit8254_set_time(&pit, at_tick(14 * 1193));
	assert_int_equal(irqs.rises[PIT_IRQ], 11);
	assert_int_equal(pit.stats.coalesced_edges, 3);
}

static void test_mode3_square_wave(void **state)
{
	(void)state;
	program(0, 3, 5);	/* odd: high for 3 ticks, low for 2 */
	static const uint16_t counts[] = { 5, 3, 1, 4, 2, 5 };
	static const bool outs[] = { true, true, true, false, false, true };
	for (unsigned t = 0; t < 6; t++) {
		pit8254_set_time(&pit, at_tick(t));
		assert_int_equal(pit8254_count(&pit, 0), counts[t]);
		assert_int_equal(pit8254_out(&pit, 0), outs[t]);
	}
	program(0, 3, 6);	/* even: decrements by two through each half */
	uint64_t loaded = pit.now_ns;
	pit8254_set_time(&pit, loaded + clock_ns_for_ticks(1, PIT_HZ));
	assert_int_equal(pit8254_count(&pit, 0), 4);
	pit8254_set_time(&pit, loaded + clock_ns_for_ticks(3, PIT_HZ));
	assert_int_equal(pit8254_count(&pit, 0), 6);
	assert_false(pit8254_out(&pit, 0));
}

/* Linux's one-shot clockevent: 0x38 (mode 4); IRQ on the strobe's rising edge, once. */
static void test_mode4_one_shot_strobe(void **state)
{
	(void)state;
	program(0, 4, 100);
	assert_int_equal(pit8254_next_deadline(&pit), at_tick(101));
	pit8254_set_time(&pit, at_tick(100));
	assert_false(pit8254_out(&pit, 0));
	assert_int_equal(irqs.rises[PIT_IRQ], 0);
	pit8254_set_time(&pit, at_tick(101));
	assert_true(pit8254_out(&pit, 0));
	assert_int_equal(irqs.rises[PIT_IRQ], 1);
	assert_int_equal(pit8254_next_deadline(&pit), DEVICE_NO_DEADLINE);
	pit8254_set_time(&pit, at_tick(200000));
	assert_int_equal(irqs.rises[PIT_IRQ], 1);
	assert_int_equal(pit8254_count(&pit, 0), (uint16_t)(100 - 200000));	/* wraps, keeps counting */
}

/* The PIT TSC calibration: gate high via 0x61, channel 2 mode 0, poll OUT2 on bit 5. */
static void test_mode0_channel2_calibration(void **state)
{
	(void)state;
	out8(PORT61, (in8(PORT61) & ~0x02) | 0x01);
	out8(PIT_PORT_CONTROL, 0xb0);
	out8(0x42, 0xff);
	assert_int_equal(in8(PORT61) & PORT61_OUT2, 0);	/* mode 0: OUT low once programmed */
	out8(0x42, 0xff);
	pit8254_set_time(&pit, at_tick(0x100));
	/* live lo/hi reads alternate without a latch (quick_pit_calibrate reads MSBs) */
	assert_int_equal(in8(0x42), 0xff);
	assert_int_equal(in8(0x42), 0xfe);
	pit8254_set_time(&pit, at_tick(0xffff) - 1);
	assert_int_equal(in8(PORT61) & PORT61_OUT2, 0);
	pit8254_set_time(&pit, at_tick(0xffff));
	assert_int_equal(in8(PORT61) & PORT61_OUT2, PORT61_OUT2);
	/* channel 2 never drives IRQ0 and never asks for a host timer */
	assert_int_equal(irqs.rises[PIT_IRQ], 0);
}

static void test_gate_pauses_and_triggers(void **state)
{
	(void)state;
	out8(PORT61, PORT61_GATE2);
	program(2, 0, 1000);
	pit8254_set_time(&pit, at_tick(300));
	out8(PORT61, 0);	/* mode 0: low gate suspends counting */
	pit8254_set_time(&pit, at_tick(5000));
	assert_int_equal(pit8254_count(&pit, 2), 700);
	out8(PORT61, PORT61_GATE2);
	uint64_t resumed = pit.now_ns;
	pit8254_set_time(&pit, resumed + clock_ns_for_ticks(100, PIT_HZ));
	assert_int_equal(pit8254_count(&pit, 2), 600);

	/* mode 1: OUT high until the gate rises, low for N ticks, retriggerable */
	out8(PORT61, 0);
	program(2, 1, 50);
	assert_true(pit8254_out(&pit, 2));
	pit8254_set_time(&pit, pit.now_ns + 1000000);
	assert_true(pit8254_out(&pit, 2));
	out8(PORT61, PORT61_GATE2);
	uint64_t trig = pit.now_ns;
	assert_false(pit8254_out(&pit, 2));
	pit8254_set_time(&pit, trig + clock_ns_for_ticks(49, PIT_HZ));
	assert_false(pit8254_out(&pit, 2));
	pit8254_set_time(&pit, trig + clock_ns_for_ticks(50, PIT_HZ));
	assert_true(pit8254_out(&pit, 2));
	out8(PORT61, 0);
	out8(PORT61, PORT61_GATE2);	/* retrigger */
	assert_false(pit8254_out(&pit, 2));
	assert_int_equal(pit8254_count(&pit, 2), 50);

	/* mode 2: a low gate forces OUT high; the rising gate reloads */
	program(2, 2, 10);
	pit8254_set_time(&pit, pit.now_ns + clock_ns_for_ticks(9, PIT_HZ));
	assert_false(pit8254_out(&pit, 2));
	out8(PORT61, 0);
	assert_true(pit8254_out(&pit, 2));
	out8(PORT61, PORT61_GATE2);
	assert_int_equal(pit8254_count(&pit, 2), 10);
}

static void test_latch_holds_and_ignores_second_latch(void **state)
{
	(void)state;
	program(0, 2, 1000);
	pit8254_set_time(&pit, at_tick(10));
	out8(PIT_PORT_CONTROL, 0x00);
	pit8254_set_time(&pit, at_tick(500));
	out8(PIT_PORT_CONTROL, 0x00);	/* ignored: first latch not read yet */
	assert_int_equal(in8(0x40), 990 & 0xff);
	pit8254_set_time(&pit, at_tick(700));
	assert_int_equal(in8(0x40), 990 >> 8);
	/* latch released: live reads again */
	assert_int_equal(in8(0x40), 300 & 0xff);
	assert_int_equal(in8(0x40), 300 >> 8);
	/* LSB-only and MSB-only access modes */
	out8(PIT_PORT_CONTROL, 0x10 | 2 << 1);	/* ch0, LSB only, mode 2 */
	out8(0x40, 200);
	assert_int_equal(pit.ch[0].reload, 200);
	out8(PIT_PORT_CONTROL, 0x00);
	assert_int_equal(in8(0x40), 200);
	out8(PIT_PORT_CONTROL, 0x20 | 2 << 1);	/* ch0, MSB only, mode 2 */
	out8(0x40, 0x12);
	assert_int_equal(pit.ch[0].reload, 0x1200);
	assert_int_equal(in8(0x40), 0x12);
	assert_int_equal(in8(0x40), 0x12);
}

static void test_read_back_command(void **state)
{
	(void)state;
	out8(PIT_PORT_CONTROL, 0x30 | 0 << 1);	/* ch0 mode 0, lo/hi */
	/* status only, channel 0: OUT low, null count, access 3, mode 0 */
	out8(PIT_PORT_CONTROL, 0xc0 | 0x20 | 0x02);
	assert_int_equal(in8(0x40), 0x40 | 0x30);
	out8(0x40, 0x10);
	out8(0x40, 0x00);
	pit8254_set_time(&pit, at_tick(0x10));
	/* count and status, channels 0 and 2: status is read first, then the count */
	out8(PIT_PORT_CONTROL, 0xc0 | 0x02 | 0x08);
	assert_int_equal(in8(0x40), 0x80 | 0x30);	/* OUT high at terminal count */
	assert_int_equal(in8(0x40), 0x00);
	assert_int_equal(in8(0x40), 0x00);
	/* channel 2 at reset: mode 3 with its gate low, which holds OUT high */
	assert_int_equal(in8(0x42), 0x80 | 0x30 | 3 << 1);
	assert_int_equal(in8(0x42), 0x00);
	assert_int_equal(in8(0x42), 0x00);
	/* reserved bit 0 of read-back is ignored and logged */
	out8(PIT_PORT_CONTROL, 0xc0 | 0x10 | 0x02 | 0x01);
	assert_true(capture_contains("sets reserved bit 0"));
	pit8254_set_time(&pit, at_tick(0x18));
	assert_int_equal(in8(0x40), 0x00);	/* the count as latched, at tick 0x10 */
	assert_int_equal(in8(0x40), 0x00);
	assert_int_equal(in8(0x40), 0xf8);	/* live again: 0x10 - 0x18, wrapped */
	assert_int_equal(in8(0x40), 0xff);
	/* a second status latch before the first is read is ignored */
	out8(PIT_PORT_CONTROL, 0xc0 | 0x20 | 0x02);
	out8(PIT_PORT_CONTROL, 0x30 | 0 << 1);	/* reprogram: mode 0, OUT low, null count */
	out8(PIT_PORT_CONTROL, 0xc0 | 0x20 | 0x02);
	assert_int_equal(in8(0x40), 0x80 | 0x30);	/* the first latched status: OUT was high */
	out8(PIT_PORT_CONTROL, 0xc0 | 0x20 | 0x02);
	assert_int_equal(in8(0x40), 0x40 | 0x30);	/* now: OUT low, null count */
}

static void test_rejected_and_folded_values(void **state)
{
	(void)state;
	out8(PIT_PORT_CONTROL, 0x34 | 0x01);	/* BCD requested */
	assert_true(capture_contains("BCD counting is not supported"));
	out8(PIT_PORT_CONTROL, 0xc0 | 0x20 | 0x02);
	assert_int_equal(in8(0x40) & 0x01, 0);	/* status reports binary */
	out8(PIT_PORT_CONTROL, 0x30 | 6 << 1);	/* mode 6 is mode 2 */
	assert_int_equal(pit.ch[0].mode, 2);
	out8(PIT_PORT_CONTROL, 0x30 | 7 << 1);
	assert_int_equal(pit.ch[0].mode, 3);
	out8(0x40, 1);
	out8(0x40, 0);	/* count 1 is illegal in mode 3 */
	assert_int_equal(pit.ch[0].reload, 2);
	assert_true(capture_contains("count 1 is illegal"));
	assert_int_equal(pit.stats.rejected, 2);
	assert_int_equal(in8(PIT_PORT_CONTROL), 0xff);	/* control port is write-only */
}

static void test_periodic_floor_and_time_backwards(void **state)
{
	(void)state;
	program(0, 2, 2);	/* ~600 kHz requested */
	pit8254_set_time(&pit, at_tick(2));
	assert_int_equal(irqs.rises[PIT_IRQ], 1);
	uint64_t fired = pit.now_ns;
	assert_int_equal(pit8254_next_deadline(&pit), fired + PIT_MIN_PERIODIC_IRQ_NS);
	pit8254_set_time(&pit, fired + PIT_MIN_PERIODIC_IRQ_NS - 1);
	assert_int_equal(irqs.rises[PIT_IRQ], 1);
	pit8254_set_time(&pit, fired + PIT_MIN_PERIODIC_IRQ_NS);
	assert_int_equal(irqs.rises[PIT_IRQ], 2);
	uint64_t now = pit.now_ns;
	pit8254_set_time(&pit, now - 5);
	assert_int_equal(pit.now_ns, now);
	assert_int_equal(pit.stats.time_backwards, 1);
	assert_true(capture_contains("time went backwards"));
}

static void test_mode0_first_byte_stops_count(void **state)
{
	(void)state;
	program(0, 0, 100);
	pit8254_set_time(&pit, at_tick(40));
	out8(0x40, 0x50);	/* LSB only: counting stops, OUT low */
	pit8254_set_time(&pit, at_tick(400));
	assert_int_equal(pit8254_count(&pit, 0), 60);
	assert_int_equal(irqs.rises[PIT_IRQ], 0);
	assert_int_equal(pit8254_next_deadline(&pit), DEVICE_NO_DEADLINE);
	out8(0x40, 0x00);	/* MSB: new count 0x50 starts now */
	assert_int_equal(pit8254_next_deadline(&pit), pit.now_ns + clock_ns_for_ticks(0x50, PIT_HZ));
	pit8254_set_time(&pit, pit.now_ns + clock_ns_for_ticks(0x50, PIT_HZ));
	assert_int_equal(irqs.rises[PIT_IRQ], 1);
	assert_true(pit8254_out(&pit, 0));
}

static void test_port61_bits(void **state)
{
	(void)state;
	/* reset: gate low, speaker off; OUT2 high (mode 3 with a low gate) */
	assert_int_equal(in8(PORT61) & ~PORT61_REFRESH, PORT61_OUT2);
	out8(PORT61, 0xff);	/* status bits 7:4 cannot be written */
	assert_int_equal(p61.control, 0x0f);
	assert_true(pit.ch[2].gate);
	/* the refresh bit follows time: it flips every 18 PIT ticks */
	pit8254_set_time(&pit, at_tick(18 * 1000));
	uint8_t a = in8(PORT61) & PORT61_REFRESH;
	pit8254_set_time(&pit, at_tick(18 * 1001));
	uint8_t b = in8(PORT61) & PORT61_REFRESH;
	assert_int_not_equal(a, b);
	/* wide access: the byte at 0x61, then nothing */
	assert_int_equal(io_byte_block_ops.read(&p61.io, PORT61, 2) >> 8, 0xff);
}

static void test_wide_access_splits_to_ports(void **state)
{
	(void)state;
	out8(PIT_PORT_CONTROL, 0x10 | 2 << 1);	/* ch0 LSB only */
	out8(PIT_PORT_CONTROL, 0x50 | 2 << 1);	/* ch1 LSB only */
	io_byte_block_ops.write(&pit.io, 0x40, 2, 0x3412);	/* 0x12 to ch0, 0x34 to ch1 */
	assert_int_equal(pit.ch[0].reload, 0x12);
	assert_int_equal(pit.ch[1].reload, 0x34);
	/* a dword at 0x42: ch2, control (0xff), then two ports outside the PIT */
	assert_int_equal(io_byte_block_ops.read(&pit.io, 0x42, 4) >> 8, 0xffffff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reset_state_ticks_at_18hz, setup),
		cmocka_unit_test_setup(test_mode2_rate_generator, setup),
		cmocka_unit_test_setup(test_mode3_square_wave, setup),
		cmocka_unit_test_setup(test_mode4_one_shot_strobe, setup),
		cmocka_unit_test_setup(test_mode0_channel2_calibration, setup),
		cmocka_unit_test_setup(test_gate_pauses_and_triggers, setup),
		cmocka_unit_test_setup(test_latch_holds_and_ignores_second_latch, setup),
		cmocka_unit_test_setup(test_read_back_command, setup),
		cmocka_unit_test_setup(test_rejected_and_folded_values, setup),
		cmocka_unit_test_setup(test_periodic_floor_and_time_backwards, setup),
		cmocka_unit_test_setup(test_mode0_first_byte_stops_count, setup),
		cmocka_unit_test_setup(test_port61_bits, setup),
		cmocka_unit_test_setup(test_wide_access_splits_to_ports, setup),
	};
	return cmocka_run_group_tests_name("dev_pit", tests, NULL, NULL);
}

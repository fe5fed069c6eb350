/* test_dev_rtc: the CMOS RTC on injected time: formats, UIP, setting, interrupts, CMOS bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "devices/clock_ticks.h"
#include "devices/rtc_cmos.h"
#include "tests/unit/capture.h"
#include "tests/unit/dev_fakes.h"

#define T0 5000000000ull
#define WALL 1700000000ull	/* 2023-11-14 22:13:20 UTC, a Tuesday */
#define SEC NS_PER_SEC

static struct rtc_cmos rtc;
static struct fake_irqs irqs;
static struct irq_line_sink sink;

static int setup(void **state)
{
	(void)state;
	capture_reset();
	log_set_level(LOG_DEBUG);
	sink = fake_irqs_sink(&irqs);
	rtc_cmos_init(&rtc, RTC_IRQ, &sink, WALL, T0);
	return 0;
}

static uint8_t cmos_read(uint8_t index)
{
	io_byte_block_ops.write(&rtc.io, RTC_PORT_INDEX, 1, index);
	return (uint8_t)io_byte_block_ops.read(&rtc.io, RTC_PORT_DATA, 1);
}

static void cmos_write(uint8_t index, uint8_t value)
{
	io_byte_block_ops.write(&rtc.io, RTC_PORT_INDEX, 1, index);
	io_byte_block_ops.write(&rtc.io, RTC_PORT_DATA, 1, value);
}

static void expect_time(uint8_t cent, uint8_t year, uint8_t month, uint8_t day, uint8_t hour,
			uint8_t min, uint8_t sec)
{
	assert_int_equal(cmos_read(RTC_CENTURY), cent);
	assert_int_equal(cmos_read(RTC_YEAR), year);
	assert_int_equal(cmos_read(RTC_MONTH), month);
	assert_int_equal(cmos_read(RTC_DAY), day);
	assert_int_equal(cmos_read(RTC_HOURS), hour);
	assert_int_equal(cmos_read(RTC_MINUTES), min);
	assert_int_equal(cmos_read(RTC_SECONDS), sec);
}

static void test_calendar_round_trips(void **state)
{
	(void)state;
	static const struct { uint64_t s; uint64_t y; uint8_t mo, d, h, mi, se, wd; } cases[] = {
		{ 0, 1970, 1, 1, 0, 0, 0, 5 },
		{ 951782400, 2000, 2, 29, 0, 0, 0, 3 },		/* leap day of a /400 year */
		{ 4107542399ull, 2100, 2, 28, 23, 59, 59, 1 },	/* 2100 is not leap */
		{ 4107542400ull, 2100, 3, 1, 0, 0, 0, 2 },
		{ WALL, 2023, 11, 14, 22, 13, 20, 3 },
		{ 253402300799ull, 9999, 12, 31, 23, 59, 59, 6 },
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rtc_date d;
		uint64_t back;
		rtc_date_from_seconds(cases[i].s, &d);
		assert_int_equal(d.year, cases[i].y);
		assert_int_equal(d.month, cases[i].mo);
		assert_int_equal(d.day, cases[i].d);
		assert_int_equal(d.hour, cases[i].h);
		assert_int_equal(d.minute, cases[i].mi);
		assert_int_equal(d.second, cases[i].se);
		assert_int_equal(d.weekday, cases[i].wd);
		assert_true(rtc_seconds_from_date(&d, &back));
		assert_int_equal(back, cases[i].s);
	}
	struct rtc_date bad = { 1969, 13, 40, 30, 70, 99, 1 };
	uint64_t s;
	assert_false(rtc_seconds_from_date(&bad, &s));
	/* every field clamped: 1970-12-31 23:59:59 */
	assert_int_equal(s, 364 * 86400ull + 86399);
	assert_int_equal(rtc_to_bcd(59), 0x59);
	assert_int_equal(rtc_from_bcd(0x47), 47);
	assert_true(rtc_from_bcd(0xfa) >= 100);
}

static void test_reset_registers(void **state)
{
	(void)state;
	assert_int_equal(cmos_read(RTC_REG_A), RTC_REG_A_RESET);
	assert_int_equal(cmos_read(RTC_REG_B), RTC_REG_B_RESET);
	assert_int_equal(cmos_read(RTC_REG_C), 0);
	assert_int_equal(cmos_read(RTC_REG_D), RTC_D_VRT);
	expect_time(0x20, 0x23, 0x11, 0x14, 0x22, 0x13, 0x20);
	assert_int_equal(cmos_read(RTC_WEEKDAY), 3);
	assert_int_equal(rtc_cmos_next_deadline(&rtc), DEVICE_NO_DEADLINE);
	assert_false(irqs.level[RTC_IRQ]);
}

static void test_time_advances_across_boundaries(void **state)
{
	(void)state;
	rtc_cmos_set_time(&rtc, T0 + 40 * SEC - 1);
	assert_int_equal(cmos_read(RTC_SECONDS), 0x59);
	rtc_cmos_set_time(&rtc, T0 + 40 * SEC);
	expect_time(0x20, 0x23, 0x11, 0x14, 0x22, 0x14, 0x00);
	/* 2023-12-31 23:59:59 + 1 s: new year, same century */
	rtc_cmos_init(&rtc, RTC_IRQ, &sink, 1704067199ull, T0);
	rtc_cmos_set_time(&rtc, T0 + SEC);
	expect_time(0x20, 0x24, 0x01, 0x01, 0x00, 0x00, 0x00);
	assert_int_equal(cmos_read(RTC_WEEKDAY), 2);	/* Monday */
}

static void test_binary_and_12_hour_formats(void **state)
{
	(void)state;
	cmos_write(RTC_REG_B, 0x00);	/* BCD, 12-hour */
	assert_int_equal(cmos_read(RTC_HOURS), 0x80 | 0x10);	/* 22h = 10 PM */
	cmos_write(RTC_REG_B, RTC_B_BINARY);	/* binary, 12-hour */
	assert_int_equal(cmos_read(RTC_HOURS), 0x80 | 10);
	assert_int_equal(cmos_read(RTC_MINUTES), 13);
	assert_int_equal(cmos_read(RTC_CENTURY), 20);
	cmos_write(RTC_REG_B, RTC_B_BINARY | RTC_B_24H);
	assert_int_equal(cmos_read(RTC_HOURS), 22);
	/* midnight and noon in 12-hour BCD */
	rtc_cmos_init(&rtc, RTC_IRQ, &sink, 0, T0);
	cmos_write(RTC_REG_B, 0x00);
	assert_int_equal(cmos_read(RTC_HOURS), 0x12);
	rtc_cmos_set_time(&rtc, T0 + 12 * 3600 * SEC);
	assert_int_equal(cmos_read(RTC_HOURS), 0x92);
	/* writing 12-hour values: 0x81 is 1 PM */
	cmos_write(RTC_HOURS, 0x81);
	cmos_write(RTC_REG_B, RTC_B_24H);
	assert_int_equal(cmos_read(RTC_HOURS), 0x13);
}

/* Linux's mc146818_avoid_UIP retries while UIP is set: UIP covers 244 us before the update. */
static void test_uip_window(void **state)
{
	(void)state;
	rtc_cmos_set_time(&rtc, T0 + SEC - RTC_UIP_NS - 1);
	assert_int_equal(cmos_read(RTC_REG_A) & RTC_A_UIP, 0);
	rtc_cmos_set_time(&rtc, T0 + SEC - RTC_UIP_NS);
	assert_int_equal(cmos_read(RTC_REG_A), RTC_A_UIP | RTC_REG_A_RESET);
	assert_int_equal(cmos_read(RTC_SECONDS), 0x20);
	rtc_cmos_set_time(&rtc, T0 + SEC);
	assert_int_equal(cmos_read(RTC_REG_A) & RTC_A_UIP, 0);
	assert_int_equal(cmos_read(RTC_SECONDS), 0x21);
	/* UIP is read-only */
	cmos_write(RTC_REG_A, 0xa6);
	assert_int_equal(rtc.ram[RTC_REG_A], 0x26);
}

/* Linux's mc146818_set_time: SET, write the fields, clear SET. */
static void test_set_time_under_set_bit(void **state)
{
	(void)state;
	cmos_write(RTC_REG_B, RTC_REG_B_RESET | RTC_B_SET | RTC_B_UIE);
	assert_int_equal(cmos_read(RTC_REG_B) & RTC_B_UIE, 0);	/* SET clears UIE */
	cmos_write(RTC_CENTURY, 0x20);
	cmos_write(RTC_YEAR, 0x25);
	cmos_write(RTC_MONTH, 0x02);
	cmos_write(RTC_DAY, 0x31);	/* invalid until SET clears: kept as written */
	cmos_write(RTC_HOURS, 0x07);
	cmos_write(RTC_MINUTES, 0x08);
	cmos_write(RTC_SECONDS, 0x09);
	rtc_cmos_set_time(&rtc, T0 + 10 * SEC);	/* held: does not advance */
	expect_time(0x20, 0x25, 0x02, 0x31, 0x07, 0x08, 0x09);
	assert_int_equal(cmos_read(RTC_REG_A) & RTC_A_UIP, 0);
	cmos_write(RTC_REG_B, RTC_REG_B_RESET);
	/* 2025-02-31 normalizes to 2025-03-03 */
	expect_time(0x20, 0x25, 0x03, 0x03, 0x07, 0x08, 0x09);
	assert_true(capture_contains("rtc: guest set an invalid date/time 2025-2-31"));
	rtc_cmos_set_time(&rtc, T0 + 11 * SEC);
	assert_int_equal(cmos_read(RTC_SECONDS), 0x10);
	assert_int_equal(rtc_cmos_seconds(&rtc), 1740985690ull);
	assert_int_equal(rtc.stats.time_sets, 7);
}

static void test_write_while_running_keeps_phase(void **state)
{
	(void)state;
	rtc_cmos_set_time(&rtc, T0 + SEC / 4);
	cmos_write(RTC_MINUTES, 0x30);
	expect_time(0x20, 0x23, 0x11, 0x14, 0x22, 0x30, 0x20);
	rtc_cmos_set_time(&rtc, T0 + SEC - 1);
	assert_int_equal(cmos_read(RTC_SECONDS), 0x20);
	rtc_cmos_set_time(&rtc, T0 + SEC);
	assert_int_equal(cmos_read(RTC_SECONDS), 0x21);
	/* DSE and SQWE are kept as written; daylight saving is not acted on (logged) */
	cmos_write(RTC_REG_B, RTC_REG_B_RESET | RTC_B_DSE | RTC_B_SQWE);
	assert_int_equal(cmos_read(RTC_REG_B), RTC_REG_B_RESET | RTC_B_DSE | RTC_B_SQWE);
	assert_true(capture_contains("daylight-saving updates"));
	assert_int_equal(cmos_read(RTC_HOURS), 0x22);
	/* weekday is derived: writes are ignored */
	cmos_write(RTC_WEEKDAY, 7);
	assert_int_equal(cmos_read(RTC_WEEKDAY), 3);
	assert_true(capture_contains("weekday is derived"));
}

static void test_periodic_interrupt(void **state)
{
	(void)state;
	cmos_write(RTC_REG_B, RTC_REG_B_RESET | RTC_B_PIE);	/* 1024 Hz */
	uint64_t first = T0 + clock_ns_for_ticks(32, RTC_OSC_HZ);
	assert_int_equal(rtc_cmos_next_deadline(&rtc), first);
	rtc_cmos_set_time(&rtc, first - 1);
	assert_false(irqs.level[RTC_IRQ]);
	rtc_cmos_set_time(&rtc, first);
	assert_true(irqs.level[RTC_IRQ]);
	assert_int_equal(rtc_cmos_next_deadline(&rtc), DEVICE_NO_DEADLINE);	/* held high */
	assert_int_equal(cmos_read(RTC_REG_C), RTC_C_IRQF | RTC_C_PF);
	assert_false(irqs.level[RTC_IRQ]);
	assert_int_equal(cmos_read(RTC_REG_C), 0);
	assert_int_equal(rtc_cmos_next_deadline(&rtc), T0 + clock_ns_for_ticks(64, RTC_OSC_HZ));
	/* RS = 15: 2 Hz; RS = 0: no periodic events at all */
	cmos_write(RTC_REG_A, 0x2f);
	assert_int_equal(rtc_cmos_next_deadline(&rtc), T0 + SEC / 2);
	/* RS = 1 and 2 repeat RS = 8 and 9 with a 32.768 kHz base: 256 and 128 Hz */
	cmos_write(RTC_REG_A, 0x21);
	assert_int_equal(rtc_cmos_next_deadline(&rtc), T0 + SEC / 256);
	cmos_write(RTC_REG_A, 0x22);
	assert_int_equal(rtc_cmos_next_deadline(&rtc), T0 + SEC / 128);
	cmos_write(RTC_REG_A, 0x28);
	assert_int_equal(rtc_cmos_next_deadline(&rtc), T0 + SEC / 256);
	cmos_write(RTC_REG_A, 0x20);
	assert_int_equal(rtc_cmos_next_deadline(&rtc), DEVICE_NO_DEADLINE);
	assert_int_equal(irqs.rises[RTC_IRQ], 1);
}

static void test_flags_without_enables_and_late_enable(void **state)
{
	(void)state;
	rtc_cmos_set_time(&rtc, T0 + 2 * SEC);
	assert_false(irqs.level[RTC_IRQ]);
	assert_int_equal(rtc_cmos_next_deadline(&rtc), DEVICE_NO_DEADLINE);
	/* flags latch without interrupts enabled; enabling PIE then raises IRQF at once */
	assert_int_equal(rtc.reg_c, RTC_C_PF | RTC_C_UF);
	cmos_write(RTC_REG_B, RTC_REG_B_RESET | RTC_B_PIE);
	assert_true(irqs.level[RTC_IRQ]);
	cmos_write(RTC_REG_B, RTC_REG_B_RESET);	/* IRQF is combinational */
	assert_false(irqs.level[RTC_IRQ]);
	assert_int_equal(cmos_read(RTC_REG_C), RTC_C_PF | RTC_C_UF);
}

static void test_update_and_alarm_interrupts(void **state)
{
	(void)state;
	cmos_write(RTC_REG_B, RTC_REG_B_RESET | RTC_B_UIE);
	assert_int_equal(rtc_cmos_next_deadline(&rtc), T0 + SEC);
	rtc_cmos_set_time(&rtc, T0 + SEC);
	assert_true(irqs.level[RTC_IRQ]);
	assert_int_equal(cmos_read(RTC_REG_C), RTC_C_IRQF | RTC_C_UF | RTC_C_PF);
	/* alarm at 22:13:24, three seconds on */
	cmos_write(RTC_REG_B, RTC_REG_B_RESET | RTC_B_AIE);
	cmos_write(RTC_HOURS_ALARM, 0x22);
	cmos_write(RTC_MINUTES_ALARM, 0x13);
	cmos_write(RTC_SECONDS_ALARM, 0x24);
	rtc_cmos_set_time(&rtc, T0 + 3 * SEC);
	assert_false(irqs.level[RTC_IRQ]);
	assert_int_equal(cmos_read(RTC_REG_C) & RTC_C_AF, 0);
	assert_int_equal(rtc_cmos_next_deadline(&rtc), T0 + 4 * SEC);
	rtc_cmos_set_time(&rtc, T0 + 4 * SEC);
	assert_true(irqs.level[RTC_IRQ]);
	assert_int_equal(cmos_read(RTC_REG_C) & (RTC_C_IRQF | RTC_C_AF), RTC_C_IRQF | RTC_C_AF);
	/* don't-care hours and minutes: every minute at :30 */
	cmos_write(RTC_HOURS_ALARM, 0xc0);
	cmos_write(RTC_MINUTES_ALARM, 0xff);
	cmos_write(RTC_SECONDS_ALARM, 0x30);
	rtc_cmos_set_time(&rtc, T0 + 9 * SEC);
	assert_int_equal(cmos_read(RTC_REG_C) & RTC_C_AF, 0);
	rtc_cmos_set_time(&rtc, T0 + 10 * SEC);
	assert_int_equal(cmos_read(RTC_REG_C) & RTC_C_AF, RTC_C_AF);
	/* an alarm time passed while the host slept for two days still latches AF */
	cmos_write(RTC_SECONDS_ALARM, 0x00);
	cmos_write(RTC_MINUTES_ALARM, 0x00);
	cmos_write(RTC_HOURS_ALARM, 0x05);
	rtc_cmos_set_time(&rtc, T0 + 2 * 86400 * SEC);
	assert_int_equal(cmos_read(RTC_REG_C) & RTC_C_AF, RTC_C_AF);
	/* an alarm that can never match (hour 0x25) never fires */
	cmos_write(RTC_HOURS_ALARM, 0x25);
	rtc_cmos_set_time(&rtc, T0 + 4 * 86400 * SEC);
	assert_int_equal(cmos_read(RTC_REG_C) & RTC_C_AF, 0);
}

static void test_divider_reset_and_release(void **state)
{
	(void)state;
	rtc_cmos_set_time(&rtc, T0 + SEC / 10);
	cmos_write(RTC_REG_A, 0x76);	/* divider held in reset */
	rtc_cmos_set_time(&rtc, T0 + 5 * SEC);
	assert_int_equal(cmos_read(RTC_SECONDS), 0x20);
	cmos_write(RTC_REG_B, RTC_REG_B_RESET | RTC_B_PIE);
	assert_int_equal(rtc_cmos_next_deadline(&rtc), DEVICE_NO_DEADLINE);
	cmos_write(RTC_REG_A, 0x26);	/* first update half a second after release */
	rtc_cmos_set_time(&rtc, T0 + 5 * SEC + SEC / 2 - 1);
	assert_int_equal(cmos_read(RTC_SECONDS), 0x20);
	rtc_cmos_set_time(&rtc, T0 + 5 * SEC + SEC / 2);
	assert_int_equal(cmos_read(RTC_SECONDS), 0x21);
	/* the periodic phase restarts at the release */
	assert_int_equal(rtc.divider_origin_ns, T0 + 5 * SEC);
}

static void test_read_only_and_ports(void **state)
{
	(void)state;
	cmos_write(RTC_REG_C, 0xff);
	cmos_write(RTC_REG_D, 0x00);
	assert_int_equal(cmos_read(RTC_REG_C), 0);
	assert_int_equal(cmos_read(RTC_REG_D), RTC_D_VRT);
	assert_true(capture_contains("register C is read-only"));
	/* plain CMOS RAM, and bit 7 of the index port is the NMI mask */
	cmos_write(0x40, 0xab);
	assert_int_equal(cmos_read(0x40), 0xab);
	io_byte_block_ops.write(&rtc.io, RTC_PORT_INDEX, 1, 0x80 | 0x41);
	assert_true(rtc.nmi_disabled);
	assert_int_equal(rtc.index, 0x41);
	io_byte_block_ops.write(&rtc.io, RTC_PORT_DATA, 1, 0x5a);
	assert_int_equal(rtc.ram[0x41], 0x5a);
	io_byte_block_ops.write(&rtc.io, RTC_PORT_INDEX, 1, 0x41);
	assert_false(rtc.nmi_disabled);
	assert_int_equal(io_byte_block_ops.read(&rtc.io, RTC_PORT_INDEX, 1), 0xff);
	/* a word write to 0x70 selects and writes in one go, as on the ISA bus */
	io_byte_block_ops.write(&rtc.io, RTC_PORT_INDEX, 2, 0x7742);
	assert_int_equal(rtc.ram[0x42], 0x77);
	/* wide read at 0x71: the data byte, then a port the RTC does not decode */
	assert_int_equal(io_byte_block_ops.read(&rtc.io, RTC_PORT_DATA, 2), 0xff77);
}

static void test_cmos_memory_bytes(void **state)
{
	(void)state;
	cmos_set_memory_sizes(&rtc, 0xc0000000ull, 0x40000000ull);
	assert_int_equal(rtc.ram[0x15] | rtc.ram[0x16] << 8, 640);
	assert_int_equal(rtc.ram[0x17] | rtc.ram[0x18] << 8, 0xffff);
	assert_int_equal(rtc.ram[0x30] | rtc.ram[0x31] << 8, 0xffff);
	assert_int_equal(rtc.ram[0x34] | rtc.ram[0x35] << 8, 0xbf00);
	assert_int_equal(rtc.ram[0x5b] | rtc.ram[0x5c] << 8 | rtc.ram[0x5d] << 16, 0x4000);
	cmos_set_memory_sizes(&rtc, 32ull << 20, 0);
	assert_int_equal(rtc.ram[0x17] | rtc.ram[0x18] << 8, 31744);
	assert_int_equal(rtc.ram[0x34] | rtc.ram[0x35] << 8, 256);
	assert_int_equal(rtc.ram[0x5b] | rtc.ram[0x5c] | rtc.ram[0x5d], 0);
	cmos_set_memory_sizes(&rtc, 639 << 10, 0);	/* just under the 640 KiB cap */
	assert_int_equal(rtc.ram[0x15] | rtc.ram[0x16] << 8, 639);
	cmos_set_memory_sizes(&rtc, 512 << 10, 0);	/* under 640 KiB, under 1 MiB */
	assert_int_equal(rtc.ram[0x15] | rtc.ram[0x16] << 8, 512);
	assert_int_equal(rtc.ram[0x17] | rtc.ram[0x18] << 8, 0);
	cmos_set_cpu_count(&rtc, 2);
	assert_int_equal(cmos_read(0x5f), 1);
	cmos_set_cpu_count(&rtc, 0);
	assert_int_equal(cmos_read(0x5f), 0);
}

static void test_time_backwards_ignored(void **state)
{
	(void)state;
	rtc_cmos_set_time(&rtc, T0 + 3 * SEC);
	rtc_cmos_set_time(&rtc, T0 + SEC);
	assert_int_equal(rtc.now_ns, T0 + 3 * SEC);
	assert_int_equal(rtc.stats.time_backwards, 1);
	assert_int_equal(cmos_read(RTC_SECONDS), 0x23);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calendar_round_trips),
		cmocka_unit_test_setup(test_reset_registers, setup),
		cmocka_unit_test_setup(test_time_advances_across_boundaries, setup),
		cmocka_unit_test_setup(test_binary_and_12_hour_formats, setup),
		cmocka_unit_test_setup(test_uip_window, setup),
		cmocka_unit_test_setup(test_set_time_under_set_bit, setup),
		cmocka_unit_test_setup(test_write_while_running_keeps_phase, setup),
		cmocka_unit_test_setup(test_periodic_interrupt, setup),
		cmocka_unit_test_setup(test_flags_without_enables_and_late_enable, setup),
		cmocka_unit_test_setup(test_update_and_alarm_interrupts, setup),
		cmocka_unit_test_setup(test_divider_reset_and_release, setup),
		cmocka_unit_test_setup(test_read_only_and_ports, setup),
		cmocka_unit_test_setup(test_cmos_memory_bytes, setup),
		cmocka_unit_test_setup(test_time_backwards_ignored, setup),
	};
	return cmocka_run_group_tests_name("dev_rtc", tests, NULL, NULL);
}

/* test_dev_platform: the assembled platform: every port reaches its device, callbacks, IRQs, time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "devices/clock_ticks.h"
#include "devices/platform.h"
#include "tests/unit/capture.h"
#include "tests/unit/dev_fakes.h"

#define T0 2000000000ull

static struct platform plat;
static struct io_bus bus;
static struct fake_irqs irqs;

struct run_end {
	int debug_exits, power_offs, resets;
	uint32_t exit_value;
	const char *reset_source;
	char lines[512];
	size_t lines_len;
};
static struct run_end ends;

static void on_debug_exit(void *ctx, uint32_t value)
{
	struct run_end *e = ctx;
	e->debug_exits++;
	e->exit_value = value;
}

static void on_power_off(void *ctx)
{
	((struct run_end *)ctx)->power_offs++;
}

static void on_reset(void *ctx, const char *source)
{
	struct run_end *e = ctx;
	e->resets++;
	e->reset_source = source;
}

static void on_line(void *ctx, const char *text, size_t len)
{
	struct run_end *e = ctx;
	if (e->lines_len + len < sizeof(e->lines)) {
		memcpy(e->lines + e->lines_len, text, len);
		e->lines_len += len;
		e->lines[e->lines_len] = 0;
	}
}

static const struct platform_config config = {
	.ram_below_4g = 512ull << 20,
	.ram_above_4g = 0,
	.nb_cpus = 2,
	.wall_clock_seconds = 1700000000ull,
	.now_ns = T0,
	.pc_testdev = true,
};

static int setup(void **state)
{
	(void)state;
	capture_reset();
	log_set_level(LOG_INFO);
	memset(&ends, 0, sizeof(ends));
	io_bus_init(&bus);
	struct platform_callbacks cb = {
		.ctx = &ends,
		.irq = fake_irqs_sink(&irqs),
		.guest_line = on_line,
		.debug_exit = on_debug_exit,
		.power_off = on_power_off,
		.reset = on_reset,
	};
	assert_true(platform_register_devices(&plat, &bus, &config, &cb));
	return 0;
}

static void test_every_range_registered(void **state)
{
	(void)state;
	static const struct { uint16_t port; const char *name; } expected[] = {
		{ 0x3f8, "com1" }, { 0x3ff, "com1" }, { 0x510, "fw_cfg" }, { 0x511, "fw_cfg" },
		{ 0xf4, "debug-exit" }, { 0xf7, "debug-exit" }, { 0x40, "pit" }, { 0x43, "pit" },
		{ 0x61, "port 0x61" }, { 0x70, "rtc-cmos" }, { 0x71, "rtc-cmos" },
		{ 0xcf8, "pci-conf1" }, { 0xcff, "pci-conf1" }, { 0x80, "post" },
		{ 0x600, "acpi-pm" }, { 0x60b, "acpi-pm" }, { 0x60, "i8042 data" },
		{ 0x64, "i8042 status" }, { 0x92, "port 0x92" }, { 0xe0, "pc-testdev scratch" },
		{ 0xe4, "pc-testdev flush" }, { 0xeb, "pc-testdev scratch bytes" },
		{ 0x2000, "pc-testdev irq" }, { 0x2017, "pc-testdev irq" },
	};
	for (unsigned i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		const struct io_bus_range *r = io_bus_find(&bus, expected[i].port);
		assert_non_null(r);
		assert_string_equal(r->name, expected[i].name);
	}
	assert_int_equal(bus.nranges, 16);	/* as docs/devices.md says */
	assert_null(io_bus_find(&bus, 0x2f8));	/* COM2 absent: Linux sees LSR 0xff */
	assert_null(io_bus_find(&bus, 0x2018));
	assert_int_equal(io_bus_read(&bus, 0x2fd, 1), 0xff);
}

static void test_guest_console_lines(void **state)
{
	(void)state;
	const char *msg = "PASS: x\r\nhalf";
	for (const char *c = msg; *c; c++)
		io_bus_write(&bus, 0x3f8, 1, (uint8_t)*c);
	assert_string_equal(ends.lines, "[guest] PASS: x\n");
	platform_flush_console(&plat);
	assert_string_equal(ends.lines, "[guest] PASS: x\n[guest] half\n");
}

static void test_default_console_goes_to_log_raw(void **state)
{
	(void)state;
	static struct platform p2;
	static struct io_bus bus2;
	struct platform_config cfg = config;
	cfg.guest_prefix = "[L1] ";
	io_bus_init(&bus2);
	assert_true(platform_register_devices(&p2, &bus2, &cfg, NULL));
	io_bus_write(&bus2, 0x3f8, 1, 'h');
	io_bus_write(&bus2, 0x3f8, 1, '\n');
	assert_true(capture_contains("[L1] h\n"));
	assert_false(capture_contains("[nestor] [L1]"));
	/* no callbacks at all: the run-ending ports are still safe */
	io_bus_write(&bus2, 0xf4, 1, 1);
	io_bus_write(&bus2, 0x64, 1, 0xfe);
	assert_int_equal(p2.debug_exit.writes, 1);
	assert_int_equal(p2.reset.requests, 1);
}

static void test_run_ending_ports(void **state)
{
	(void)state;
	io_bus_write(&bus, 0xf4, 4, 0x31);
	assert_int_equal(ends.debug_exits, 1);
	assert_int_equal(ends.exit_value, 0x31);
	io_bus_write(&bus, ACPI_PM1A_CNT_BLK, 2,
		     ACPI_PM1_SCI_EN | ACPI_SLP_TYP_S5 << 10 | ACPI_PM1_SLP_EN);
	assert_int_equal(ends.power_offs, 1);
	io_bus_write(&bus, 0x64, 1, 0xfe);
	assert_string_equal(ends.reset_source, "8042 reset pulse");
	io_bus_write(&bus, 0xcf9, 1, 0x06);
	assert_string_equal(ends.reset_source, "0xcf9 hard reset");
	io_bus_write(&bus, 0x92, 1, 0x01);
	assert_string_equal(ends.reset_source, "port 0x92 fast reset");
	assert_int_equal(ends.resets, 3);
}

static void test_configuration_reaches_devices(void **state)
{
	(void)state;
	/* fw_cfg: CPU count and RAM size */
	io_bus_write(&bus, 0x510, 2, FW_CFG_NB_CPUS);
	assert_int_equal(io_bus_read(&bus, 0x511, 1), 2);
	io_bus_write(&bus, 0x510, 2, FW_CFG_MAX_CPUS);
	assert_int_equal(io_bus_read(&bus, 0x511, 1), 2);
	io_bus_write(&bus, 0x510, 2, FW_CFG_RAM_SIZE);
	uint64_t ram = 0;
	for (int i = 0; i < 8; i++)
		ram |= (uint64_t)io_bus_read(&bus, 0x511, 1) << (8 * i);
	assert_int_equal(ram, 512ull << 20);
	/* CMOS: extended memory and CPU count */
	io_bus_write(&bus, 0x70, 1, 0x30);
	uint32_t ext = io_bus_read(&bus, 0x71, 1);
	io_bus_write(&bus, 0x70, 1, 0x31);
	ext |= io_bus_read(&bus, 0x71, 1) << 8;
	assert_int_equal(ext, 0xffff);
	io_bus_write(&bus, 0x70, 1, 0x5f);
	assert_int_equal(io_bus_read(&bus, 0x71, 1), 1);
	io_bus_write(&bus, 0x70, 1, RTC_YEAR);
	assert_int_equal(io_bus_read(&bus, 0x71, 1), 0x23);
	/* PCI: the host bridge */
	io_bus_write(&bus, 0xcf8, 4, 0x80000000u);
	assert_int_equal(io_bus_read(&bus, 0xcfc, 4), 0x29c08086u);
}

static void test_irq_wiring(void **state)
{
	(void)state;
	/* PIT: reset mode 3 at 18.2 Hz on ISA IRQ 0 */
	uint64_t first = T0 + clock_ns_for_ticks(65536, PIT_HZ);
	assert_int_equal(platform_next_deadline(&plat), first);
	platform_set_time(&plat, first);
	assert_int_equal(irqs.rises[0], 1);
	/* UART on IRQ 4 */
	io_bus_write(&bus, 0x3fc, 1, UART_MCR_OUT2);
	io_bus_write(&bus, 0x3f9, 1, UART_IER_THRI);
	assert_true(irqs.level[4]);
	/* RTC on IRQ 8, ACPI SCI on IRQ 9, pc-testdev on any line */
	io_bus_write(&bus, 0x70, 1, RTC_REG_B);
	io_bus_write(&bus, 0x71, 1, RTC_REG_B_RESET | RTC_B_UIE);
	uint64_t second = rtc_cmos_next_deadline(&plat.rtc);
	assert_int_equal(second, T0 + NS_PER_SEC);
	/* the PIT's next tick (55 ms on) comes first */
	assert_int_equal(platform_next_deadline(&plat), T0 + clock_ns_for_ticks(2 * 65536, PIT_HZ));
	platform_set_time(&plat, second);
	assert_int_equal(irqs.rises[0], 2);	/* 17 PIT edges since, coalesced into one pulse */
	assert_true(irqs.level[8]);
	acpi_pm_press_power_button(&plat.acpi);
	io_bus_write(&bus, ACPI_PM1A_EVT_BLK + 2, 2, ACPI_PM1_PWRBTN);
	assert_true(irqs.level[9]);
	io_bus_write(&bus, 0x2000 + 11, 1, 1);
	assert_true(irqs.level[11]);
	assert_int_equal(irqs.bad_gsi, 0);
}

static void test_deadline_is_earliest_device(void **state)
{
	(void)state;
	/* PIT one-shot far away; ACPI timer overflow SCI sooner */
	io_bus_write(&bus, 0x43, 1, 0x38);
	io_bus_write(&bus, 0x40, 1, 0xff);
	io_bus_write(&bus, 0x40, 1, 0xff);
	uint64_t pit = pit8254_next_deadline(&plat.pit);
	assert_int_equal(platform_next_deadline(&plat), pit);
	io_bus_write(&bus, ACPI_PM1A_EVT_BLK + 2, 2, ACPI_PM1_TMR);
	assert_true(acpi_pm_next_deadline(&plat.acpi) > pit);
	io_bus_write(&bus, 0x43, 1, 0x30);	/* PIT stopped waiting for a count */
	assert_int_equal(platform_next_deadline(&plat), acpi_pm_next_deadline(&plat.acpi));
	io_bus_write(&bus, ACPI_PM1A_EVT_BLK + 2, 2, 0);
	assert_int_equal(platform_next_deadline(&plat), DEVICE_NO_DEADLINE);
}

static void test_stats_dump(void **state)
{
	(void)state;
	io_bus_write(&bus, 0x3f8, 1, 'x');
	io_bus_write(&bus, 0x80, 1, 0x42);
	io_bus_read(&bus, 0x1234, 1);
	capture_reset();
	platform_log_stats(&plat);
	assert_true(capture_contains("[nestor] devices: com1: 1 bytes out in 0 lines"));
	assert_true(capture_contains("devices: post 0x80: 1 writes, last 0x42"));
	assert_true(capture_contains("devices: pit: 0 IRQ0 pulses"));
	assert_true(capture_contains("devices: rtc: "));
	assert_true(capture_contains("devices: acpi-pm: "));
	assert_true(capture_contains("devices: fw_cfg: "));
	assert_true(capture_contains("devices: pci: "));
	assert_true(capture_contains("devices: debug-exit: 0 writes"));
	assert_true(capture_contains("devices: pc-testdev: "));
	assert_true(capture_contains("devices: unclaimed ports: 1 reads, 0 writes"));
	assert_false(capture_contains("..."));	/* no line was truncated */
}

static void test_registration_failure_reported(void **state)
{
	(void)state;
	static struct platform p2;
	static struct io_bus crowded;
	static const struct io_bus_ops none = { NULL, NULL };
	io_bus_init(&crowded);
	assert_true(io_bus_register(&crowded, 0x3f8, 1, "squatter", &none, NULL));
	assert_false(platform_register_devices(&p2, &crowded, &config, NULL));
	assert_true(capture_contains("overlaps squatter"));
	/* without pc-testdev its ports stay unclaimed */
	struct platform_config cfg = config;
	cfg.pc_testdev = false;
	io_bus_init(&crowded);
	assert_true(platform_register_devices(&p2, &crowded, &cfg, NULL));
	assert_int_equal(crowded.nranges, 12);
	assert_null(io_bus_find(&crowded, 0x2000));
	assert_null(io_bus_find(&crowded, 0xe0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_every_range_registered, setup),
		cmocka_unit_test_setup(test_guest_console_lines, setup),
		cmocka_unit_test_setup(test_default_console_goes_to_log_raw, setup),
		cmocka_unit_test_setup(test_run_ending_ports, setup),
		cmocka_unit_test_setup(test_configuration_reaches_devices, setup),
		cmocka_unit_test_setup(test_irq_wiring, setup),
		cmocka_unit_test_setup(test_deadline_is_earliest_device, setup),
		cmocka_unit_test_setup(test_stats_dump, setup),
		cmocka_unit_test_setup(test_registration_failure_reported, setup),
	};
	return cmocka_run_group_tests_name("dev_platform", tests, NULL, NULL);
}

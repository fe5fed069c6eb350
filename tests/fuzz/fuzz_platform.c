/* fuzz_platform: guest port I/O on every device model (UART, PIT, RTC, fw_cfg, PCI, ACPI PM, ...). */
#include <string.h>

#include "devices/clock_ticks.h"
#include "devices/platform.h"
#include "tests/fuzz/fuzz.h"

/*
 * The input is a stream of guest IN/OUT instructions (a port near a device's range or
 * any port, size 1/2/4, a value) and steps of the VM clock, dispatched through the
 * port bus to the platform nestor gives every guest (pc-testdev included). Beyond
 * "no crash", checked after every operation:
 *  - a read returns nothing above its size, and all ones from a port no device claims;
 *  - every interrupt line a device drives is a GSI the vIOAPIC has (0-23; pc-testdev
 *    reaches them all);
 *  - every guest console line is "[guest] " + at most the line capacity + '\n';
 *  - after the clock is set, no device deadline lies in the past: the host timer would
 *    otherwise fire at once, forever (a wedged physical CPU);
 *  - time given to the devices never goes backwards, so neither do their deadlines'
 *    bases.
 */

#define LINE_MAX 128u

static struct io_bus bus;
static struct platform plat;
static uint64_t now;

static void on_irq(void *ctx, unsigned gsi, bool asserted)
{
	(void)ctx;
	(void)asserted;
	FUZZ_CHECK(gsi < 24, "device drives GSI %u", gsi);
}

static void on_line(void *ctx, const char *text, size_t len)
{
	(void)ctx;
	FUZZ_CHECK(len >= sizeof(PLATFORM_GUEST_PREFIX) && len <= sizeof(PLATFORM_GUEST_PREFIX) + LINE_MAX &&
		   !memcmp(text, PLATFORM_GUEST_PREFIX, sizeof(PLATFORM_GUEST_PREFIX) - 1) &&
		   text[len - 1] == '\n', "guest line of %zu bytes", len);
}

static void on_debug_exit(void *ctx, uint32_t value) { (void)ctx; (void)value; }
static void on_off(void *ctx) { (void)ctx; }
static void on_reset(void *ctx, const char *source) { (void)ctx; (void)source; }

/* Ports of the devices, so most accesses hit one; the rest are any port. */
static const uint16_t bases[] = { 0x3f8, 0x510, 0xf4, 0x40, 0x61, 0x70, 0xcf8, 0xcfc, 0x80,
				  0x600, 0x60, 0x64, 0x92, 0xe0, 0x2000, 0xcf9 };

static uint16_t pick_port(struct fuzz_in *in)
{
	uint8_t f = fuzz_u8(in);
	if (f & 0x80)
		return fuzz_u16(in);
	return (uint16_t)(bases[f % (sizeof(bases) / sizeof(bases[0]))] + ((f >> 4) & 7));
}

static void set_time(uint64_t t)
{
	uint64_t next;

	platform_set_time(&plat, t);
	next = platform_next_deadline(&plat);
	FUZZ_CHECK(next == DEVICE_NO_DEADLINE || next > t, "deadline %llu not after now %llu",
		   (unsigned long long)next, (unsigned long long)t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned sizes[4] = { 1, 2, 4, 1 };
	struct fuzz_in in = { data, size, 0 };
	struct platform_config cfg = {
		.ram_below_4g = 512ull << 20,
		.nb_cpus = 2,
		.wall_clock_seconds = 1700000000ull,
		.now_ns = 1000000,
		.guest_line_max = LINE_MAX,
		.pc_testdev = true,
	};
	struct platform_callbacks cb = {
		.irq = { on_irq, NULL },
		.guest_line = on_line,
		.debug_exit = on_debug_exit,
		.power_off = on_off,
		.reset = on_reset,
	};

	fuzz_quiet_log();
	io_bus_init(&bus);
	memset(&plat, 0, sizeof(plat));
	if (!platform_register_devices(&plat, &bus, &cfg, &cb))
		abort();
	now = cfg.now_ns;
	set_time(now);
	for (unsigned ops = 0; fuzz_more(&in) && ops < 4096; ops++) {
		uint8_t op = fuzz_u8(&in);
		unsigned sz = sizes[(op >> 2) & 3];
		uint16_t port;
		uint32_t v;

		switch (op & 3) {
		case 0:
			port = pick_port(&in);
			io_bus_write(&bus, port, sz, fuzz_u32(&in));
			break;
		case 1:
			port = pick_port(&in);
			v = io_bus_read(&bus, port, sz);
			FUZZ_CHECK(sz == 4 || v >> (8 * sz) == 0, "read of %u bytes at %#x: %#x", sz,
				   port, v);
			FUZZ_CHECK(io_bus_find(&bus, port) ||
				   v == (sz == 4 ? 0xffffffffu : (1u << (8 * sz)) - 1),
				   "unclaimed port %#x read %#x", port, v);
			break;
		case 2:	/* the clock moves: microseconds to seconds */
			now += (uint64_t)fuzz_u16(&in) << ((op >> 4) & 15);
			set_time(now);
			break;
		default:	/* the host timer fires at the next deadline */
			if (platform_next_deadline(&plat) != DEVICE_NO_DEADLINE &&
			    platform_next_deadline(&plat) - now < (1ull << 40)) {
				now = platform_next_deadline(&plat);
				set_time(now);
			}
			break;
		}
	}
	platform_flush_console(&plat);
	return 0;
}

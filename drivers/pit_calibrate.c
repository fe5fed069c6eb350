/* pit_calibrate: the TSC's rate measured against PIT channel 2, robust to a busy emulator host. */
#include "drivers/pit_calibrate.h"

#include <stdbool.h>

#include "arch/x86/cpu.h"

#define PIT_HZ 1193182ull
#define PIT_CH2_DATA 0x42
#define PIT_COMMAND 0x43
#define PORT61 0x61
#define PORT61_GATE2 0x01
#define PORT61_SPEAKER 0x02
#define PORT61_OUT2 0x20

/* One reading of PIT channel 2's count with the TSC taken before and after it. */
struct pit_reading {
	uint64_t tsc;		/* the middle of the bracket */
	uint64_t bracket;	/* TSC ticks the reading took */
	uint16_t count;
};

/*
 * The counter-latch command (8254 data sheet: command 0x80 freezes channel 2's count for
 * the two reads), the TSC around it.
 */
static void pit_read(struct pit_reading *r)
{
	uint64_t t1 = rdtsc();
	outb(PIT_COMMAND, 0x80);
	uint8_t lo = inb(PIT_CH2_DATA);
	uint8_t hi = inb(PIT_CH2_DATA);
	uint64_t t2 = rdtsc();
	r->tsc = t1 + (t2 - t1) / 2;
	r->bracket = t2 - t1;
	r->count = (uint16_t)(lo | (hi << 8));
}

/*
 * A run of readings: each one's cost in PIT ticks (the count's drop since the previous
 * one) is tracked, and the one with the tightest bracket kept: an emulator thread
 * descheduled in the middle of one only widens that bracket.
 */
struct pit_run {
	struct pit_reading best, last;
	uint32_t cost;		/* the most PIT ticks one reading took */
};

static void run_take(struct pit_run *r, bool first)
{
	struct pit_reading now;
	pit_read(&now);
	uint32_t drop = (uint32_t)r->last.count - now.count;
	if (!first && now.count <= r->last.count && drop > r->cost)
		r->cost = drop;
	r->last = now;
	if (first || now.bracket < r->best.bracket)
		r->best = now;
}

/*
 * The TSC rate from two timed readings of PIT channel 2, counting down from 0xffff in mode
 * 0 with its gate (port 0x61 bit 0) high: the rate is the TSC ticks between the readings
 * over the PIT ticks between them. Waiting for OUT2 to rise instead (the usual way) times
 * the moment the CPU *noticed* the end of the window: under an emulator on a busy host
 * that came late by tens of milliseconds (measured: 7.8 GHz for a 2.6 GHz TSC, which made
 * every device timer of the guest three times too slow). Here lateness only moves the
 * readings, which carry their own time.
 *
 * The count lasts 55 ms, and where each port access is slow (a nested guest's: an exit to
 * its hypervisor's VMM and back, about a millisecond of emulated time) the eight closing
 * readings of a fixed 30 ms window ran past zero: OUT2 rose, the window was lost, every
 * window was, and L2 reported a PIT that does not count. So the window ends early enough
 * for the closing readings to finish before zero, by the cost of a reading measured on
 * the way, and none is taken with less than two readings' worth of count left; OUT2 read
 * right after them then means the count wrapped between readings (a stall of 55 ms). A
 * window shorter than CAL_MIN_WINDOW_PIT_TICKS is no measurement.
 */
#define CAL_WINDOW_PIT_TICKS 36000	/* about 30 ms of the 55 ms the count lasts */
#define CAL_MIN_WINDOW_PIT_TICKS 6000	/* 5 ms: a slow reading is then at most a few % */
#define CAL_READINGS 8			/* at each end of the window */

static uint64_t tsc_measure_once(struct pit_calibration *c)
{
	uint8_t p61 = inb(PORT61);
	outb(PORT61, (uint8_t)((p61 & ~PORT61_SPEAKER) & ~PORT61_GATE2));
	outb(PIT_COMMAND, 0xb0);	/* channel 2, lobyte/hibyte, mode 0, binary */
	outb(PIT_CH2_DATA, 0xff);
	outb(PIT_CH2_DATA, 0xff);
	outb(PORT61, (uint8_t)((p61 & ~PORT61_SPEAKER) | PORT61_GATE2));

	struct pit_run run = { 0 };
	run_take(&run, true);
	for (unsigned i = 1; i < CAL_READINGS; i++)
		run_take(&run, false);
	struct pit_reading start = run.best;
	uint64_t spins = 0;
	/* Wait: the window is long enough, or only the closing readings' room is left. */
	while (run.last.count <= start.count &&
	       (uint16_t)(start.count - run.last.count) < CAL_WINDOW_PIT_TICKS &&
	       (uint32_t)run.last.count > (CAL_READINGS + 2) * run.cost && ++spins < 100000000)
		run_take(&run, false);
	run_take(&run, true);
	for (unsigned i = 1; i < CAL_READINGS && (uint32_t)run.last.count > 2 * run.cost; i++)
		run_take(&run, false);
	/* OUT2 high: the count reached 0 and wrapped (a stall of 55 ms or more), so the
	 * difference of the two readings no longer tells the time between them. */
	bool wrapped = inb(PORT61) & PORT61_OUT2;
	outb(PORT61, p61);
	struct pit_reading end = run.best;
	if (run.cost > c->reading_ticks)
		c->reading_ticks = run.cost;
	if (wrapped || end.count > start.count) {
		c->wrapped++;
		return 0;
	}
	if ((uint32_t)(start.count - end.count) < CAL_MIN_WINDOW_PIT_TICKS || spins >= 100000000)
		return 0;
	return (end.tsc - start.tsc) * PIT_HZ / (uint64_t)(start.count - end.count);
}

static void sort_u64(uint64_t *a, unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && a[j - 1] > a[j]; j--) {
			uint64_t t = a[j];
			a[j] = a[j - 1];
			a[j - 1] = t;
		}
}

/* Three good windows (of at most 24 tries), the median: one disturbed beyond what the
 * brackets absorb is outvoted. A window costs at most the 55 ms the count lasts; the
 * tries beyond the first three are for a nested guest on a loaded emulator host, where
 * stalls of tens of milliseconds wrapped 8 windows of 9 (measured in L2 under nestor on
 * the 2-core machine during a test-suite run). nestor (drivers/tsc.c) and the test
 * kernels (tests/guests/lib/delay.c) both calibrate with this. */
#define CALIBRATION_RUNS 3
#define CALIBRATION_TRIES 24

uint64_t pit_calibrate_tsc_hz(struct pit_calibration *c)
{
	uint64_t rates[CALIBRATION_RUNS];
	unsigned n = 0;
	c->reading_ticks = 0;
	c->wrapped = 0;
	for (unsigned tries = 0; n < CALIBRATION_RUNS && tries < CALIBRATION_TRIES; tries++) {
		uint64_t r = tsc_measure_once(c);
		if (r >= 1000000)
			rates[n++] = r;
	}
	c->windows = n;
	if (n == 0)
		return c->lowest = c->highest = 0;
	sort_u64(rates, n);
	c->lowest = rates[0];
	c->highest = rates[n - 1];
	return rates[n / 2];
}

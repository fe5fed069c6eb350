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

/*
 * One reading of PIT channel 2's count with the TSC around it: the counter-latch command
 * (SDM-era 8254 data sheet: command 0x80 freezes channel 2's count for the two reads), the
 * TSC taken before and after. Of `tries` readings the one with the tightest bracket wins:
 * an emulator thread descheduled in the middle of one only widens that bracket.
 */
static void pit_sample(unsigned tries, uint64_t *tsc, uint16_t *count, uint64_t *bracket)
{
	*bracket = UINT64_MAX;
	for (unsigned i = 0; i < tries; i++) {
		uint64_t t1 = rdtsc();
		outb(PIT_COMMAND, 0x80);
		uint8_t lo = inb(PIT_CH2_DATA);
		uint8_t hi = inb(PIT_CH2_DATA);
		uint64_t t2 = rdtsc();
		if (t2 - t1 < *bracket) {
			*bracket = t2 - t1;
			*tsc = t1 + (t2 - t1) / 2;
			*count = (uint16_t)(lo | (hi << 8));
		}
	}
}

/*
 * The TSC rate from two timed readings of PIT channel 2, counting down from 0xffff in mode
 * 0 with its gate (port 0x61 bit 0) high: the rate is the TSC ticks between the readings
 * over the PIT ticks between them. Waiting for OUT2 to rise instead (the usual way) times
 * the moment the CPU *noticed* the end of the window: under an emulator on a busy host
 * that came late by tens of milliseconds (measured: 7.8 GHz for a 2.6 GHz TSC, which made
 * every device timer of the guest three times too slow). Here lateness only moves the
 * readings, which carry their own time. 0 when the PIT does not count.
 */
#define CAL_WINDOW_PIT_TICKS 36000	/* about 30 ms of the 55 ms the count lasts */

static uint64_t tsc_measure_once(void)
{
	uint8_t p61 = inb(PORT61);
	outb(PORT61, (uint8_t)((p61 & ~PORT61_SPEAKER) & ~PORT61_GATE2));
	outb(PIT_COMMAND, 0xb0);	/* channel 2, lobyte/hibyte, mode 0, binary */
	outb(PIT_CH2_DATA, 0xff);
	outb(PIT_CH2_DATA, 0xff);
	outb(PORT61, (uint8_t)((p61 & ~PORT61_SPEAKER) | PORT61_GATE2));

	uint64_t t0 = 0, t1 = 0, b0, b1;
	uint16_t c0 = 0, c1 = 0;
	pit_sample(8, &t0, &c0, &b0);
	uint64_t spins = 0;
	do {
		pit_sample(1, &t1, &c1, &b1);
	} while ((uint16_t)(c0 - c1) < CAL_WINDOW_PIT_TICKS && c1 <= c0 && ++spins < 100000000);
	pit_sample(8, &t1, &c1, &b1);
	/* OUT2 high: the count reached 0 and wrapped (a stall of 55 ms or more), so the
	 * difference of the two readings no longer tells the time between them. */
	bool wrapped = inb(PORT61) & PORT61_OUT2;
	outb(PORT61, p61);
	if (c1 >= c0 || wrapped || spins >= 100000000)
		return 0;
	return (t1 - t0) * PIT_HZ / (uint64_t)(c0 - c1);
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

/* Three good windows (of at most nine tries), the median: one disturbed beyond what the
 * brackets absorb is outvoted. nestor (drivers/tsc.c) and the test kernels
 * (tests/guests/lib/delay.c) both calibrate with this. */
#define CALIBRATION_RUNS 3
#define CALIBRATION_TRIES 9

uint64_t pit_calibrate_tsc_hz(struct pit_calibration *c)
{
	uint64_t rates[CALIBRATION_RUNS];
	unsigned n = 0;
	for (unsigned tries = 0; n < CALIBRATION_RUNS && tries < CALIBRATION_TRIES; tries++) {
		uint64_t r = tsc_measure_once();
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

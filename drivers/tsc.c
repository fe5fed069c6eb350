/* tsc: nestor's clock: the TSC, calibrated once against the PIT. */
#include "drivers/tsc.h"

#include "arch/x86/cpu.h"
#include "lib/log.h"

#define PIT_HZ 1193182ull
#define PIT_CH2_DATA 0x42
#define PIT_COMMAND 0x43
#define PORT61 0x61
#define PORT61_GATE2 0x01
#define PORT61_SPEAKER 0x02
#define PORT61_OUT2 0x20
#define CALIBRATION_PIT_TICKS 11932	/* 10 ms */

static uint64_t tsc_rate;
static uint64_t tsc_base;
/* ns = (tsc * mult) >> 32, mult precomputed: no 128-bit division in the hot path. */
static uint64_t tsc_mult;

/*
 * PIT channel 2 in mode 0 counts down once with its gate (port 0x61 bit 0) high and
 * raises OUT2 (port 0x61 bit 5) at zero; the TSC ticks in between give the rate.
 */
void tsc_calibrate(void)
{
	uint8_t p61 = inb(PORT61);
	outb(PORT61, (uint8_t)((p61 & ~PORT61_SPEAKER) & ~PORT61_GATE2));
	outb(PIT_COMMAND, 0xb0);	/* channel 2, lobyte/hibyte, mode 0, binary */
	outb(PIT_CH2_DATA, CALIBRATION_PIT_TICKS & 0xff);
	outb(PIT_CH2_DATA, CALIBRATION_PIT_TICKS >> 8);
	outb(PORT61, (uint8_t)((p61 & ~PORT61_SPEAKER) | PORT61_GATE2));
	uint64_t start = rdtsc();
	uint64_t spins = 0;
	while (!(inb(PORT61) & PORT61_OUT2) && ++spins < 100000000)
		;
	uint64_t end = rdtsc();
	outb(PORT61, p61);

	tsc_rate = (end - start) * PIT_HZ / CALIBRATION_PIT_TICKS;
	if (spins >= 100000000 || tsc_rate < 1000000) {
		log_warn("tsc: PIT calibration failed (OUT2 never rose); assuming 1 GHz");
		tsc_rate = 1000000000;
	}
	tsc_mult = (1000000000ull << 32) / tsc_rate;
	tsc_base = rdtsc();
}

uint64_t tsc_hz(void)
{
	return tsc_rate;
}

uint64_t tsc_to_ns(uint64_t delta)
{
	/* A 64x64->128 multiply (one MUL instruction): no overflow for any delta. */
	return (uint64_t)(((unsigned __int128)delta * tsc_mult) >> 32);
}

uint64_t tsc_now_ns(void)
{
	return tsc_to_ns(rdtsc() - tsc_base);
}

void tsc_delay_ns(uint64_t ns)
{
	uint64_t end = tsc_now_ns() + ns;
	while (tsc_now_ns() < end)
		cpu_pause();
}

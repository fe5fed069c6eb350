/* delay: TSC rate from a 10 ms PIT channel-2 interval (the calibration Linux also uses). */
#include "delay.h"

#include "pit.h"
#include "report.h"
#include "x86.h"

#define CALIBRATE_MS		10
#define CALIBRATE_COUNT		(PIT_HZ / (1000 / CALIBRATE_MS))
#define CALIBRATE_POLL_LIMIT	200000000ull
#define FALLBACK_TSC_PER_MS	1000000ull	/* 1 GHz, only if the PIT never answers */

static uint64_t cached_tsc_per_ms;

static uint64_t calibrate(void)
{
	uint64_t polls = 0;

	pit_ch2_start(CALIBRATE_COUNT);
	uint64_t start = rdtsc();
	while (!pit_ch2_out() && ++polls < CALIBRATE_POLL_LIMIT)
		cpu_relax();
	uint64_t end = rdtsc();
	pit_ch2_stop();

	if (polls >= CALIBRATE_POLL_LIMIT || end <= start) {
		report_fail("tsc-calibration", "PIT channel 2 OUT never rose; assuming 1 GHz");
		return FALLBACK_TSC_PER_MS;
	}
	return (end - start) / CALIBRATE_MS ? (end - start) / CALIBRATE_MS : 1;
}

uint64_t tsc_per_ms(void)
{
	if (!cached_tsc_per_ms)
		cached_tsc_per_ms = calibrate();
	return cached_tsc_per_ms;
}

uint64_t timeout_after_us(uint64_t us)
{
	return rdtsc() + us * tsc_per_ms() / 1000;
}

bool timeout_expired(uint64_t deadline)
{
	return (int64_t)(rdtsc() - deadline) >= 0;
}

void delay_us(uint64_t us)
{
	uint64_t deadline = timeout_after_us(us);

	while (!timeout_expired(deadline))
		cpu_relax();
}

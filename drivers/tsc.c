/* tsc: nestor's clock: the TSC, calibrated once against the PIT. */
#include "drivers/tsc.h"

#include "arch/x86/cpu.h"
#include "drivers/pit_calibrate.h"
#include "lib/log.h"


static uint64_t tsc_rate;
static uint64_t tsc_base;
/* ns = (tsc * mult) >> 32, mult precomputed: no 128-bit division in the hot path. */
static uint64_t tsc_mult;

void tsc_calibrate(void)
{
	struct pit_calibration c;
	tsc_rate = pit_calibrate_tsc_hz(&c);
	if (!tsc_rate) {
		log_warn("tsc: PIT calibration failed (channel 2 does not count); assuming 1 GHz");
		tsc_rate = 1000000000;
	} else {
		log_debug("tsc: %u PIT windows, %llu..%llu Hz, the median taken (readings up "
			  "to %u PIT ticks, %u windows wrapped)", c.windows,
			  (unsigned long long)c.lowest, (unsigned long long)c.highest,
			  c.reading_ticks, c.wrapped);
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

uint64_t tsc_ns_at(uint64_t tsc)
{
	return tsc_to_ns(tsc - tsc_base);
}

void tsc_delay_ns(uint64_t ns)
{
	uint64_t end = tsc_now_ns() + ns;
	while (tsc_now_ns() < end)
		cpu_pause();
}

/* delay: the TSC rate from PIT channel 2, measured the way nestor measures its own. */
#include "delay.h"

#include "bootinfo.h"

#include "drivers/pit_calibrate.h"
#include "report.h"
#include "x86.h"

#define FALLBACK_TSC_PER_MS	1000000ull	/* 1 GHz, only if the PIT never answers */
/* A PIT reading this slow (about 0.8 ms: a nested guest's) is worth a line. */
#define SLOW_READING_PIT_TICKS	1000

static uint64_t cached_tsc_per_ms;

/*
 * drivers/pit_calibrate.c, the very file nestor uses: latched channel-2 readings with
 * the TSC around each, so a guest whose vCPU is descheduled (nested, or an emulator on a
 * busy host) still measures the true rate; waiting for OUT2 instead overestimated it by
 * whatever time passed before the guest noticed (measured: 3x under QEMU TCG and load).
 */
static uint64_t calibrate(void)
{
	/* `tsc-khz=N` on the command line: the rate where the emulator fixes it (Bochs's TSC
	 * runs at its `ips`), for a nested payload whose PIT readings are too slow to time. */
	uint64_t khz = bootinfo_param("tsc-khz", 0);
	if (khz) {
		report_info("tsc-calibration: %llu kHz from the command line", (unsigned long long)khz);
		return khz;
	}
	struct pit_calibration c;
	uint64_t hz = pit_calibrate_tsc_hz(&c);
	if (!hz) {
		report_fail("tsc-calibration", "PIT channel 2 does not count (readings took up to "
			    "%u PIT ticks, %u windows wrapped); assuming 1 GHz", c.reading_ticks,
			    c.wrapped);
		return FALLBACK_TSC_PER_MS;
	}
	if (c.reading_ticks >= SLOW_READING_PIT_TICKS)
		report_info("tsc-calibration: slow PIT readings (up to %u PIT ticks each, %u "
			    "windows wrapped): %u windows, %llu..%llu Hz", c.reading_ticks,
			    c.wrapped, c.windows, (unsigned long long)c.lowest,
			    (unsigned long long)c.highest);
	return hz / 1000 ? hz / 1000 : 1;
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

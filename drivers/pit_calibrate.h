/* pit_calibrate: the TSC's rate measured against PIT channel 2. */
#ifndef NESTOR_DRIVERS_PIT_CALIBRATE_H
#define NESTOR_DRIVERS_PIT_CALIBRATE_H

#include <stdint.h>

struct pit_calibration {
	unsigned windows;		/* good measurements taken */
	uint64_t lowest, highest;	/* their spread, Hz */
	uint32_t reading_ticks;		/* the most PIT ticks one reading took */
	unsigned wrapped;		/* windows lost to a count that wrapped */
};

/*
 * The TSC rate in Hz, the median of three windows of about 30 ms each (shorter where a
 * port access is slow) timed by latched readings of PIT channel 2; 0 when channel 2 does
 * not count. Uses channel 2 and port
 * 0x61 (restored after); interrupts may stay enabled.
 */
uint64_t pit_calibrate_tsc_hz(struct pit_calibration *c);

#endif

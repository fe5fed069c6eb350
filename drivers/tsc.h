/* tsc: nestor's clock: the TSC, calibrated once against the PIT. */
#ifndef NESTOR_DRIVERS_TSC_H
#define NESTOR_DRIVERS_TSC_H

#include <stdint.h>

/* Measures the TSC rate with PIT channel 2 (the only timer every PC has). */
void tsc_calibrate(void);
uint64_t tsc_hz(void);
/* Nanoseconds since calibration; monotonic. */
uint64_t tsc_now_ns(void);
/* The nanosecond of nestor's clock at which the TSC read `tsc`. */
uint64_t tsc_ns_at(uint64_t tsc);
uint64_t tsc_to_ns(uint64_t tsc_delta);
void tsc_delay_ns(uint64_t ns);

#endif

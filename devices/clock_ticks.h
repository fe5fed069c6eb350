/* clock_ticks: exact conversion between injected nanoseconds and a device clock's ticks. */
#ifndef NESTOR_DEVICES_CLOCK_TICKS_H
#define NESTOR_DEVICES_CLOCK_TICKS_H

#include <stdbool.h>
#include <stdint.h>

#define NS_PER_SEC 1000000000ull

/* What a timed device's *_next_deadline() returns when nothing it does depends on time. */
#define DEVICE_NO_DEADLINE UINT64_MAX

/* floor(ns * hz / 1e9) without a 128-bit product: whole seconds and the remainder apart. */
uint64_t clock_ticks_at(uint64_t ns, uint32_t hz);

/*
 * The smallest ns with clock_ticks_at(ns, hz) >= ticks, so a host timer armed for it
 * never fires early; UINT64_MAX when that lies beyond 2^64 ns.
 */
uint64_t clock_ns_for_ticks(uint64_t ticks, uint32_t hz);

/*
 * Moves a device's clock to new_ns. Injected time never runs backwards: an older time
 * is refused, counted in *backwards, logged once (as reason in *logged, see dev_log.h)
 * and answered with false.
 */
bool clock_advance(uint64_t *now_ns, uint64_t new_ns, uint64_t *backwards, uint32_t *logged,
		   unsigned reason, const char *device);

#endif

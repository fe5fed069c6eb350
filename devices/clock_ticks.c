/* clock_ticks: exact conversion between injected nanoseconds and a device clock's ticks. */
#include "devices/clock_ticks.h"

#include "devices/dev_log.h"

uint64_t clock_ticks_at(uint64_t ns, uint32_t hz)
{
	/* (ns % 1e9) * hz < 1e9 * 2^32 fits in 64 bits, so no term overflows. */
	return (ns / NS_PER_SEC) * hz + (ns % NS_PER_SEC) * hz / NS_PER_SEC;
}

uint64_t clock_ns_for_ticks(uint64_t ticks, uint32_t hz)
{
	uint64_t seconds = ticks / hz;
	uint64_t rest = ticks % hz;
	uint64_t rest_ns = (rest * NS_PER_SEC + hz - 1) / hz;	/* rest < 2^32: no overflow */

	if (seconds > (UINT64_MAX - rest_ns) / NS_PER_SEC)
		return UINT64_MAX;
	return seconds * NS_PER_SEC + rest_ns;
}

bool clock_advance(uint64_t *now_ns, uint64_t new_ns, uint64_t *backwards, uint32_t *logged,
		   unsigned reason, const char *device)
{
	if (new_ns >= *now_ns) {
		*now_ns = new_ns;
		return true;
	}
	(*backwards)++;
	dev_log_once(logged, reason, LOG_WARN, "%s: time went backwards (%llu < %llu ns); ignored",
		     device, (unsigned long long)new_ns, (unsigned long long)*now_ns);
	return false;
}

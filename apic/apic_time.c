/* apic_time: TSC <-> virtual-nanosecond conversion with 64-bit integer arithmetic only. */
#include "apic/apic_time.h"

#define NS_PER_SEC 1000000000ull

static uint64_t hz_of(const struct apic_tsc_clock *c)
{
	return c->tsc_hz ? c->tsc_hz : NS_PER_SEC;
}

/* a * b / d without overflow for b, d < 2^34 (frequencies up to ~17 GHz). */
static uint64_t mul_div(uint64_t a, uint64_t b, uint64_t d, uint64_t *rem)
{
	uint64_t q = a / d, r = a % d;
	uint64_t lo = r * b;
	*rem = lo % d;
	return q * b + lo / d;
}

uint64_t apic_tsc_from_ns(const struct apic_tsc_clock *c, uint64_t ns)
{
	uint64_t rem;
	return c->tsc_at_zero + mul_div(ns, hz_of(c), NS_PER_SEC, &rem);
}

uint64_t apic_ns_from_tsc(const struct apic_tsc_clock *c, uint64_t tsc)
{
	uint64_t rem, ns;
	if (tsc <= c->tsc_at_zero)
		return 0;
	ns = mul_div(tsc - c->tsc_at_zero, NS_PER_SEC, hz_of(c), &rem);
	return rem ? ns + 1 : ns;	/* round up: never fire before the TSC got there */
}

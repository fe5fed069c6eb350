/* rng: one xorshift64 generator per CPU, seeded from the command line's seed. */
#include "stress.h"

/*
 * Per CPU, so neither CPU's choices depend on the other's progress. A handler that
 * interrupts the update reuses a value at worst: the choices stay random, which is all
 * they need to be (the run as a whole depends on timing and is not replayable anyway).
 */
uint64_t rng_next(struct stress_cpu *c)
{
	uint64_t x = c->rng;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	c->rng = x;
	return x;
}

unsigned rng_below(struct stress_cpu *c, unsigned n)
{
	return n ? (unsigned)(rng_next(c) % n) : 0;
}

struct stress_cpu *my(void)
{
	return &st.cpu[this_cpu()->index];
}

/* vec256: the 256-bit vector sets of the local APIC (IRR, ISR, TMR). */
#ifndef NESTOR_APIC_VEC256_H
#define NESTOR_APIC_VEC256_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Eight 32-bit words, the layout of the APIC registers themselves (SDM 11.8.4): word i
 * holds vectors 32*i .. 32*i+31. Senders on other CPUs set IRR/TMR bits with atomics while
 * the owning vCPU clears them, so every access to a shared set goes through these helpers.
 */
struct vec256 {
	uint32_t w[8];
};

/* Sets the bit; returns true if it was already set (the interrupt coalesced). */
static inline bool vec256_set_atomic(struct vec256 *v, unsigned vector)
{
	uint32_t bit = 1u << (vector & 31);
	return __atomic_fetch_or(&v->w[(vector >> 5) & 7], bit, __ATOMIC_ACQ_REL) & bit;
}

/* Clears the bit; returns true if it was set. */
static inline bool vec256_clear_atomic(struct vec256 *v, unsigned vector)
{
	uint32_t bit = 1u << (vector & 31);
	return __atomic_fetch_and(&v->w[(vector >> 5) & 7], ~bit, __ATOMIC_ACQ_REL) & bit;
}

static inline bool vec256_test(const struct vec256 *v, unsigned vector)
{
	return (__atomic_load_n(&v->w[(vector >> 5) & 7], __ATOMIC_ACQUIRE) >> (vector & 31)) & 1;
}

static inline uint32_t vec256_word(const struct vec256 *v, unsigned i)
{
	return __atomic_load_n(&v->w[i & 7], __ATOMIC_ACQUIRE);
}

/* Highest vector in the set, or -1 when empty. */
static inline int vec256_highest(const struct vec256 *v)
{
	for (int i = 7; i >= 0; i--) {
		uint32_t w = vec256_word(v, (unsigned)i);
		if (w)
			return i * 32 + 31 - __builtin_clz(w);
	}
	return -1;
}

#endif

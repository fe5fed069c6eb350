/* delay: TSC-based delays and timeouts, the TSC rate measured against the PIT. */
#ifndef GUEST_DELAY_H
#define GUEST_DELAY_H

#include <stdbool.h>
#include <stdint.h>

/* TSC ticks per millisecond; calibrates on first use. */
uint64_t tsc_per_ms(void);
void delay_us(uint64_t us);

/* A timeout: `deadline = timeout_after_us(n)` then poll `timeout_expired(deadline)`. */
uint64_t timeout_after_us(uint64_t us);
bool timeout_expired(uint64_t deadline);

#endif

/* apic_time: conversion between the guest's TSC and nestor's virtual nanoseconds. */
#ifndef NESTOR_APIC_APIC_TIME_H
#define NESTOR_APIC_APIC_TIME_H

#include <stdint.h>

/*
 * guest_tsc = tsc_at_zero + now_ns * tsc_hz / 1e9. Integer arithmetic only: nestor is
 * built with -mgeneral-regs-only, so there is no floating point, and 128-bit division
 * would need libgcc; both directions split the product into quotient and remainder.
 */
struct apic_tsc_clock {
	uint64_t tsc_hz;	/* 0 means 1 GHz */
	uint64_t tsc_at_zero;
};

uint64_t apic_tsc_from_ns(const struct apic_tsc_clock *c, uint64_t ns);
/* The first virtual nanosecond at which the guest TSC has reached `tsc`. */
uint64_t apic_ns_from_tsc(const struct apic_tsc_clock *c, uint64_t tsc);

#endif

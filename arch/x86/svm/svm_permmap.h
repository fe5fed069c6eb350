/* svm_permmap: where an MSR's and a port's intercept bits sit in the SVM permission maps. */
#ifndef NESTOR_ARCH_X86_SVM_SVM_PERMMAP_H
#define NESTOR_ARCH_X86_SVM_SVM_PERMMAP_H

#include <stdbool.h>
#include <stdint.h>

/*
 * APM Vol. 2, 15.11: the MSRPM holds two bits per MSR (read, then write) in three 2 KiB
 * vectors covering MSRs 0000_0000-0000_1FFF, C000_0000-C000_1FFF and C001_0000-C001_1FFF.
 * Sets *byte and *shift of the read bit (the write bit is the next one); false for an MSR
 * outside the three ranges, whose accesses always exit when MSR_PROT is set.
 */
static inline bool svm_msrpm_locate(uint32_t msr, uint32_t *byte, unsigned *shift)
{
	uint32_t base;
	if (msr <= 0x1fff)
		base = 0;
	else if (msr >= 0xc0000000 && msr <= 0xc0001fff)
		base = 0x800;
	else if (msr >= 0xc0010000 && msr <= 0xc0011fff)
		base = 0x1000;
	else
		return false;
	uint32_t bit = (msr & 0x1fff) * 2;
	*byte = base + bit / 8;
	*shift = bit % 8;
	return true;
}

/* APM 15.10.1: one bit per port; an access of N bytes tests the bits of ports P..P+N-1. */
static inline bool svm_iopm_test(const uint8_t *iopm, uint32_t port)
{
	return iopm[port / 8] >> (port % 8) & 1;
}

#endif

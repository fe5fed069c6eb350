/* nsvm_permmap: L1's and nestor's MSR and I/O permission maps, merged and looked up. */
#ifndef NESTOR_NESTED_SVM_NSVM_PERMMAP_H
#define NESTOR_NESTED_SVM_NSVM_PERMMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A set bit intercepts (APM 15.10.1, 15.11): vmcb02's map must intercept what either L1 or
 * nestor intercepts, so it is the bitwise OR of the two (n = SVM_MSRPM_SIZE or
 * SVM_IOPM_SIZE). A map L1 does not use (its intercept bit clear) is passed as NULL and
 * counts as all clear.
 */
void nsvm_permmap_union(uint8_t *out, const uint8_t *l0, const uint8_t *l1, size_t n);

/* Does this map intercept the access? An MSR outside the map's ranges always does. */
bool nsvm_msrpm_intercepts(const uint8_t *msrpm, uint32_t msr, bool write);
bool nsvm_iopm_intercepts(const uint8_t *iopm, uint16_t port, unsigned size);

#endif

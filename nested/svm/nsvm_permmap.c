/* nsvm_permmap: the union of two permission maps and the lookups exit ownership needs. */
#include "arch/x86/svm/svm_permmap.h"
#include "nested/svm/nsvm_permmap.h"

void nsvm_permmap_union(uint8_t *out, const uint8_t *l0, const uint8_t *l1, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (uint8_t)(l0[i] | (l1 ? l1[i] : 0));
}

bool nsvm_msrpm_intercepts(const uint8_t *msrpm, uint32_t msr, bool write)
{
	uint32_t byte;
	unsigned shift;
	if (!svm_msrpm_locate(msr, &byte, &shift))
		return true;
	return msrpm[byte] >> (shift + (write ? 1 : 0)) & 1;
}

/* A multi-byte access is intercepted if any of its ports is (the map is 12 KiB so that
 * an access at 0xFFFF still has bits for the ports past it). */
bool nsvm_iopm_intercepts(const uint8_t *iopm, uint16_t port, unsigned size)
{
	for (unsigned i = 0; i < size; i++)
		if (svm_iopm_test(iopm, (uint32_t)port + i))
			return true;
	return false;
}

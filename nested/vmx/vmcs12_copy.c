/* vmcs12_copy: copying vmcs12s and their guest-state fields quickly (every nested entry and exit). */
#include "nested/vmx/vmcs12.h"

_Static_assert(sizeof(struct vmcs12) % 8 == 0, "vmcs12 copies go 8 bytes at a time");

#define WORDS (sizeof(struct vmcs12) / 8)

void vmcs12_copy(struct vmcs12 *dst, const struct vmcs12 *src)
{
	uint64_t *d = (uint64_t *)dst;
	const uint64_t *s = (const uint64_t *)src;
	for (unsigned i = 0; i < WORDS; i++)
		d[i] = s[i];
}

void vmcs12_clear(struct vmcs12 *v)
{
	uint64_t *d = (uint64_t *)v;
	for (unsigned i = 0; i < WORDS; i++)
		d[i] = 0;
}

/* Generated from the field lists, so it covers exactly the guest-state fields (type 2). */
#define GUEST_COPY(enc, m) if (VMCS_ENC_TYPE(enc) == 2) dst->m = src->m;

void vmcs12_copy_guest(struct vmcs12 *dst, const struct vmcs12 *src)
{
	VMCS12_FIELDS_64(GUEST_COPY)
	VMCS12_FIELDS_NATURAL(GUEST_COPY)
	VMCS12_FIELDS_32(GUEST_COPY)
	VMCS12_FIELDS_16(GUEST_COPY)
}

/* cpuid_xsave: leaf 0Dh for the offered XSAVE components: their sizes, computed. */
#ifndef NESTOR_VM_CPUID_XSAVE_H
#define NESTOR_VM_CPUID_XSAVE_H

#include "vm/cpuid_model.h"

/*
 * Size of a compacted XSAVE area (XSAVEC/XSAVES) holding the components in xfeatures,
 * from their CPUID.(0Dh,i) descriptions components[i] (EAX size, ECX[1] 64-byte alignment),
 * i < count (SDM Vol. 1, 13.4.3).
 */
uint32_t xsave_compacted_size(uint64_t xfeatures, const struct cpuid_regs *components,
			      unsigned count);
/* Size of a standard-format XSAVE area for xfeatures: where the last component ends
 * (EBX offset + EAX size), at least the legacy region and header (SDM Vol. 1, 13.4.1). */
uint32_t xsave_standard_size(uint64_t xfeatures, const struct cpuid_regs *components,
			     unsigned count);
/* The XSAVE fixups (enum cpuid_fixup) of leaf 0Dh. */
void cpuid_fix_xsave(unsigned fixup, const struct personality *p, const struct cpuid_host *host,
		     const struct cpuid_state *s, uint32_t subleaf, struct cpuid_regs *r);

#endif

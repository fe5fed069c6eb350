/* cpuid_fixup: the computed and dynamic parts of a CPUID answer (enum cpuid_fixup). */
#ifndef NESTOR_VM_CPUID_FIXUP_H
#define NESTOR_VM_CPUID_FIXUP_H

#include "vm/cpuid_model.h"

/* Applies `fixup` to *out, the allowlisted answer for (leaf, subleaf). */
void cpuid_apply_fixup(unsigned fixup, const struct personality *p, const struct cpuid_host *host,
		       const struct cpuid_state *s, const struct cpuid_ranges *rg, uint32_t leaf,
		       uint32_t subleaf, struct cpuid_regs *out);

#endif

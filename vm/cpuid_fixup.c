/* cpuid_fixup: what nestor computes in a CPUID answer: identity, topology, dynamic bits. */
#include "vm/cpuid_fixup.h"

#include "vm/cpuid_xsave.h"
#include "vm/personality.h"

#define BIT(n) (1u << (n))
#define CR4_OSXSAVE (1ull << 18)
#define CR4_PKE (1ull << 22)
#define APIC_BASE_EN (1ull << 11)
/* IA32_MISC_ENABLE[34], XD Bit Disable: CPUID.80000001h:EDX.NX reads 0 (SDM Vol. 4). */
#define MISC_ENABLE_XD_DISABLE (1ull << 34)

/* Bits needed to number n CPUs (the x2APIC topology shift). */
static uint32_t bits_for(unsigned n)
{
	uint32_t b = 0;
	while ((1u << b) < n)
		b++;
	return b;
}

/* Leaf 1 (SDM Vol. 2A Table 3-8): initial APIC ID in EBX[31:24], logical processors in
 * [23:16]; HTT with more than one; APIC while IA32_APIC_BASE.EN is set (SDM Vol. 3A
 * 11.4.3: a disabled APIC is as if absent); OSXSAVE = CR4.OSXSAVE. */
static void fix_features(const struct cpuid_state *s, struct cpuid_regs *r)
{
	r->ebx = (r->ebx & 0x0000ffffu) | (s->vcpu_id << 24) | ((s->nvcpus & 0xff) << 16);
	r->edx &= ~BIT(28);
	if (s->nvcpus > 1)
		r->edx |= BIT(28);
	if (!(s->apic_base & APIC_BASE_EN))
		r->edx &= ~BIT(9);
	r->ecx &= ~BIT(27);
	if (s->cr4 & CR4_OSXSAVE)
		r->ecx |= BIT(27);
}

/* x2APIC topology (SDM Vol. 3A 9.9): an SMT level of 1, then every vCPU as a core. */
static void fix_topology(const struct cpuid_state *s, uint32_t subleaf, struct cpuid_regs *r)
{
	r->edx = s->vcpu_id;
	if (subleaf == 0) {
		r->eax = 0;
		r->ebx = 1;
		r->ecx = 0 | (1u << 8);
	} else if (subleaf == 1) {
		r->eax = bits_for(s->nvcpus);
		r->ebx = s->nvcpus;
		r->ecx = 1 | (2u << 8);
	} else {
		r->eax = r->ebx = 0;
		r->ecx = subleaf;
	}
}

void cpuid_apply_fixup(unsigned fixup, const struct personality *p, const struct cpuid_host *host,
		       const struct cpuid_state *s, const struct cpuid_ranges *rg, uint32_t leaf,
		       uint32_t subleaf, struct cpuid_regs *r)
{
	(void)leaf;
	switch (fixup) {
	case CPUID_FIX_MAX_BASIC:
		r->eax = rg->max_basic;
		break;
	case CPUID_FIX_FEATURES:
		fix_features(s, r);
		break;
	case CPUID_FIX_CACHE:
		/* Cores per package - 1 in EAX[31:26]; one core per vCPU. */
		if (r->eax & 0x1f)
			r->eax = (r->eax & 0x03ffffffu) | ((s->nvcpus - 1) << 26);
		break;
	case CPUID_FIX_FEATURES_7:
		/* Subleaf 1 is the last one the table has; OSPKE = CR4.PKE when PKU is offered. */
		r->eax = r->eax < 1 ? r->eax : 1;
		r->ecx &= ~BIT(4);
		if ((r->ecx & BIT(3)) && (s->cr4 & CR4_PKE))
			r->ecx |= BIT(4);
		break;
	case CPUID_FIX_TOPOLOGY:
		fix_topology(s, subleaf, r);
		break;
	case CPUID_FIX_XSAVE_MAIN:
	case CPUID_FIX_XSAVE_EXT:
	case CPUID_FIX_XSAVE_COMPONENT:
		cpuid_fix_xsave(fixup, p, host, s, subleaf, r);
		break;
	case CPUID_FIX_MAX_EXT:
		r->eax = rg->max_ext;
		break;
	case CPUID_FIX_EXT_FEATURES:
		/* AMD's copy of the APIC bit follows leaf 1's; NX goes with XD Bit Disable. */
		if (!(s->apic_base & APIC_BASE_EN))
			r->edx &= ~BIT(9);
		if (s->misc_enable & MISC_ENABLE_XD_DISABLE)
			r->edx &= ~BIT(20);
		break;
	case CPUID_FIX_EXT_TOPOLOGY:
		/* AMD core count: ECX[7:0] = cores - 1, [15:12] = APIC-ID bits for cores. */
		r->ecx = ((s->nvcpus - 1) & 0xff) | (bits_for(s->nvcpus) << 12);
		break;
	default:
		break;
	}
}

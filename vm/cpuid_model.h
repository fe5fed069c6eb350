/* cpuid_model: what CPUID answers a guest: a personality's rules over the host's answers. */
#ifndef NESTOR_VM_CPUID_MODEL_H
#define NESTOR_VM_CPUID_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86/cpu.h"

struct personality;

enum cpuid_reg { CPUID_EAX, CPUID_EBX, CPUID_ECX, CPUID_EDX };

/* A rule for every subleaf of its leaf (a rule for one subleaf wins over it). */
#define CPUID_ANY_SUBLEAF 0xffffffffu

/*
 * What nestor computes in a leaf after the allowlist, from the vCPU and its state
 * (docs/personalities.md "Computed and dynamic bits").
 */
enum cpuid_fixup {
	CPUID_FIX_NONE,
	CPUID_FIX_MAX_BASIC,		/* 0: highest basic leaf (IA32_MISC_ENABLE[22] limits it) */
	CPUID_FIX_FEATURES,		/* 1: APIC ID, CPU count, HTT, APIC (APIC_BASE.EN), OSXSAVE */
	CPUID_FIX_CACHE,		/* 4: cores per package */
	CPUID_FIX_FEATURES_7,		/* 7.0: highest subleaf, OSPKE (CR4.PKE) */
	CPUID_FIX_TOPOLOGY,		/* 0Bh, 1Fh: x2APIC topology of the vCPUs */
	CPUID_FIX_XSAVE_MAIN,		/* 0Dh.0: sizes for the offered components */
	CPUID_FIX_XSAVE_EXT,		/* 0Dh.1: compacted size, no supervisor components */
	CPUID_FIX_XSAVE_COMPONENT,	/* 0Dh.i: only the offered components */
	CPUID_FIX_MAX_EXT,		/* 80000000h: highest extended leaf */
	CPUID_FIX_EXT_FEATURES,		/* 80000001h: APIC mirror, NX (IA32_MISC_ENABLE[34]) */
	CPUID_FIX_EXT_TOPOLOGY,		/* 80000008h: core count and APIC-ID bits */
};

/*
 * One row of a personality's CPUID table. The answer for (leaf, subleaf) is
 * (host & offer) | force over every row that names it, then the fixup. A leaf no row
 * names reads 0 below the highest leaf of its range (the allowlist: a host feature
 * reaches the guest only through an offer bit).
 */
struct cpuid_rule {
	uint32_t leaf;
	uint32_t subleaf;		/* or CPUID_ANY_SUBLEAF */
	struct cpuid_regs offer;	/* host bits passed on when the host has them */
	struct cpuid_regs force;	/* bits set whatever the host says (nestor models them) */
	uint8_t fixup;			/* enum cpuid_fixup */
	const char *what;		/* docs/personalities.md */
};

/*
 * Where the host's answers come from: the CPU (vm/vcpu_cpuid_host.c) or a recording
 * (tests/unit). xcr0 is the guest's XCR0, which nestor never switches.
 */
struct cpuid_host {
	void (*query)(void *ctx, uint32_t leaf, uint32_t subleaf, struct cpuid_regs *out);
	uint64_t (*xcr0)(void *ctx);
	void *ctx;
};

/* The state the dynamic bits follow, and who asks. */
struct cpuid_state {
	unsigned vcpu_id;		/* also the initial APIC ID */
	unsigned nvcpus;
	uint64_t cr4;			/* OSXSAVE, OSPKE */
	uint64_t xcr0;			/* XSAVE area sizes */
	uint64_t apic_base;		/* IA32_APIC_BASE: EN (bit 11) gives CPUID.1:EDX.APIC */
	uint64_t misc_enable;		/* IA32_MISC_ENABLE: [22] limits leaf 0, [34] clears NX */
};

/* The answer for the guest (SDM Vol. 2A CPUID; APM Vol. 3 Appendix E). */
void cpuid_model(const struct personality *p, const struct cpuid_host *host,
		 const struct cpuid_state *s, uint32_t leaf, uint32_t subleaf,
		 struct cpuid_regs *out);

/* The highest leaf of each range the guest sees (0: the range is absent). */
struct cpuid_ranges {
	uint32_t max_basic;		/* min(host, table); IA32_MISC_ENABLE[22]: at most 2 */
	uint32_t max_ext;		/* min(host, table) */
	uint32_t max_hv;		/* the table's highest 4000xxxxh leaf */
};
void cpuid_ranges(const struct personality *p, const struct cpuid_host *host,
		  const struct cpuid_state *s, struct cpuid_ranges *out);
/* Whether the guest's CPUID has `leaf` (else it answers for a leaf out of range). */
bool cpuid_leaf_in_range(const struct cpuid_ranges *rg, uint32_t leaf);

/* The merged rows a table has for (leaf, subleaf); false when it names none. */
bool cpuid_rows(const struct personality *p, uint32_t leaf, uint32_t subleaf,
		struct cpuid_regs *offer, struct cpuid_regs *force, uint8_t *fixup);

/* The host's vendor from its leaf 0 (Hygon counts as AMD: the same rules). */
enum cpuid_vendor { CPUID_VENDOR_OTHER, CPUID_VENDOR_INTEL, CPUID_VENDOR_AMD };
enum cpuid_vendor cpuid_host_vendor(const struct cpuid_host *host);

/* The XCR0 components the guest is offered: the host's, within the table's 0Dh.0 offer. */
uint64_t cpuid_xcr0_offered(const struct personality *p, const struct cpuid_host *host);

static inline uint32_t cpuid_reg_of(const struct cpuid_regs *r, enum cpuid_reg reg)
{
	return reg == CPUID_EAX ? r->eax : reg == CPUID_EBX ? r->ebx :
	       reg == CPUID_ECX ? r->ecx : r->edx;
}

#endif

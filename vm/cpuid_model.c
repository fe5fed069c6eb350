/* cpuid_model: a personality's CPUID rows over the host's answers, leaf ranges, vendor. */
#include "vm/cpuid_model.h"

#include "vm/cpuid_fixup.h"
#include "vm/personality.h"

#define HV_FIRST 0x40000000u
#define HV_LAST 0x4fffffffu
#define EXT_FIRST 0x80000000u
#define EXT_LAST 0x8fffffffu
/* IA32_MISC_ENABLE[22], Limit CPUID Maxval: CPUID.0:EAX reports at most 2 (SDM Vol. 4). */
#define MISC_ENABLE_LIMIT_CPUID (1ull << 22)

static void host_query(const struct cpuid_host *h, uint32_t leaf, uint32_t subleaf,
		       struct cpuid_regs *out)
{
	h->query(h->ctx, leaf, subleaf, out);
}

enum cpuid_vendor cpuid_host_vendor(const struct cpuid_host *host)
{
	struct cpuid_regs r;
	host_query(host, 0, 0, &r);
	if (r.ebx == 0x756e6547 && r.edx == 0x49656e69 && r.ecx == 0x6c65746e)
		return CPUID_VENDOR_INTEL;		/* "GenuineIntel" */
	if ((r.ebx == 0x68747541 && r.edx == 0x69746e65 && r.ecx == 0x444d4163) ||
	    (r.ebx == 0x6f677948 && r.edx == 0x6e65476e && r.ecx == 0x656e6975))
		return CPUID_VENDOR_AMD;		/* "AuthenticAMD", "HygonGenuine" */
	return CPUID_VENDOR_OTHER;
}

/* The highest leaf the table names in [first, last]; 0 when it names none. */
static uint32_t table_max(const struct personality *p, uint32_t first, uint32_t last)
{
	uint32_t max = 0;
	for (unsigned i = 0; i < p->ncpuid; i++)
		if (p->cpuid[i].leaf >= first && p->cpuid[i].leaf <= last && p->cpuid[i].leaf >= max)
			max = p->cpuid[i].leaf;
	return max;
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

void cpuid_ranges(const struct personality *p, const struct cpuid_host *host,
		  const struct cpuid_state *s, struct cpuid_ranges *out)
{
	struct cpuid_regs r;
	host_query(host, 0, 0, &r);
	out->max_basic = min_u32(r.eax, table_max(p, 0, HV_FIRST - 1));
	if (s->misc_enable & MISC_ENABLE_LIMIT_CPUID)
		out->max_basic = min_u32(out->max_basic, 2);
	host_query(host, EXT_FIRST, 0, &r);
	out->max_ext = r.eax >= EXT_FIRST && r.eax <= EXT_LAST ?
			       min_u32(r.eax, table_max(p, EXT_FIRST, EXT_LAST)) : 0;
	out->max_hv = table_max(p, HV_FIRST, HV_LAST);
}

bool cpuid_leaf_in_range(const struct cpuid_ranges *rg, uint32_t leaf)
{
	if (leaf < HV_FIRST)
		return leaf <= rg->max_basic;
	if (leaf <= HV_LAST)
		return rg->max_hv && leaf <= rg->max_hv;
	if (leaf >= EXT_FIRST && leaf <= EXT_LAST)
		return rg->max_ext && leaf <= rg->max_ext;
	return false;
}

/*
 * The rows naming (leaf, subleaf), merged: those for exactly this subleaf if there are any,
 * else those for every subleaf. False when no row names the leaf for this subleaf.
 */
static bool gather(const struct personality *p, uint32_t leaf, uint32_t subleaf,
		   struct cpuid_regs *offer, struct cpuid_regs *force, uint8_t *fixup)
{
	bool exact = false, found = false;
	for (unsigned i = 0; i < p->ncpuid; i++)
		exact |= p->cpuid[i].leaf == leaf && p->cpuid[i].subleaf == subleaf;
	*offer = *force = (struct cpuid_regs){ 0, 0, 0, 0 };
	*fixup = CPUID_FIX_NONE;
	for (unsigned i = 0; i < p->ncpuid; i++) {
		const struct cpuid_rule *r = &p->cpuid[i];
		if (r->leaf != leaf || r->subleaf != (exact ? subleaf : CPUID_ANY_SUBLEAF))
			continue;
		found = true;
		offer->eax |= r->offer.eax, offer->ebx |= r->offer.ebx;
		offer->ecx |= r->offer.ecx, offer->edx |= r->offer.edx;
		force->eax |= r->force.eax, force->ebx |= r->force.ebx;
		force->ecx |= r->force.ecx, force->edx |= r->force.edx;
		if (r->fixup != CPUID_FIX_NONE)
			*fixup = r->fixup;
	}
	return found;
}

bool cpuid_rows(const struct personality *p, uint32_t leaf, uint32_t subleaf,
		struct cpuid_regs *offer, struct cpuid_regs *force, uint8_t *fixup)
{
	return gather(p, leaf, subleaf, offer, force, fixup);
}

void cpuid_model(const struct personality *p, const struct cpuid_host *host,
		 const struct cpuid_state *s, uint32_t leaf, uint32_t subleaf,
		 struct cpuid_regs *out)
{
	struct cpuid_ranges rg;
	struct cpuid_regs offer, force, h = { 0, 0, 0, 0 };
	uint8_t fixup;

	cpuid_ranges(p, host, s, &rg);
	if (!cpuid_leaf_in_range(&rg, leaf)) {
		/* SDM Vol. 2A CPUID: Intel answers a leaf beyond the range with the highest
		 * basic leaf; AMD with zeros (APM Vol. 3, CPUID). */
		if (cpuid_host_vendor(host) != CPUID_VENDOR_INTEL) {
			*out = h;
			return;
		}
		leaf = rg.max_basic;
	}
	if (!gather(p, leaf, subleaf, &offer, &force, &fixup)) {
		*out = h;
		return;
	}
	if (offer.eax | offer.ebx | offer.ecx | offer.edx || fixup != CPUID_FIX_NONE)
		host_query(host, leaf, subleaf, &h);
	out->eax = (h.eax & offer.eax) | force.eax;
	out->ebx = (h.ebx & offer.ebx) | force.ebx;
	out->ecx = (h.ecx & offer.ecx) | force.ecx;
	out->edx = (h.edx & offer.edx) | force.edx;
	cpuid_apply_fixup(fixup, p, host, s, &rg, leaf, subleaf, out);
}

/* cpuid_xsave: leaf 0Dh for the offered XSAVE components: their sizes, computed. */
#include "vm/cpuid_xsave.h"

#include "vm/personality.h"

/* An XSAVE area starts with the 512-byte legacy region and the 64-byte header. */
#define XSAVE_LEGACY_AND_HEADER 576u
/* CPUID.(0Dh,i):ECX[1]: component i starts 64-byte aligned in the compacted format. */
#define XSAVE_COMPONENT_ALIGNED (1u << 1)
/* CPUID.(0Dh,1):EAX[1]: XSAVEC. */
#define XSAVE1_XSAVEC (1u << 1)
/* Components nestor looks at: the offer (CPU_XCR0) stays below bit 32. */
#define XSAVE_COMPONENTS 32

uint32_t xsave_compacted_size(uint64_t xfeatures, const struct cpuid_regs *components,
			      unsigned count)
{
	uint32_t size = XSAVE_LEGACY_AND_HEADER;

	for (unsigned i = 2; i < count && i < 64; i++) {
		if (!(xfeatures & (1ull << i)))
			continue;
		if (components[i].ecx & XSAVE_COMPONENT_ALIGNED)
			size = (size + 63) & ~63u;
		size += components[i].eax;
	}
	return size;
}

uint32_t xsave_standard_size(uint64_t xfeatures, const struct cpuid_regs *components,
			     unsigned count)
{
	uint32_t size = XSAVE_LEGACY_AND_HEADER;

	for (unsigned i = 2; i < count && i < 64; i++) {
		uint32_t end = components[i].ebx + components[i].eax;
		if ((xfeatures & (1ull << i)) && end > size)
			size = end;
	}
	return size;
}

uint64_t cpuid_xcr0_offered(const struct personality *p, const struct cpuid_host *host)
{
	struct cpuid_regs offer, force, h;
	uint8_t fixup;
	if (!cpuid_rows(p, 0xd, 0, &offer, &force, &fixup))
		return 0;
	host->query(host->ctx, 0xd, 0, &h);
	return (((uint64_t)h.edx << 32) | h.eax) & (((uint64_t)offer.edx << 32) | offer.eax);
}

static void components_of(const struct cpuid_host *host, uint64_t offered,
			  struct cpuid_regs *c)
{
	for (unsigned i = 2; i < XSAVE_COMPONENTS; i++) {
		c[i] = (struct cpuid_regs){ 0, 0, 0, 0 };
		if (offered & (1ull << i))
			host->query(host->ctx, 0xd, i, &c[i]);
	}
}

/*
 * The host describes its own components; the guest gets those it is offered, and the
 * sizes for exactly them: 0Dh.0 EBX for its XCR0 and ECX for all offered (standard
 * format), 0Dh.1 EBX for its XCR0 compacted (IA32_XSS is 0: XSAVES is hidden). Computing
 * them also fixes Bochs, which reports the standard size in 0Dh.1 EBX (Linux 6.1 WARNs).
 * The guest's XCR0 is its own in the hardware: nestor never switches it.
 */
void cpuid_fix_xsave(unsigned fixup, const struct personality *p, const struct cpuid_host *host,
		     const struct cpuid_state *s, uint32_t subleaf, struct cpuid_regs *r)
{
	struct cpuid_regs c[XSAVE_COMPONENTS];
	uint64_t offered = cpuid_xcr0_offered(p, host);

	switch (fixup) {
	case CPUID_FIX_XSAVE_MAIN:
		components_of(host, offered, c);
		r->ebx = offered ? xsave_standard_size(s->xcr0 & offered, c, XSAVE_COMPONENTS) : 0;
		r->ecx = offered ? xsave_standard_size(offered, c, XSAVE_COMPONENTS) : 0;
		break;
	case CPUID_FIX_XSAVE_EXT:
		components_of(host, offered, c);
		r->ebx = (r->eax & XSAVE1_XSAVEC) ?
				 xsave_compacted_size(s->xcr0 & offered, c, XSAVE_COMPONENTS) : 0;
		r->ecx = r->edx = 0;
		break;
	case CPUID_FIX_XSAVE_COMPONENT:
		if (subleaf >= 64 || !(offered & (1ull << subleaf)))
			*r = (struct cpuid_regs){ 0, 0, 0, 0 };
		break;
	default:
		break;
	}
}

/* vcpu_cpuid_host: the host's CPUID and the guest's XCR0, read from this CPU. */
#include "vm/vcpu_cpuid.h"

#define CR4_OSXSAVE (1ull << 18)

static void cpu_query(void *ctx, uint32_t leaf, uint32_t subleaf, struct cpuid_regs *out)
{
	(void)ctx;
	*out = cpuid(leaf, subleaf);
}

/* XGETBV needs CR4.OSXSAVE on the host side too (vmx_cpu.c sets it where XSAVE exists);
 * without it the guest cannot have enabled anything beyond x87. */
static uint64_t cpu_xcr0(void *ctx)
{
	(void)ctx;
	return (read_cr4() & CR4_OSXSAVE) ? xgetbv(0) : 1;
}

const struct cpuid_host cpuid_host_cpu = { cpu_query, cpu_xcr0, 0 };

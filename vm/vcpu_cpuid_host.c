/* vcpu_cpuid_host: the host's CPUID and the guest's XCR0, read from this CPU. */
#include "vm/vcpu_cpuid.h"

#define CR4_OSXSAVE (1ull << 18)
#define CPUID1_ECX_XSAVE (1u << 26)

static void cpu_query(void *ctx, uint32_t leaf, uint32_t subleaf, struct cpuid_regs *out)
{
	(void)ctx;
	*out = cpuid(leaf, subleaf);
}

/*
 * The guest's XCR0 is the register's value: nestor never switches it (SVM does not
 * intercept XSETBV; vmx_xsetbv.c writes the guest's). XGETBV needs CR4.OSXSAVE, which the
 * host may not have set (nestor's SVM side has no use for it): it is set for the one
 * instruction, with interrupts off as on every exit path.
 */
static uint64_t cpu_xcr0(void *ctx)
{
	(void)ctx;
	if (!(cpuid(1, 0).ecx & CPUID1_ECX_XSAVE))
		return 1;
	uint64_t cr4 = read_cr4();
	if (!(cr4 & CR4_OSXSAVE))
		write_cr4(cr4 | CR4_OSXSAVE);
	uint64_t xcr0 = xgetbv(0);
	if (!(cr4 & CR4_OSXSAVE))
		write_cr4(cr4);
	return xcr0;
}

const struct cpuid_host cpuid_host_cpu = { cpu_query, cpu_xcr0, 0 };

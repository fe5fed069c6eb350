/* exit_xsetbv: XSETBV checked against every SDM rule and the guest's CPUID, then executed. */
#include "vm/vcpu_exit.h"

#include "arch/x86/cpu.h"
#include "vm/vcpu_arch.h"
#include "vm/vcpu_cpuid.h"
#include "vm/vm.h"

#define XCR0_X87 (1ull << 0)
#define XCR0_SSE (1ull << 1)
#define XCR0_AVX (1ull << 2)
#define XCR0_BNDREGS (1ull << 3)
#define XCR0_BNDCSR (1ull << 4)
#define XCR0_AVX512 (7ull << 5)		/* opmask, ZMM_Hi256, Hi16_ZMM */
#define XCR0_XTILE (3ull << 17)		/* XTILECFG, XTILEDATA */
#define CPUID1_ECX_XSAVE (1u << 26)

/*
 * The #GP rules for a value of XCR0 (SDM Vol. 1 13.3; Vol. 2C XSETBV): x87 always on;
 * nothing the guest's CPUID.(0Dh,0) does not enumerate (which is also never more than the
 * host supports, so nestor's own XSETBV cannot fault); AVX only with SSE; the three
 * AVX-512 states all or none, and only with AVX; the two MPX states together; the two AMX
 * states together.
 */
static bool xcr0_valid(struct vcpu *v, uint64_t value)
{
	struct cpuid_regs r;
	vcpu_cpuid(v, v->ops->get_reg(v, VCPU_CR4), 0xd, 0, &r);
	uint64_t supported = ((uint64_t)r.edx << 32) | r.eax;
	if (!(value & XCR0_X87) || (value & ~supported))
		return false;
	if ((value & XCR0_AVX) && !(value & XCR0_SSE))
		return false;
	if ((value & XCR0_AVX512) && ((value & XCR0_AVX512) != XCR0_AVX512 || !(value & XCR0_AVX)))
		return false;
	if (!(value & XCR0_BNDREGS) != !(value & XCR0_BNDCSR))
		return false;
	return (value & XCR0_XTILE) == 0 || (value & XCR0_XTILE) == XCR0_XTILE;
}

/*
 * #UD without CR4.OSXSAVE or without XSAVE in the guest's CPUID; #GP(0) at CPL > 0, for
 * any register but XCR0, or for a value the rules refuse. The value goes into the real
 * XCR0: nestor's own code never uses extended state (-mgeneral-regs-only) and one vCPU
 * owns each CPU, so XCR0 stays the guest's.
 */
bool vcpu_exit_xsetbv(struct vcpu *v)
{
	const struct vcpu_arch_ops *ops = v->ops;
	uint64_t value = (v->gprs.r[GPR_RDX] << 32) | (uint32_t)v->gprs.r[GPR_RAX];
	uint64_t cr4 = ops->get_reg(v, VCPU_CR4);
	struct cpuid_regs r;

	v->stats.by_reason[EXIT_REASON_OTHER]++;
	vcpu_cpuid(v, cr4, 1, 0, &r);
	if (!(cr4 & X86_CR4_OSXSAVE) || !(r.ecx & CPUID1_ECX_XSAVE)) {
		vcpu_inject_ud(v);
		return true;
	}
	if (ops->cpl(v) != 0 || (uint32_t)v->gprs.r[GPR_RCX] != 0 || !xcr0_valid(v, value)) {
		vcpu_inject_gp(v);
		return true;
	}
	__asm__ volatile("xsetbv" ::"c"(0), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)));
	vcpu_skip_instruction(v);
	return true;
}

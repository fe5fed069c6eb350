/* vmx_xsetbv: XSETBV always exits under VMX; nestor checks it and executes it for the guest. */
#include "arch/x86/cpu.h"
#include "arch/x86/regs.h"
#include "arch/x86/vmx/vmx_internal.h"
#include "vm/vcpu_cpuid.h"
#include "vm/vm.h"

#define XCR0_X87 (1ull << 0)
#define XCR0_SSE (1ull << 1)
#define XCR0_AVX (1ull << 2)
#define XCR0_BNDREGS (1ull << 3)
#define XCR0_BNDCSR (1ull << 4)
#define XCR0_AVX512 (7ull << 5)		/* opmask, ZMM_Hi256, Hi16_ZMM */

/*
 * The #GP rules of XSETBV (SDM Vol. 2C, XSETBV; Vol. 1 13.3): XCR0 only, CPL 0, x87 always
 * on, nothing the guest's CPUID does not offer (its personality's leaf 0Dh), AVX only with
 * SSE, the AVX-512 states all or none and only with AVX, the two MPX states together.
 */
static bool xcr0_valid(struct vcpu *v, uint64_t value)
{
	uint64_t supported = cpuid_xcr0_offered(v->vm->personality, &v->vm->cpuid_host);
	if (!(value & XCR0_X87) || (value & ~supported))
		return false;
	if ((value & XCR0_AVX) && !(value & XCR0_SSE))
		return false;
	if ((value & XCR0_AVX512) && ((value & XCR0_AVX512) != XCR0_AVX512 || !(value & XCR0_AVX)))
		return false;
	return !(value & XCR0_BNDREGS) == !(value & XCR0_BNDCSR);
}

/*
 * The value goes into the real XCR0: nestor's own code never uses extended state
 * (-mgeneral-regs-only) and one vCPU owns each CPU, so XCR0 stays the guest's.
 */
bool vmx_exit_xsetbv(struct vcpu *v)
{
	uint64_t value = (v->gprs.r[GPR_RDX] << 32) | (uint32_t)v->gprs.r[GPR_RAX];
	unsigned cpl = ((uint32_t)vmcs_read(VMCS_GUEST_SS_AR) >> AR_DPL_SHIFT) & 3;

	v->stats.by_reason[EXIT_REASON_OTHER]++;
	if (!(vmcs_read(VMCS_GUEST_CR4) & X86_CR4_OSXSAVE) || !vcpu_cpuid_has(v, 0, CPUID_XSAVE)) {
		vmx_inject_exception(v, X86_VECTOR_UD, false, 0);
		return true;
	}
	if (cpl != 0 || (uint32_t)v->gprs.r[GPR_RCX] != 0 || !xcr0_valid(v, value)) {
		vmx_inject_exception(v, X86_VECTOR_GP, true, 0);
		return true;
	}
	__asm__ volatile("xsetbv" ::"c"(0), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)));
	vmx_skip_instruction(v);
	return true;
}

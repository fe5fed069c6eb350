/* vcpu_msr_misc: IA32_MISC_ENABLE with the bits the SDM defines, and canonical addresses. */
#include "vm/vcpu_cpuid.h"
#include "vm/vcpu_msr.h"
#include "vm/vm.h"

/*
 * SDM Vol. 4, Table 2-2 (IA32_MISC_ENABLE, 1A0h). R/W: 0 fast strings, 3 automatic thermal
 * control, 16 Enhanced SpeedStep, 18 MONITOR FSM, 22 limit CPUID maxval, 23 xTPR message
 * disable, 34 XD bit disable. Read-only: 7 performance monitoring available, 11 BTS
 * unavailable, 12 PEBS unavailable. Everything else is reserved (#GP). The read-only bits
 * follow KVM: changing 11 or 12 is #GP, a write to 7 is ignored. 22 and 34 take effect in
 * CPUID (vm/cpuid_fixup.c); the others only are kept, there being nothing they switch.
 */
#define MISC_RW ((1ull << 0) | (1ull << 3) | (1ull << 16) | (1ull << 18) | (1ull << 22) | \
		 (1ull << 23) | (1ull << 34))
#define MISC_RO_GP ((1ull << 11) | (1ull << 12))
#define MISC_RO_IGNORED (1ull << 7)

enum msr_result vcpu_msr_misc_enable_write(struct vcpu *v, uint64_t value)
{
	uint64_t cur = v->msrs.misc_enable;
	if (value & ~(MISC_RW | MISC_RO_GP | MISC_RO_IGNORED))
		return MSR_GP;
	if ((value ^ cur) & MISC_RO_GP)
		return MSR_GP;
	v->msrs.misc_enable = (value & MISC_RW) | (cur & (MISC_RO_GP | MISC_RO_IGNORED));
	return MSR_OK;
}

/*
 * SDM Vol. 3A 3.3.7.1: bits 63 down to the linear-address width all equal. WRMSR checks
 * the address MSRs against the processor's width: 57 with 5-level paging, whatever CR4.LA57
 * says (as KVM does from the guest's CPUID).
 */
bool vcpu_msr_canonical(struct vcpu *v, uint64_t address)
{
	unsigned bits = vcpu_cpuid_has(v, 0, CPUID_LA57) ? 57 : 48;
	int64_t shifted = (int64_t)(address << (64 - bits)) >> (64 - bits);
	return (uint64_t)shifted == address;
}

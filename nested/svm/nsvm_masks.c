/* nsvm_masks: the MBZ masks, PAT types and exception vectors VMRUN's checks depend on. */
#include "arch/x86/regs.h"
#include "nested/svm/nsvm_check.h"

#define EFER_SVME (1ull << 12)
#define EFER_FFXSR (1ull << 14)
#define EFER_TCE (1ull << 15)

/*
 * APM Vol. 2, 3.1.7 (EFER): SCE, LME, LMA, NXE, SVME, LMSLE, FFXSR and TCE are defined,
 * every other bit is MBZ. A bit of a feature L1's CPUID does not report is MBZ for L1
 * too. LME and LMA are left to save.efer_long_mode_unsupported, which names the missing
 * long mode; LMSLE is MBZ because nestor never offers it (8000_0008h.EBX[20] is how newer
 * parts say it is unsupported).
 */
uint64_t nsvm_efer_mbz(const struct nsvm_features *f)
{
	uint64_t ok = X86_EFER_SCE | X86_EFER_LME | X86_EFER_LMA | EFER_SVME;
	if (f->cpuid.e1_edx & NSVM_E1_EDX_NX)
		ok |= X86_EFER_NXE;
	if (f->cpuid.e1_edx & NSVM_E1_EDX_FFXSR)
		ok |= EFER_FFXSR;
	if (f->cpuid.e1_ecx & NSVM_E1_ECX_TCE)
		ok |= EFER_TCE;
	return ~ok;
}

/*
 * APM Vol. 2, 3.1.3 (CR4): bits 0-10 exist on every AMD64 processor; UMIP (11), LA57 (12),
 * FSGSBASE (16), PCIDE (17), OSXSAVE (18), SMEP (20), SMAP (21), PKE (22) and CET (23)
 * only with their CPUID bits; the rest (VMXE and SMXE included) is MBZ.
 */
uint64_t nsvm_cr4_mbz(const struct nsvm_features *f)
{
	const struct nsvm_cpuid *c = &f->cpuid;
	uint64_t ok = 0x7ff;
	if (c->f7_ecx & NSVM_F7_ECX_UMIP)
		ok |= 1ull << 11;
	if (c->f7_ecx & NSVM_F7_ECX_LA57)
		ok |= 1ull << 12;
	if (c->f7_ebx & NSVM_F7_EBX_FSGSBASE)
		ok |= 1ull << 16;
	if (c->f1_ecx & NSVM_F1_ECX_PCID)
		ok |= 1ull << 17;
	if (c->f1_ecx & NSVM_F1_ECX_XSAVE)
		ok |= 1ull << 18;
	if (c->f7_ebx & NSVM_F7_EBX_SMEP)
		ok |= 1ull << 20;
	if (c->f7_ebx & NSVM_F7_EBX_SMAP)
		ok |= 1ull << 21;
	if (c->f7_ecx & NSVM_F7_ECX_PKU)
		ok |= 1ull << 22;
	if (c->f7_ecx & NSVM_F7_ECX_CET_SS)
		ok |= 1ull << 23;
	return ~ok;
}

/*
 * APM Vol. 2, 7.8.1 (PAT): each of the eight PA fields holds a type in bits 2:0 (0 UC,
 * 1 WC, 4 WT, 5 WP, 6 WB, 7 UC-; 2 and 3 are reserved) and zeroes in bits 7:3.
 */
bool nsvm_pat_valid(uint64_t pat)
{
	for (unsigned i = 0; i < 8; i++) {
		uint8_t pa = (uint8_t)(pat >> (8 * i));
		if (pa > 7 || pa == 2 || pa == 3)
			return false;
	}
	return true;
}

/*
 * APM Vol. 2, 8.2 (Table 8-1): the vectors that are exceptions. 2 is the NMI, 9 (the old
 * coprocessor segment overrun), 15, 20, 22-27 and 31 are reserved; #CP (21) exists only
 * with shadow stacks and #VC (29) only for SEV-ES guests, which nestor never runs.
 */
bool nsvm_exception_vector_valid(const struct nsvm_features *f, uint8_t vector)
{
	switch (vector) {
	case 0: case 1: case 3: case 4: case 5: case 6: case 7: case 8:
	case 10: case 11: case 12: case 13: case 14: case 16: case 17: case 18: case 19:
	case 28: case 30:
		return true;
	case 21:
		return f->cpuid.f7_ecx & NSVM_F7_ECX_CET_SS;
	default:
		return false;
	}
}

bool nsvm_npt_active(const struct vmcb *vmcb12, const struct nsvm_features *f)
{
	return f->npt && (vmcb12->control.np_control & SVM_NP_ENABLE);
}

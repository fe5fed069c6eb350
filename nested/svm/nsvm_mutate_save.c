/* nsvm_mutate_save: breaking vmcb12's guest state (and L1's CPUID where a check reads it). */
#include "arch/x86/regs.h"
#include "nested/svm/nsvm_check.h"
#include "nested/svm/nsvm_mutate.h"

#define EFER_SVME (1ull << 12)
#define EFER_LMSLE (1ull << 13)
#define CS_ATTR_D (1u << 10)

NSVM_MUTATOR(nsvm_mut_efer_svme_clear) { v->save.efer &= ~EFER_SVME; }
NSVM_MUTATOR(nsvm_mut_cr0_nw) { v->save.cr0 |= X86_CR0_NW; }
NSVM_MUTATOR(nsvm_mut_cr0_bit32) { v->save.cr0 |= 1ull << 32; }
NSVM_MUTATOR(nsvm_mut_cr0_bit63) { v->save.cr0 |= 1ull << 63; }
NSVM_MUTATOR(nsvm_mut_cr3_at_limit) { v->save.cr3 |= nsvm_mut_pa_limit(f); }
NSVM_MUTATOR(nsvm_mut_cr3_bit63) { v->save.cr3 |= 1ull << 63; }
NSVM_MUTATOR(nsvm_mut_cr4_bit63) { v->save.cr4 |= 1ull << 63; }
NSVM_MUTATOR(nsvm_mut_cr4_vmxe) { v->save.cr4 |= X86_CR4_VMXE; }
NSVM_MUTATOR(nsvm_mut_cr4_bit15) { v->save.cr4 |= 1ull << 15; }
NSVM_MUTATOR(nsvm_mut_dr6_bit32) { v->save.dr6 |= 1ull << 32; }
NSVM_MUTATOR(nsvm_mut_dr7_bit32) { v->save.dr7 |= 1ull << 32; }
NSVM_MUTATOR(nsvm_mut_efer_bit2) { v->save.efer |= 1ull << 2; }
NSVM_MUTATOR(nsvm_mut_efer_lmsle) { v->save.efer |= EFER_LMSLE; }
NSVM_MUTATOR(nsvm_mut_efer_bit63) { v->save.efer |= 1ull << 63; }
NSVM_MUTATOR(nsvm_mut_cr4_pae_clear) { v->save.cr4 &= ~X86_CR4_PAE; }
NSVM_MUTATOR(nsvm_mut_cr0_pe_clear) { v->save.cr0 &= ~X86_CR0_PE; }
NSVM_MUTATOR(nsvm_mut_cs_d) { v->save.cs.attrib |= CS_ATTR_D; }

/*
 * A CR4 feature bit L1's CPUID does not report (the first of LA57, PKE, CET, SMAP, SMEP,
 * FSGSBASE, UMIP, PCIDE, OSXSAVE that is missing), or bit 15 when L1 has them all.
 */
NSVM_MUTATOR(nsvm_mut_cr4_unoffered)
{
	static const uint8_t bits[] = { 12, 22, 23, 21, 20, 16, 11, 17, 18 };
	uint64_t mbz = nsvm_cr4_mbz(f);
	for (unsigned i = 0; i < sizeof(bits); i++) {
		if (mbz & (1ull << bits[i])) {
			v->save.cr4 |= 1ull << bits[i];
			return;
		}
	}
	v->save.cr4 |= 1ull << 15;
}

/* L1 is offered no NX but its vmcb12 keeps EFER.NXE. */
NSVM_MUTATOR(nsvm_mut_efer_nx_unoffered)
{
	f->cpuid.e1_edx &= ~NSVM_E1_EDX_NX;
	v->save.efer |= X86_EFER_NXE;
}

/* L1 is offered no long mode but its vmcb12 keeps EFER.LME/LMA. */
NSVM_MUTATOR(nsvm_mut_no_long_mode)
{
	f->cpuid.e1_edx &= ~NSVM_E1_EDX_LM;
}

static void pat_field(struct vmcb *v, unsigned i, uint8_t value)
{
	v->save.g_pat = (v->save.g_pat & ~(0xffull << (8 * i))) | ((uint64_t)value << (8 * i));
}

NSVM_MUTATOR(nsvm_mut_pat_type2) { pat_field(v, 0, 2); }
NSVM_MUTATOR(nsvm_mut_pat_type3) { pat_field(v, 3, 3); }
NSVM_MUTATOR(nsvm_mut_pat_bit3) { pat_field(v, 1, 0x08); }
NSVM_MUTATOR(nsvm_mut_pat_bit7) { pat_field(v, 7, 0x86); }

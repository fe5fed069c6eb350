/* nsvm_check_save: VMRUN's consistency checks on vmcb12's guest state (APM Vol. 2, 15.5.1). */
#include "arch/x86/regs.h"
#include "nested/svm/nsvm_check_internal.h"

#define EFER_SVME (1ull << 12)
#define CS_ATTR_L (1u << 9)	/* VMCB attrib packs descriptor bits 52-55 into 11:8 */
#define CS_ATTR_D (1u << 10)

static const struct vmcb_save *save(const struct nsvm_check_input *in)
{
	return &in->vmcb->save;
}

/* EFER.LME and CR0.PG both set: the paging mode the next three checks are about. */
static bool lme_and_pg(const struct vmcb_save *s)
{
	return (s->efer & X86_EFER_LME) && (s->cr0 & X86_CR0_PG);
}

/* "EFER.SVME is zero." */
bool nsvm_fails_efer_svme_clear(const struct nsvm_check_input *in)
{
	return !(save(in)->efer & EFER_SVME);
}

/* "CR0.CD is zero and CR0.NW is set." */
bool nsvm_fails_cr0_cd_clear_nw_set(const struct nsvm_check_input *in)
{
	return !(save(in)->cr0 & X86_CR0_CD) && (save(in)->cr0 & X86_CR0_NW);
}

/* "CR0[63:32] are not zero." */
bool nsvm_fails_cr0_high_bits(const struct nsvm_check_input *in)
{
	return (save(in)->cr0 >> 32) != 0;
}

/*
 * "Any MBZ bit of CR3 is set." In long mode (APM 3.1.2, Figure 3-7) CR3 bits 63:52 are
 * MBZ and the table base must lie below MAXPHYADDR; the legacy formats have no MBZ bit
 * VMRUN is documented to check, so nothing is checked there (KVM does the same).
 */
bool nsvm_fails_cr3_mbz(const struct nsvm_check_input *in)
{
	return lme_and_pg(save(in)) && !nsvm_pa_legal(in->feat, save(in)->cr3);
}

/* "Any MBZ bit of CR4 is set." (nsvm_cr4_mbz: L1's CPUID decides) */
bool nsvm_fails_cr4_mbz(const struct nsvm_check_input *in)
{
	return (save(in)->cr4 & nsvm_cr4_mbz(in->feat)) != 0;
}

/* "DR6[63:32] are not zero." */
bool nsvm_fails_dr6_high_bits(const struct nsvm_check_input *in)
{
	return (save(in)->dr6 >> 32) != 0;
}

/* "DR7[63:32] are not zero." */
bool nsvm_fails_dr7_high_bits(const struct nsvm_check_input *in)
{
	return (save(in)->dr7 >> 32) != 0;
}

/* "Any MBZ bit of EFER is set." (nsvm_efer_mbz: L1's CPUID decides) */
bool nsvm_fails_efer_mbz(const struct nsvm_check_input *in)
{
	return (save(in)->efer & nsvm_efer_mbz(in->feat)) != 0;
}

/* "EFER.LMA or EFER.LME is non-zero and this processor does not support long mode." */
bool nsvm_fails_efer_long_mode_unsupported(const struct nsvm_check_input *in)
{
	return (save(in)->efer & (X86_EFER_LME | X86_EFER_LMA)) &&
	       !(in->feat->cpuid.e1_edx & NSVM_E1_EDX_LM);
}

/* "EFER.LME and CR0.PG are both set and CR4.PAE is zero." */
bool nsvm_fails_lme_pg_without_pae(const struct nsvm_check_input *in)
{
	return lme_and_pg(save(in)) && !(save(in)->cr4 & X86_CR4_PAE);
}

/* "EFER.LME and CR0.PG are both non-zero and CR0.PE is zero." */
bool nsvm_fails_lme_pg_without_pe(const struct nsvm_check_input *in)
{
	return lme_and_pg(save(in)) && !(save(in)->cr0 & X86_CR0_PE);
}

/* "EFER.LME, CR0.PG, CR4.PAE, CS.L, and CS.D are all non-zero." */
bool nsvm_fails_lme_pg_pae_cs_l_and_d(const struct nsvm_check_input *in)
{
	const struct vmcb_save *s = save(in);
	return lme_and_pg(s) && (s->cr4 & X86_CR4_PAE) && (s->cs.attrib & CS_ATTR_L) &&
	       (s->cs.attrib & CS_ATTR_D);
}

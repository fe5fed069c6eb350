/* nsvm_check_npt: VMRUN's extra checks when L1 enables the nested paging it is offered. */
#include "arch/x86/regs.h"
#include "nested/svm/nsvm_check_internal.h"

/*
 * Not offered means not honoured: with NPT hidden from L1, NP_ENABLE is ignored and so
 * are nCR3 and G_PAT (KVM dropped its non-architectural VMEXIT_INVALID for that case).
 */

/* APM Vol. 2, 15.25.3: VMRUN with NP_ENABLE = 1 while the host's CR0.PG = 0. */
bool nsvm_fails_npt_host_cr0_pg_clear(const struct nsvm_check_input *in)
{
	return nsvm_npt_active(in->vmcb, in->feat) && !(in->vmrun->cr0 & X86_CR0_PG);
}

/* APM Vol. 2, 15.25.4: "Any MBZ bit of nCR3 is set." (nCR3 has CR3's long-mode format) */
bool nsvm_fails_ncr3_mbz(const struct nsvm_check_input *in)
{
	return nsvm_npt_active(in->vmcb, in->feat) && !nsvm_pa_legal(in->feat, in->vmcb->control.n_cr3);
}

/*
 * APM Vol. 2, 15.25.4: "Any G_PAT.PA field has an unsupported type encoding or any reserved
 * field in G_PAT has a nonzero value."
 */
bool nsvm_fails_g_pat_invalid(const struct nsvm_check_input *in)
{
	return nsvm_npt_active(in->vmcb, in->feat) && !nsvm_pat_valid(in->vmcb->save.g_pat);
}

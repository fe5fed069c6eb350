/* nsvm_mutate_vmrun: breaking L1's state at VMRUN and the VMCB address it passes. */
#include "arch/x86/regs.h"
#include "nested/svm/nsvm_mutate.h"

#define EFER_SVME (1ull << 12)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define RFLAGS_VM (1ull << 17)

uint64_t nsvm_mut_pa_limit(const struct nsvm_features *f)
{
	return f->maxphyaddr >= 63 ? 1ull << 63 : 1ull << f->maxphyaddr;
}

NSVM_MUTATOR(nsvm_mut_l1_svme_clear)
{
	run->efer &= ~EFER_SVME;
}

NSVM_MUTATOR(nsvm_mut_l1_real_mode)
{
	run->cr0 &= ~(X86_CR0_PE | X86_CR0_PG);
}

NSVM_MUTATOR(nsvm_mut_l1_v86)
{
	run->rflags |= RFLAGS_VM;
}

NSVM_MUTATOR(nsvm_mut_l1_cpl3)
{
	run->cpl = 3;
}

NSVM_MUTATOR(nsvm_mut_rax_unaligned)
{
	run->rax |= 0x10;
}

NSVM_MUTATOR(nsvm_mut_rax_at_limit)
{
	run->rax = nsvm_mut_pa_limit(f);
}

NSVM_MUTATOR(nsvm_mut_rax_bit63)
{
	run->rax |= 1ull << 63;
}

NSVM_MUTATOR(nsvm_mut_rax_outside_ram)
{
	run->rax = s->outside_ram_pa;
}

NSVM_MUTATOR(nsvm_mut_l1_paging_off)
{
	run->cr0 &= ~X86_CR0_PG;
}

NSVM_MUTATOR(nsvm_mut_l1_legacy_mode)
{
	run->efer &= ~(EFER_LME | EFER_LMA);
}

/* nsvm_check_vmrun: the VMRUN instruction's own faults, before it reads the VMCB. */
#include "arch/x86/regs.h"
#include "nested/svm/nsvm_check_internal.h"

#define EFER_SVME (1ull << 12)
#define RFLAGS_VM (1ull << 17)

/* APM Vol. 3, VMRUN, exceptions: #UD when EFER.SVME = 0. */
bool nsvm_fails_vmrun_svme_clear(const struct nsvm_check_input *in)
{
	return !(in->vmrun->efer & EFER_SVME);
}

/* APM Vol. 3, VMRUN, exceptions: #UD, "only recognized in protected mode" (real, virtual-8086). */
bool nsvm_fails_vmrun_not_protected_mode(const struct nsvm_check_input *in)
{
	return !(in->vmrun->cr0 & X86_CR0_PE) || (in->vmrun->rflags & RFLAGS_VM);
}

/* APM Vol. 3, VMRUN, exceptions: #GP when CPL is not zero. */
bool nsvm_fails_vmrun_cpl_nonzero(const struct nsvm_check_input *in)
{
	return in->vmrun->cpl != 0;
}

/* APM Vol. 3, VMRUN, exceptions: #GP when the address in rAX is not 4-KiB aligned. */
bool nsvm_fails_vmrun_rax_unaligned(const struct nsvm_check_input *in)
{
	return (in->vmrun->rax & 0xfff) != 0;
}

/* APM Vol. 3, VMRUN, exceptions: #GP when rAX is above the maximum physical address. */
bool nsvm_fails_vmrun_rax_beyond_maxphyaddr(const struct nsvm_check_input *in)
{
	return !nsvm_pa_legal(in->feat, in->vmrun->rax);
}

/*
 * nestor: vmcb12 must be one page of L1's RAM. Hardware would read whatever answers at
 * the address; nestor cannot read (or write back) a VMCB that is not memory, and raises
 * #GP as KVM does when it cannot map vmcb12.
 */
bool nsvm_fails_vmcb12_outside_ram(const struct nsvm_check_input *in)
{
	return !nsvm_ram_contains(in->ram, in->vmrun->rax & ~0xfffull, 0x1000);
}

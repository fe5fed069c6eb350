/* nsvm_check_nestor: nestor's own checks: every address nestor will read lies in L1's RAM. */
#include "nested/svm/nsvm_check_internal.h"

#define EFER_LMA (1ull << 10)

/*
 * The APM lets these tables be anywhere below MAXPHYADDR; nestor reads them to build
 * vmcb02 (the merged permission maps, the shadow of L1's NPT), and reading L1 "memory"
 * that is MMIO or nothing would be a device access or a hole. So nestor refuses them the
 * way VMRUN refuses an illegal VMCB: #VMEXIT(VMEXIT_INVALID). A map is read only while L1
 * sets its intercept, so only then must it be RAM.
 */
bool nsvm_fails_msrpm_outside_ram(const struct nsvm_check_input *in)
{
	const struct vmcb_control *c = &in->vmcb->control;
	return (c->intercept_misc1 & SVM_INTERCEPT_MSR) &&
	       !nsvm_ram_contains(in->ram, c->msrpm_base_pa & ~0xfffull, SVM_MSRPM_SIZE);
}

bool nsvm_fails_iopm_outside_ram(const struct nsvm_check_input *in)
{
	const struct vmcb_control *c = &in->vmcb->control;
	return (c->intercept_misc1 & SVM_INTERCEPT_IOIO) &&
	       !nsvm_ram_contains(in->ram, c->iopm_base_pa & ~0xfffull, SVM_IOPM_SIZE);
}

/* The root of L1's nested page table: the shadow NPT walks it from there. */
bool nsvm_fails_ncr3_outside_ram(const struct nsvm_check_input *in)
{
	return nsvm_npt_active(in->vmcb, in->feat) &&
	       !nsvm_ram_contains(in->ram, in->vmcb->control.n_cr3 & ~0xfffull, 0x1000);
}

/*
 * nestor keeps per-ASID state for L1 (which translations a TLB_CONTROL, an INVLPGA or a
 * new ASID must drop), sized by the ASID count it offers: an ASID beyond what CPUID
 * 8000_000Ah.EBX reported has no slot. The APM does not define VMRUN with such an ASID.
 */
bool nsvm_fails_asid_beyond_offered(const struct nsvm_check_input *in)
{
	return in->vmcb->control.asid >= in->feat->nasid;
}

/*
 * nestor shadows L1's nested page table in the long-mode format only (nsvm_npt.c: 4
 * levels, 5 with CR4.LA57). With L1 outside long mode the nested table has the legacy or
 * PAE format of L1's own paging (APM 15.25.5), which nestor does not walk.
 */
bool nsvm_fails_npt_l1_not_long_mode(const struct nsvm_check_input *in)
{
	return nsvm_npt_active(in->vmcb, in->feat) && !(in->vmrun->efer & EFER_LMA);
}

/* nsvm_mutate: the functions that break the sample, one table entry at a time. */
#ifndef NESTOR_NESTED_SVM_NSVM_MUTATE_H
#define NESTOR_NESTED_SVM_NSVM_MUTATE_H

#include "nested/svm/nsvm_sample.h"

#define NSVM_UNUSED __attribute__((unused))
#define NSVM_MUTATOR(fn) \
	void fn(struct vmcb *v NSVM_UNUSED, struct nsvm_vmrun *run NSVM_UNUSED, \
		struct nsvm_features *f NSVM_UNUSED, const struct nsvm_sample *s NSVM_UNUSED)

/* The lowest physical address L1 cannot use: 2^MAXPHYADDR. */
uint64_t nsvm_mut_pa_limit(const struct nsvm_features *f);

/* nsvm_mutate_vmrun.c */
NSVM_MUTATOR(nsvm_mut_l1_svme_clear);
NSVM_MUTATOR(nsvm_mut_l1_real_mode);
NSVM_MUTATOR(nsvm_mut_l1_v86);
NSVM_MUTATOR(nsvm_mut_l1_cpl3);
NSVM_MUTATOR(nsvm_mut_rax_unaligned);
NSVM_MUTATOR(nsvm_mut_rax_at_limit);
NSVM_MUTATOR(nsvm_mut_rax_bit63);
NSVM_MUTATOR(nsvm_mut_rax_outside_ram);
NSVM_MUTATOR(nsvm_mut_l1_paging_off);
NSVM_MUTATOR(nsvm_mut_l1_legacy_mode);
/* nsvm_mutate_control.c */
NSVM_MUTATOR(nsvm_mut_no_vmrun_intercept);
NSVM_MUTATOR(nsvm_mut_asid_zero);
NSVM_MUTATOR(nsvm_mut_msrpm_at_limit);
NSVM_MUTATOR(nsvm_mut_msrpm_last_page);
NSVM_MUTATOR(nsvm_mut_iopm_at_limit);
NSVM_MUTATOR(nsvm_mut_iopm_last_pages);
NSVM_MUTATOR(nsvm_mut_event_type1);
NSVM_MUTATOR(nsvm_mut_event_type5);
NSVM_MUTATOR(nsvm_mut_event_type6);
NSVM_MUTATOR(nsvm_mut_event_type7);
NSVM_MUTATOR(nsvm_mut_exception_2);
NSVM_MUTATOR(nsvm_mut_exception_9);
NSVM_MUTATOR(nsvm_mut_exception_15);
NSVM_MUTATOR(nsvm_mut_exception_20);
NSVM_MUTATOR(nsvm_mut_exception_21);
NSVM_MUTATOR(nsvm_mut_exception_22);
NSVM_MUTATOR(nsvm_mut_exception_27);
NSVM_MUTATOR(nsvm_mut_exception_29);
NSVM_MUTATOR(nsvm_mut_exception_31);
NSVM_MUTATOR(nsvm_mut_exception_32);
NSVM_MUTATOR(nsvm_mut_exception_255);
NSVM_MUTATOR(nsvm_mut_ncr3_at_limit);
NSVM_MUTATOR(nsvm_mut_ncr3_bit63);
NSVM_MUTATOR(nsvm_mut_ncr3_outside_ram);
NSVM_MUTATOR(nsvm_mut_asid_nasid);
NSVM_MUTATOR(nsvm_mut_asid_max);
NSVM_MUTATOR(nsvm_mut_msrpm_outside_ram);
NSVM_MUTATOR(nsvm_mut_iopm_outside_ram);
/* nsvm_mutate_save.c */
NSVM_MUTATOR(nsvm_mut_efer_svme_clear);
NSVM_MUTATOR(nsvm_mut_cr0_nw);
NSVM_MUTATOR(nsvm_mut_cr0_bit32);
NSVM_MUTATOR(nsvm_mut_cr0_bit63);
NSVM_MUTATOR(nsvm_mut_cr3_at_limit);
NSVM_MUTATOR(nsvm_mut_cr3_bit63);
NSVM_MUTATOR(nsvm_mut_cr4_bit63);
NSVM_MUTATOR(nsvm_mut_cr4_vmxe);
NSVM_MUTATOR(nsvm_mut_cr4_bit15);
NSVM_MUTATOR(nsvm_mut_cr4_unoffered);
NSVM_MUTATOR(nsvm_mut_dr6_bit32);
NSVM_MUTATOR(nsvm_mut_dr7_bit32);
NSVM_MUTATOR(nsvm_mut_efer_bit2);
NSVM_MUTATOR(nsvm_mut_efer_lmsle);
NSVM_MUTATOR(nsvm_mut_efer_bit63);
NSVM_MUTATOR(nsvm_mut_efer_nx_unoffered);
NSVM_MUTATOR(nsvm_mut_no_long_mode);
NSVM_MUTATOR(nsvm_mut_cr4_pae_clear);
NSVM_MUTATOR(nsvm_mut_cr0_pe_clear);
NSVM_MUTATOR(nsvm_mut_cs_d);
NSVM_MUTATOR(nsvm_mut_pat_type2);
NSVM_MUTATOR(nsvm_mut_pat_type3);
NSVM_MUTATOR(nsvm_mut_pat_bit3);
NSVM_MUTATOR(nsvm_mut_pat_bit7);

#endif

/* nsvm_check_internal: the predicates the check table is made of (true = the check fails). */
#ifndef NESTOR_NESTED_SVM_NSVM_CHECK_INTERNAL_H
#define NESTOR_NESTED_SVM_NSVM_CHECK_INTERNAL_H

#include "nested/svm/nsvm_check.h"

/* nsvm_check_vmrun.c */
bool nsvm_fails_vmrun_svme_clear(const struct nsvm_check_input *in);
bool nsvm_fails_vmrun_not_protected_mode(const struct nsvm_check_input *in);
bool nsvm_fails_vmrun_cpl_nonzero(const struct nsvm_check_input *in);
bool nsvm_fails_vmrun_rax_unaligned(const struct nsvm_check_input *in);
bool nsvm_fails_vmrun_rax_beyond_maxphyaddr(const struct nsvm_check_input *in);
bool nsvm_fails_vmcb12_outside_ram(const struct nsvm_check_input *in);
/* nsvm_check_control.c */
bool nsvm_fails_vmrun_intercept_clear(const struct nsvm_check_input *in);
bool nsvm_fails_asid_zero(const struct nsvm_check_input *in);
bool nsvm_fails_msrpm_beyond_maxphyaddr(const struct nsvm_check_input *in);
bool nsvm_fails_iopm_beyond_maxphyaddr(const struct nsvm_check_input *in);
bool nsvm_fails_event_inj_type_reserved(const struct nsvm_check_input *in);
bool nsvm_fails_event_inj_vector_not_exception(const struct nsvm_check_input *in);
/* nsvm_check_save.c */
bool nsvm_fails_efer_svme_clear(const struct nsvm_check_input *in);
bool nsvm_fails_cr0_cd_clear_nw_set(const struct nsvm_check_input *in);
bool nsvm_fails_cr0_high_bits(const struct nsvm_check_input *in);
bool nsvm_fails_cr3_mbz(const struct nsvm_check_input *in);
bool nsvm_fails_cr4_mbz(const struct nsvm_check_input *in);
bool nsvm_fails_dr6_high_bits(const struct nsvm_check_input *in);
bool nsvm_fails_dr7_high_bits(const struct nsvm_check_input *in);
bool nsvm_fails_efer_mbz(const struct nsvm_check_input *in);
bool nsvm_fails_efer_long_mode_unsupported(const struct nsvm_check_input *in);
bool nsvm_fails_lme_pg_without_pae(const struct nsvm_check_input *in);
bool nsvm_fails_lme_pg_without_pe(const struct nsvm_check_input *in);
bool nsvm_fails_lme_pg_pae_cs_l_and_d(const struct nsvm_check_input *in);
/* nsvm_check_npt.c */
bool nsvm_fails_npt_host_cr0_pg_clear(const struct nsvm_check_input *in);
bool nsvm_fails_ncr3_mbz(const struct nsvm_check_input *in);
bool nsvm_fails_g_pat_invalid(const struct nsvm_check_input *in);
/* nsvm_check_nestor.c */
bool nsvm_fails_msrpm_outside_ram(const struct nsvm_check_input *in);
bool nsvm_fails_iopm_outside_ram(const struct nsvm_check_input *in);
bool nsvm_fails_ncr3_outside_ram(const struct nsvm_check_input *in);
bool nsvm_fails_asid_beyond_offered(const struct nsvm_check_input *in);
bool nsvm_fails_npt_l1_not_long_mode(const struct nsvm_check_input *in);

#endif

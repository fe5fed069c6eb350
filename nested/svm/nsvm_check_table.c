/* nsvm_check_table: VMRUN's checks in evaluation order; the first failure decides. */
#include "nested/svm/nsvm_check_internal.h"

/*
 * Order (docs/nested-svm-checks.md is generated from this table):
 *  1. vmrun.*   the instruction's own faults (APM Vol. 3, VMRUN): #UD, then #GP, all
 *               before the VMCB is read;
 *  2. nestor.vmcb12_outside_ram: nestor must be able to read vmcb12 at all (#GP);
 *  3. control.* and save.*: the consistency checks of APM Vol. 2 15.5.1 and 15.20;
 *  4. npt.*     the extra checks when nested paging is offered and enabled (15.25.3/4);
 *  5. nestor.*  nestor's own safety checks (#VMEXIT(VMEXIT_INVALID)).
 * Hardware checks in an order the APM does not give; an entry with several broken fields
 * reports the first in this order, and one broken field breaks exactly one APM entry.
 */
#define APM_VMRUN "APM Vol. 3 VMRUN (exceptions)"
#define APM_CHECKS "APM Vol. 2 15.5.1"
#define APM_EVENTINJ "APM Vol. 2 15.20"
#define F(...) { __VA_ARGS__, NSVM_F_END }

#define VMRUN_ENTRY(n, r, o, fn, ...)						\
	{ .name = n, .ref = APM_VMRUN, .rule = r, .outcome = o,			\
	  .origin = NSVM_ORIGIN_APM, .needs_vmcb = false, .fails = fn, .fields = F(__VA_ARGS__) }
#define APM_ENTRY(n, ref_, r, fn, ...)						\
	{ .name = n, .ref = ref_, .rule = r, .outcome = NSVM_VMEXIT_INVALID,	\
	  .origin = NSVM_ORIGIN_APM, .needs_vmcb = true, .fails = fn, .fields = F(__VA_ARGS__) }
#define NESTOR_ENTRY(n, ref_, r, fn, ...)					\
	{ .name = n, .ref = ref_, .rule = r, .outcome = NSVM_VMEXIT_INVALID,	\
	  .origin = NSVM_ORIGIN_NESTOR, .needs_vmcb = true, .fails = fn, .fields = F(__VA_ARGS__) }

const struct nsvm_check nsvm_checks[] = {
	VMRUN_ENTRY("vmrun.svme_clear", "EFER.SVME = 0 (in L1)", NSVM_UD,
		    nsvm_fails_vmrun_svme_clear, NSVM_F_L1_EFER),
	VMRUN_ENTRY("vmrun.not_protected_mode", "executed in real or virtual-8086 mode", NSVM_UD,
		    nsvm_fails_vmrun_not_protected_mode, NSVM_F_L1_CR0, NSVM_F_L1_RFLAGS),
	VMRUN_ENTRY("vmrun.cpl_nonzero", "CPL is not zero", NSVM_GP,
		    nsvm_fails_vmrun_cpl_nonzero, NSVM_F_CPL),
	VMRUN_ENTRY("vmrun.rax_unaligned", "the address in rAX is not 4-KiB aligned", NSVM_GP,
		    nsvm_fails_vmrun_rax_unaligned, NSVM_F_RAX),
	VMRUN_ENTRY("vmrun.rax_beyond_maxphyaddr",
		    "rAX is above the maximum supported physical address", NSVM_GP,
		    nsvm_fails_vmrun_rax_beyond_maxphyaddr, NSVM_F_RAX, NSVM_F_MAXPHYADDR),
	{ .name = "nestor.vmcb12_outside_ram", .ref = "nestor: vmcb12 must be L1 RAM",
	  .rule = "the 4-KiB vmcb12 at rAX is not entirely L1 RAM", .outcome = NSVM_GP,
	  .origin = NSVM_ORIGIN_NESTOR, .needs_vmcb = false,
	  .fails = nsvm_fails_vmcb12_outside_ram, .fields = F(NSVM_F_RAX) },

	APM_ENTRY("control.vmrun_intercept_clear", APM_CHECKS, "the VMRUN intercept bit is clear",
		  nsvm_fails_vmrun_intercept_clear, NSVM_F_INTERCEPT_MISC2),
	APM_ENTRY("control.asid_zero", APM_CHECKS, "ASID is equal to zero",
		  nsvm_fails_asid_zero, NSVM_F_ASID),
	APM_ENTRY("control.msrpm_beyond_maxphyaddr", APM_CHECKS,
		  "the MSR intercept table (8 KiB) extends to or beyond the maximum supported "
		  "physical address", nsvm_fails_msrpm_beyond_maxphyaddr, NSVM_F_MSRPM,
		  NSVM_F_MAXPHYADDR),
	APM_ENTRY("control.iopm_beyond_maxphyaddr", APM_CHECKS,
		  "the IOIO intercept table (12 KiB) extends to or beyond the maximum supported "
		  "physical address", nsvm_fails_iopm_beyond_maxphyaddr, NSVM_F_IOPM,
		  NSVM_F_MAXPHYADDR),
	APM_ENTRY("control.event_inj_type_reserved", APM_EVENTINJ,
		  "EVENTINJ.V = 1 with a reserved TYPE (1, 5, 6, 7)",
		  nsvm_fails_event_inj_type_reserved, NSVM_F_EVENT_INJ),
	APM_ENTRY("control.event_inj_vector_not_exception", APM_EVENTINJ,
		  "EVENTINJ.V = 1, TYPE = 3 (exception) with a vector that is not an exception "
		  "(2 is the NMI)", nsvm_fails_event_inj_vector_not_exception, NSVM_F_EVENT_INJ),

	APM_ENTRY("save.efer_svme_clear", APM_CHECKS, "EFER.SVME is zero",
		  nsvm_fails_efer_svme_clear, NSVM_F_EFER),
	APM_ENTRY("save.cr0_cd_clear_nw_set", APM_CHECKS, "CR0.CD is zero and CR0.NW is set",
		  nsvm_fails_cr0_cd_clear_nw_set, NSVM_F_CR0),
	APM_ENTRY("save.cr0_high_bits", APM_CHECKS, "CR0[63:32] are not zero",
		  nsvm_fails_cr0_high_bits, NSVM_F_CR0),
	APM_ENTRY("save.cr3_mbz", APM_CHECKS,
		  "any MBZ bit of CR3 is set (long mode: bits at or above MAXPHYADDR)",
		  nsvm_fails_cr3_mbz, NSVM_F_CR3, NSVM_F_EFER, NSVM_F_CR0, NSVM_F_MAXPHYADDR),
	APM_ENTRY("save.cr4_mbz", APM_CHECKS,
		  "any MBZ bit of CR4 is set (a feature bit L1's CPUID lacks is MBZ)",
		  nsvm_fails_cr4_mbz, NSVM_F_CR4),
	APM_ENTRY("save.dr6_high_bits", APM_CHECKS, "DR6[63:32] are not zero",
		  nsvm_fails_dr6_high_bits, NSVM_F_DR6),
	APM_ENTRY("save.dr7_high_bits", APM_CHECKS, "DR7[63:32] are not zero",
		  nsvm_fails_dr7_high_bits, NSVM_F_DR7),
	APM_ENTRY("save.efer_mbz", APM_CHECKS,
		  "any MBZ bit of EFER is set (a feature bit L1's CPUID lacks is MBZ)",
		  nsvm_fails_efer_mbz, NSVM_F_EFER),
	APM_ENTRY("save.efer_long_mode_unsupported", APM_CHECKS,
		  "EFER.LMA or EFER.LME is non-zero and the processor does not support long mode",
		  nsvm_fails_efer_long_mode_unsupported, NSVM_F_EFER),
	APM_ENTRY("save.lme_pg_without_pae", APM_CHECKS,
		  "EFER.LME and CR0.PG are both set and CR4.PAE is zero",
		  nsvm_fails_lme_pg_without_pae, NSVM_F_EFER, NSVM_F_CR0, NSVM_F_CR4),
	APM_ENTRY("save.lme_pg_without_pe", APM_CHECKS,
		  "EFER.LME and CR0.PG are both non-zero and CR0.PE is zero",
		  nsvm_fails_lme_pg_without_pe, NSVM_F_EFER, NSVM_F_CR0),
	APM_ENTRY("save.lme_pg_pae_cs_l_and_d", APM_CHECKS,
		  "EFER.LME, CR0.PG, CR4.PAE, CS.L and CS.D are all non-zero",
		  nsvm_fails_lme_pg_pae_cs_l_and_d, NSVM_F_EFER, NSVM_F_CR0, NSVM_F_CR4,
		  NSVM_F_CS_ATTR),

	APM_ENTRY("npt.host_cr0_pg_clear", "APM Vol. 2 15.25.3",
		  "NP_ENABLE = 1 (NPT offered) while L1's CR0.PG = 0",
		  nsvm_fails_npt_host_cr0_pg_clear, NSVM_F_NP_CONTROL, NSVM_F_L1_CR0),
	APM_ENTRY("npt.ncr3_mbz", "APM Vol. 2 15.25.4",
		  "NP_ENABLE = 1 (NPT offered) and any MBZ bit of nCR3 is set",
		  nsvm_fails_ncr3_mbz, NSVM_F_NP_CONTROL, NSVM_F_NCR3, NSVM_F_MAXPHYADDR),
	APM_ENTRY("npt.g_pat_invalid", "APM Vol. 2 15.25.4",
		  "NP_ENABLE = 1 (NPT offered) and a G_PAT.PA field has an unsupported type or "
		  "a reserved field of G_PAT is non-zero",
		  nsvm_fails_g_pat_invalid, NSVM_F_NP_CONTROL, NSVM_F_G_PAT),

	NESTOR_ENTRY("nestor.asid_beyond_offered", "nestor: per-ASID state sized by CPUID",
		     "ASID >= the ASID count CPUID 8000_000Ah.EBX offers L1",
		     nsvm_fails_asid_beyond_offered, NSVM_F_ASID, NSVM_F_NASID),
	NESTOR_ENTRY("nestor.msrpm_outside_ram", "nestor: maps are read from L1 RAM",
		     "MSR intercept set and the 8-KiB MSRPM is not entirely L1 RAM",
		     nsvm_fails_msrpm_outside_ram, NSVM_F_INTERCEPT_MISC1, NSVM_F_MSRPM),
	NESTOR_ENTRY("nestor.iopm_outside_ram", "nestor: maps are read from L1 RAM",
		     "IOIO intercept set and the 12-KiB IOPM is not entirely L1 RAM",
		     nsvm_fails_iopm_outside_ram, NSVM_F_INTERCEPT_MISC1, NSVM_F_IOPM),
	NESTOR_ENTRY("nestor.ncr3_outside_ram", "nestor: L1's NPT is walked in L1 RAM",
		     "NP_ENABLE = 1 (NPT offered) and the nCR3 page is not L1 RAM",
		     nsvm_fails_ncr3_outside_ram, NSVM_F_NP_CONTROL, NSVM_F_NCR3),
	NESTOR_ENTRY("nestor.npt_l1_not_long_mode",
		     "nestor: L1's nested table is shadowed in the long-mode format",
		     "NP_ENABLE = 1 (NPT offered) while L1 is not in long mode (EFER.LMA = 0)",
		     nsvm_fails_npt_l1_not_long_mode, NSVM_F_NP_CONTROL, NSVM_F_L1_EFER),
};

const size_t nsvm_check_count = sizeof(nsvm_checks) / sizeof(nsvm_checks[0]);

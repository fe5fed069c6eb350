/* test_vmx: the VMX backend's pure parts: controls from capability MSRs, the TPR-rule report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/vmx/vmx_controls.h"
#include "arch/x86/vmx/vmx_tpr_check.h"
#include "tests/unit/bochs_vmx_msrs.h"
#include "tests/unit/capture.h"

/* Recorded from Bochs 2.7 (tests/unit/bochs_vmx_msrs.h). */
static const struct vmx_cap_msrs bochs_ivy_bridge = BOCHS_IVY_BRIDGE_VMX_MSRS;
#define bochs_skylake_x bochs_skylake_x_msrs

static struct vmx_config cfg;
static char why[160];

static bool compute(const struct vmx_cap_msrs *m)
{
	why[0] = 0;
	return vmx_config_compute(m, &cfg, why, sizeof(why));
}

static void test_ivy_bridge_controls(void **state)
{
	(void)state;
	assert_true(compute(&bochs_ivy_bridge));
	assert_int_equal(cfg.revision, 0x2b);
	/* Forced bits (allowed-0 = 1) are set; what nestor asks for is set. */
	assert_int_equal(cfg.pin, 0x16 | PIN_EXTINT_EXITING | PIN_NMI_EXITING | PIN_VIRTUAL_NMIS);
	assert_int_equal(cfg.proc & 0x04006172u, 0x04006172u);
	uint32_t want = PROC_TPR_SHADOW | PROC_HLT_EXITING | PROC_IO_BITMAPS | PROC_MSR_BITMAPS |
			PROC_SECONDARY | PROC_TSC_OFFSETTING | PROC_MWAIT_EXITING |
			PROC_MONITOR_EXITING | PROC_RDPMC_EXITING;
	assert_int_equal(cfg.proc & want, want);
	/* TPR shadow without exits on CR8 or CR3, windows only when apic/ asks. */
	assert_int_equal(cfg.proc & (PROC_CR8_LOAD_EXITING | PROC_CR8_STORE_EXITING |
				     PROC_CR3_LOAD_EXITING | PROC_CR3_STORE_EXITING |
				     PROC_IRQ_WINDOW_EXITING | PROC_NMI_WINDOW_EXITING), 0);
	assert_int_equal(cfg.proc2, PROC2_EPT | PROC2_UNRESTRICTED_GUEST | PROC2_VPID | PROC2_RDTSCP);
	assert_true(cfg.vpid);
	assert_true(cfg.invept_single);
	assert_true(cfg.invvpid_single);
	uint32_t exit = EXIT_HOST_ADDR_SPACE_SIZE | EXIT_SAVE_EFER | EXIT_LOAD_EFER | EXIT_SAVE_PAT |
			EXIT_LOAD_PAT;
	assert_int_equal(cfg.exit & exit, exit);
	assert_int_equal(cfg.exit & EXIT_ACK_INTR_ON_EXIT, 0);
	assert_int_equal(cfg.entry & (ENTRY_LOAD_EFER | ENTRY_LOAD_PAT), ENTRY_LOAD_EFER | ENTRY_LOAD_PAT);
	assert_int_equal(cfg.entry & ENTRY_IA32E_GUEST, 0);	/* set per entry */
}

static void test_guest_cr_masks(void **state)
{
	(void)state;
	assert_true(compute(&bochs_ivy_bridge));
	/* Unrestricted guest: PE and PG stay the guest's; NE is forced and hidden. */
	assert_int_equal(cfg.guest_cr0_set, 1ull << 5);
	assert_true(cfg.cr0_mask & (1ull << 5));
	assert_false(cfg.cr0_mask & ((1ull << 0) | (1ull << 31)));
	assert_true(cfg.cr0_mask & (1ull << 32));	/* reserved bits exit, to #GP */
	/* CR4.VMXE forced and hidden; VMXE and SMXE are refused. Every CR4 bit is nestor's:
	 * which bits the guest may set follows its CPUID (vm/exit_cr.c), so each write exits. */
	assert_int_equal(cfg.guest_cr4_set, 1ull << 13);
	assert_true(cfg.cr4_forbidden & (1ull << 13));
	assert_true(cfg.cr4_forbidden & (1ull << 14));
	assert_true(cfg.cr4_mask == ~0ull);
}

/* apicv=off even where VID is offered: the seeds' configuration on every model. */
static void test_skylake_x_keeps_tpr_shadow_only(void **state)
{
	(void)state;
	struct vmx_cap_msrs m = bochs_skylake_x();
	assert_true(compute(&m));
	assert_true(cfg.proc & PROC_TPR_SHADOW);
	assert_int_equal(cfg.proc2 & (PROC2_VIRT_APIC_ACCESSES | PROC2_APIC_REG_VIRT |
				      PROC2_VIRT_INTR_DELIVERY | PROC2_VMCS_SHADOWING), 0);
	assert_true(cfg.proc2 & PROC2_INVPCID);
	assert_false(cfg.proc2 & PROC2_XSAVES); /* CPUID hides it: XSAVES must #UD */
}

static void test_refuses_missing_tpr_shadow(void **state)
{
	(void)state;
	struct vmx_cap_msrs m = bochs_ivy_bridge;
	m.true_proc &= ~((uint64_t)PROC_TPR_SHADOW << 32);
	assert_false(compute(&m));
	assert_string_equal(why, "VMX control 'use TPR shadow' (primary bit 21) not allowed by "
				 "IA32_VMX_TRUE_PROCBASED_CTLS");
}

static void test_refuses_missing_unrestricted_guest(void **state)
{
	(void)state;
	struct vmx_cap_msrs m = bochs_ivy_bridge;
	m.proc2 &= ~((uint64_t)PROC2_UNRESTRICTED_GUEST << 32);
	assert_false(compute(&m));
	assert_non_null(strstr(why, "no unrestricted guest (PROCBASED_CTLS2[39])"));
}

/* Without TRUE MSRs (BASIC[55] clear) CR3-load/store exiting are default1: forced on. */
static void test_plain_msrs_force_cr3_exiting(void **state)
{
	(void)state;
	struct vmx_cap_msrs m = bochs_ivy_bridge;
	m.basic &= ~(1ull << 55);
	assert_false(compute(&m));
	assert_string_equal(why, "VMX control 'CR3-load exiting' (primary bit 15) forced to 1 by "
				 "IA32_VMX_PROCBASED_CTLS");
}

static void test_refuses_forced_ack_on_exit(void **state)
{
	(void)state;
	struct vmx_cap_msrs m = bochs_ivy_bridge;
	m.true_exit |= EXIT_ACK_INTR_ON_EXIT;
	assert_false(compute(&m));
	assert_string_equal(why, "VMX control 'acknowledge interrupt on exit' (VM-exit bit 15) "
				 "forced to 1 by IA32_VMX_TRUE_EXIT_CTLS");
}

static void test_refuses_missing_efer_load(void **state)
{
	(void)state;
	struct vmx_cap_msrs m = bochs_ivy_bridge;
	m.true_entry &= ~((uint64_t)ENTRY_LOAD_EFER << 32);
	assert_false(compute(&m));
	assert_string_equal(why, "VMX control 'load IA32_EFER' (VM-entry bit 15) not allowed by "
				 "IA32_VMX_TRUE_ENTRY_CTLS");
}

static void test_refuses_ept_without_2m_pages(void **state)
{
	(void)state;
	struct vmx_cap_msrs m = bochs_ivy_bridge;
	m.ept_vpid &= ~(1ull << 16);
	assert_false(compute(&m));
	assert_string_equal(why, "EPT without 2 MiB EPT pages (EPT_VPID_CAP[16])");
}

static void test_refuses_exits_without_lma(void **state)
{
	(void)state;
	struct vmx_cap_msrs m = bochs_ivy_bridge;
	m.misc &= ~(1ull << 5);
	assert_false(compute(&m));
	assert_string_equal(why, "IA32_VMX_MISC[5] clear: VM exits do not store EFER.LMA");
}

static void test_refuses_uncached_vmcs(void **state)
{
	(void)state;
	struct vmx_cap_msrs m = bochs_ivy_bridge;
	m.basic &= ~(0xfull << 50);	/* memory type UC */
	assert_false(compute(&m));
	assert_string_equal(why, "IA32_VMX_BASIC[53:50] = 0: VMCS memory type is not write-back");
}

/* VPID is only a speed-up: without INVVPID it stays off instead of refusing. */
static void test_vpid_off_without_invvpid(void **state)
{
	(void)state;
	struct vmx_cap_msrs m = bochs_ivy_bridge;
	m.ept_vpid &= ~(1ull << 32);
	assert_true(compute(&m));
	assert_false(cfg.vpid);
	assert_int_equal(cfg.proc2 & PROC2_VPID, 0);
}

static void test_tpr_threshold_report(void **state)
{
	(void)state;
	capture_reset();
	vmx_tpr_threshold_report(1, 0x1006fb, 2, 0x10);
	assert_string_equal(capture_buf,
			    "[nestor] ERROR: vmx: vcpu1 rip 0x1006fb: entry invariant broken: SDM "
			    "26.2.1.1: TPR_THRESHOLD[3:0]=2 > VTPR[7:4]=1 (VTPR 0x10; TPR shadow on, "
			    "virtualize APIC accesses and virtual-interrupt delivery off)\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ivy_bridge_controls),
		cmocka_unit_test(test_guest_cr_masks),
		cmocka_unit_test(test_skylake_x_keeps_tpr_shadow_only),
		cmocka_unit_test(test_refuses_missing_tpr_shadow),
		cmocka_unit_test(test_refuses_missing_unrestricted_guest),
		cmocka_unit_test(test_plain_msrs_force_cr3_exiting),
		cmocka_unit_test(test_refuses_forced_ack_on_exit),
		cmocka_unit_test(test_refuses_missing_efer_load),
		cmocka_unit_test(test_refuses_ept_without_2m_pages),
		cmocka_unit_test(test_refuses_exits_without_lma),
		cmocka_unit_test(test_refuses_uncached_vmcs),
		cmocka_unit_test(test_vpid_off_without_invvpid),
		cmocka_unit_test(test_tpr_threshold_report),
	};
	return cmocka_run_group_tests_name("vmx", tests, NULL, NULL);
}

/* test_caps: the capability decoder on raw values read by nestor on the emulated CPUs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "arch/x86/caps.h"
#include "tests/unit/capture.h"

/*
 * Raw values as nestor's "cpu raw:" lines printed them under QEMU 7.2 TCG and Bochs 2.7
 * (see ../shared/docs/emulators.md for the same facts measured independently).
 */
static void set_vendor(struct cpu_raw *r, const char *v)
{
	memcpy(&r->vendor[0], v, 4);
	memcpy(&r->vendor[1], v + 4, 4);
	memcpy(&r->vendor[2], v + 8, 4);
}

static struct cpu_raw qemu_max(void)
{
	struct cpu_raw r = { .max_leaf = 0xd, .max_ext_leaf = 0x8000000a, .leaf1_eax = 0x60fb1,
			     .leaf1_ecx = 0xf6d8320b, .ext1_ecx = 0x75, .svm_eax = 1,
			     .svm_ebx = 16, .svm_edx = 0x10010001 };
	set_vendor(&r, "AuthenticAMD");
	return r;
}

static struct cpu_raw qemu_epyc(void)
{
	struct cpu_raw r = { .max_leaf = 0xd, .max_ext_leaf = 0x8000001e, .leaf1_eax = 0x800f12,
			     .leaf1_ecx = 0xf6d8320b, .ext1_ecx = 0x75, .svm_eax = 1,
			     .svm_ebx = 16, .svm_edx = 0x1 };
	set_vendor(&r, "AuthenticAMD");
	return r;
}

static struct cpu_raw bochs_ivy_bridge(void)
{
	struct cpu_raw r = { .max_leaf = 0xd, .max_ext_leaf = 0x80000008, .leaf1_eax = 0x306a9,
			     .leaf1_ecx = 0x77bae3bf, .ext1_ecx = 0x1,
			     .vmx_basic = 0xd810000000002bull, .vmx_pinbased = 0x7f00000016ull,
			     .vmx_procbased = 0xf7f9fffe0401e172ull,
			     .vmx_procbased2 = 0x8ff00000000ull, .vmx_ept_vpid = 0xf0106114141ull };
	set_vendor(&r, "GenuineIntel");
	return r;
}

static struct cpu_raw bochs_skylake_x(void)
{
	struct cpu_raw r = { .max_leaf = 0x16, .max_ext_leaf = 0x80000008, .leaf1_eax = 0x50654,
			     .leaf1_ecx = 0x77faf3bf, .ext1_ecx = 0x121,
			     .vmx_basic = 0xd810000000002bull, .vmx_pinbased = 0x7f00000016ull,
			     .vmx_procbased = 0xf7f9fffe0401e172ull,
			     .vmx_procbased2 = 0x2177fff00000000ull,
			     .vmx_ept_vpid = 0xf0106334141ull };
	set_vendor(&r, "GenuineIntel");
	return r;
}

static void test_qemu_max_has_npt_and_vgif(void **state)
{
	(void)state;
	struct cpu_raw r = qemu_max();
	struct cpu_caps c;
	caps_decode(&r, &c);
	assert_int_equal(c.vendor, VENDOR_AMD);
	assert_int_equal(c.family, 0xf);
	assert_int_equal(c.model, 0x6b);
	assert_false(c.vmx.present);
	assert_true(c.svm.present);
	assert_true(c.svm.npt);
	assert_true(c.svm.vgif);
	/* what TCG does not emulate (emulators.md) */
	assert_false(c.svm.nrips);
	assert_false(c.svm.decode_assists);
	assert_false(c.svm.vmcb_clean);
	assert_false(c.svm.flush_by_asid);
	assert_false(c.svm.avic);
	assert_false(c.svm.x2avic);
	assert_false(c.svm.vnmi);
	assert_int_equal(c.svm.nasid, 16);
}

static void test_qemu_epyc_has_npt_only(void **state)
{
	(void)state;
	struct cpu_raw r = qemu_epyc();
	struct cpu_caps c;
	caps_decode(&r, &c);
	assert_int_equal(c.family, 0x17);
	assert_int_equal(c.model, 0x1);
	assert_true(c.svm.npt);
	assert_false(c.svm.vgif);
}

static void test_bochs_ivy_bridge_has_tpr_shadow_without_vid(void **state)
{
	(void)state;
	struct cpu_raw r = bochs_ivy_bridge();
	struct cpu_caps c;
	caps_decode(&r, &c);
	assert_int_equal(c.vendor, VENDOR_INTEL);
	assert_int_equal(c.model, 0x3a);
	assert_false(c.svm.present);
	assert_true(c.vmx.present);
	assert_true(c.vmx.true_ctls);
	assert_int_equal(c.vmx.vmcs_revision, 0x2b);
	assert_true(c.vmx.tpr_shadow);
	assert_true(c.vmx.secondary_ctls);
	assert_true(c.vmx.virt_apic_accesses);
	assert_true(c.vmx.ept);
	assert_true(c.vmx.vpid);
	assert_true(c.vmx.unrestricted_guest);
	/* the "older platform" of seed 000 */
	assert_false(c.vmx.virt_intr_delivery);
	assert_false(c.vmx.apic_reg_virt);
	assert_false(c.vmx.posted_intr);
	assert_false(c.vmx.vmcs_shadowing);
	assert_true(c.vmx.ept_4level);
	assert_true(c.vmx.ept_wb);
	assert_true(c.vmx.ept_2m);
	assert_true(c.vmx.invept);
	assert_true(c.vmx.invvpid);
	assert_false(c.vmx.locked_off);
}

static void test_bochs_skylake_x_has_vid(void **state)
{
	(void)state;
	struct cpu_raw r = bochs_skylake_x();
	struct cpu_caps c;
	caps_decode(&r, &c);
	assert_int_equal(c.model, 0x55);
	assert_true(c.vmx.virt_intr_delivery);
	assert_true(c.vmx.apic_reg_virt);
	assert_true(c.vmx.vmcs_shadowing);
	assert_false(c.vmx.posted_intr);	/* no Bochs model offers them */
	assert_true(c.vmx.ept_1g);
	assert_true(c.vmx.ept_ad);
}

static void test_which_msrs_to_read(void **state)
{
	(void)state;
	struct cpu_raw r = qemu_max();
	assert_false(caps_want_vmx_msrs(&r));
	assert_true(caps_want_svm_leaf(&r));
	r = bochs_ivy_bridge();
	assert_true(caps_want_vmx_msrs(&r));
	assert_true(caps_want_procbased2(&r));
	assert_true(caps_want_ept_vpid(&r));
	assert_false(caps_want_svm_leaf(&r));
	/* no secondary controls: PROCBASED2 must not be read (it would #GP) */
	r.vmx_procbased &= ~(1ull << 63);
	assert_false(caps_want_procbased2(&r));
	assert_false(caps_want_ept_vpid(&r));
	/* leaf 8000000A beyond the maximum extended leaf: not read */
	r = qemu_max();
	r.max_ext_leaf = 0x80000008;
	assert_false(caps_want_svm_leaf(&r));
}

static void test_locked_off_by_firmware(void **state)
{
	(void)state;
	struct cpu_raw r = bochs_ivy_bridge();
	struct cpu_caps c;
	r.feature_control = 0x1;	/* locked, VMX outside SMX disabled */
	caps_decode(&r, &c);
	assert_true(c.vmx.locked_off);
	r.feature_control = 0x5;
	caps_decode(&r, &c);
	assert_false(c.vmx.locked_off);
}

static void test_table_rows_same_format_on_both_vendors(void **state)
{
	(void)state;
	struct cpu_caps c;
	struct cpu_raw r = bochs_ivy_bridge();
	capture_reset();
	caps_decode(&r, &c);
	caps_log_table(&c);
	assert_true(capture_contains("[nestor] caps | vmx | virtual-interrupt-delivery   | no  |"));
	assert_true(capture_contains("[nestor] caps | vmx | tpr-shadow                   | yes |"));
	assert_true(capture_contains("[nestor] caps | svm | npt                          | no  |"));
	r = qemu_max();
	capture_reset();
	caps_decode(&r, &c);
	caps_log_table(&c);
	assert_true(capture_contains("[nestor] caps | svm | npt                          | yes |"));
	assert_true(capture_contains("[nestor] caps | svm | vgif                         | yes |"));
	assert_true(capture_contains("[nestor] caps | vmx | tpr-shadow                   | no  |"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_max_has_npt_and_vgif),
		cmocka_unit_test(test_qemu_epyc_has_npt_only),
		cmocka_unit_test(test_bochs_ivy_bridge_has_tpr_shadow_without_vid),
		cmocka_unit_test(test_bochs_skylake_x_has_vid),
		cmocka_unit_test(test_which_msrs_to_read),
		cmocka_unit_test(test_locked_off_by_firmware),
		cmocka_unit_test(test_table_rows_same_format_on_both_vendors),
	};
	return cmocka_run_group_tests_name("caps", tests, NULL, NULL);
}

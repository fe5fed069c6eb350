/* test_nvmx_offer: L1's VMX capability MSRs per personality: what kvm_intel needs, self-consistent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "arch/x86/vmx/vmx_caps.h"
#include "nested/vmx/nvmx_offer.h"
#include "tests/nvmx/nvmx_fixture.h"
#include "tests/nvmx/nvmx_hosts.h"

static struct nvmx_caps offer(struct nvmx_host h, enum nvmx_flavor f, bool no_ept)
{
	struct nvmx_offer_opts o = { .no_ept = no_ept };
	struct nvmx_caps c;
	char why[160] = "";

	assert_true(nvmx_offer(&h, f, &o, &c, why, sizeof(why)));
	return c;
}

static uint64_t rd(const struct nvmx_caps *c, uint32_t msr)
{
	uint64_t v = 0;
	assert_true(nvmx_caps_msr(c, msr, &v));
	return v;
}

/* kvm_intel 6.1 adjust_vmx_controls: min must be allowed, from the plain MSR. */
static void kvm_needs(uint64_t msr, uint32_t min)
{
	uint32_t ctl = (min & VMX_CTL_MAY1(msr)) | VMX_CTL_MUST1(msr);
	if (min & ~ctl)
		print_error("missing %#x in %#llx\n", min & ~ctl, (unsigned long long)msr);
	assert_int_equal(min & ~ctl, 0);
}

/* setup_vmcs_config and error_on_inconsistent_vmcs_config (nested-facts.md). */
static void kvm_intel_loads(const struct nvmx_caps *c)
{
	uint32_t proc2 = VMX_CTL_MAY1(rd(c, 0x48b)), exit = VMX_CTL_MAY1(rd(c, 0x483));
	uint32_t entry = VMX_CTL_MAY1(rd(c, 0x484));
	uint64_t basic = rd(c, 0x480), ev;
	bool has_ev = nvmx_caps_msr(c, 0x48c, &ev);

	kvm_needs(rd(c, 0x481), PIN_EXTINT_EXITING | PIN_NMI_EXITING);
	kvm_needs(rd(c, 0x482), PROC_HLT_EXITING | PROC_CR3_LOAD_EXITING | PROC_CR3_STORE_EXITING |
				PROC_UNCOND_IO_EXITING | PROC_MOV_DR_EXITING |
				PROC_TSC_OFFSETTING | PROC_MWAIT_EXITING | PROC_MONITOR_EXITING |
				PROC_INVLPG_EXITING | PROC_RDPMC_EXITING |
				PROC_IRQ_WINDOW_EXITING | PROC_CR8_LOAD_EXITING |
				PROC_CR8_STORE_EXITING);
	kvm_needs(rd(c, 0x483), EXIT_SAVE_DEBUG_CONTROLS | EXIT_ACK_INTR_ON_EXIT |
				EXIT_HOST_ADDR_SPACE_SIZE);
	kvm_needs(rd(c, 0x484), ENTRY_LOAD_DEBUG_CONTROLS | ENTRY_IA32E_GUEST);
	/* EPT/VPID capabilities only with the control. */
	if (has_ev && (uint32_t)ev)
		assert_true(proc2 & PROC2_EPT);
	if (has_ev && (ev >> 32))
		assert_true(proc2 & PROC2_VPID);
	/* Entry/exit pairs agree: PERF_GLOBAL_CTRL, PAT, EFER, BNDCFGS. */
	assert_int_equal(!(entry & ENTRY_LOAD_PERF_GLOBAL_CTRL), !(exit & EXIT_LOAD_PERF_GLOBAL_CTRL));
	assert_int_equal(!(entry & ENTRY_LOAD_PAT), !(exit & EXIT_LOAD_PAT));
	assert_int_equal(!(entry & ENTRY_LOAD_EFER), !(exit & EXIT_LOAD_EFER));
	assert_int_equal(!(entry & ENTRY_LOAD_BNDCFGS), !(exit & EXIT_CLEAR_BNDCFGS));
	/* BASIC: size <= 4096, 64-bit addresses, WB. */
	assert_true(((basic >> 32) & 0x1fff) <= 4096);
	assert_false(basic & VMX_BASIC_32BIT_ADDRESSES);
	assert_int_equal(VMX_BASIC_MEMTYPE(basic), VMX_MEMTYPE_WB);
	assert_int_equal(basic & VMX_BASIC_REVISION_MASK, VMCS12_REVISION);
}

/* Every control MSR: must-1 within may-1; TRUE must-1 within the plain one (A.2). */
static void self_consistent(const struct nvmx_caps *c)
{
	static const uint32_t plain[] = { 0x481, 0x482, 0x483, 0x484 };
	for (unsigned i = 0; i < 4; i++) {
		uint64_t p = rd(c, plain[i]), t = rd(c, plain[i] + 0xc);
		assert_int_equal(VMX_CTL_MUST1(p) & ~VMX_CTL_MAY1(p), 0);
		assert_int_equal(VMX_CTL_MUST1(t) & ~VMX_CTL_MUST1(p), 0);
		assert_int_equal(VMX_CTL_MAY1(t), VMX_CTL_MAY1(p));
	}
	assert_int_equal(c->msrs.cr0_fixed0 & ~c->msrs.cr0_fixed1, 0);
	assert_int_equal(c->msrs.cr4_fixed0 & ~c->msrs.cr4_fixed1, 0);
	/* Unrestricted guest only with EPT (26.2.1.1), virtualize x2APIC only with TPR shadow. */
	if (VMX_CTL_MAY1(c->msrs.proc2) & PROC2_UNRESTRICTED_GUEST)
		assert_true(VMX_CTL_MAY1(c->msrs.proc2) & PROC2_EPT);
}

/* The catalogue's valid vmcs12, built on the offer, passes every check. */
static void valid_vmcs12_passes(const struct nvmx_caps *c)
{
	static struct nvmx_fixture fx;
	struct nvmx_result r;
	char line[512];

	nvmx_fixture_init(&fx);
	fx.caps = *c;
	fx.caps.maxphyaddr = 40;
	nvmx_fixture_valid(&fx);
	nvmx_check_vmentry(&fx.v, &fx.env, NVMX_MODE_ALL, &r);
	nvmx_result_format(&r, &fx.v, &fx.env, line, sizeof(line));
	if (r.check)
		print_error("%s\n", line);
	assert_null(r.check);
}

static void test_hyperv_ivy_bridge(void **state)
{
	struct nvmx_caps c = offer(nvmx_host_ivy_bridge(), NVMX_FLAVOR_HYPERV, false);
	uint32_t proc2 = VMX_CTL_MAY1(rd(&c, 0x48b));

	(void)state;
	kvm_intel_loads(&c);
	self_consistent(&c);
	valid_vmcs12_passes(&c);
	/* TPR shadow, EPT, VPID, UG; no APIC virtualization beyond it, no posted interrupts. */
	assert_true(VMX_CTL_MAY1(rd(&c, 0x482)) & PROC_TPR_SHADOW);
	assert_true(proc2 & PROC2_EPT);
	assert_true(proc2 & PROC2_VPID);
	assert_true(proc2 & PROC2_UNRESTRICTED_GUEST);
	assert_int_equal(proc2 & (PROC2_VIRT_APIC_ACCESSES | PROC2_APIC_REG_VIRT |
				  PROC2_VIRT_INTR_DELIVERY | PROC2_VIRT_X2APIC |
				  PROC2_VMCS_SHADOWING), 0);
	assert_int_equal(VMX_CTL_MAY1(rd(&c, 0x481)) & (PIN_POSTED_INTERRUPTS | PIN_PREEMPTION_TIMER), 0);
	/* kvm_intel's EPT needs: 4-level, WB, INVEPT all-context, 2 MiB pages. */
	assert_int_equal(rd(&c, 0x48c) & (EPT_CAP_4LEVEL | EPT_CAP_WB | EPT_CAP_INVEPT |
					  EPT_CAP_INVEPT_ALL | EPT_CAP_2M),
			 EPT_CAP_4LEVEL | EPT_CAP_WB | EPT_CAP_INVEPT | EPT_CAP_INVEPT_ALL | EPT_CAP_2M);
	assert_false(rd(&c, 0x48c) & EPT_CAP_AD);
	/* 4 CR3 targets, HLT activity, no VMWRITE to exit information. */
	assert_int_equal(VMX_MISC_CR3_TARGETS(rd(&c, 0x485)), 4);
	assert_false(rd(&c, 0x485) & VMX_MISC_VMWRITE_ANY);
	/* No VM functions: 491h #GP; 492h (tertiary) does not exist. */
	uint64_t v;
	assert_false(nvmx_caps_msr(&c, 0x491, &v));
	assert_false(nvmx_caps_msr(&c, 0x492, &v));
	/* SMXE hidden from CR4_FIXED1, VMXE fixed. */
	assert_false(rd(&c, 0x489) & (1ull << 14));
	assert_true(rd(&c, 0x488) & (1ull << 13));
	assert_int_equal(nvmx_flavor_mode(NVMX_FLAVOR_HYPERV), NVMX_MODE_ALL);
}

static void test_hyperv_skylake_hides_apicv(void **state)
{
	struct nvmx_caps c = offer(nvmx_host_skylake_x(), NVMX_FLAVOR_HYPERV, false);

	(void)state;
	kvm_intel_loads(&c);
	self_consistent(&c);
	assert_int_equal(VMX_CTL_MAY1(rd(&c, 0x48b)) & (PROC2_APIC_REG_VIRT | PROC2_VIRT_INTR_DELIVERY |
							PROC2_VMCS_SHADOWING | PROC2_PML),
			 0);
}

static void test_kvm_flavor(void **state)
{
	struct nvmx_caps c = offer(nvmx_host_ivy_bridge(), NVMX_FLAVOR_KVM, false);

	(void)state;
	kvm_intel_loads(&c);
	self_consistent(&c);
	valid_vmcs12_passes(&c);
	/* What KVM 6.1 offers: virtualize x2APIC mode, no CR3 targets, VMWRITE to exit
	 * information fields, WB only for EPT. */
	assert_true(VMX_CTL_MAY1(rd(&c, 0x48b)) & PROC2_VIRT_X2APIC);
	assert_int_equal(VMX_MISC_CR3_TARGETS(rd(&c, 0x485)), 0);
	assert_true(rd(&c, 0x485) & VMX_MISC_VMWRITE_ANY);
	assert_false(rd(&c, 0x48c) & EPT_CAP_UC);
	/* Debug controls free in the TRUE forms (nested_vmx_setup_ctls_msrs). */
	assert_false(VMX_CTL_MUST1(rd(&c, 0x48f)) & EXIT_SAVE_DEBUG_CONTROLS);
	assert_false(VMX_CTL_MUST1(rd(&c, 0x490)) & ENTRY_LOAD_DEBUG_CONTROLS);
	assert_int_equal(nvmx_flavor_mode(NVMX_FLAVOR_KVM), NVMX_MODE_KVM);
}

static void test_native_is_host_within_emulation(void **state)
{
	struct nvmx_host h = nvmx_host_skylake_x();
	struct nvmx_caps c = offer(h, NVMX_FLAVOR_NATIVE, false);
	uint32_t p2 = VMX_CTL_MAY1(rd(&c, 0x48b));

	(void)state;
	kvm_intel_loads(&c);
	self_consistent(&c);
	/* Everything offered is the host's (bitmaps and ack-on-exit excepted). */
	assert_int_equal(p2 & ~VMX_CTL_MAY1(h.msrs.proc2), 0);
	assert_true(p2 & PROC2_PAUSE_LOOP_EXITING);
	assert_true(p2 & PROC2_VIRT_X2APIC);
	assert_false(p2 & PROC2_VIRT_INTR_DELIVERY);
}

static void test_no_ept_option(void **state)
{
	struct nvmx_caps c = offer(nvmx_host_ivy_bridge(), NVMX_FLAVOR_HYPERV, true);
	uint32_t p2 = VMX_CTL_MAY1(rd(&c, 0x48b));

	(void)state;
	kvm_intel_loads(&c);
	self_consistent(&c);
	assert_false(p2 & (PROC2_EPT | PROC2_UNRESTRICTED_GUEST));
	assert_true(p2 & PROC2_VPID);
	assert_int_equal((uint32_t)rd(&c, 0x48c), 0);	/* no EPT capability bits */
	assert_true(rd(&c, 0x48c) & VPID_CAP_INVVPID);
}

static void test_none_and_refusals(void **state)
{
	struct nvmx_host h = nvmx_host_ivy_bridge();
	struct nvmx_caps c;
	char why[160];
	uint64_t v;

	(void)state;
	assert_true(nvmx_offer(&h, NVMX_FLAVOR_NONE, NULL, &c, why, sizeof(why)));
	assert_false(nvmx_caps_msr(&c, 0x480, &v));
	h.msrs.basic &= ~VMX_BASIC_TRUE_CTLS;
	assert_false(nvmx_offer(&h, NVMX_FLAVOR_HYPERV, NULL, &c, why, sizeof(why)));
	assert_non_null(strstr(why, "TRUE"));
	h = nvmx_host_ivy_bridge();
	h.msrs.proc2 &= ~((uint64_t)PROC2_EPT << 32);
	assert_false(nvmx_offer(&h, NVMX_FLAVOR_HYPERV, NULL, &c, why, sizeof(why)));
	assert_non_null(strstr(why, "EPT"));
}

static void test_feature_control(void **state)
{
	uint64_t fc = NVMX_FEATURE_CONTROL_RESET;

	(void)state;
	assert_false(nvmx_feature_control_write(&fc, 1ull << 20));	/* SENTER bits: not modelled */
	assert_true(nvmx_feature_control_write(&fc, 0x5));
	assert_int_equal(fc, 0x5);
	assert_false(nvmx_feature_control_write(&fc, 0x0));		/* locked */
	assert_int_equal(fc, 0x5);
}

static void test_vmcs_enum(void **state)
{
	struct nvmx_caps c = offer(nvmx_host_ivy_bridge(), NVMX_FLAVOR_HYPERV, false);
	uint64_t e = rd(&c, 0x48a);

	(void)state;
	/* Every vmcs12 field's index is at most the enumerated one. */
	for (unsigned i = 0; i < vmcs12_field_count; i++)
		assert_true(((vmcs12_fields[i].encoding >> 1) & 0x1ff) <= (e >> 1));
	assert_int_equal(e & ~0x3feull, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hyperv_ivy_bridge),
		cmocka_unit_test(test_hyperv_skylake_hides_apicv),
		cmocka_unit_test(test_kvm_flavor),
		cmocka_unit_test(test_native_is_host_within_emulation),
		cmocka_unit_test(test_no_ept_option),
		cmocka_unit_test(test_none_and_refusals),
		cmocka_unit_test(test_feature_control),
		cmocka_unit_test(test_vmcs_enum),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

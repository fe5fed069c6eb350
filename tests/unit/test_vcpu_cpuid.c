/* test_vcpu_cpuid: the CPUID rewrite for guests, on recorded host answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "vm/vcpu_cpuid.h"

#define CR4_OSXSAVE (1ull << 18)

/* Leaf 1 as Bochs corei7_skylake_x reports it to nestor (VMX, OSXSAVE set by nestor). */
static struct cpuid_regs skylake_leaf1(void)
{
	return (struct cpuid_regs){ 0x00050654, 0x00010800, 0xfffaf3bf | (1u << 5), 0xbfebfbff };
}

static void test_leaf1_identity_and_hidden_features(void **state)
{
	(void)state;
	struct cpuid_regs r = skylake_leaf1();
	cpuid_filter(1, 2, 0, 1, 0, &r);
	assert_int_equal(r.ebx >> 24, 1);		/* initial APIC ID = vCPU id */
	assert_int_equal((r.ebx >> 16) & 0xff, 2);	/* logical processors */
	assert_false(r.ecx & (1u << 5));		/* VMX */
	assert_false(r.ecx & (1u << 3));		/* MONITOR */
	assert_false(r.ecx & (1u << 27));		/* OSXSAVE follows the guest's CR4 */
	assert_true(r.ecx & (1u << 21));		/* x2APIC from the vLAPIC */
	assert_true(r.ecx & (1u << 24));		/* TSC deadline from the vLAPIC */
	assert_true(r.ecx & (1u << 31));		/* hypervisor */
	assert_true(r.edx & (1u << 28));		/* HTT with 2 vCPUs */

	r = skylake_leaf1();
	cpuid_filter(0, 1, CR4_OSXSAVE, 1, 0, &r);
	assert_true(r.ecx & (1u << 27));
	assert_false(r.edx & (1u << 28));
}

/* Leaf 0Dh subleaf 1: XSAVEOPT/XSAVEC/XGETBV1 stay, XSAVES and its XSS bits go. */
static void test_xsaves_hidden(void **state)
{
	(void)state;
	struct cpuid_regs r = { 0xf, 0x3c0, 0x100, 0 };
	cpuid_filter(0, 1, 0, 0xd, 1, &r);
	assert_int_equal(r.eax, 0x7);
	assert_int_equal(r.ecx, 0);
	assert_int_equal(r.edx, 0);
	/* subleaf 0 (XCR0 components) untouched */
	r = (struct cpuid_regs){ 0xe7, 0x340, 0xa88, 0 };
	cpuid_filter(0, 1, 0, 0xd, 0, &r);
	assert_int_equal(r.eax, 0xe7);
	assert_int_equal(r.ecx, 0xa88);
}

/* Bochs skylake-x's components (x87, SSE, AVX, AVX-512): the size Linux 6.1 expects. */
static void test_xsave_compacted_size(void **state)
{
	(void)state;
	struct cpuid_regs c[19] = { 0 };
	c[2] = (struct cpuid_regs){ 0x100, 0x240, 0, 0 };
	c[5] = (struct cpuid_regs){ 0x40, 0x440, 0, 0 };
	c[6] = (struct cpuid_regs){ 0x200, 0x480, 0, 0 };
	c[7] = (struct cpuid_regs){ 0x400, 0x680, 0, 0 };
	assert_int_equal(xsave_compacted_size(0xe7, c, 19), 2432);
	assert_int_equal(xsave_compacted_size(0x7, c, 19), 832);
	assert_int_equal(xsave_compacted_size(0x3, c, 19), 576);
	/* an aligned component starts on the next 64-byte boundary: 576+8 -> 640 */
	c[9] = (struct cpuid_regs){ 0x8, 0xa80, 0, 0 };		/* PKRU */
	c[18] = (struct cpuid_regs){ 0x2000, 0xac0, 0x2, 0 };	/* AMX TILEDATA, aligned */
	assert_int_equal(xsave_compacted_size(0x203, c, 19), 584);
	assert_int_equal(xsave_compacted_size(0x40203, c, 19), 640 + 0x2000);
	/* components past count are not looked at */
	assert_int_equal(xsave_compacted_size(0x40203, c, 10), 584);
}

static void test_hypervisor_and_svm_leaves(void **state)
{
	(void)state;
	struct cpuid_regs r = { 0, 0, 0, 0 };
	cpuid_filter(0, 1, 0, 0x40000000, 0, &r);
	assert_int_equal(r.eax, 0x40000001);
	assert_memory_equal(&r.ebx, "nest", 4);
	assert_memory_equal(&r.ecx, "orne", 4);
	assert_memory_equal(&r.edx, "stor", 4);
	r = (struct cpuid_regs){ 1, 0x10, 0, 0x1ffff };
	cpuid_filter(0, 1, 0, 0x8000000a, 0, &r);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	r = (struct cpuid_regs){ 0, 0, 0x00000375, 0 };
	cpuid_filter(0, 1, 0, 0x80000001, 0, &r);
	assert_false(r.ecx & (1u << 2));		/* SVM */
}

/* Leaf 7: MSRs nestor does not model are not advertised. */
static void test_leaf7_unmodelled_msrs(void **state)
{
	(void)state;
	struct cpuid_regs r = { 0, 0xd19f4fbb, 0x8, 0xbc000400 };
	cpuid_filter(0, 1, 0, 7, 0, &r);
	assert_false(r.ebx & (1u << 1));		/* TSC_ADJUST */
	assert_true(r.ebx & (1u << 0));			/* FSGSBASE stays */
	assert_int_equal(r.edx & 0xac000000u, 0);	/* IBRS/STIBP/ARCH_CAPS/SSBD */
	assert_true(r.edx & (1u << 10));		/* MD_CLEAR stays */
}

static void test_x2apic_topology(void **state)
{
	(void)state;
	struct cpuid_regs r = { 0, 0, 0, 0 };
	cpuid_filter(2, 3, 0, 0xb, 1, &r);
	assert_int_equal(r.eax, 2);	/* bits to number 3 CPUs */
	assert_int_equal(r.ebx, 3);
	assert_int_equal(r.edx, 2);	/* x2APIC ID */
	assert_int_equal(r.ecx, 1 | (2u << 8));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leaf1_identity_and_hidden_features),
		cmocka_unit_test(test_xsaves_hidden),
		cmocka_unit_test(test_xsave_compacted_size),
		cmocka_unit_test(test_hypervisor_and_svm_leaves),
		cmocka_unit_test(test_leaf7_unmodelled_msrs),
		cmocka_unit_test(test_x2apic_topology),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

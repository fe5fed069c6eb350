/* test_vcpu_cpuid: every personality's CPUID on recorded host answers (QEMU max, Bochs). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "tests/unit/cpuid_recorded.h"
#include "vm/cpuid_xsave.h"
#include "vm/personality.h"

#define CR4_OSXSAVE (1ull << 18)
#define CR4_PKE (1ull << 22)
#define APIC_EN (1ull << 11)
#define ROWS(a) (a), sizeof(a) / sizeof((a)[0])

static struct recorded_cpu qemu = { "qemu max", ROWS(qemu_max_rows), 0x7 };
static struct recorded_cpu skylake = { "bochs skylake-x", ROWS(skylake_x_rows), 0xe7 };
static struct recorded_cpu ivy = { "bochs ivy bridge", ROWS(ivy_bridge_rows), 0x7 };

/* vCPU `id` of `n`, APIC enabled, CR4 and IA32_MISC_ENABLE as given. */
static struct cpuid_state state(unsigned id, unsigned n, uint64_t cr4)
{
	return (struct cpuid_state){ id, n, cr4, 0, 0xfee00000 | APIC_EN | (id ? 0 : 0x100),
				     0x1801 };
}

static struct cpuid_regs ask_state(enum personality_id p, struct recorded_cpu *c,
				   const struct cpuid_state *s, uint32_t leaf, uint32_t sub)
{
	struct cpuid_host h = recorded_host(c);
	struct cpuid_regs r;
	cpuid_model(personality_get(p), &h, s, leaf, sub, &r);
	return r;
}

static struct cpuid_regs ask(enum personality_id p, struct recorded_cpu *c, uint32_t leaf,
			     uint32_t sub)
{
	struct cpuid_state s = state(0, 1, 0);
	return ask_state(p, c, &s, leaf, sub);
}

static struct cpuid_regs host(struct recorded_cpu *c, uint32_t leaf, uint32_t sub)
{
	struct cpuid_regs r;
	recorded_query(c, leaf, sub, &r);
	return r;
}

static void test_leaf1_identity_and_hidden_features(void **st)
{
	(void)st;
	struct cpuid_state s = state(1, 2, 0);
	struct cpuid_regs r = ask_state(PERSONALITY_NONE, &skylake, &s, 1, 0);
	assert_true(host(&skylake, 1, 0).ecx & (1u << 5));	/* the host has VMX ... */
	assert_false(r.ecx & (1u << 5));			/* ... the guest not */
	assert_int_equal(r.ebx >> 24, 1);		/* initial APIC ID = vCPU id */
	assert_int_equal((r.ebx >> 16) & 0xff, 2);	/* logical processors */
	assert_false(r.ecx & (1u << 3));		/* MONITOR */
	assert_false(r.ecx & (1u << 27));		/* OSXSAVE follows the guest's CR4 */
	assert_true(r.ecx & (1u << 21));		/* x2APIC from the vLAPIC */
	assert_true(r.ecx & (1u << 24));		/* TSC deadline from the vLAPIC */
	assert_true(r.ecx & (1u << 31));		/* hypervisor */
	assert_true(r.edx & (1u << 28));		/* HTT with 2 vCPUs */
	assert_false(r.edx & ((1u << 21) | (1u << 22) | (1u << 29)));	/* DS, ACPI, TM */

	s = state(0, 1, CR4_OSXSAVE);
	r = ask_state(PERSONALITY_NONE, &skylake, &s, 1, 0);
	assert_true(r.ecx & (1u << 27));
	assert_false(r.edx & (1u << 28));
}

/* The allowlist: a host bit the table does not offer never reaches the guest, on any host,
 * in any personality, and a leaf the table does not name reads 0. */
static void test_allowlist(void **st)
{
	(void)st;
	struct recorded_cpu *cpus[] = { &qemu, &skylake, &ivy };
	for (unsigned c = 0; c < 3; c++) {
		for (enum personality_id p = 0; p < PERSONALITY_COUNT; p++) {
			struct cpuid_regs r = ask(p, cpus[c], 1, 0);
			assert_int_equal(r.ecx & ~(0x76da3203u | (1u << 24) | (1u << 31) |
						   (1u << 21)), 0);
			r = ask(p, cpus[c], 5, 0);	/* MONITOR/MWAIT */
			assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
			r = ask(p, cpus[c], 6, 0);	/* thermal and power */
			assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
			r = ask(p, cpus[c], 0xa, 0);	/* PMU version 0, no counters */
			assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
			r = ask(p, cpus[c], 0x80000007, 0);
			assert_int_equal(r.eax | r.ebx | r.ecx, 0);
			assert_int_equal(r.edx & ~(1u << 8), 0);
		}
	}
	/* QEMU max has MPX (XCR0 bits 3, 4): not offered, nor its components. */
	assert_int_equal(host(&qemu, 0xd, 0).eax & 0x18, 0x18);
	assert_int_equal(ask(PERSONALITY_KVM, &qemu, 0xd, 0).eax, 0x207);
	assert_int_equal(ask(PERSONALITY_KVM, &qemu, 0xd, 3).eax, 0);
	assert_int_equal(ask(PERSONALITY_KVM, &qemu, 0xd, 9).eax, 8);	/* PKRU stays */
	/* QEMU max reports 8000000Ah with SVM: the table ends there, and offers nothing. */
	struct cpuid_regs r = ask(PERSONALITY_NONE, &qemu, 0x8000000a, 0);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	assert_int_equal(ask(PERSONALITY_NONE, &qemu, 0x80000000, 0).eax, 0x8000000a);
	assert_false(ask(PERSONALITY_NONE, &qemu, 0x80000001, 0).ecx & (1u << 2));
}

/* Leaf 0Dh subleaf 1: XSAVEOPT/XSAVEC/XGETBV1 stay, XSAVES and its XSS bits go. */
static void test_xsaves_hidden(void **st)
{
	(void)st;
	struct cpuid_regs r = ask(PERSONALITY_NONE, &skylake, 0xd, 1);
	assert_int_equal(host(&skylake, 0xd, 1).eax & 0x8, 0x8);	/* host: XSAVES */
	assert_int_equal(r.eax, 0x7);
	assert_int_equal(r.ecx, 0);
	assert_int_equal(r.edx, 0);
}

/* Bochs skylake-x reports the standard size in 0Dh.1 EBX; the guest gets the compacted
 * size for its XCR0 (Linux 6.1 checks it), and 0Dh.0 sizes for the offered components. */
static void test_xsave_sizes(void **st)
{
	(void)st;
	struct cpuid_state s = state(0, 1, CR4_OSXSAVE);
	s.xcr0 = 0xe7;
	assert_int_equal(ask_state(PERSONALITY_NONE, &skylake, &s, 0xd, 1).ebx, 2432);
	s.xcr0 = 0x7;
	assert_int_equal(ask_state(PERSONALITY_NONE, &skylake, &s, 0xd, 1).ebx, 832);
	struct cpuid_regs r = ask_state(PERSONALITY_NONE, &skylake, &s, 0xd, 0);
	assert_int_equal(r.eax, 0xe7);
	assert_int_equal(r.ebx, 0x340);		/* x87 SSE AVX: AVX ends at 0x240 + 0x100 */
	assert_int_equal(r.ecx, host(&skylake, 0xd, 0).ecx);	/* all offered: the host's */
	s.xcr0 = 0x207;
	r = ask_state(PERSONALITY_NONE, &qemu, &s, 0xd, 0);
	assert_int_equal(r.ebx, 0xa88);		/* PKRU at 0xa80, 8 bytes */
	assert_int_equal(r.ecx, 0xa88);
}

/* Bochs skylake-x's components (x87, SSE, AVX, AVX-512): the size Linux 6.1 expects. */
static void test_xsave_compacted_size(void **st)
{
	(void)st;
	struct cpuid_regs c[19] = { 0 };
	c[2] = (struct cpuid_regs){ 0x100, 0x240, 0, 0 };
	c[5] = (struct cpuid_regs){ 0x40, 0x440, 0, 0 };
	c[6] = (struct cpuid_regs){ 0x200, 0x480, 0, 0 };
	c[7] = (struct cpuid_regs){ 0x400, 0x680, 0, 0 };
	assert_int_equal(xsave_compacted_size(0xe7, c, 19), 2432);
	assert_int_equal(xsave_compacted_size(0x7, c, 19), 832);
	assert_int_equal(xsave_compacted_size(0x3, c, 19), 576);
	assert_int_equal(xsave_standard_size(0xe7, c, 19), 0xa80);
	assert_int_equal(xsave_standard_size(0x3, c, 19), 576);
	/* an aligned component starts on the next 64-byte boundary: 576+8 -> 640 */
	c[9] = (struct cpuid_regs){ 0x8, 0xa80, 0, 0 };		/* PKRU */
	c[18] = (struct cpuid_regs){ 0x2000, 0xac0, 0x2, 0 };	/* AMX TILEDATA, aligned */
	assert_int_equal(xsave_compacted_size(0x203, c, 19), 584);
	assert_int_equal(xsave_compacted_size(0x40203, c, 19), 640 + 0x2000);
	/* components past count are not looked at */
	assert_int_equal(xsave_compacted_size(0x40203, c, 10), 584);
}

static void assert_signature(struct cpuid_regs r, const char *sig)
{
	char got[13];
	memcpy(got, &r.ebx, 4);
	memcpy(got + 4, &r.ecx, 4);
	memcpy(got + 8, &r.edx, 4);
	assert_memory_equal(got, sig, 12);
}

static void test_hypervisor_leaves(void **st)
{
	(void)st;
	struct cpuid_regs r = ask(PERSONALITY_NONE, &qemu, 0x40000000, 0);
	assert_int_equal(r.eax, 0x40000001);
	assert_signature(r, "nestornestor");
	r = ask(PERSONALITY_KVM, &skylake, 0x40000000, 0);
	assert_int_equal(r.eax, 0x40000001);
	assert_signature(r, "KVMKVMKVM\0\0\0");
	r = ask(PERSONALITY_KVM, &qemu, 0x40000001, 0);
	assert_int_equal(r.eax, 1u << 11);		/* PV_SEND_IPI only */
	assert_int_equal(r.ebx | r.ecx | r.edx, 0);
	r = ask(PERSONALITY_HYPERV, &ivy, 0x40000000, 0);
	assert_int_equal(r.eax, 0x4000000a);
	assert_signature(r, "Microsoft Hv");
	assert_int_equal(ask(PERSONALITY_HYPERV, &ivy, 0x40000001, 0).eax, 0x31237648);
	assert_false(ask(PERSONALITY_HYPERV, &ivy, 0x40000004, 0).eax & (1u << 14));
	assert_int_equal(ask(PERSONALITY_HYPERV, &ivy, 0x40000003, 0).eax, 0);
	r = ask(PERSONALITY_HYPERV, &ivy, 0x4000000a, 0);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);	/* bit 18, eVMCS version */
	for (enum personality_id p = PERSONALITY_NONE; p < PERSONALITY_COUNT; p++)
		assert_int_equal(!!(ask(p, &qemu, 1, 0).ecx & (1u << 31)), p != PERSONALITY_NATIVE);
}

/* native: no hypervisor leaves. AMD answers a leaf out of range with zeros, Intel with
 * the highest basic leaf (SDM Vol. 2A CPUID). */
static void test_native_has_no_hypervisor_leaves(void **st)
{
	(void)st;
	struct cpuid_regs r = ask(PERSONALITY_NATIVE, &qemu, 0x40000000, 0);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	uint32_t maxb = ask(PERSONALITY_NATIVE, &ivy, 0, 0).eax;
	r = ask(PERSONALITY_NATIVE, &ivy, 0x40000000, 0);
	struct cpuid_regs top = ask(PERSONALITY_NATIVE, &ivy, maxb, 0);
	assert_memory_equal(&r, &top, sizeof(r));
	assert_int_not_equal(r.eax, 0x40000001);
	assert_int_equal(ask(PERSONALITY_NONE, &ivy, 0x40000002, 0).eax, top.eax);
}

/* The CPU is the same in every personality: only leaf 1 ECX[31] and 4000xxxxh differ. */
static void test_personalities_share_the_cpu(void **st)
{
	(void)st;
	struct recorded_cpu *cpus[] = { &qemu, &skylake, &ivy };
	for (unsigned c = 0; c < 3; c++) {
		for (unsigned range = 0; range < 2; range++) {
			uint32_t base = range ? 0x80000000u : 0;
			for (uint32_t leaf = base; leaf < base + 0x22; leaf++) {
				for (uint32_t sub = 0; sub < 3; sub++) {
					struct cpuid_regs n = ask(PERSONALITY_NATIVE, cpus[c], leaf, sub);
					for (enum personality_id p = 0; p < PERSONALITY_COUNT; p++) {
						struct cpuid_regs o = ask(p, cpus[c], leaf, sub);
						if (leaf == 1)
							o.ecx &= ~(1u << 31);
						assert_memory_equal(&o, &n, sizeof(o));
					}
				}
			}
		}
	}
}

/* Virtualization stays hidden in every personality, and the slot says so. */
static void test_virtualization_hidden(void **st)
{
	(void)st;
	for (enum personality_id p = 0; p < PERSONALITY_COUNT; p++) {
		const struct personality *t = personality_get(p);
		assert_false(ask(p, &skylake, 1, 0).ecx & ((1u << 5) | (1u << 6)));	/* VMX SMX */
		assert_false(ask(p, &qemu, 0x80000001, 0).ecx & (1u << 2));		/* SVM */
		assert_int_equal(t->virt.feature_control, 1);	/* locked, VMX off */
		assert_int_equal(t->virt.vm_cr, 0x18);		/* SVMDIS, LOCK */
		/* The rows never show SVM: the SVM backend adds what it implements when the
		 * personality wants nested SVM (native, kvm; vm/vm_nested.h). */
		assert_int_equal(t->virt.svm, p == PERSONALITY_NATIVE || p == PERSONALITY_KVM);
		assert_int_equal(t->virt.vmx, p != PERSONALITY_NONE);
		static const char *const names[] = { "none", "native", "kvm", "hyperv" };
		assert_string_equal(t->name, names[p]);
		assert_int_equal(t->id, p);
	}
	assert_null(personality_get(PERSONALITY_COUNT));
}

/* Leaf 7: MSRs nestor does not model are not advertised. */
static void test_leaf7_unmodelled_msrs(void **st)
{
	(void)st;
	struct cpuid_regs h = host(&skylake, 7, 0), r = ask(PERSONALITY_NONE, &skylake, 7, 0);
	assert_true(h.ebx & (1u << 1));
	assert_false(r.ebx & (1u << 1));		/* TSC_ADJUST */
	assert_true(r.ebx & (1u << 0));			/* FSGSBASE stays */
	assert_true(r.ebx & (1u << 16));		/* AVX512F stays */
	assert_int_equal(r.edx & 0xac000000u, 0);	/* IBRS/STIBP/ARCH_CAPS/SSBD */
	assert_false(r.ebx & (1u << 25));		/* Processor Trace */
	r = ask(PERSONALITY_NONE, &qemu, 7, 0);
	assert_true(r.ecx & (1u << 16));		/* LA57: the walker does 5 levels */
	assert_false(r.ecx & (1u << 31));		/* PKS */
}

/* The dynamic bits follow state: APIC_BASE.EN, CR4.OSXSAVE/PKE, IA32_MISC_ENABLE. */
static void test_dynamic_bits(void **st)
{
	(void)st;
	struct cpuid_state s = state(0, 2, 0);
	assert_true(ask_state(PERSONALITY_KVM, &qemu, &s, 1, 0).edx & (1u << 9));
	assert_true(ask_state(PERSONALITY_KVM, &qemu, &s, 0x80000001, 0).edx & (1u << 9));
	s.apic_base &= ~APIC_EN;
	assert_false(ask_state(PERSONALITY_KVM, &qemu, &s, 1, 0).edx & (1u << 9));
	assert_false(ask_state(PERSONALITY_KVM, &qemu, &s, 0x80000001, 0).edx & (1u << 9));
	assert_false(ask_state(PERSONALITY_KVM, &skylake, &s, 1, 0).edx & (1u << 9));

	s = state(0, 1, 0);
	assert_false(ask_state(PERSONALITY_NONE, &qemu, &s, 7, 0).ecx & (1u << 4));
	s.cr4 = CR4_PKE;
	assert_true(ask_state(PERSONALITY_NONE, &qemu, &s, 7, 0).ecx & (1u << 4));	/* OSPKE */
	assert_false(ask_state(PERSONALITY_NONE, &skylake, &s, 7, 0).ecx & (1u << 4));	/* no PKU */

	s = state(0, 1, 0);
	assert_int_equal(ask_state(PERSONALITY_NONE, &skylake, &s, 0, 0).eax, 0x16);
	s.misc_enable |= 1ull << 22;	/* Limit CPUID Maxval */
	assert_int_equal(ask_state(PERSONALITY_NONE, &skylake, &s, 0, 0).eax, 2);
	struct cpuid_regs r = ask_state(PERSONALITY_NONE, &skylake, &s, 7, 0);
	struct cpuid_regs two = ask_state(PERSONALITY_NONE, &skylake, &s, 2, 0);
	assert_memory_equal(&r, &two, sizeof(r));	/* out of range on Intel */
	s = state(0, 1, 0);
	assert_true(ask_state(PERSONALITY_NONE, &skylake, &s, 0x80000001, 0).edx & (1u << 20));
	s.misc_enable |= 1ull << 34;	/* XD Bit Disable */
	assert_false(ask_state(PERSONALITY_NONE, &skylake, &s, 0x80000001, 0).edx & (1u << 20));
}

static void test_x2apic_topology(void **st)
{
	(void)st;
	struct cpuid_state s = state(2, 3, 0);
	struct cpuid_regs r = ask_state(PERSONALITY_NONE, &skylake, &s, 0xb, 1);
	assert_int_equal(r.eax, 2);	/* bits to number 3 CPUs */
	assert_int_equal(r.ebx, 3);
	assert_int_equal(r.edx, 2);	/* x2APIC ID */
	assert_int_equal(r.ecx, 1 | (2u << 8));
	r = ask_state(PERSONALITY_NONE, &qemu, &s, 0x80000008, 0);
	assert_int_equal(r.ecx, 2 | (2u << 12));
	assert_int_equal(r.eax, host(&qemu, 0x80000008, 0).eax);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leaf1_identity_and_hidden_features),
		cmocka_unit_test(test_allowlist),
		cmocka_unit_test(test_xsaves_hidden),
		cmocka_unit_test(test_xsave_sizes),
		cmocka_unit_test(test_xsave_compacted_size),
		cmocka_unit_test(test_hypervisor_leaves),
		cmocka_unit_test(test_native_has_no_hypervisor_leaves),
		cmocka_unit_test(test_personalities_share_the_cpu),
		cmocka_unit_test(test_virtualization_hidden),
		cmocka_unit_test(test_leaf7_unmodelled_msrs),
		cmocka_unit_test(test_dynamic_bits),
		cmocka_unit_test(test_x2apic_topology),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

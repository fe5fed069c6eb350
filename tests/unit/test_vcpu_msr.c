/* test_vcpu_msr: the MSR table on both vendors: PMUs that do not count, MISC_ENABLE, MTRRs,
 * the personality's values, canonical addresses, and the MSRs CPUID does not imply. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/vm_fixture.h"
#include "vm/msr_table.h"

static uint64_t rd(struct vcpu *v, uint32_t msr, enum msr_result expect)
{
	uint64_t value = 0xdeadbeef;
	assert_int_equal(vcpu_msr_read(v, msr, &value), expect);
	return value;
}

static void wr(struct vcpu *v, uint32_t msr, uint64_t value, enum msr_result expect)
{
	assert_int_equal(vcpu_msr_write(v, msr, value), expect);
}

/* Every AMD CPU since K7 has PerfEvtSel0-3 / PerfCtr0-3: a PMU that does not count, like
 * KVM with its PMU off (the test kernel that died on wrmsr 0xc0010000). */
static void test_amd_legacy_pmu(void **st)
{
	(void)st;
	struct vcpu *v = fixture_vm_start(PERSONALITY_NONE, &fixture_amd, 1);
	for (uint32_t msr = 0xc0010000; msr <= 0xc0010007; msr++) {
		assert_int_equal(rd(v, msr, MSR_OK), 0);
		wr(v, msr, 0, MSR_OK);
		wr(v, msr, 0x430076, MSR_OK);		/* an event select: taken ... */
		assert_int_equal(rd(v, msr, MSR_OK), 0);	/* ... and nothing counts */
	}
	v = fixture_vm_start(PERSONALITY_NONE, &fixture_intel, 1);
	rd(v, 0xc0010000, MSR_GP);			/* not on Intel */
	wr(v, 0xc0010004, 0, MSR_GP);
	assert_int_equal(rd(v, 0xc1, MSR_OK), 0);	/* P6 counters: KVM's PMU-off answer */
	wr(v, 0x186, 0x4300c0, MSR_OK);
	assert_int_equal(rd(v, 0x186, MSR_OK), 0);
}

/* kvm-unit-tests' msr test writes 0x400c50809 keeping bits 7, 11, 12 (SDM Vol. 4). */
static void test_misc_enable(void **st)
{
	(void)st;
	struct recorded_cpu *cpus[] = { &fixture_amd, &fixture_intel };
	for (unsigned c = 0; c < 2; c++) {
		struct vcpu *v = fixture_vm_start(PERSONALITY_KVM, cpus[c], 1);
		uint64_t reset = rd(v, 0x1a0, MSR_OK);
		assert_int_equal(reset, 0x1801);	/* fast strings, no BTS, no PEBS, no PMU */
		uint64_t val = (0x400c50809ull & ~0x1880ull) | (reset & 0x1880);
		wr(v, 0x1a0, val, MSR_OK);
		assert_int_equal(rd(v, 0x1a0, MSR_OK), val);
		wr(v, 0x1a0, val | (1ull << 1), MSR_GP);	/* reserved */
		wr(v, 0x1a0, val | (1ull << 35), MSR_GP);	/* reserved */
		wr(v, 0x1a0, val & ~(1ull << 11), MSR_GP);	/* BTS unavailable is read-only */
		wr(v, 0x1a0, val | (1ull << 7), MSR_OK);	/* EMON: ignored */
		assert_int_equal(rd(v, 0x1a0, MSR_OK), val);
		wr(v, 0x1a0, reset, MSR_OK);
		assert_int_equal(rd(v, 0x1a0, MSR_OK), reset);
	}
}

static void test_mtrrs(void **st)
{
	(void)st;
	struct vcpu *v = fixture_vm_start(PERSONALITY_NATIVE, &fixture_amd, 1);
	assert_int_equal(rd(v, 0xfe, MSR_OK), 0x508);
	wr(v, 0xfe, 0x508, MSR_GP);			/* MTRRCAP is read-only */
	static const uint32_t fixed[] = { 0x250, 0x258, 0x259, 0x268, 0x269, 0x26a, 0x26b,
					  0x26c, 0x26d, 0x26e, 0x26f };
	for (unsigned i = 0; i < 11; i++) {
		wr(v, fixed[i], 0x0606060606060606ull, MSR_OK);
		assert_int_equal(rd(v, fixed[i], MSR_OK), 0x0606060606060606ull);
		wr(v, fixed[i], 0x0202020202020202ull, MSR_GP);	/* type 2 is reserved */
	}
	for (uint32_t msr = 0x200; msr <= 0x20f; msr++) {
		uint64_t val = (msr & 1) ? 0xfff0000800ull : 0x80000006ull;
		wr(v, msr, val, MSR_OK);
		assert_int_equal(rd(v, msr, MSR_OK), val);
	}
	wr(v, 0x2ff, 0xc06, MSR_OK);
	assert_int_equal(rd(v, 0x2ff, MSR_OK), 0xc06);
	wr(v, 0x2ff, 0x1c06, MSR_GP);
	rd(v, 0x210, MSR_GP);				/* a ninth range does not exist */
}

/* FEATURE_CONTROL (Intel) and VM_CR (AMD) come from the personality's virtualization slot. */
static void test_virtualization_msrs(void **st)
{
	(void)st;
	struct vcpu *v = fixture_vm_start(PERSONALITY_KVM, &fixture_intel, 1);
	assert_int_equal(rd(v, 0x3a, MSR_OK), 1);	/* locked, VMX off */
	wr(v, 0x3a, 5, MSR_GP);
	rd(v, 0xc0010114, MSR_GP);			/* VM_CR is AMD's */
	rd(v, 0x480, MSR_GP);				/* no VMX capability MSRs */
	v = fixture_vm_start(PERSONALITY_KVM, &fixture_amd, 1);
	assert_int_equal(rd(v, 0xc0010114, MSR_OK), 0x18);
	wr(v, 0xc0010114, 0, MSR_GP);
	rd(v, 0x3a, MSR_GP);				/* FEATURE_CONTROL is Intel's */
	rd(v, 0x17, MSR_GP);				/* so is PLATFORM_ID */
	assert_int_equal(rd(v, 0xc0010015, MSR_OK), 0);	/* HWCR */
	wr(v, 0xc0011029, 0x2, MSR_OK);			/* DE_CFG kept */
	assert_int_equal(rd(v, 0xc0011029, MSR_OK), 0x2);
}

/* The address MSRs: WRMSR of a non-canonical address is #GP, else the backend stores it. */
static void test_canonical_addresses(void **st)
{
	(void)st;
	static const uint32_t addr_msrs[] = { 0xc0000082, 0xc0000083, 0xc0000100, 0xc0000101,
					      0xc0000102 };
	/* Bochs skylake-x: no LA57, 48-bit addresses; Intel checks SYSENTER_ESP/EIP too. */
	struct vcpu *v = fixture_vm_start(PERSONALITY_NONE, &fixture_intel, 1);
	for (unsigned i = 0; i < 5; i++) {
		wr(v, addr_msrs[i], 0x0000123456789abcull, MSR_GUEST_STATE);
		wr(v, addr_msrs[i], 0xffff800000000000ull, MSR_GUEST_STATE);
		wr(v, addr_msrs[i], 0x0000800000000000ull, MSR_GP);
		wr(v, addr_msrs[i], 0x0080000000000000ull, MSR_GP);
		rd(v, addr_msrs[i], MSR_GUEST_STATE);
	}
	wr(v, 0x175, 0x0000800000000000ull, MSR_GP);
	wr(v, 0x176, 0x0000123456789abcull, MSR_GUEST_STATE);
	wr(v, 0x174, 0x10, MSR_GUEST_STATE);
	/* QEMU max: LA57, so 57 bits; AMD ignores SYSENTER_ESP/EIP bits 63:32. */
	v = fixture_vm_start(PERSONALITY_NONE, &fixture_amd, 1);
	for (unsigned i = 0; i < 5; i++) {
		wr(v, addr_msrs[i], 0x0000800000000000ull, MSR_GUEST_STATE);
		wr(v, addr_msrs[i], 0x0100000000000000ull, MSR_GP);
	}
	wr(v, 0x175, 0x8000000000000000ull, MSR_GUEST_STATE);
}

/* The backends' bitmaps: reads of switched MSRs pass, writes of the address ones exit. */
static void test_passthrough_table(void **st)
{
	(void)st;
	unsigned reads = 0, writes = 0;
	for (unsigned i = 0; i < msr_table_count; i++) {
		const struct msr_desc *d = &msr_table[i];
		if (i)
			assert_true(d->first > msr_table[i - 1].last);	/* sorted, disjoint */
		assert_true(d->first <= d->last);
		if (d->kind != MSR_KIND_SWITCHED) {
			assert_int_equal(d->flags & (MSR_PASS_READ | MSR_PASS_WRITE), 0);
			continue;
		}
		reads += !!(d->flags & MSR_PASS_READ);
		writes += !!(d->flags & MSR_PASS_WRITE);
		/* a write that must be checked is never passed through */
		if (d->flags & (MSR_CANONICAL | MSR_CANONICAL_INTEL))
			assert_false(d->flags & MSR_PASS_WRITE);
	}
	assert_int_equal(reads, 11);	/* FS/GS/KERNEL_GS, STAR LSTAR CSTAR SFMASK, SYSENTER x3, TSC_AUX */
	assert_int_equal(writes, 4);	/* SYSENTER_CS, STAR, SFMASK, TSC_AUX */
}

static void test_unknown_and_apic(void **st)
{
	(void)st;
	struct vcpu *v = fixture_vm_start(PERSONALITY_KVM, &fixture_amd, 2);
	rd(v, 0x12345678, MSR_GP);
	assert_true(capture_contains("read of unknown MSR 0x12345678"));
	rd(v, 0x4b564d00, MSR_GP);			/* no kvmclock offered */
	uint64_t base = rd(v, 0x1b, MSR_OK);
	assert_int_equal(base & ~0xfffull, 0xfee00000);
	assert_true(base & (1u << 8));			/* BSP */
	assert_int_equal(rd(&fixture_vm.vcpus[1], 0x1b, MSR_OK) & (1u << 8), 0);
	rd(v, 0x10, MSR_GP);				/* the exit path's, never asked here */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_amd_legacy_pmu),
		cmocka_unit_test(test_misc_enable),
		cmocka_unit_test(test_mtrrs),
		cmocka_unit_test(test_virtualization_msrs),
		cmocka_unit_test(test_canonical_addresses),
		cmocka_unit_test(test_passthrough_table),
		cmocka_unit_test(test_unknown_and_apic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

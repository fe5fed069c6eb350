/* test_nsvm_exit: which L2 exits are L1's, L1's events in L2, the merged permission maps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "nested/svm/nsvm_exit.h"
#include "nested/svm/nsvm_permmap.h"
#include "tests/unit/nsvm/nsvm_fixture.h"

static struct vmcb vmcb12;
static uint8_t l1_msrpm[SVM_MSRPM_SIZE], l1_iopm[SVM_IOPM_SIZE];
static struct nsvm_features feat;
static struct nsvm_exit_ctx ctx;

static int setup(void **state)
{
	(void)state;
	memset(&vmcb12, 0, sizeof(vmcb12));
	memset(l1_msrpm, 0, sizeof(l1_msrpm));
	memset(l1_iopm, 0, sizeof(l1_iopm));
	feat = fixture_features();
	vmcb12.control.intercept_misc2 = SVM_INTERCEPT_VMRUN;
	ctx = (struct nsvm_exit_ctx){ &vmcb12, l1_msrpm, l1_iopm, 0, false, &feat };
	return 0;
}

static enum nsvm_owner owner(uint64_t code, uint64_t info1)
{
	return nsvm_exit_owner(&ctx, code, info1);
}

/* Every exit code whose intercept bit L1 sets is L1's, and none whose bit it clears. */
static void test_intercept_vectors(void **state)
{
	(void)state;
	struct { uint64_t code; uint32_t *word; unsigned bit; } map[] = {
		{ SVM_EXIT_READ_CR0 + 3, &vmcb12.control.intercept_cr, 3 },
		{ SVM_EXIT_WRITE_CR8, &vmcb12.control.intercept_cr, 24 },
		{ SVM_EXIT_READ_DR0 + 0x17, &vmcb12.control.intercept_dr, 23 },
		{ SVM_EXIT_EXCP_BASE + 14, &vmcb12.control.intercept_exceptions, 14 },
		{ SVM_EXIT_VINTR, &vmcb12.control.intercept_misc1, 4 },
		{ SVM_EXIT_CR0_SEL_WRITE, &vmcb12.control.intercept_misc1, 5 },
		{ SVM_EXIT_CPUID, &vmcb12.control.intercept_misc1, 18 },
		{ SVM_EXIT_HLT, &vmcb12.control.intercept_misc1, 24 },
		{ SVM_EXIT_SHUTDOWN, &vmcb12.control.intercept_misc1, 31 },
		{ SVM_EXIT_VMMCALL, &vmcb12.control.intercept_misc2, 1 },
		{ SVM_EXIT_XSETBV, &vmcb12.control.intercept_misc2, 13 },
		{ SVM_EXIT_CR_WRITE_TRAP_BASE + 4, &vmcb12.control.intercept_misc2, 20 },
		{ SVM_EXIT_MISC3_BASE + 2, &vmcb12.control.intercept_misc3, 2 },
	};
	for (unsigned i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		*map[i].word = 0;
		assert_int_equal(owner(map[i].code, 0), NSVM_OWNER_L0);
		*map[i].word = 1u << map[i].bit;
		assert_int_equal(owner(map[i].code, 0), NSVM_OWNER_L1);
		*map[i].word = ~(1u << map[i].bit);
		assert_int_equal(owner(map[i].code, 0), NSVM_OWNER_L0);
		*map[i].word = 0;
	}
	/* VMRUN in L2: always L1's, since every valid vmcb12 intercepts it. */
	vmcb12.control.intercept_misc2 = SVM_INTERCEPT_VMRUN;
	assert_int_equal(owner(SVM_EXIT_VMRUN, 0), NSVM_OWNER_L1);
}

/* Physical interrupts are nestor's whatever L1 intercepts; so are unknown codes. */
static void test_physical_events_and_unknown_are_nestors(void **state)
{
	(void)state;
	vmcb12.control.intercept_misc1 = 0xffffffff;
	for (uint64_t code = SVM_EXIT_INTR; code <= SVM_EXIT_INIT; code++)
		assert_int_equal(owner(code, 0), NSVM_OWNER_L0);
	assert_int_equal(owner(SVM_EXIT_INVALID, 0), NSVM_OWNER_L0);
	assert_int_equal(owner(0x401, 0), NSVM_OWNER_L0);
	assert_int_equal(owner(0xc0, 0), NSVM_OWNER_L0);
}

static void test_ioio_uses_l1_iopm(void **state)
{
	(void)state;
	uint64_t out16_at_0x3ff = (0x3ffull << 16) | (1u << 5);	/* SZ16: ports 0x3ff, 0x400 */
	l1_iopm[0x400 / 8] = 1;					/* port 0x400 */
	assert_int_equal(owner(SVM_EXIT_IOIO, out16_at_0x3ff), NSVM_OWNER_L0);	/* no intercept */
	vmcb12.control.intercept_misc1 = SVM_INTERCEPT_IOIO;
	assert_int_equal(owner(SVM_EXIT_IOIO, out16_at_0x3ff), NSVM_OWNER_L1);
	uint64_t in8_at_0x3ff = (0x3ffull << 16) | (1u << 4) | 1;
	assert_int_equal(owner(SVM_EXIT_IOIO, in8_at_0x3ff), NSVM_OWNER_L0);
	uint64_t in32_at_0xffff = (0xffffull << 16) | (1u << 6) | 1;	/* ports 0xffff..0x10002 */
	l1_iopm[0x10002 / 8] = 1u << (0x10002 % 8);
	assert_int_equal(owner(SVM_EXIT_IOIO, in32_at_0xffff), NSVM_OWNER_L1);
}

static void test_msr_uses_l1_msrpm(void **state)
{
	(void)state;
	vmcb12.control.intercept_misc1 = SVM_INTERCEPT_MSR;
	ctx.ecx = 0xc0000082;		/* LSTAR: byte 0x800 + 0x82 * 2 / 8, bits 4 and 5 */
	l1_msrpm[0x800 + 0x20] = 1u << 5;	/* write only */
	assert_int_equal(owner(SVM_EXIT_MSR, 0), NSVM_OWNER_L0);
	assert_int_equal(owner(SVM_EXIT_MSR, 1), NSVM_OWNER_L1);
	ctx.ecx = 0x40000000;		/* outside every range: always intercepted */
	assert_int_equal(owner(SVM_EXIT_MSR, 0), NSVM_OWNER_L1);
	vmcb12.control.intercept_misc1 = 0;
	assert_int_equal(owner(SVM_EXIT_MSR, 0), NSVM_OWNER_L0);
}

static void test_npf_is_l1s_only_in_its_tables(void **state)
{
	(void)state;
	vmcb12.control.np_control = SVM_NP_ENABLE;
	assert_int_equal(owner(SVM_EXIT_NPF, 0), NSVM_OWNER_L0);
	ctx.npf_in_l1_npt = true;
	assert_int_equal(owner(SVM_EXIT_NPF, 0), NSVM_OWNER_L1);
	feat.npt = false;			/* NP_ENABLE not honoured */
	assert_int_equal(owner(SVM_EXIT_NPF, 0), NSVM_OWNER_L0);
	feat.npt = true;
	vmcb12.control.np_control = 0;
	assert_int_equal(owner(SVM_EXIT_NPF, 0), NSVM_OWNER_L0);
}

static void test_l1_events_while_l2_runs(void **state)
{
	(void)state;
	const uint64_t l2_if = 1ull << 9;
	assert_int_equal(nsvm_l1_event_exits(&vmcb12, NSVM_L1_INTR, true, l2_if, 0),
			 NSVM_EVENT_NOT_INTERCEPTED);
	assert_int_equal(nsvm_l1_event_exits(&vmcb12, NSVM_L1_NMI, true, l2_if, 0),
			 NSVM_EVENT_NOT_INTERCEPTED);
	vmcb12.control.intercept_misc1 = SVM_INTERCEPT_INTR | SVM_INTERCEPT_NMI;
	vmcb12.control.vintr = SVM_V_INTR_MASKING;	/* L1's IF decides */
	assert_int_equal(nsvm_l1_event_exits(&vmcb12, NSVM_L1_INTR, true, 0, 0), NSVM_EVENT_EXIT);
	assert_int_equal(nsvm_l1_event_exits(&vmcb12, NSVM_L1_INTR, false, l2_if, 0),
			 NSVM_EVENT_HELD);
	vmcb12.control.vintr = 0;			/* L2's IF decides */
	assert_int_equal(nsvm_l1_event_exits(&vmcb12, NSVM_L1_INTR, false, l2_if, 0),
			 NSVM_EVENT_EXIT);
	assert_int_equal(nsvm_l1_event_exits(&vmcb12, NSVM_L1_INTR, true, 0, 0), NSVM_EVENT_HELD);
	assert_int_equal(nsvm_l1_event_exits(&vmcb12, NSVM_L1_NMI, false, 0, 0), NSVM_EVENT_EXIT);
}

/* 15.20: an event L1 injects is delivered before L1's pending interrupt exits (seed003
 * under nestor: exiting first handed it back undelivered, KVM re-injected, forever). */
static void test_l1_events_wait_for_injection(void **state)
{
	(void)state;
	const uint64_t l2_if = 1ull << 9;
	const uint64_t inj = SVM_EVENT_VALID | SVM_EVENT_TYPE_INTR | 0x80;
	vmcb12.control.intercept_misc1 = SVM_INTERCEPT_INTR | SVM_INTERCEPT_NMI;
	vmcb12.control.vintr = SVM_V_INTR_MASKING;
	assert_int_equal(nsvm_l1_event_exits(&vmcb12, NSVM_L1_INTR, true, 0, inj),
			 NSVM_EVENT_AFTER_INJECTION);
	assert_int_equal(nsvm_l1_event_exits(&vmcb12, NSVM_L1_NMI, false, 0, inj),
			 NSVM_EVENT_AFTER_INJECTION);
	/* masked or not intercepted: nothing to wait for */
	assert_int_equal(nsvm_l1_event_exits(&vmcb12, NSVM_L1_INTR, false, l2_if, inj),
			 NSVM_EVENT_HELD);
	vmcb12.control.intercept_misc1 = 0;
	assert_int_equal(nsvm_l1_event_exits(&vmcb12, NSVM_L1_INTR, true, l2_if, inj),
			 NSVM_EVENT_NOT_INTERCEPTED);
	/* V clear: stale bits are no injection */
	vmcb12.control.intercept_misc1 = SVM_INTERCEPT_INTR;
	assert_int_equal(nsvm_l1_event_exits(&vmcb12, NSVM_L1_INTR, true, 0, inj & ~SVM_EVENT_VALID),
			 NSVM_EVENT_EXIT);
}

static void test_permission_map_union(void **state)
{
	(void)state;
	static uint8_t l0[SVM_MSRPM_SIZE], out[SVM_MSRPM_SIZE];
	memset(l0, 0, sizeof(l0));
	l0[0x800 + 0x20] = 1u << 4;		/* nestor reads LSTAR's intercept */
	l1_msrpm[0x800 + 0x20] = 1u << 5;	/* L1 intercepts LSTAR writes */
	l1_msrpm[3] = 0x80;
	nsvm_permmap_union(out, l0, l1_msrpm, SVM_MSRPM_SIZE);
	for (unsigned i = 0; i < SVM_MSRPM_SIZE; i++)
		assert_int_equal(out[i], l0[i] | l1_msrpm[i]);
	assert_true(nsvm_msrpm_intercepts(out, 0xc0000082, false));
	assert_true(nsvm_msrpm_intercepts(out, 0xc0000082, true));
	assert_false(nsvm_msrpm_intercepts(out, 0xc0000081, false));
	assert_true(nsvm_msrpm_intercepts(out, 0xf, true));		/* byte 3, bit 7 */
	assert_false(nsvm_msrpm_intercepts(out, 0xf, false));
	nsvm_permmap_union(out, l0, NULL, SVM_MSRPM_SIZE);		/* L1 uses no map */
	assert_memory_equal(out, l0, SVM_MSRPM_SIZE);
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_intercept_vectors),
		T(test_physical_events_and_unknown_are_nestors),
		T(test_ioio_uses_l1_iopm),
		T(test_msr_uses_l1_msrpm),
		T(test_npf_is_l1s_only_in_its_tables),
		T(test_l1_events_while_l2_runs),
		T(test_l1_events_wait_for_injection),
		T(test_permission_map_union),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_seed_000: a PPR change that finds nothing deliverable still refreshes TPR_THRESHOLD. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/apic/harness.h"

static struct apic_vm vm;

static int setup(void **state)
{
	struct apic_vm_config cfg = harness_config(1);
	(void)state;
	assert_true(harness_start(&vm, &cfg));
	lapic_enable(&vm.vcpu[0]);
	return 0;
}

/*
 * The seed's sequence under TPR shadow without VID: a vector is in service, the guest
 * raises CR8, a lower vector arrives and is blocked by the TPR (threshold = its class),
 * then the guest lowers CR8 below the threshold: TPR-below-threshold exit. The new VTPR
 * class is below the old threshold and the pending vector is still blocked by the ISR.
 * The threshold programmed for the next VM entry must satisfy SDM 26.2.1.1.
 */
static void test_tpr_below_threshold_with_isr_blocking(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	struct apic_decision d;
	(void)state;

	vlapic_accept_fixed(v, 0x51, false);
	assert_int_equal(enter_guest(v, intr_open(), 100, &d), 0x51);

	vlapic_sync_tpr_from_vapic(v, 0x60);		/* guest: mov cr8, 6 */
	vlapic_accept_fixed(v, 0x41, false);		/* an IPI arrives */
	assert_int_equal(enter_guest(v, intr_open(), 200, &d), -1);
	assert_int_equal(d.tpr_threshold, 4);		/* blocked by TPR: exit when it drops */
	assert_true(apic_tpr_threshold_invariant_ok(d.tpr_threshold, 0x60));

	/* guest: mov cr8, 2 -> VTPR 0x20 < threshold 4 -> exit reason 43 */
	vlapic_sync_tpr_from_vapic(v, 0x20);
	vlapic_tpr_below_threshold_exit(v);
	assert_int_equal(enter_guest(v, intr_open(), 300, &d), -1);	/* ISR 0x51 still blocks */
	assert_true(apic_tpr_threshold_invariant_ok(d.tpr_threshold, 0x20));
	assert_int_equal(d.tpr_threshold, 0);
	assert_false(d.cr8_write_intercept);

	lapic_write(v, APIC_REG_EOI, 0);		/* the handler of 0x51 ends */
	assert_int_equal(enter_guest(v, intr_open(), 400, &d), 0x41);
}

/* The same staleness through a trapped TPR write (xAPIC MMIO) instead of CR8. */
static void test_trapped_tpr_write_refreshes_threshold(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	struct apic_decision d;
	(void)state;

	vlapic_accept_fixed(v, 0x93, false);
	assert_int_equal(enter_guest(v, intr_open(), 10, &d), 0x93);
	lapic_write(v, APIC_REG_TPR, 0xa0);
	vlapic_accept_fixed(v, 0x85, false);
	assert_int_equal(enter_guest(v, intr_open(), 20, &d), -1);
	assert_int_equal(d.tpr_threshold, 8);
	lapic_write(v, APIC_REG_TPR, 0x10);		/* below the threshold, ISR 0x93 blocks */
	assert_int_equal(enter_guest(v, intr_open(), 30, &d), -1);
	assert_true(apic_tpr_threshold_invariant_ok(d.tpr_threshold, (uint8_t)d.tpr));
	assert_int_equal(d.tpr, 0x10);
}

/* The invariant itself: threshold[3:0] <= VTPR[7:4], equality passes (as on Bochs). */
static void test_invariant_check(void **state)
{
	(void)state;
	assert_true(apic_tpr_threshold_invariant_ok(0, 0));
	assert_true(apic_tpr_threshold_invariant_ok(4, 0x40));
	assert_true(apic_tpr_threshold_invariant_ok(4, 0x4f));
	assert_false(apic_tpr_threshold_invariant_ok(4, 0x3f));
	assert_false(apic_tpr_threshold_invariant_ok(0xf, 0xe0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_tpr_below_threshold_with_isr_blocking, setup),
		cmocka_unit_test_setup(test_trapped_tpr_write_refreshes_threshold, setup),
		cmocka_unit_test_setup(test_invariant_check, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

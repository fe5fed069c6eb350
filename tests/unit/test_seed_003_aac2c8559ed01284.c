/* test_seed_003: an ExtINT window request and "ready for ExtINT" agree: windows make progress. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/apic/harness.h"

#define MAX_WINDOW_EXITS 4

static struct apic_vm vm;

static int setup(void **state)
{
	struct apic_vm_config cfg = harness_config(1);
	(void)state;
	assert_true(harness_start(&vm, &cfg));
	lapic_enable(&vm.vcpu[0]);
	lapic_virtual_wire(&vm.vcpu[0]);
	pic_linux_init(&vm.pic, 0x20);
	return 0;
}

/*
 * The seed's loop: an 8259 interrupt waits for an IRQ window while a deliverable LAPIC
 * interrupt sits in the IRR. Once the window is open (IF=1) each window exit must make
 * progress: the ExtINT is injected within a bounded number of exits, then the LAPIC
 * vector follows.
 */
static void test_lapic_interrupt_does_not_block_extint_window(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	struct apic_decision d;
	int vector = -1;
	(void)state;

	vlapic_accept_fixed(v, 0x80, false);
	vpic_set_irq(&vm.pic, 1, true);
	assert_int_equal(enter_guest(v, intr_closed(), 1, &d), -1);
	assert_int_equal(d.irq_window, APIC_WINDOW_EXTINT);

	for (int exits = 0; exits < MAX_WINDOW_EXITS && vector < 0; exits++) {
		vector = enter_guest(v, intr_open(), 2 + (uint64_t)exits, &d);
		if (vector < 0)
			assert_int_equal(d.irq_window, APIC_WINDOW_EXTINT);
	}
	assert_int_equal(vector, 0x21);
	assert_int_equal(d.source, APIC_SRC_EXTINT);
	assert_int_equal(enter_guest(v, intr_open(), 10, &d), 0x80);
}

/*
 * Agreement, over every combination of the inputs: whenever an ExtINT window is
 * requested, the same vCPU with the window open (IF=1, no shadow) is ready to take the
 * ExtINT, and "can accept" never depends on the LAPIC's IRR.
 */
static void test_window_request_implies_ready(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	struct apic_decision d;
	(void)state;

	for (unsigned mask = 0; mask < 16; mask++) {
		struct apic_intr_state s = {
			.rflags_if = mask & 1, .interrupt_shadow = mask & 2,
			.event_pending = mask & 4,
		};
		struct apic_intr_state open = { .rflags_if = true };
		setup(NULL);
		v = &vm.vcpu[0];
		if (mask & 8)
			vlapic_accept_fixed(v, 0x90, false);
		vpic_set_irq(&vm.pic, 6, true);
		bool accept_before = apic_extint_can_accept(v);
		apic_decide(v, &s, 1, &d);
		if (d.irq_window == APIC_WINDOW_EXTINT)
			assert_true(apic_ready_for_extint_injection(v, &open));
		assert_true(accept_before);
		assert_true(d.inject || d.irq_window == APIC_WINDOW_EXTINT);
	}
}

/* LINT0 masked: the 8259 cannot reach the CPU, so no ExtINT window is asked for. */
static void test_masked_lint0_requests_no_window(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	struct apic_decision d;
	(void)state;

	lapic_write(v, APIC_REG_LVT_LINT0, APIC_LVT_MASKED | (APIC_DM_EXTINT << 8));
	vpic_set_irq(&vm.pic, 1, true);
	assert_false(apic_extint_can_accept(v));
	assert_int_equal(enter_guest(v, intr_closed(), 1, &d), -1);
	assert_int_equal(d.irq_window, APIC_WINDOW_NONE);
	lapic_virtual_wire(v);
	assert_int_equal(enter_guest(v, intr_open(), 2, &d), 0x21);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_lapic_interrupt_does_not_block_extint_window, setup),
		cmocka_unit_test_setup(test_window_request_implies_ready, setup),
		cmocka_unit_test_setup(test_masked_lint0_requests_no_window, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_apic_arbiter: decisions, windows, acknowledgement, re-injection, wake-up, VM services. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/apic/harness.h"

static struct apic_vm vm;

static int setup(void **state)
{
	struct apic_vm_config cfg = harness_config(2);
	(void)state;
	assert_true(harness_start(&vm, &cfg));
	lapic_enable(&vm.vcpu[0]);
	lapic_enable(&vm.vcpu[1]);
	return 0;
}

static void test_nmi_first_and_windows(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	struct apic_decision d;
	struct apic_intr_state blocked = { .rflags_if = true, .nmi_blocked = true };
	(void)state;
	vlapic_accept_fixed(v, 0x40, false);
	vlapic_accept_nmi(v);
	assert_int_equal(enter_guest(v, intr_open(), 1, &d), 2);
	assert_int_equal(d.source, APIC_SRC_NMI);
	assert_int_equal(d.irq_window, APIC_WINDOW_LAPIC);	/* the IRQ waits behind it */
	assert_int_equal(enter_guest(v, intr_open(), 2, &d), 0x40);
	vlapic_accept_nmi(v);
	assert_int_equal(enter_guest(v, &blocked, 3, &d), -1);
	assert_true(d.nmi_window);
	assert_int_equal(enter_guest(v, intr_closed(), 4, &d), 2);	/* IF does not mask NMI */
	assert_int_equal(vm.stats.inject_nmi, 2);
	assert_int_equal(vm.stats.window_nmi, 1);
}

/* Events held (SVM GIF clear, or L2 running): nothing injected, no window, decided again
 * at every entry until the hold ends; the nested code sees what waits for L1. */
static void test_events_held(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	struct apic_decision d;
	struct apic_intr_state held = { .rflags_if = true, .events_held = true };
	bool nmi, intr;
	(void)state;
	vlapic_accept_fixed(v, 0x51, false);
	vlapic_accept_nmi(v);
	apic_pending_for_nested(v, 1, &nmi, &intr);
	assert_true(nmi);
	assert_true(intr);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(enter_guest(v, &held, 2 + i, &d), -1);
		assert_false(d.nmi_window);
		assert_int_equal(d.irq_window, APIC_WINDOW_NONE);
		assert_true(v->reevaluate);
	}
	assert_int_equal(vm.stats.window_lapic + vm.stats.window_nmi, 0);
	assert_int_equal(enter_guest(v, intr_open(), 5, &d), 2);	/* the hold ended */
	assert_int_equal(enter_guest(v, intr_open(), 6, &d), 0x51);
	apic_pending_for_nested(v, 7, &nmi, &intr);
	assert_false(nmi);
	assert_false(intr);
}

static void test_blocking_conditions(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	struct apic_decision d;
	struct apic_intr_state shadow = { .rflags_if = true, .interrupt_shadow = true };
	struct apic_intr_state busy = { .rflags_if = true, .event_pending = true };
	(void)state;
	vlapic_accept_fixed(v, 0x50, false);
	assert_int_equal(enter_guest(v, &shadow, 1, &d), -1);
	assert_int_equal(d.irq_window, APIC_WINDOW_LAPIC);
	assert_int_equal(enter_guest(v, &busy, 2, &d), -1);
	assert_int_equal(d.irq_window, APIC_WINDOW_LAPIC);
	assert_int_equal(enter_guest(v, intr_closed(), 3, &d), -1);
	assert_int_equal(enter_guest(v, intr_open(), 4, &d), 0x50);
	assert_int_equal(vm.stats.window_lapic, 3);
	assert_false(apic_nmi_allowed(&shadow));
	assert_true(apic_nmi_allowed(intr_closed()));
}

static void test_ack_takes_the_highest_vector(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	struct apic_decision d;
	(void)state;
	vlapic_accept_fixed(v, 0x41, false);
	apic_decide(v, intr_open(), 1, &d);
	assert_int_equal(d.vector, 0x41);
	vlapic_accept_fixed(v, 0x91, false);			/* arrives before the ack */
	assert_int_equal(apic_ack(v, &d), 0x91);
	assert_true(vec256_test(&v->isr, 0x91));
	assert_true(vec256_test(&v->irr, 0x41));
	assert_int_equal(apic_ack(v, &(struct apic_decision){ .inject = false }), 0);
}

static void test_requeue(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	struct apic_decision d;
	struct apic_intr_state busy = { .rflags_if = true, .event_pending = true };
	(void)state;
	vlapic_accept_fixed(v, 0x60, false);
	assert_int_equal(enter_guest(v, intr_open(), 1, &d), 0x60);
	apic_requeue(v, APIC_SRC_LAPIC, 0x60);			/* delivery was interrupted */
	assert_true(apic_has_wakeup_event(v, intr_closed(), 2));
	assert_int_equal(enter_guest(v, &busy, 2, &d), -1);	/* wait for the other event */
	assert_int_equal(enter_guest(v, intr_closed(), 3, &d), 0x60);	/* IF does not matter */
	assert_false(v->requeued.valid);
	assert_true(vec256_test(&v->isr, 0x60));		/* acknowledged once only */
	assert_false(vec256_test(&v->irr, 0x60));
	apic_requeue(v, APIC_SRC_NMI, 2);
	apic_requeue(v, APIC_SRC_NMI, 2);
	assert_true(capture_contains("requeue of vector 0x2"));
	assert_int_equal(enter_guest(v, intr_closed(), 4, &d), 2);
	assert_int_equal(vm.stats.requeued, 3);
}

static void test_fast_path(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	struct apic_decision d;
	(void)state;
	enter_guest(v, intr_open(), 1, &d);
	assert_false(apic_event_requested(v));
	uint64_t updates = vm.stats.tpr_threshold_updates;
	for (int i = 0; i < 10; i++)
		assert_int_equal(enter_guest(v, intr_open(), 2, &d), -1);
	assert_int_equal(vm.stats.tpr_threshold_updates, updates);
	vlapic_accept_fixed(v, 0x70, false);
	assert_true(apic_event_requested(v));
	assert_int_equal(enter_guest(v, intr_open(), 3, &d), 0x70);
}

static void test_tpr_controls(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	struct apic_decision d;
	(void)state;
	vlapic_sync_tpr_from_vapic(v, 0x80);
	vlapic_accept_fixed(v, 0x71, false);
	enter_guest(v, intr_open(), 1, &d);
	assert_int_equal(d.tpr, 0x80);
	assert_int_equal(d.v_tpr, 8);
	assert_int_equal(d.tpr_threshold, 7);
	assert_true(d.cr8_write_intercept);
	vlapic_sync_tpr_from_vapic(v, 0x80);			/* unchanged: nothing to do */
	vlapic_sync_tpr_from_vapic(v, 0x60);
	assert_int_equal(enter_guest(v, intr_open(), 2, &d), 0x71);
	assert_int_equal(d.tpr_threshold, 0);
	assert_false(d.cr8_write_intercept);
	/* With APIC virtualization active the hardware handles TPR: no threshold. */
	vm.cfg.apicv = true;
	apic_inhibit_set(&vm, APIC_INHIBIT_DISABLED, false);
	vlapic_sync_tpr_from_vapic(v, 0xf0);
	vlapic_accept_fixed(v, 0x51, false);
	enter_guest(v, intr_open(), 3, &d);
	assert_int_equal(d.tpr_threshold, 0);
	assert_int_equal(vm.stats.tpr_below_threshold_exits, 0);
	vlapic_tpr_below_threshold_exit(v);
	assert_int_equal(vm.stats.tpr_below_threshold_exits, 1);
}

static void test_wakeup(void **state)
{
	struct vlapic *v = &vm.vcpu[0], *ap = &vm.vcpu[1];
	struct apic_decision d;
	(void)state;
	assert_false(apic_has_wakeup_event(v, intr_open(), 1));
	vlapic_accept_fixed(v, 0x45, false);
	assert_false(apic_has_wakeup_event(v, intr_closed(), 2));
	assert_true(apic_has_wakeup_event(v, intr_open(), 2));
	enter_guest(v, intr_open(), 3, &d);
	assert_false(apic_has_wakeup_event(v, intr_open(), 3));
	/* The timer expires while halted. */
	lapic_write(v, APIC_REG_LVT_TIMER, 0x90);
	vlapic_set_clock(v, 10);
	lapic_write(v, APIC_REG_TIMER_ICR, 50);
	assert_int_equal(apic_vm_next_deadline_ns(&vm), 110);
	assert_false(apic_has_wakeup_event(v, intr_open(), 109));
	assert_true(apic_has_wakeup_event(v, intr_open(), 110));
	vlapic_accept_nmi(v);
	assert_true(apic_has_wakeup_event(v, intr_closed(), 111));
	/* A waiting AP wakes for INIT and SIPI only. */
	assert_false(apic_has_wakeup_event(ap, intr_closed(), 1));
	vlapic_accept_sipi(ap, 0x10);
	assert_true(apic_has_wakeup_event(ap, intr_closed(), 1));
	vlapic_accept_init(ap);
	assert_true(apic_has_wakeup_event(ap, intr_closed(), 1));
	/* ExtINT: the BSP with its APIC hardware-disabled takes INTR directly. */
	vlapic_set_apic_base(v, APIC_DEFAULT_BASE);
	v->nmi_pending = 0;
	pic_linux_init(&vm.pic, 0x20);
	vpic_set_irq(&vm.pic, 4, true);
	assert_true(apic_has_wakeup_event(v, intr_open(), 200));
	assert_int_equal(enter_guest(v, intr_open(), 200, &d), 0x24);
	assert_int_equal(d.source, APIC_SRC_EXTINT);
	assert_int_equal(vm.stats.pic_intack, 1);
}

static void test_extint_requeue_blocks_new_acceptance(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	struct apic_decision d;
	(void)state;
	lapic_virtual_wire(v);
	pic_linux_init(&vm.pic, 0x20);
	vpic_set_irq(&vm.pic, 3, true);
	vpic_set_irq(&vm.pic, 1, true);
	assert_int_equal(enter_guest(v, intr_open(), 1, &d), 0x21);
	apic_requeue(v, APIC_SRC_EXTINT, 0x21);
	/* The acknowledged ExtINT holds the slot: no new one can be accepted until it is sent. */
	assert_false(apic_extint_can_accept(v));
	assert_true(apic_extint_pending(v));
	struct apic_intr_state busy = { .rflags_if = true, .event_pending = true };
	assert_int_equal(enter_guest(v, &busy, 2, &d), -1);
	assert_int_equal(enter_guest(v, intr_open(), 3, &d), 0x21);
	assert_true(apic_extint_can_accept(v));
	vpic_write_port(&vm.pic, 0x20, 0x20);			/* EOI IRQ1 */
	assert_int_equal(enter_guest(v, intr_open(), 4, &d), 0x23);
}

static void test_vm_services(void **state)
{
	struct apic_vm other;
	struct apic_vm_config cfg = harness_config(0);
	(void)state;
	assert_false(apic_vm_init(&other, &cfg));
	cfg.nr_vcpus = APIC_MAX_VCPUS + 1;
	assert_false(apic_vm_init(&other, &cfg));
	cfg.nr_vcpus = 1;
	cfg.maxphyaddr = 60;
	assert_false(apic_vm_init(&other, &cfg));
	assert_null(apic_vm_vcpu(&vm, 2));
	assert_ptr_equal(apic_vm_vcpu(&vm, 1), &vm.vcpu[1]);
	assert_int_equal(apic_vm_next_deadline_ns(&vm), UINT64_MAX);
	/* Inhibits: named, VM-wide, reported to the backend on 0 <-> non-0. */
	assert_true(apic_inhibit_test(&vm, APIC_INHIBIT_DISABLED));
	harness_reset_counters();
	apic_inhibit_set(&vm, APIC_INHIBIT_NESTED, true);
	assert_int_equal(harness_apicv_updates, 0);		/* already inhibited */
	apic_inhibit_set(&vm, APIC_INHIBIT_DISABLED, false);
	apic_inhibit_set(&vm, APIC_INHIBIT_NESTED, false);
	assert_int_equal(harness_apicv_updates, 1);
	assert_false(apic_inhibited(&vm));
	apic_inhibit_set(&vm, APIC_INHIBIT_COUNT, true);
	assert_true(capture_contains("unknown inhibit reason"));
	assert_string_equal(apic_inhibit_name(APIC_INHIBIT_IRQWIN), "irq-window");
	assert_string_equal(apic_inhibit_name(APIC_INHIBIT_COUNT), "?");
	/* The run report. */
	apic_inhibit_set(&vm, APIC_INHIBIT_NESTED, true);
	vm.ioapic.pin[3].storm_held = true;
	capture_reset();
	apic_vm_report(&vm, "vm0");
	assert_true(capture_contains("[nestor] vm0 apic: injected lapic=0"));
	assert_true(capture_contains("vm0 apic: inhibit nested is set"));
	assert_true(capture_contains("vm0 ioapic: pin 3 held after an interrupt storm"));
	assert_true(capture_contains("vm0 pic: intack=0"));
	/* Bad-access logging: warn first, then quietly. */
	capture_reset();
	for (int i = 0; i < 20; i++)
		apic_note_bad_access(&vm, "test access", (uint64_t)i, 0);
	assert_true(capture_contains("WARN: apic: refused test access (0xf, 0x0)"));
	assert_false(capture_contains("(0x10, 0x0)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_nmi_first_and_windows, setup),
		cmocka_unit_test_setup(test_blocking_conditions, setup),
		cmocka_unit_test_setup(test_events_held, setup),
		cmocka_unit_test_setup(test_ack_takes_the_highest_vector, setup),
		cmocka_unit_test_setup(test_requeue, setup),
		cmocka_unit_test_setup(test_fast_path, setup),
		cmocka_unit_test_setup(test_tpr_controls, setup),
		cmocka_unit_test_setup(test_wakeup, setup),
		cmocka_unit_test_setup(test_extint_requeue_blocks_new_acceptance, setup),
		cmocka_unit_test_setup(test_vm_services, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

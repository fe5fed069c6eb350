/* test_seed_001: the IRQ-window inhibit stays set until the last waiting vCPU is served. */
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
	cfg.apicv = true;	/* AVIC: an ExtINT window needs the VM-wide inhibit */
	assert_true(harness_start(&vm, &cfg));
	for (unsigned i = 0; i < 2; i++) {
		lapic_enable(&vm.vcpu[i]);
		lapic_virtual_wire(&vm.vcpu[i]);
	}
	/* Auto-EOI, so the second IRQ is still requested after the first INTA. */
	vpic_write_port(&vm.pic, 0x20, 0x11);
	vpic_write_port(&vm.pic, 0x21, 0x20);
	vpic_write_port(&vm.pic, 0x21, 0x04);
	vpic_write_port(&vm.pic, 0x21, 0x03);
	vpic_write_port(&vm.pic, 0x21, 0x00);
	return 0;
}

/*
 * The seed's sequence: two vCPUs need an IRQ window for an ExtINT at the same time (here
 * each got an ExtINT message from its own I/O APIC pin); the first one gets its window
 * and injects. The second still waits, so the inhibit must stay set (the old set/clear
 * scheme cleared it here); it clears when the second is served, after exactly one set
 * and one clear.
 */
static void test_two_vcpus_waiting_keep_inhibit(void **state)
{
	struct vlapic *v0 = &vm.vcpu[0], *v1 = &vm.vcpu[1];
	struct apic_decision d;
	(void)state;

	for (unsigned i = 0; i < 2; i++)	/* no virtual wire: only the messages route the 8259 */
		lapic_write(&vm.vcpu[i], APIC_REG_LVT_LINT0, APIC_LVT_MASKED);
	ioapic_write_rte(&vm, 5, ((uint64_t)APIC_DM_EXTINT << 8) | (0ull << VIOAPIC_RTE_DEST_SHIFT));
	ioapic_write_rte(&vm, 6, ((uint64_t)APIC_DM_EXTINT << 8) | (1ull << VIOAPIC_RTE_DEST_SHIFT));
	vpic_set_irq(&vm.pic, 3, true);
	vpic_set_irq(&vm.pic, 4, true);
	vioapic_set_pin(&vm.ioapic, 5, true);
	vioapic_set_pin(&vm.ioapic, 6, true);

	assert_int_equal(enter_guest(v0, intr_closed(), 1, &d), -1);
	assert_int_equal(d.irq_window, APIC_WINDOW_EXTINT);
	assert_int_equal(enter_guest(v1, intr_closed(), 1, &d), -1);
	assert_int_equal(d.irq_window, APIC_WINDOW_EXTINT);
	assert_true(apic_inhibit_test(&vm, APIC_INHIBIT_IRQWIN));

	/* vCPU0's window opens: it takes IRQ3 and has nothing left; vCPU1 still waits. */
	assert_int_equal(enter_guest(v0, intr_open(), 2, &d), 0x23);
	assert_true(apic_inhibit_test(&vm, APIC_INHIBIT_IRQWIN));
	assert_int_equal(enter_guest(v1, intr_closed(), 2, &d), -1);
	assert_int_equal(d.irq_window, APIC_WINDOW_EXTINT);
	assert_true(apic_inhibit_test(&vm, APIC_INHIBIT_IRQWIN));

	/* vCPU1's window opens: the last waiter is served and the inhibit goes. */
	assert_int_equal(enter_guest(v1, intr_open(), 3, &d), 0x24);
	assert_false(apic_inhibit_test(&vm, APIC_INHIBIT_IRQWIN));
	assert_int_equal(vm.stats.irqwin_inhibit_toggles, 2);
	assert_int_equal(vm.inhibits.nr_irq_window_req, 0);
}

/* A vCPU asking again and again for the same window is counted once. */
static void test_each_vcpu_counts_once(void **state)
{
	struct vlapic *v0 = &vm.vcpu[0];
	struct apic_decision d;
	(void)state;

	vpic_set_irq(&vm.pic, 5, true);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(enter_guest(v0, intr_closed(), (uint64_t)i, &d), -1);
		assert_int_equal(d.irq_window, APIC_WINDOW_EXTINT);
	}
	assert_int_equal(vm.inhibits.nr_irq_window_req, 1);
	/* The 8259 line goes away (LINT0 masked): the wait ends without an injection. */
	lapic_write(v0, APIC_REG_LVT_LINT0, APIC_LVT_MASKED | (APIC_DM_EXTINT << 8));
	assert_int_equal(enter_guest(v0, intr_closed(), 9, &d), -1);
	assert_int_equal(d.irq_window, APIC_WINDOW_NONE);
	assert_int_equal(vm.inhibits.nr_irq_window_req, 0);
	assert_false(apic_inhibit_test(&vm, APIC_INHIBIT_IRQWIN));
	assert_int_equal(harness_apicv_updates, 2);
	assert_false(harness_apicv_inhibited);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_two_vcpus_waiting_keep_inhibit, setup),
		cmocka_unit_test_setup(test_each_vcpu_counts_once, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_seed_002: Directed EOI: no EOI broadcast, the I/O APIC EOI register ends the interrupt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/apic/harness.h"

#define PIN 10
#define VECTOR 0x61
#define STORM_THRESHOLD 8

static struct apic_vm vm;

static void make_vm(bool eoi_register)
{
	struct apic_vm_config cfg = harness_config(1);
	cfg.ioapic_eoi_register = eoi_register;
	cfg.storm_threshold = STORM_THRESHOLD;
	assert_true(harness_start(&vm, &cfg));
	ioapic_write_rte(&vm, PIN, rte_fixed(VECTOR, 0, true));
}

/*
 * The Windows/Hyper-V order from the seed: LAPIC EOI first, then the device is
 * serviced, then the I/O APIC EOI register. While the handler runs after the LAPIC EOI
 * the guest takes whatever the APIC delivers; each re-delivery runs the handler prefix
 * (one more LAPIC EOI) again, which is the storm of the old logic.
 */
static void test_windows_directed_eoi_sequence(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	struct apic_decision d;
	unsigned deliveries = 0;
	(void)state;

	make_vm(true);
	assert_true(lapic_read(v, APIC_REG_VERSION) & APIC_VERSION_EOI_SUPPRESS);
	lapic_write(v, APIC_REG_SPIV, APIC_SPIV_ENABLE | APIC_SPIV_DIRECTED_EOI | 0xff);
	assert_true(lapic_read(v, APIC_REG_SPIV) & APIC_SPIV_DIRECTED_EOI);

	vioapic_set_pin(&vm.ioapic, PIN, true);
	for (int step = 0; step < 100; step++) {
		if (enter_guest(v, intr_open(), (uint64_t)step, &d) != VECTOR)
			break;
		deliveries++;
		lapic_write(v, APIC_REG_EOI, 0);	/* 1. LAPIC EOI */
	}
	vioapic_set_pin(&vm.ioapic, PIN, false);		/* 2. device serviced */
	vioapic_mmio_ops.write(&vm.ioapic, VIOAPIC_EOI, 4, VECTOR);	/* 3. I/O APIC EOI */

	assert_int_equal(deliveries, 1);
	assert_int_equal(vm.stats.ioapic_storms, 0);
	assert_int_equal(vm.stats.eoi_suppressed, 1);
	assert_int_equal(vm.stats.eoi_broadcast, 0);
	assert_false(vioapic_read_rte(&vm.ioapic, PIN) & VIOAPIC_RTE_REMOTE_IRR);

	/* The pin is not stuck: the next assertion is delivered once more. */
	vioapic_set_pin(&vm.ioapic, PIN, true);
	assert_int_equal(enter_guest(v, intr_open(), 200, &d), VECTOR);
}

/* Without Directed EOI the LAPIC EOI broadcasts and clears Remote IRR (classic Linux). */
static void test_broadcast_without_directed_eoi(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	struct apic_decision d;
	(void)state;

	make_vm(true);
	lapic_enable(v);
	vioapic_set_pin(&vm.ioapic, PIN, true);
	assert_int_equal(enter_guest(v, intr_open(), 1, &d), VECTOR);
	assert_true(vioapic_read_rte(&vm.ioapic, PIN) & VIOAPIC_RTE_REMOTE_IRR);
	vioapic_set_pin(&vm.ioapic, PIN, false);
	lapic_write(v, APIC_REG_EOI, 0);
	assert_int_equal(vm.stats.eoi_broadcast, 1);
	assert_false(vioapic_read_rte(&vm.ioapic, PIN) & VIOAPIC_RTE_REMOTE_IRR);
}

/* Version 0x11 has no EOI register: Directed EOI is neither offered nor settable. */
static void test_directed_eoi_needs_eoi_register(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	(void)state;

	make_vm(false);
	assert_int_equal(vioapic_read_indirect(&vm.ioapic, VIOAPIC_REG_VERSION) & 0xff, 0x11);
	assert_false(lapic_read(v, APIC_REG_VERSION) & APIC_VERSION_EOI_SUPPRESS);
	lapic_write(v, APIC_REG_SPIV, APIC_SPIV_ENABLE | APIC_SPIV_DIRECTED_EOI | 0xff);
	assert_false(lapic_read(v, APIC_REG_SPIV) & APIC_SPIV_DIRECTED_EOI);
	assert_true(vlapic_eoi_broadcasts(v, true));
	/* x2APIC: setting the unsupported bit is a reserved-bit #GP. */
	assert_int_equal(vlapic_msr_write(v, MSR_IA32_APIC_BASE,
					  APIC_DEFAULT_BASE | APIC_BASE_EN | APIC_BASE_EXTD | APIC_BASE_BSP),
			 APIC_ACCESS_OK);
	assert_int_equal(vlapic_msr_write(v, 0x80f, APIC_SPIV_ENABLE | APIC_SPIV_DIRECTED_EOI),
			 APIC_ACCESS_GP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_windows_directed_eoi_sequence),
		cmocka_unit_test(test_broadcast_without_directed_eoi),
		cmocka_unit_test(test_directed_eoi_needs_eoi_register),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

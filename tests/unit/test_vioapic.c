/* test_vioapic: vIOAPIC registers, edge/level delivery, Remote IRR, EOI register, storm guard. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/apic/harness.h"

static struct apic_vm vm;
static struct vioapic *io;

static void make_vm(bool eoi_register, uint32_t storm_threshold)
{
	struct apic_vm_config cfg = harness_config(4);
	cfg.ioapic_eoi_register = eoi_register;
	cfg.storm_threshold = storm_threshold;
	assert_true(harness_start(&vm, &cfg));
	io = &vm.ioapic;
	for (unsigned i = 0; i < 4; i++)
		lapic_enable(&vm.vcpu[i]);
}

static int setup(void **state)
{
	(void)state;
	make_vm(true, 16);
	return 0;
}

static uint32_t mmio_read_reg(uint32_t index)
{
	vioapic_mmio_ops.write(io, VIOAPIC_REGSEL, 4, index);
	return (uint32_t)vioapic_mmio_ops.read(io, VIOAPIC_WINDOW, 4);
}

static void mmio_write_reg(uint32_t index, uint32_t value)
{
	vioapic_mmio_ops.write(io, VIOAPIC_REGSEL, 4, index);
	vioapic_mmio_ops.write(io, VIOAPIC_WINDOW, 4, value);
}

static bool irr(unsigned cpu, uint8_t vector)
{
	return vec256_test(&vm.vcpu[cpu].irr, vector);
}

static void test_registers(void **state)
{
	(void)state;
	assert_int_equal(mmio_read_reg(VIOAPIC_REG_VERSION), 0x170020);
	assert_int_equal(mmio_read_reg(VIOAPIC_REG_ID), 0);
	mmio_write_reg(VIOAPIC_REG_ID, 0xffffffff);
	assert_int_equal(mmio_read_reg(VIOAPIC_REG_ID), 0x0f000000);
	assert_int_equal(mmio_read_reg(VIOAPIC_REG_ARB), 0x0f000000);
	mmio_write_reg(VIOAPIC_REG_VERSION, 0);			/* read-only */
	assert_int_equal(mmio_read_reg(VIOAPIC_REG_VERSION), 0x170020);
	for (unsigned pin = 0; pin < VIOAPIC_PINS; pin++) {
		assert_int_equal(mmio_read_reg(VIOAPIC_REG_REDIR0 + 2 * pin), VIOAPIC_RTE_MASKED);
		assert_int_equal(mmio_read_reg(VIOAPIC_REG_REDIR0 + 2 * pin + 1), 0);
	}
	/* Writable: vector, mode, dest mode, polarity, trigger, mask; not status/Remote IRR. */
	mmio_write_reg(VIOAPIC_REG_REDIR0 + 4, 0xffffffff);
	assert_int_equal(mmio_read_reg(VIOAPIC_REG_REDIR0 + 4), 0x1afff);
	mmio_write_reg(VIOAPIC_REG_REDIR0 + 5, 0xffffffff);
	assert_int_equal(mmio_read_reg(VIOAPIC_REG_REDIR0 + 5), 0xff000000);
	assert_int_equal(mmio_read_reg(0x40), 0);		/* past the table */
	assert_int_equal(vioapic_mmio_ops.read(io, VIOAPIC_REGSEL, 4), 0x40);
	vioapic_mmio_ops.write(io, VIOAPIC_REGSEL, 1, 0x1ff);	/* byte write, 8 bits */
	assert_int_equal(vioapic_mmio_ops.read(io, VIOAPIC_REGSEL, 4), 0xff);
	assert_int_equal(vioapic_mmio_ops.read(io, VIOAPIC_WINDOW, 2), 0);	/* bad size */
	assert_int_equal(vioapic_mmio_ops.read(io, VIOAPIC_EOI, 4), 0);
	vioapic_mmio_ops.write(io, VIOAPIC_WINDOW, 2, 0);
	vioapic_mmio_ops.write(io, 0x20, 4, 0);
	assert_int_equal(vioapic_read_rte(io, 99), 0);
	vioapic_set_pin(io, 24, true);
	assert_false(vioapic_pin_storm_held(io, 24));
	assert_true(vm.stats.bad_accesses >= 5);
}

static void test_edge_delivery(void **state)
{
	(void)state;
	ioapic_write_rte(&vm, 2, rte_fixed(0x30, 1, false));
	vioapic_set_pin(io, 2, true);
	assert_true(irr(1, 0x30));
	vec256_clear_atomic(&vm.vcpu[1].irr, 0x30);
	vioapic_set_pin(io, 2, true);				/* still high: no new edge */
	assert_false(irr(1, 0x30));
	vioapic_set_pin(io, 2, false);
	vioapic_set_pin(io, 2, true);
	assert_true(irr(1, 0x30));
	assert_false(vioapic_read_rte(io, 2) & VIOAPIC_RTE_REMOTE_IRR);
	/* A masked edge stays latched while the line is high and is sent on unmask. */
	vec256_clear_atomic(&vm.vcpu[1].irr, 0x30);
	vioapic_set_pin(io, 2, false);
	ioapic_write_rte(&vm, 2, rte_fixed(0x30, 1, false) | VIOAPIC_RTE_MASKED);
	vioapic_set_pin(io, 2, true);
	assert_false(irr(1, 0x30));
	ioapic_write_rte(&vm, 2, rte_fixed(0x30, 1, false));
	assert_true(irr(1, 0x30));
	/* ... but an edge that ended while masked is gone. */
	vec256_clear_atomic(&vm.vcpu[1].irr, 0x30);
	ioapic_write_rte(&vm, 2, rte_fixed(0x30, 1, false) | VIOAPIC_RTE_MASKED);
	vioapic_set_pin(io, 2, false);
	vioapic_set_pin(io, 2, true);
	vioapic_set_pin(io, 2, false);
	ioapic_write_rte(&vm, 2, rte_fixed(0x30, 1, false));
	assert_false(irr(1, 0x30));
}

static void test_level_remote_irr_and_eoi(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	struct apic_decision d;
	(void)state;
	ioapic_write_rte(&vm, 9, rte_fixed(0x59, 0, true));
	vioapic_set_pin(io, 9, true);
	assert_true(vioapic_read_rte(io, 9) & VIOAPIC_RTE_REMOTE_IRR);
	assert_int_equal(enter_guest(v, intr_open(), 1, &d), 0x59);
	assert_true(vlapic_eoi_broadcasts(v, true));
	/* Line still high at EOI: delivered again at once. */
	lapic_write(v, APIC_REG_EOI, 0);
	assert_int_equal(vm.stats.ioapic_redelivered, 1);
	assert_int_equal(enter_guest(v, intr_open(), 2, &d), 0x59);
	vioapic_set_pin(io, 9, false);
	lapic_write(v, APIC_REG_EOI, 0);
	assert_false(vioapic_read_rte(io, 9) & VIOAPIC_RTE_REMOTE_IRR);
	assert_int_equal(enter_guest(v, intr_open(), 3, &d), -1);
	/* Rewriting the entry as edge drops Remote IRR. */
	vioapic_set_pin(io, 9, true);
	assert_true(vioapic_read_rte(io, 9) & VIOAPIC_RTE_REMOTE_IRR);
	ioapic_write_rte(&vm, 9, rte_fixed(0x59, 0, false) | VIOAPIC_RTE_MASKED);
	assert_false(vioapic_read_rte(io, 9) & VIOAPIC_RTE_REMOTE_IRR);
	/* A masked level line is sent when unmasked. */
	vioapic_set_pin(io, 9, false);
	enter_guest(v, intr_open(), 4, &d);
	lapic_write(v, APIC_REG_EOI, 0);
	ioapic_write_rte(&vm, 10, rte_fixed(0x5a, 0, true) | VIOAPIC_RTE_MASKED);
	vioapic_set_pin(io, 10, true);
	assert_false(irr(0, 0x5a));
	ioapic_write_rte(&vm, 10, rte_fixed(0x5a, 0, true));
	assert_true(irr(0, 0x5a));
	/* No target accepts: Remote IRR stays clear so the pin is not dead. */
	ioapic_write_rte(&vm, 11, rte_fixed(0x5b, 9, true));
	vioapic_set_pin(io, 11, true);
	assert_false(vioapic_read_rte(io, 11) & VIOAPIC_RTE_REMOTE_IRR);
}

static void test_eoi_register(void **state)
{
	(void)state;
	ioapic_write_rte(&vm, 4, rte_fixed(0x44, 0, true));
	vioapic_set_pin(io, 4, true);
	vioapic_set_pin(io, 4, false);
	assert_true(vioapic_read_rte(io, 4) & VIOAPIC_RTE_REMOTE_IRR);
	vioapic_mmio_ops.write(io, VIOAPIC_EOI, 4, 0x45);	/* other vector: no effect */
	assert_true(vioapic_read_rte(io, 4) & VIOAPIC_RTE_REMOTE_IRR);
	vioapic_mmio_ops.write(io, VIOAPIC_EOI, 4, 0x44);
	assert_false(vioapic_read_rte(io, 4) & VIOAPIC_RTE_REMOTE_IRR);
	assert_int_equal(vm.stats.ioapic_eoi_register, 2);
	/* Version 0x11 has no EOI register. */
	make_vm(false, 16);
	ioapic_write_rte(&vm, 4, rte_fixed(0x44, 0, true));
	vioapic_set_pin(io, 4, true);
	vioapic_mmio_ops.write(io, VIOAPIC_EOI, 4, 0x44);
	assert_true(vioapic_read_rte(io, 4) & VIOAPIC_RTE_REMOTE_IRR);
	assert_int_equal(vioapic_read_indirect(io, VIOAPIC_REG_VERSION), 0x170011);
}

static void test_storm_guard(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	struct apic_decision d;
	unsigned deliveries = 0;
	(void)state;
	ioapic_write_rte(&vm, 7, rte_fixed(0x77, 0, true));
	vioapic_set_time(io, 0);
	vioapic_set_pin(io, 7, true);				/* a device that never lets go */
	for (int i = 0; i < 100; i++) {
		if (enter_guest(v, intr_open(), (uint64_t)i, &d) < 0)
			break;
		deliveries++;
		lapic_write(v, APIC_REG_EOI, 0);
	}
	assert_int_equal(deliveries, 17);			/* the first + 16 re-deliveries */
	assert_int_equal(vm.stats.ioapic_storms, 1);
	assert_true(vioapic_pin_storm_held(io, 7));
	assert_true(capture_contains("interrupt storm on pin 7 vector 0x77"));
	/* Throttled, not wedged: one more re-delivery per interval of VM time. */
	assert_int_equal(vioapic_next_deadline_ns(io), VIOAPIC_STORM_INTERVAL_NS);
	vioapic_set_time(io, VIOAPIC_STORM_INTERVAL_NS - 1);
	assert_true(enter_guest(v, intr_open(), 200, &d) < 0);
	for (uint64_t t = 1; t <= 5; t++) {
		vioapic_set_time(io, t * VIOAPIC_STORM_INTERVAL_NS);
		assert_false(vioapic_pin_storm_held(io, 7));
		assert_int_equal(enter_guest(v, intr_open(), 200 + t, &d), 0x77);
		lapic_write(v, APIC_REG_EOI, 0);		/* the line is still high */
		assert_true(vioapic_pin_storm_held(io, 7));
		assert_true(enter_guest(v, intr_open(), 200 + t, &d) < 0);
	}
	assert_int_equal(vm.stats.ioapic_storms, 1);		/* reported once per storm */
	/* The line drops: the hold ends and the next assertion is delivered at once. */
	vioapic_set_pin(io, 7, false);
	assert_false(vioapic_pin_storm_held(io, 7));
	assert_int_equal(vioapic_next_deadline_ns(io), UINT64_MAX);
	vioapic_set_pin(io, 7, true);
	assert_int_equal(enter_guest(v, intr_open(), 300, &d), 0x77);
	/* Rewriting the entry also lifts a hold. */
	for (int i = 0; i < 40; i++)
		lapic_write(v, APIC_REG_EOI, 0), enter_guest(v, intr_open(), 300, &d);
	assert_true(vioapic_pin_storm_held(io, 7));
	ioapic_write_rte(&vm, 7, rte_fixed(0x77, 0, true));
	assert_false(vioapic_pin_storm_held(io, 7));
	assert_int_equal(enter_guest(v, intr_open(), 400, &d), 0x77);
}

/* ioapic-storm-guard=0: the guard is off and a stuck line re-delivers at every EOI. */
static void test_storm_guard_off(void **state)
{
	struct vlapic *v = &vm.vcpu[0];
	struct apic_decision d;
	(void)state;
	make_vm(true, VIOAPIC_STORM_GUARD_OFF);
	ioapic_write_rte(&vm, 7, rte_fixed(0x77, 0, true));
	vioapic_set_pin(io, 7, true);
	for (int i = 0; i < 5000; i++) {
		assert_int_equal(enter_guest(v, intr_open(), (uint64_t)i, &d), 0x77);
		lapic_write(v, APIC_REG_EOI, 0);
	}
	assert_int_equal(vm.stats.ioapic_storms, 0);
	assert_false(vioapic_pin_storm_held(io, 7));
}

static void test_destinations_and_modes(void **state)
{
	(void)state;
	for (unsigned i = 0; i < 4; i++)
		lapic_write(&vm.vcpu[i], APIC_REG_LDR, (1u << i) << 24);
	ioapic_write_rte(&vm, 1, rte_fixed(0x31, 0x6, false) | VIOAPIC_RTE_LOGICAL);
	vioapic_set_pin(io, 1, true);
	assert_true(irr(1, 0x31) && irr(2, 0x31));
	assert_false(irr(0, 0x31) || irr(3, 0x31));
	ioapic_write_rte(&vm, 3, rte_fixed(0x33, 0xf, true) | VIOAPIC_RTE_LOGICAL |
			 ((uint64_t)APIC_DM_LOWEST << 8));
	vioapic_set_pin(io, 3, true);
	unsigned got = 0;
	for (unsigned i = 0; i < 4; i++)
		got += irr(i, 0x33);
	assert_int_equal(got, 1);
	assert_true(vioapic_read_rte(io, 3) & VIOAPIC_RTE_REMOTE_IRR);
	ioapic_write_rte(&vm, 5, ((uint64_t)APIC_DM_NMI << 8) | (2ull << VIOAPIC_RTE_DEST_SHIFT) |
			 VIOAPIC_RTE_LEVEL);
	vioapic_set_pin(io, 5, true);
	assert_int_equal(vm.vcpu[2].nmi_pending, 1);
	assert_false(vioapic_read_rte(io, 5) & VIOAPIC_RTE_REMOTE_IRR);	/* NMI is not EOIed */
	ioapic_write_rte(&vm, 6, ((uint64_t)APIC_DM_INIT << 8) | (3ull << VIOAPIC_RTE_DEST_SHIFT));
	vioapic_set_pin(io, 6, true);
	assert_int_equal(vm.vcpu[3].init_pending, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_registers, setup),
		cmocka_unit_test_setup(test_edge_delivery, setup),
		cmocka_unit_test_setup(test_level_remote_irr_and_eoi, setup),
		cmocka_unit_test_setup(test_eoi_register, setup),
		cmocka_unit_test_setup(test_storm_guard, setup),
		cmocka_unit_test_setup(test_storm_guard_off, setup),
		cmocka_unit_test_setup(test_destinations_and_modes, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

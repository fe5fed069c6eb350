/* test_vlapic_ipi: ICR delivery: destinations, shorthands, lowest priority, NMI/INIT/SIPI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tests/unit/apic/harness.h"

#define NR 8

static struct apic_vm vm;

static int setup(void **state)
{
	struct apic_vm_config cfg = harness_config(NR);
	(void)state;
	assert_true(harness_start(&vm, &cfg));
	for (unsigned i = 0; i < NR; i++)
		lapic_enable(&vm.vcpu[i]);
	return 0;
}

/* Bitmap of vCPUs with `vector` in IRR (and clears it for the next check). */
static unsigned receivers(uint8_t vector)
{
	unsigned mask = 0;
	for (unsigned i = 0; i < NR; i++) {
		if (vec256_test(&vm.vcpu[i].irr, vector)) {
			mask |= 1u << i;
			vec256_clear_atomic(&vm.vcpu[i].irr, vector);
		}
	}
	return mask;
}

static void send(unsigned from, uint32_t dest8, uint32_t lo)
{
	lapic_write(&vm.vcpu[from], APIC_REG_ICR_HI, dest8 << 24);
	lapic_write(&vm.vcpu[from], APIC_REG_ICR_LO, lo);
}

static void test_physical_and_broadcast(void **state)
{
	(void)state;
	send(0, 3, 0x40);
	assert_int_equal(receivers(0x40), 1u << 3);
	assert_int_equal(harness_kicks[3], 1);
	send(0, 0xff, 0x41);
	assert_int_equal(receivers(0x41), 0xff);
	send(0, 0x20, 0x42);					/* nobody has ID 0x20 */
	assert_int_equal(receivers(0x42), 0);
	assert_int_equal(lapic_read(&vm.vcpu[0], APIC_REG_ICR_LO) & APIC_ICR_BUSY, 0);
}

static void test_shorthands(void **state)
{
	(void)state;
	send(2, 0, 0x50 | (APIC_SH_SELF << APIC_ICR_SHORTHAND_SHIFT));
	assert_int_equal(receivers(0x50), 1u << 2);
	send(2, 0, 0x51 | (APIC_SH_ALL << APIC_ICR_SHORTHAND_SHIFT));
	assert_int_equal(receivers(0x51), 0xff);
	send(2, 0, 0x52 | (APIC_SH_OTHERS << APIC_ICR_SHORTHAND_SHIFT));
	assert_int_equal(receivers(0x52), 0xff & ~(1u << 2));
	/* self + NMI is not a valid combination (SDM Table 11-3) */
	send(2, 0, (APIC_DM_NMI << 8) | (APIC_SH_SELF << APIC_ICR_SHORTHAND_SHIFT));
	assert_int_equal(vm.vcpu[2].nmi_pending, 0);
	/* a disabled APIC is not part of "all" */
	vlapic_set_apic_base(&vm.vcpu[5], APIC_DEFAULT_BASE);
	send(2, 0, 0x53 | (APIC_SH_ALL << APIC_ICR_SHORTHAND_SHIFT));
	assert_int_equal(receivers(0x53), 0xff & ~(1u << 5));
}

static void test_logical_flat_and_cluster(void **state)
{
	(void)state;
	for (unsigned i = 0; i < NR; i++)
		lapic_write(&vm.vcpu[i], APIC_REG_LDR, (1u << i) << 24);
	send(0, 0x0a, 0x60 | APIC_ICR_LOGICAL);
	assert_int_equal(receivers(0x60), (1u << 1) | (1u << 3));
	/* Cluster model: cluster in bits 7:4, members in 3:0. */
	for (unsigned i = 0; i < NR; i++) {
		lapic_write(&vm.vcpu[i], APIC_REG_DFR, 0x0fffffff);
		lapic_write(&vm.vcpu[i], APIC_REG_LDR, (((i / 4) << 4) | (1u << (i % 4))) << 24);
	}
	send(0, 0x13, 0x61 | APIC_ICR_LOGICAL);			/* cluster 1, members 0 and 1 */
	assert_int_equal(receivers(0x61), (1u << 4) | (1u << 5));
	send(0, 0xff, 0x62 | APIC_ICR_LOGICAL);			/* logical broadcast */
	assert_int_equal(receivers(0x62), 0xff);
	/* A reserved DFR model takes no logical message. */
	lapic_write(&vm.vcpu[4], APIC_REG_DFR, 0x5fffffff);
	send(0, 0x11, 0x63 | APIC_ICR_LOGICAL);
	assert_int_equal(receivers(0x63), 0);
}

static void test_x2apic_destinations(void **state)
{
	uint64_t base = APIC_DEFAULT_BASE | APIC_BASE_EN | APIC_BASE_EXTD;
	(void)state;
	for (unsigned i = 0; i < NR; i++)
		vlapic_set_apic_base(&vm.vcpu[i], base | (i ? 0 : APIC_BASE_BSP));
	struct vlapic *v0 = &vm.vcpu[0];
	assert_int_equal(vlapic_msr_write(v0, 0x830, (6ull << 32) | 0x70), APIC_ACCESS_OK);
	assert_int_equal(receivers(0x70), 1u << 6);
	/* Logical cluster 0, members 1 and 7 (LDR bit = ID & 0xf). */
	assert_int_equal(vlapic_msr_write(v0, 0x830, (0x82ull << 32) | 0x71 | APIC_ICR_LOGICAL),
			 APIC_ACCESS_OK);
	assert_int_equal(receivers(0x71), (1u << 1) | (1u << 7));
	assert_int_equal(vlapic_msr_write(v0, 0x830, (0xffffffffull << 32) | 0x72), APIC_ACCESS_OK);
	assert_int_equal(receivers(0x72), 0xff);
	assert_int_equal(vlapic_msr_write(v0, 0x830, (0x10002ull << 32) | 0x73 | APIC_ICR_LOGICAL),
			 APIC_ACCESS_OK);			/* cluster 1 is empty */
	assert_int_equal(receivers(0x73), 0);
	/* An 8-bit I/O APIC destination 0xff is a broadcast to x2APIC targets too. */
	struct apic_msg m = { .dest = 0xff, .mode = APIC_DM_FIXED, .vector = 0x74 };
	assert_int_equal(apic_deliver_msg(&vm, &m), NR);
	assert_int_equal(receivers(0x74), 0xff);
}

static void test_lowest_priority(void **state)
{
	(void)state;
	for (unsigned i = 0; i < NR; i++) {
		lapic_write(&vm.vcpu[i], APIC_REG_LDR, 0x01000000);	/* everybody in the set */
		lapic_write(&vm.vcpu[i], APIC_REG_TPR, i == 5 ? 0x10 : 0x40);
		lapic_write(&vm.vcpu[i], APIC_REG_SPIV, APIC_SPIV_ENABLE | APIC_SPIV_FOCUS_OFF | 0xff);
	}
	send(0, 0x01, 0x80 | (APIC_DM_LOWEST << 8) | APIC_ICR_LOGICAL);
	assert_int_equal(receivers(0x80), 1u << 5);
	/* Ties rotate: equal priorities spread over several vCPUs. */
	lapic_write(&vm.vcpu[5], APIC_REG_TPR, 0x40);
	unsigned seen = 0;
	for (int i = 0; i < NR; i++) {
		send(0, 0x01, 0x81 | (APIC_DM_LOWEST << 8) | APIC_ICR_LOGICAL);
		unsigned r = receivers(0x81);
		assert_int_equal(__builtin_popcount(r), 1);
		seen |= r;
	}
	assert_true(__builtin_popcount(seen) > 1);
	/* Focus processor: with focus checking on, the one holding the vector gets it. */
	lapic_write(&vm.vcpu[3], APIC_REG_SPIV, APIC_SPIV_ENABLE | 0xff);
	vlapic_accept_fixed(&vm.vcpu[3], 0x82, false);
	vlapic_ack_interrupt(&vm.vcpu[3], 0x82);
	send(0, 0x01, 0x82 | (APIC_DM_LOWEST << 8) | APIC_ICR_LOGICAL);
	assert_int_equal(receivers(0x82), 1u << 3);
	/* No target: nothing delivered. */
	send(0, 0x80, 0x83 | (APIC_DM_LOWEST << 8) | APIC_ICR_LOGICAL);
	assert_int_equal(receivers(0x83), 0);
}

static void test_init_sipi_nmi(void **state)
{
	struct apic_init_sipi e;
	struct vlapic *ap = &vm.vcpu[1];
	(void)state;
	/* An AP starts in wait-for-SIPI. */
	assert_false(apic_take_init_sipi(ap, &e));
	assert_true(e.wait_for_sipi);
	send(0, 1, (APIC_DM_INIT << 8) | APIC_ICR_ASSERT | APIC_ICR_LEVEL);
	lapic_write(ap, APIC_REG_TPR, 0x30);
	send(0, 1, (APIC_DM_INIT << 8) | APIC_ICR_LEVEL);	/* de-assert: no effect */
	assert_true(apic_take_init_sipi(ap, &e));
	assert_true(e.init);
	assert_false(e.sipi);
	assert_int_equal(lapic_read(ap, APIC_REG_TPR), 0);	/* INIT reset the APIC */
	assert_int_equal(lapic_read(ap, APIC_REG_ID), 1u << 24);	/* but kept the ID */
	send(0, 1, (APIC_DM_STARTUP << 8) | 0x9a);
	send(0, 1, (APIC_DM_STARTUP << 8) | 0x9b);		/* second SIPI replaces the first */
	assert_true(apic_take_init_sipi(ap, &e));
	assert_true(e.sipi);
	assert_int_equal(e.sipi_vector, 0x9b);
	assert_false(e.wait_for_sipi);
	send(0, 1, (APIC_DM_STARTUP << 8) | 0x9c);		/* running: SIPI ignored */
	assert_false(apic_take_init_sipi(ap, &e));
	/* INIT to the BSP restarts it without waiting for a SIPI. */
	send(1, 0, (APIC_DM_INIT << 8) | APIC_ICR_ASSERT);
	assert_true(apic_take_init_sipi(&vm.vcpu[0], &e));
	assert_false(e.wait_for_sipi);
	send(0, 2, APIC_DM_NMI << 8);
	assert_int_equal(vm.vcpu[2].nmi_pending, 1);
	send(0, 2, APIC_DM_SMI << 8);
	assert_int_equal(vm.stats.smi_dropped, 1);
	send(0, 2, (3u << 8) | 0x40);				/* reserved mode: refused */
	assert_int_equal(receivers(0x40), 0);
	send(0, 2, (APIC_DM_EXTINT << 8));
	assert_int_equal(vm.vcpu[2].extint_msg_pending, 1);
	assert_int_equal(vm.stats.init, 2);
	assert_int_equal(vm.stats.sipi, 3);
}

static void test_illegal_vectors(void **state)
{
	(void)state;
	send(0, 1, 0x0f);
	assert_int_equal(receivers(0x0f), 0);
	lapic_write(&vm.vcpu[0], APIC_REG_ESR, 0);
	assert_int_equal(lapic_read(&vm.vcpu[0], APIC_REG_ESR), APIC_ESR_SEND_ILLEGAL_VECTOR);
	struct apic_msg m = { .dest = 1, .mode = APIC_DM_FIXED, .vector = 0x03 };
	apic_deliver_msg(&vm, &m);
	lapic_write(&vm.vcpu[1], APIC_REG_ESR, 0);
	assert_int_equal(lapic_read(&vm.vcpu[1], APIC_REG_ESR), APIC_ESR_RECV_ILLEGAL_VECTOR);
	assert_int_equal(vm.stats.illegal_vector, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_physical_and_broadcast, setup),
		cmocka_unit_test_setup(test_shorthands, setup),
		cmocka_unit_test_setup(test_logical_flat_and_cluster, setup),
		cmocka_unit_test_setup(test_x2apic_destinations, setup),
		cmocka_unit_test_setup(test_lowest_priority, setup),
		cmocka_unit_test_setup(test_init_sipi_nmi, setup),
		cmocka_unit_test_setup(test_illegal_vectors, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

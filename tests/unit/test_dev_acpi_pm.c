/* test_dev_acpi_pm: PM1 event/control registers, S5 power-off, the PM timer and its SCI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "devices/acpi_pm.h"
#include "devices/clock_ticks.h"
#include "tests/unit/capture.h"
#include "tests/unit/dev_fakes.h"

#define T0 777000000ull

static struct acpi_pm pm;
static struct fake_irqs irqs;
static struct irq_line_sink sink;
static int power_offs;

static void on_power_off(void *ctx)
{
	(void)ctx;
	power_offs++;
}

static int setup(void **state)
{
	(void)state;
	capture_reset();
	log_set_level(LOG_DEBUG);
	power_offs = 0;
	sink = fake_irqs_sink(&irqs);
	acpi_pm_init(&pm, ACPI_SCI_IRQ, &sink, on_power_off, NULL, T0);
	return 0;
}

static uint32_t in(uint16_t port, unsigned size)
{
	return io_byte_block_ops.read(&pm.io, port, size);
}

static void out(uint16_t port, unsigned size, uint32_t value)
{
	io_byte_block_ops.write(&pm.io, port, size, value);
}

static void test_reset_values(void **state)
{
	(void)state;
	assert_int_equal(in(ACPI_PM1A_EVT_BLK, 2), 0);
	assert_int_equal(in(ACPI_PM1A_EVT_BLK + 2, 2), 0);
	assert_int_equal(in(ACPI_PM1A_CNT_BLK, 2), ACPI_PM1_SCI_EN);
	assert_int_equal(in(ACPI_PM_TMR_BLK, 4), 0);
	assert_int_equal(in(ACPI_PM1A_CNT_BLK + 2, 2), 0xffff);	/* 0x606: a hole */
	assert_int_equal(acpi_pm_next_deadline(&pm), DEVICE_NO_DEADLINE);
	assert_false(irqs.level[ACPI_SCI_IRQ]);
}

static void test_timer_counts_at_3_58_mhz(void **state)
{
	(void)state;
	acpi_pm_set_time(&pm, T0 + NS_PER_SEC);
	assert_int_equal(in(ACPI_PM_TMR_BLK, 4), ACPI_PM_TIMER_HZ);
	acpi_pm_set_time(&pm, T0 + NS_PER_SEC + 280);	/* one tick is 279.4 ns */
	assert_int_equal(in(ACPI_PM_TMR_BLK, 4), ACPI_PM_TIMER_HZ + 1);
	/* byte and word reads see the same value's lanes */
	uint32_t v = in(ACPI_PM_TMR_BLK, 4);
	assert_int_equal(in(ACPI_PM_TMR_BLK + 1, 1), (v >> 8) & 0xff);
	assert_int_equal(in(ACPI_PM_TMR_BLK + 2, 2), v >> 16);
	/* 24 bits: wraps after 2^24 ticks (about 4.69 s) */
	acpi_pm_set_time(&pm, T0 + clock_ns_for_ticks((1u << 24) + 5, ACPI_PM_TIMER_HZ));
	assert_int_equal(in(ACPI_PM_TMR_BLK, 4), 5);
	/* read-only */
	out(ACPI_PM_TMR_BLK, 4, 0);
	assert_int_equal(in(ACPI_PM_TMR_BLK, 4), 5);
	assert_true(capture_contains("read-only PM timer"));
}

static void test_status_w1c_and_enable_mask(void **state)
{
	(void)state;
	acpi_pm_set_time(&pm, T0 + clock_ns_for_ticks(1u << 23, ACPI_PM_TIMER_HZ));
	acpi_pm_press_power_button(&pm);
	assert_int_equal(in(ACPI_PM1A_EVT_BLK, 2), ACPI_PM1_TMR | ACPI_PM1_PWRBTN);
	out(ACPI_PM1A_EVT_BLK, 2, 0x7ffe);	/* writing 0 to a bit does not clear it */
	assert_int_equal(in(ACPI_PM1A_EVT_BLK, 2), ACPI_PM1_TMR);
	out(ACPI_PM1A_EVT_BLK, 1, ACPI_PM1_TMR);
	assert_int_equal(in(ACPI_PM1A_EVT_BLK, 2), 0);
	out(ACPI_PM1A_EVT_BLK + 2, 2, 0xffff);
	assert_int_equal(in(ACPI_PM1A_EVT_BLK + 2, 2), ACPI_PM1_EN_MASK);
	/* a dword at the event block: status low, enable high */
	assert_int_equal(in(ACPI_PM1A_EVT_BLK, 4), (uint32_t)ACPI_PM1_EN_MASK << 16);
}

static void test_power_button_sci_is_level(void **state)
{
	(void)state;
	acpi_pm_press_power_button(&pm);
	assert_false(irqs.level[ACPI_SCI_IRQ]);	/* not enabled */
	out(ACPI_PM1A_EVT_BLK + 2, 2, ACPI_PM1_PWRBTN);
	assert_true(irqs.level[ACPI_SCI_IRQ]);
	out(ACPI_PM1A_CNT_BLK, 2, 0);	/* SCI_EN off: events would go to SMI: line low */
	assert_false(irqs.level[ACPI_SCI_IRQ]);
	out(ACPI_PM1A_CNT_BLK, 2, ACPI_PM1_SCI_EN);
	assert_true(irqs.level[ACPI_SCI_IRQ]);
	out(ACPI_PM1A_EVT_BLK, 2, ACPI_PM1_PWRBTN);	/* acknowledge */
	assert_false(irqs.level[ACPI_SCI_IRQ]);
	assert_int_equal(pm.sci.raised, 2);
}

static void test_timer_overflow_sci_and_deadline(void **state)
{
	(void)state;
	out(ACPI_PM1A_EVT_BLK + 2, 2, ACPI_PM1_TMR);
	uint64_t flip = T0 + clock_ns_for_ticks(1u << 23, ACPI_PM_TIMER_HZ);
	assert_int_equal(acpi_pm_next_deadline(&pm), flip);
	acpi_pm_set_time(&pm, flip - 1);
	assert_false(irqs.level[ACPI_SCI_IRQ]);
	acpi_pm_set_time(&pm, flip);
	assert_true(irqs.level[ACPI_SCI_IRQ]);
	assert_int_equal(acpi_pm_next_deadline(&pm), DEVICE_NO_DEADLINE);
	out(ACPI_PM1A_EVT_BLK, 2, ACPI_PM1_TMR);
	assert_false(irqs.level[ACPI_SCI_IRQ]);
	assert_int_equal(acpi_pm_next_deadline(&pm),
			 T0 + clock_ns_for_ticks(2u << 23, ACPI_PM_TIMER_HZ));
	acpi_pm_set_time(&pm, 1);	/* backwards: ignored */
	assert_int_equal(pm.stats.time_backwards, 1);
}

/* ACPICA's S5 path: write SLP_TYP, then SLP_TYP | SLP_EN (a 16-bit write). */
static void test_s5_powers_off(void **state)
{
	(void)state;
	out(ACPI_PM1A_CNT_BLK, 2, ACPI_PM1_SCI_EN | ACPI_SLP_TYP_S5 << 10);
	assert_int_equal(power_offs, 0);
	assert_int_equal(in(ACPI_PM1A_CNT_BLK, 2), ACPI_PM1_SCI_EN | ACPI_SLP_TYP_S5 << 10);
	out(ACPI_PM1A_CNT_BLK, 2, ACPI_PM1_SCI_EN | ACPI_SLP_TYP_S5 << 10 | ACPI_PM1_SLP_EN);
	assert_int_equal(power_offs, 1);
	assert_true(capture_contains("acpi-pm: guest entered S5"));
	/* SLP_EN reads back 0 */
	assert_int_equal(in(ACPI_PM1A_CNT_BLK, 2) & ACPI_PM1_SLP_EN, 0);
	/* byte write of the high half alone also works */
	out(ACPI_PM1A_CNT_BLK + 1, 1, (ACPI_SLP_TYP_S5 << 2) | 0x20);
	assert_int_equal(power_offs, 2);
}

static void test_other_sleep_states_refused(void **state)
{
	(void)state;
	out(ACPI_PM1A_CNT_BLK, 2, ACPI_PM1_SCI_EN | 1 << 10 | ACPI_PM1_SLP_EN);
	assert_int_equal(power_offs, 0);
	assert_int_equal(pm.stats.refused_sleeps, 1);
	assert_int_equal(in(ACPI_PM1A_EVT_BLK, 2) & ACPI_PM1_WAK_STS, ACPI_PM1_WAK_STS);
	assert_true(capture_contains("sleep with SLP_TYP 1 is not supported"));
	out(ACPI_PM1A_EVT_BLK, 2, ACPI_PM1_WAK_STS);
	assert_int_equal(in(ACPI_PM1A_EVT_BLK, 2), 0);
	/* GBL_RLS is write-only and has nobody to talk to */
	out(ACPI_PM1A_CNT_BLK, 1, ACPI_PM1_SCI_EN | ACPI_PM1_GBL_RLS);
	assert_int_equal(in(ACPI_PM1A_CNT_BLK, 1) & ACPI_PM1_GBL_RLS, 0);
	assert_true(capture_contains("GBL_RLS written"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reset_values, setup),
		cmocka_unit_test_setup(test_timer_counts_at_3_58_mhz, setup),
		cmocka_unit_test_setup(test_status_w1c_and_enable_mask, setup),
		cmocka_unit_test_setup(test_power_button_sci_is_level, setup),
		cmocka_unit_test_setup(test_timer_overflow_sci_and_deadline, setup),
		cmocka_unit_test_setup(test_s5_powers_off, setup),
		cmocka_unit_test_setup(test_other_sleep_states_refused, setup),
	};
	return cmocka_run_group_tests_name("dev_acpi_pm", tests, NULL, NULL);
}

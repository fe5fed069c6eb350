/* acpi_pm_timer: the 3.579545 MHz ACPI PM timer from injected time, TMR_STS, and the SCI line. */
#include "devices/acpi_pm.h"

#include "devices/clock_ticks.h"

#define ACPI_PM_TIMER_MASK ((1u << ACPI_PM_TIMER_BITS) - 1)

static uint64_t acpi_pm_ticks(const struct acpi_pm *pm)
{
	return clock_ticks_at(pm->now_ns - pm->timer_origin_ns, ACPI_PM_TIMER_HZ);
}

uint32_t acpi_pm_timer_value(const struct acpi_pm *pm)
{
	return (uint32_t)acpi_pm_ticks(pm) & ACPI_PM_TIMER_MASK;
}

/* The SCI is level-triggered: high while any enabled event's status bit is set. */
void acpi_pm_update_sci(struct acpi_pm *pm)
{
	bool level = (pm->cnt & ACPI_PM1_SCI_EN) && (pm->sts & pm->en & ACPI_PM1_EN_MASK);

	dev_irq_set(&pm->sci, level);
}

/* TMR_STS is set each time the timer's most significant bit changes (ACPI 6.5, 4.8.3.3). */
void acpi_pm_catch_up(struct acpi_pm *pm)
{
	uint64_t toggles = acpi_pm_ticks(pm) >> (ACPI_PM_TIMER_BITS - 1);

	if (toggles > pm->timer_msb_toggles) {
		pm->timer_msb_toggles = toggles;
		pm->sts |= ACPI_PM1_TMR;
	}
	acpi_pm_update_sci(pm);
}

void acpi_pm_set_time(struct acpi_pm *pm, uint64_t now_ns)
{
	if (clock_advance(&pm->now_ns, now_ns, &pm->stats.time_backwards, &pm->logged,
			  ACPI_LOG_TIME_BACKWARDS, "acpi-pm"))
		acpi_pm_catch_up(pm);
}

uint64_t acpi_pm_next_deadline(const struct acpi_pm *pm)
{
	uint64_t tick;

	if (!(pm->en & ACPI_PM1_TMR) || !(pm->cnt & ACPI_PM1_SCI_EN) || (pm->sts & ACPI_PM1_TMR))
		return DEVICE_NO_DEADLINE;
	tick = (pm->timer_msb_toggles + 1) << (ACPI_PM_TIMER_BITS - 1);
	return pm->timer_origin_ns + clock_ns_for_ticks(tick, ACPI_PM_TIMER_HZ);
}

/* acpi_pm: the ACPI fixed-hardware PM block (PM1a event, PM1a control, PM timer) the FADT points at. */
#include "devices/acpi_pm.h"

#include "devices/dev_log.h"

void acpi_pm_press_power_button(struct acpi_pm *pm)
{
	pm->stats.power_button_presses++;
	pm->sts |= ACPI_PM1_PWRBTN;
	acpi_pm_update_sci(pm);
}

/*
 * SLP_EN with the DSDT's S5 type is the guest powering off: the run ends cleanly.
 * nestor has no sleep states, so any other type is refused the way a platform that
 * woke at once would answer: WAK_STS set, execution continues after the write.
 */
static void acpi_pm_sleep(struct acpi_pm *pm, unsigned slp_typ)
{
	if (slp_typ == ACPI_SLP_TYP_S5) {
		pm->stats.power_offs++;
		log_info("acpi-pm: guest entered S5 (SLP_TYP %u): power off", slp_typ);
		if (pm->on_power_off)
			pm->on_power_off(pm->ctx);
		return;
	}
	pm->stats.refused_sleeps++;
	dev_log_once(&pm->logged, ACPI_LOG_SLEEP, LOG_WARN,
		     "acpi-pm: sleep with SLP_TYP %u is not supported (only S5 = %u); the guest "
		     "wakes at once", slp_typ, ACPI_SLP_TYP_S5);
	pm->sts |= ACPI_PM1_WAK_STS;
}

static uint8_t acpi_pm_read_byte(void *dev, unsigned offset)
{
	struct acpi_pm *pm = dev;
	uint16_t reg;

	acpi_pm_catch_up(pm);
	if (offset >= 8) {
		if (offset == 8)
			pm->stats.timer_reads++;
		return (uint8_t)(acpi_pm_timer_value(pm) >> (8 * (offset - 8)));
	}
	if (offset >= 6)
		return 0xff;	/* 0x606-0x607: nothing decodes them */
	reg = offset < 2 ? pm->sts : offset < 4 ? pm->en : pm->cnt;
	return (uint8_t)(reg >> (8 * (offset & 1)));
}

static void acpi_pm_write_cnt(struct acpi_pm *pm, unsigned byte, uint8_t value)
{
	uint16_t bits = (uint16_t)(value << (8 * byte));
	uint16_t keep = byte ? 0x00ff : 0xff00;

	if (bits & ACPI_PM1_GBL_RLS)
		dev_log_once(&pm->logged, ACPI_LOG_GBL_RLS, LOG_DEBUG,
			     "acpi-pm: GBL_RLS written; there is no firmware to release the "
			     "global lock to");
	pm->cnt = (uint16_t)((pm->cnt & keep) | (bits & ACPI_PM1_CNT_MASK));
	if (bits & ACPI_PM1_SLP_EN)
		acpi_pm_sleep(pm, (pm->cnt & ACPI_PM1_SLP_TYP) >> 10);
}

/* Status bits are write-1-to-clear; enable bits outside ACPI_PM1_EN_MASK do not stick. */
static void acpi_pm_write_byte(void *dev, unsigned offset, uint8_t value)
{
	struct acpi_pm *pm = dev;
	uint16_t bits = (uint16_t)(value << (8 * (offset & 1)));
	uint16_t keep = (offset & 1) ? 0x00ff : 0xff00;

	acpi_pm_catch_up(pm);
	if (offset < 2) {
		pm->sts &= (uint16_t)~(bits & ACPI_PM1_STS_MASK);
	} else if (offset < 4) {
		pm->en = (uint16_t)((pm->en & keep) | (bits & ACPI_PM1_EN_MASK));
	} else if (offset < 6) {
		acpi_pm_write_cnt(pm, offset & 1, value);
	} else {
		pm->stats.ignored_writes++;
		dev_log_once(&pm->logged, offset < 8 ? ACPI_LOG_HOLE : ACPI_LOG_TIMER_WRITE,
			     LOG_DEBUG, "acpi-pm: write %#x to %s ignored", value,
			     offset < 8 ? "an undecoded port" : "the read-only PM timer");
	}
	acpi_pm_update_sci(pm);
}

void acpi_pm_init(struct acpi_pm *pm, unsigned sci_irq, const struct irq_line_sink *irq_sink,
		  acpi_power_off_fn on_power_off, void *ctx, uint64_t now_ns)
{
	*pm = (struct acpi_pm){ 0 };
	io_byte_block_init(&pm->io, ACPI_PM_BASE, ACPI_PM_PORT_COUNT, acpi_pm_read_byte,
			   acpi_pm_write_byte, pm);
	pm->cnt = ACPI_PM1_SCI_EN;
	pm->now_ns = now_ns;
	pm->timer_origin_ns = now_ns;
	dev_irq_init(&pm->sci, irq_sink, sci_irq);
	pm->on_power_off = on_power_off;
	pm->ctx = ctx;
}

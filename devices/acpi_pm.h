/* acpi_pm: the ACPI fixed-hardware PM block (PM1a event, PM1a control, PM timer) the FADT points at. */
#ifndef NESTOR_DEVICES_ACPI_PM_H
#define NESTOR_DEVICES_ACPI_PM_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/dev_irq.h"
#include "devices/io_split.h"
#include "lib/io_bus.h"
#include "lib/irq_line.h"

/* Where the FADT writer must point (ICH9's layout at QEMU's q35 base 0x600). */
#define ACPI_PM_BASE        0x600
#define ACPI_PM1A_EVT_BLK   0x600	/* PM1_STS at +0, PM1_EN at +2 */
#define ACPI_PM1_EVT_LEN    4
#define ACPI_PM1A_CNT_BLK   0x604
#define ACPI_PM1_CNT_LEN    2
#define ACPI_PM_TMR_BLK     0x608
#define ACPI_PM_TMR_LEN     4
#define ACPI_PM_PORT_COUNT  12
#define ACPI_SCI_IRQ        9	/* FADT SCI_INT; level-triggered, active high */
#define ACPI_PM_TIMER_HZ    3579545u
#define ACPI_PM_TIMER_BITS  24	/* FADT flags: TMR_VAL_EXT clear */
/* The DSDT's \_S5 package must carry this SLP_TYP; other sleep types are refused. */
#define ACPI_SLP_TYP_S5     5

/* PM1 status and enable bits (ACPI 6.5, 4.8.3.1). */
#define ACPI_PM1_TMR      0x0001
#define ACPI_PM1_BM_STS   0x0010
#define ACPI_PM1_GBL      0x0020
#define ACPI_PM1_PWRBTN   0x0100
#define ACPI_PM1_SLPBTN   0x0200
#define ACPI_PM1_RTC      0x0400
#define ACPI_PM1_WAK_STS  0x8000
#define ACPI_PM1_STS_MASK 0x8731	/* write-1-to-clear status bits */
#define ACPI_PM1_EN_MASK  0x0721	/* enable bits that stick; the rest read 0 */

/* PM1 control bits (ACPI 6.5, 4.8.3.2.1). */
#define ACPI_PM1_SCI_EN   0x0001
#define ACPI_PM1_BM_RLD   0x0002
#define ACPI_PM1_GBL_RLS  0x0004	/* write-only */
#define ACPI_PM1_SLP_TYP  0x1c00
#define ACPI_PM1_SLP_EN   0x2000	/* write-only */
#define ACPI_PM1_CNT_MASK (ACPI_PM1_SCI_EN | ACPI_PM1_BM_RLD | ACPI_PM1_SLP_TYP)

typedef void (*acpi_power_off_fn)(void *ctx);

/* What the PM block logs once (bits of acpi_pm.logged, see dev_log.h). */
enum acpi_log_reason { ACPI_LOG_SLEEP, ACPI_LOG_GBL_RLS, ACPI_LOG_TIMER_WRITE, ACPI_LOG_HOLE,
		       ACPI_LOG_TIME_BACKWARDS };

struct acpi_pm_stats {
	uint64_t power_offs;
	uint64_t refused_sleeps;	/* SLP_EN with a type other than S5 */
	uint64_t timer_reads;
	uint64_t power_button_presses;
	uint64_t ignored_writes;
	uint64_t time_backwards;
};

struct acpi_pm {
	struct io_byte_block io;	/* ports 0x600-0x60b, register with io_byte_block_ops */
	uint16_t sts;
	uint16_t en;
	uint16_t cnt;
	uint64_t now_ns;
	uint64_t timer_origin_ns;
	uint64_t timer_msb_toggles;	/* toggles of the top timer bit already in TMR_STS */
	struct dev_irq sci;
	acpi_power_off_fn on_power_off;
	void *ctx;
	uint32_t logged;
	struct acpi_pm_stats stats;
};

/*
 * Reset: all status and enables clear, and SCI_EN already set: there is no SMM
 * firmware to hand over from, so the FADT must carry SMI_CMD = 0, which tells the OS
 * the machine is in ACPI mode already. The timer reads 0 at now_ns.
 */
void acpi_pm_init(struct acpi_pm *pm, unsigned sci_irq, const struct irq_line_sink *irq_sink,
		  acpi_power_off_fn on_power_off, void *ctx, uint64_t now_ns);
void acpi_pm_set_time(struct acpi_pm *pm, uint64_t now_ns);
/* When TMR_STS would next raise the SCI, or DEVICE_NO_DEADLINE. */
uint64_t acpi_pm_next_deadline(const struct acpi_pm *pm);
uint32_t acpi_pm_timer_value(const struct acpi_pm *pm);
/* The platform's power button: sets PWRBTN_STS (an SCI when the guest enabled it). */
void acpi_pm_press_power_button(struct acpi_pm *pm);

/* acpi_pm_timer.c: the timer's status bit, and the SCI level. */
void acpi_pm_catch_up(struct acpi_pm *pm);
void acpi_pm_update_sci(struct acpi_pm *pm);

#endif

/* rtc_cmos: the MC146818-style RTC and 128 bytes of CMOS RAM on ports 0x70/0x71, on injected time. */
#ifndef NESTOR_DEVICES_RTC_CMOS_H
#define NESTOR_DEVICES_RTC_CMOS_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/dev_irq.h"
#include "devices/io_split.h"
#include "devices/rtc_calendar.h"
#include "lib/io_bus.h"
#include "lib/irq_line.h"

#define RTC_PORT_INDEX 0x70
#define RTC_PORT_DATA  0x71
#define RTC_PORT_COUNT 2
#define RTC_IRQ        8
#define RTC_NMI_DISABLE 0x80	/* port 0x70 bit 7 */
#define CMOS_SIZE      128

enum rtc_reg {
	RTC_SECONDS = 0x00,
	RTC_SECONDS_ALARM = 0x01,
	RTC_MINUTES = 0x02,
	RTC_MINUTES_ALARM = 0x03,
	RTC_HOURS = 0x04,
	RTC_HOURS_ALARM = 0x05,
	RTC_WEEKDAY = 0x06,
	RTC_DAY = 0x07,
	RTC_MONTH = 0x08,
	RTC_YEAR = 0x09,
	RTC_REG_A = 0x0a,
	RTC_REG_B = 0x0b,
	RTC_REG_C = 0x0c,
	RTC_REG_D = 0x0d,
	RTC_CENTURY = 0x32,	/* where QEMU keeps it; the FADT's CENTURY field names it */
};

#define RTC_A_UIP      0x80
#define RTC_A_DV_MASK  0x70
#define RTC_A_DV_32KHZ 0x20	/* the only divider setting that keeps time */
#define RTC_A_RS_MASK  0x0f
#define RTC_B_SET      0x80
#define RTC_B_PIE      0x40
#define RTC_B_AIE      0x20
#define RTC_B_UIE      0x10
#define RTC_B_SQWE     0x08
#define RTC_B_BINARY   0x04	/* DM: 1 binary, 0 BCD */
#define RTC_B_24H      0x02
#define RTC_B_DSE      0x01
#define RTC_C_IRQF     0x80
#define RTC_C_PF       0x40
#define RTC_C_AF       0x20
#define RTC_C_UF       0x10
#define RTC_D_VRT      0x80
#define RTC_ALARM_ANY  0xc0	/* alarm byte with bits 7:6 set matches every value */

#define RTC_REG_A_RESET 0x26	/* 32.768 kHz divider, 1024 Hz periodic rate */
#define RTC_REG_B_RESET 0x02	/* 24-hour, BCD, no interrupts */
#define RTC_OSC_HZ      32768u
/* UIP rises this long before each update: 8 cycles of the 32.768 kHz clock. */
#define RTC_UIP_NS      244141u

/* What the RTC logs once (bits of rtc_cmos.logged, see dev_log.h). */
enum rtc_log_reason { RTC_LOG_READ_ONLY, RTC_LOG_DSE, RTC_LOG_INDEX_READ, RTC_LOG_WEEKDAY,
		      RTC_LOG_BAD_TIME, RTC_LOG_TIME_BACKWARDS };

struct rtc_cmos_stats {
	uint64_t reads;
	uint64_t writes;
	/* Flag latchings, counted when the device looks (each access and set_time), so
	 * many periods or updates between two looks count once. */
	uint64_t updates;		/* UF */
	uint64_t alarms;		/* AF */
	uint64_t periodic;		/* PF */
	uint64_t time_sets;		/* guest writes that changed the clock */
	uint64_t ignored_writes;	/* C, D, weekday, out-of-range time values */
	uint64_t time_backwards;
};

struct rtc_cmos {
	struct io_byte_block io;	/* ports 0x70-0x71, register with io_byte_block_ops */
	uint8_t index;
	bool nmi_disabled;
	uint8_t ram[CMOS_SIZE];		/* A, B, alarms and plain CMOS bytes live here */
	uint8_t reg_c;
	uint64_t now_ns;
	/* While the clock runs: seconds = base_seconds + (now_ns - base_ns) / 1e9. */
	uint64_t base_seconds;
	uint64_t base_ns;
	bool halted;			/* SET, or the divider not at 32.768 kHz */
	struct rtc_date held;		/* the time registers while halted */
	uint64_t divider_origin_ns;	/* phase of the periodic interrupt */
	uint64_t events_ns;		/* PF/UF/AF are up to date until here */
	struct dev_irq irq;		/* IRQ8 follows IRQF */
	uint32_t logged;
	struct rtc_cmos_stats stats;
};

/* The clock reads wall_seconds (since the epoch, UTC) at now_ns and runs from there. */
void rtc_cmos_init(struct rtc_cmos *r, unsigned irq, const struct irq_line_sink *irq_sink,
		   uint64_t wall_seconds, uint64_t now_ns);
/* Advances to now_ns (never backwards), latching PF/UF/AF and driving IRQ8. */
void rtc_cmos_set_time(struct rtc_cmos *r, uint64_t now_ns);
/* When IRQ8 would next rise, or DEVICE_NO_DEADLINE (also while it is already high). */
uint64_t rtc_cmos_next_deadline(const struct rtc_cmos *r);
/* The wall clock the guest sees now, in seconds since the epoch. */
uint64_t rtc_cmos_seconds(const struct rtc_cmos *r);

uint8_t rtc_cmos_read_reg(struct rtc_cmos *r, uint8_t index);
void rtc_cmos_write_reg(struct rtc_cmos *r, uint8_t index, uint8_t value);

/* cmos_layout.c: the bytes firmware leaves in CMOS for the OS, as QEMU fills them. */
void cmos_set_memory_sizes(struct rtc_cmos *r, uint64_t below_4g, uint64_t above_4g);
void cmos_set_cpu_count(struct rtc_cmos *r, unsigned cpus);

/* rtc_clock.c: time registers in the guest's format, and the clock behind them. */
uint8_t rtc_read_time_reg(struct rtc_cmos *r, uint8_t index);
void rtc_write_time_reg(struct rtc_cmos *r, uint8_t index, uint8_t value);
void rtc_halt(struct rtc_cmos *r);
void rtc_resume(struct rtc_cmos *r, uint64_t subsecond_ns);
bool rtc_divider_running(const struct rtc_cmos *r);
bool rtc_update_in_progress(const struct rtc_cmos *r);
uint8_t rtc_decode(const struct rtc_cmos *r, uint8_t value);
uint8_t rtc_decode_hours(const struct rtc_cmos *r, uint8_t value);

/* rtc_events.c: periodic, update-ended and alarm flags, and IRQ8. */
void rtc_catch_up(struct rtc_cmos *r);
void rtc_update_irq(struct rtc_cmos *r);

#endif

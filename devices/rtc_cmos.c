/* rtc_cmos: the MC146818-style RTC and 128 bytes of CMOS RAM on ports 0x70/0x71, on injected time. */
#include "devices/rtc_cmos.h"

#include "devices/dev_log.h"
#include "lib/string.h"

/* A divider released from reset starts its first update half a second later (MC146818). */
#define RTC_DIVIDER_RELEASE_NS 500000000ull

static bool rtc_is_time_reg(uint8_t index)
{
	return index == RTC_SECONDS || index == RTC_MINUTES || index == RTC_HOURS ||
	       (index >= RTC_WEEKDAY && index <= RTC_YEAR) || index == RTC_CENTURY;
}

/* The clock runs only with SET clear and the divider at 32.768 kHz. */
static void rtc_apply_run_state(struct rtc_cmos *r, uint64_t subsecond_ns)
{
	bool run = !(r->ram[RTC_REG_B] & RTC_B_SET) && rtc_divider_running(r);

	if (run)
		rtc_resume(r, subsecond_ns);
	else
		rtc_halt(r);
}

static void rtc_write_reg_a(struct rtc_cmos *r, uint8_t value)
{
	bool was_running = rtc_divider_running(r);

	r->ram[RTC_REG_A] = value & (uint8_t)~RTC_A_UIP;	/* UIP is read-only */
	if (!was_running && rtc_divider_running(r)) {
		r->divider_origin_ns = r->now_ns;
		rtc_apply_run_state(r, RTC_DIVIDER_RELEASE_NS);
		return;
	}
	rtc_apply_run_state(r, 0);
}

/* Setting SET clears UIE (MC146818 datasheet, register B). DSE is kept but not acted on. */
static void rtc_write_reg_b(struct rtc_cmos *r, uint8_t value)
{
	if (value & RTC_B_SET)
		value &= (uint8_t)~RTC_B_UIE;
	if (value & RTC_B_DSE)
		dev_log_once(&r->logged, RTC_LOG_DSE, LOG_DEBUG,
			     "rtc: daylight-saving updates (register B bit 0) are not modelled");
	r->ram[RTC_REG_B] = value;
	rtc_apply_run_state(r, 0);
	rtc_update_irq(r);
}

uint8_t rtc_cmos_read_reg(struct rtc_cmos *r, uint8_t index)
{
	uint8_t value;

	index &= CMOS_SIZE - 1;
	r->stats.reads++;
	rtc_catch_up(r);
	if (rtc_is_time_reg(index))
		return rtc_read_time_reg(r, index);
	switch (index) {
	case RTC_REG_A:
		return (uint8_t)(r->ram[RTC_REG_A] | (rtc_update_in_progress(r) ? RTC_A_UIP : 0));
	case RTC_REG_C:
		/* Reading C is the acknowledge: all flags clear and IRQ8 drops. */
		value = r->reg_c;
		r->reg_c = 0;
		rtc_update_irq(r);
		return value;
	case RTC_REG_D:
		return RTC_D_VRT;	/* the battery is always good */
	default:
		return r->ram[index];
	}
}

void rtc_cmos_write_reg(struct rtc_cmos *r, uint8_t index, uint8_t value)
{
	index &= CMOS_SIZE - 1;
	r->stats.writes++;
	rtc_catch_up(r);
	if (rtc_is_time_reg(index)) {
		rtc_write_time_reg(r, index, value);
		return;
	}
	switch (index) {
	case RTC_REG_A:
		rtc_write_reg_a(r, value);
		break;
	case RTC_REG_B:
		rtc_write_reg_b(r, value);
		break;
	case RTC_REG_C:
	case RTC_REG_D:
		r->stats.ignored_writes++;
		dev_log_once(&r->logged, RTC_LOG_READ_ONLY, LOG_DEBUG,
			     "rtc: register %c is read-only; write of %#x ignored",
			     index == RTC_REG_C ? 'C' : 'D', value);
		break;
	default:
		r->ram[index] = value;
		break;
	}
}

/* Port 0x70 is write-only on the chipset; a read floats high. */
static uint8_t rtc_cmos_read_byte(void *dev, unsigned offset)
{
	struct rtc_cmos *r = dev;

	if (offset == 1)
		return rtc_cmos_read_reg(r, r->index);
	dev_log_once(&r->logged, RTC_LOG_INDEX_READ, LOG_DEBUG,
		     "rtc: port 0x70 is write-only; reads return 0xff");
	return 0xff;
}

/* Port 0x70: bits 6:0 select the CMOS byte, bit 7 masks NMI (kept for the platform). */
static void rtc_cmos_write_byte(void *dev, unsigned offset, uint8_t value)
{
	struct rtc_cmos *r = dev;

	if (offset == 1) {
		rtc_cmos_write_reg(r, r->index, value);
		return;
	}
	r->index = value & (CMOS_SIZE - 1);
	r->nmi_disabled = value & RTC_NMI_DISABLE;
}

void rtc_cmos_init(struct rtc_cmos *r, unsigned irq, const struct irq_line_sink *irq_sink,
		   uint64_t wall_seconds, uint64_t now_ns)
{
	memset(r, 0, sizeof(*r));
	io_byte_block_init(&r->io, RTC_PORT_INDEX, RTC_PORT_COUNT, rtc_cmos_read_byte,
			   rtc_cmos_write_byte, r);
	r->ram[RTC_REG_A] = RTC_REG_A_RESET;
	r->ram[RTC_REG_B] = RTC_REG_B_RESET;
	r->now_ns = now_ns;
	r->base_seconds = wall_seconds;
	r->base_ns = now_ns;
	r->divider_origin_ns = now_ns;
	r->events_ns = now_ns;
	dev_irq_init(&r->irq, irq_sink, irq);
}

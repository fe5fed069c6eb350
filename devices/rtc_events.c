/* rtc_events: the RTC's periodic, update-ended and alarm flags against injected time, and IRQ8. */
#include "devices/clock_ticks.h"
#include "devices/rtc_cmos.h"

/* MC146818 rate table: RS 1 and 2 repeat RS 8 and 9 (256, 128 Hz) with a 32.768 kHz base. */
static uint32_t rtc_periodic_cycles(const struct rtc_cmos *r)
{
	unsigned rs = r->ram[RTC_REG_A] & RTC_A_RS_MASK;

	if (rs == 0)
		return 0;
	return rs <= 2 ? 1u << (rs + 6) : 1u << (rs - 1);
}

static bool rtc_alarm_field_matches(const struct rtc_cmos *r, uint8_t index, uint8_t value)
{
	uint8_t raw = r->ram[index];

	if ((raw & RTC_ALARM_ANY) == RTC_ALARM_ANY)
		return true;
	return (index == RTC_HOURS_ALARM ? rtc_decode_hours(r, raw) : rtc_decode(r, raw)) == value;
}

static bool rtc_alarm_matches(const struct rtc_cmos *r, uint64_t seconds)
{
	uint32_t in_day = (uint32_t)(seconds % SECONDS_PER_DAY);

	return rtc_alarm_field_matches(r, RTC_SECONDS_ALARM, (uint8_t)(in_day % 60)) &&
	       rtc_alarm_field_matches(r, RTC_MINUTES_ALARM, (uint8_t)(in_day / 60 % 60)) &&
	       rtc_alarm_field_matches(r, RTC_HOURS_ALARM, (uint8_t)(in_day / 3600));
}

/*
 * Each second boundary crossed in (from, to] is an update: UF, and AF when the new
 * time matches the alarm. Past a day's worth of updates only the last day can add a
 * match not already seen, so at most 86400 seconds are checked.
 */
static void rtc_check_updates(struct rtc_cmos *r, uint64_t from_ns, uint64_t to_ns)
{
	uint64_t s0, s1, k;

	if (r->halted || to_ns < r->base_ns)
		return;
	s0 = from_ns > r->base_ns ? (from_ns - r->base_ns) / NS_PER_SEC : 0;
	s1 = (to_ns - r->base_ns) / NS_PER_SEC;
	if (s1 <= s0)
		return;
	r->reg_c |= RTC_C_UF;
	r->stats.updates++;
	for (k = s1 - s0 > SECONDS_PER_DAY ? s1 - SECONDS_PER_DAY + 1 : s0 + 1; k <= s1; k++) {
		if (rtc_alarm_matches(r, r->base_seconds + k)) {
			r->reg_c |= RTC_C_AF;
			r->stats.alarms++;
			break;
		}
	}
}

/* PF is set on every period of the divider tap, whether or not PIE lets it interrupt. */
static void rtc_check_periodic(struct rtc_cmos *r, uint64_t from_ns, uint64_t to_ns)
{
	uint32_t period = rtc_periodic_cycles(r);
	uint64_t origin = r->divider_origin_ns;

	if (!rtc_divider_running(r) || !period || to_ns < origin || from_ns < origin)
		return;
	if (clock_ticks_at(to_ns - origin, RTC_OSC_HZ) / period >
	    clock_ticks_at(from_ns - origin, RTC_OSC_HZ) / period) {
		r->reg_c |= RTC_C_PF;
		r->stats.periodic++;
	}
}

/* IRQF = PF.PIE + AF.AIE + UF.UIE (combinational), and IRQ8 follows IRQF until C is read. */
void rtc_update_irq(struct rtc_cmos *r)
{
	bool irqf = r->reg_c & r->ram[RTC_REG_B] & (RTC_C_PF | RTC_C_AF | RTC_C_UF);

	r->reg_c = (uint8_t)(irqf ? r->reg_c | RTC_C_IRQF : r->reg_c & ~RTC_C_IRQF);
	dev_irq_set(&r->irq, irqf);
}

void rtc_catch_up(struct rtc_cmos *r)
{
	if (r->now_ns <= r->events_ns)
		return;
	rtc_check_periodic(r, r->events_ns, r->now_ns);
	rtc_check_updates(r, r->events_ns, r->now_ns);
	r->events_ns = r->now_ns;
	rtc_update_irq(r);
}

void rtc_cmos_set_time(struct rtc_cmos *r, uint64_t now_ns)
{
	if (clock_advance(&r->now_ns, now_ns, &r->stats.time_backwards, &r->logged,
			  RTC_LOG_TIME_BACKWARDS, "rtc"))
		rtc_catch_up(r);
}

static uint64_t rtc_earlier(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Only events that could raise IRQ8 need the host timer; flags alone are computed lazily. */
uint64_t rtc_cmos_next_deadline(const struct rtc_cmos *r)
{
	uint8_t b = r->ram[RTC_REG_B];
	uint32_t period = rtc_periodic_cycles(r);
	uint64_t deadline = DEVICE_NO_DEADLINE, cycle, second;

	if (r->irq.level)
		return DEVICE_NO_DEADLINE;
	if ((b & RTC_B_PIE) && period && rtc_divider_running(r)) {
		cycle = clock_ticks_at(r->now_ns - r->divider_origin_ns, RTC_OSC_HZ) / period + 1;
		deadline = r->divider_origin_ns + clock_ns_for_ticks(cycle * period, RTC_OSC_HZ);
	}
	if ((b & (RTC_B_UIE | RTC_B_AIE)) && !r->halted) {
		second = (r->now_ns - r->base_ns) / NS_PER_SEC + 1;
		deadline = rtc_earlier(deadline, r->base_ns + second * NS_PER_SEC);
	}
	return deadline;
}

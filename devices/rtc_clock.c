/* rtc_clock: the RTC's time registers in the guest's chosen format, and the clock behind them. */
#include "devices/clock_ticks.h"
#include "devices/dev_log.h"
#include "devices/rtc_cmos.h"

bool rtc_divider_running(const struct rtc_cmos *r)
{
	return (r->ram[RTC_REG_A] & RTC_A_DV_MASK) == RTC_A_DV_32KHZ;
}

uint64_t rtc_cmos_seconds(const struct rtc_cmos *r)
{
	uint64_t seconds;

	if (r->halted) {
		rtc_seconds_from_date(&r->held, &seconds);
		return seconds;
	}
	return r->base_seconds + (r->now_ns - r->base_ns) / NS_PER_SEC;
}

/* Updates are instantaneous here, so UIP only covers the 244 us warning before each one. */
bool rtc_update_in_progress(const struct rtc_cmos *r)
{
	return !r->halted && (r->now_ns - r->base_ns) % NS_PER_SEC >= NS_PER_SEC - RTC_UIP_NS;
}

/* Register B's DM bit picks binary or BCD for every time and alarm byte. */
static uint8_t rtc_encode(const struct rtc_cmos *r, uint8_t value)
{
	return (r->ram[RTC_REG_B] & RTC_B_BINARY) ? value : rtc_to_bcd(value);
}

uint8_t rtc_decode(const struct rtc_cmos *r, uint8_t value)
{
	return (r->ram[RTC_REG_B] & RTC_B_BINARY) ? value : rtc_from_bcd(value);
}

/* 12-hour mode: 1..12 with bit 7 for PM; midnight is 12 AM, noon 12 PM. */
static uint8_t rtc_encode_hours(const struct rtc_cmos *r, uint8_t hour)
{
	if (r->ram[RTC_REG_B] & RTC_B_24H)
		return rtc_encode(r, hour);
	return (uint8_t)(rtc_encode(r, hour % 12 ? hour % 12 : 12) | (hour >= 12 ? 0x80 : 0));
}

uint8_t rtc_decode_hours(const struct rtc_cmos *r, uint8_t value)
{
	if (r->ram[RTC_REG_B] & RTC_B_24H)
		return rtc_decode(r, value);
	return (uint8_t)(rtc_decode(r, value & 0x7f) % 12 + ((value & 0x80) ? 12 : 0));
}

static void rtc_current_date(const struct rtc_cmos *r, struct rtc_date *d)
{
	rtc_date_from_seconds(rtc_cmos_seconds(r), d);
	if (r->halted) {
		uint8_t weekday = d->weekday;	/* of the normalized date */
		*d = r->held;
		d->weekday = weekday;
	}
}

uint8_t rtc_read_time_reg(struct rtc_cmos *r, uint8_t index)
{
	struct rtc_date d;

	rtc_current_date(r, &d);
	switch (index) {
	case RTC_SECONDS:
		return rtc_encode(r, d.second);
	case RTC_MINUTES:
		return rtc_encode(r, d.minute);
	case RTC_HOURS:
		return rtc_encode_hours(r, d.hour);
	case RTC_WEEKDAY:
		return rtc_encode(r, d.weekday);
	case RTC_DAY:
		return rtc_encode(r, d.day);
	case RTC_MONTH:
		return rtc_encode(r, d.month);
	case RTC_YEAR:
		return rtc_encode(r, (uint8_t)(d.year % 100));
	default:
		return rtc_encode(r, (uint8_t)(d.year / 100 % 100));
	}
}

/*
 * Guests set the clock field by field, normally under SET (which holds the fields
 * as written, valid or not, until SET clears). A write while the clock runs takes
 * effect at once and keeps the phase within the current second. The weekday is
 * derived from the date here, so writes to it are ignored.
 */
void rtc_write_time_reg(struct rtc_cmos *r, uint8_t index, uint8_t value)
{
	struct rtc_date d;
	uint64_t subsecond = r->halted ? 0 : (r->now_ns - r->base_ns) % NS_PER_SEC;
	uint8_t v = index == RTC_HOURS ? rtc_decode_hours(r, value) : rtc_decode(r, value);

	rtc_current_date(r, &d);
	switch (index) {
	case RTC_SECONDS:
		d.second = v;
		break;
	case RTC_MINUTES:
		d.minute = v;
		break;
	case RTC_HOURS:
		d.hour = v;
		break;
	case RTC_DAY:
		d.day = v;
		break;
	case RTC_MONTH:
		d.month = v;
		break;
	case RTC_YEAR:
		d.year = d.year / 100 * 100 + v;
		break;
	case RTC_CENTURY:
		d.year = (uint64_t)v * 100 + d.year % 100;
		break;
	default:
		r->stats.ignored_writes++;
		dev_log_once(&r->logged, RTC_LOG_WEEKDAY, LOG_DEBUG,
			     "rtc: weekday is derived from the date; write of %#x ignored", value);
		return;
	}
	r->stats.time_sets++;
	if (r->halted) {
		r->held = d;
		return;
	}
	r->held = d;
	r->halted = true;
	rtc_resume(r, subsecond);
}

void rtc_halt(struct rtc_cmos *r)
{
	if (r->halted)
		return;
	rtc_date_from_seconds(rtc_cmos_seconds(r), &r->held);
	r->halted = true;
}

/* The clock restarts from the held fields; the first update comes 1 s - subsecond_ns later. */
void rtc_resume(struct rtc_cmos *r, uint64_t subsecond_ns)
{
	uint64_t seconds;

	if (!r->halted)
		return;
	if (!rtc_seconds_from_date(&r->held, &seconds)) {
		r->stats.ignored_writes++;
		dev_log_once(&r->logged, RTC_LOG_BAD_TIME, LOG_WARN,
			     "rtc: guest set an invalid date/time %llu-%u-%u %u:%u:%u; "
			     "normalized", (unsigned long long)r->held.year, r->held.month,
			     r->held.day, r->held.hour, r->held.minute, r->held.second);
	}
	if (subsecond_ns > r->now_ns)
		subsecond_ns = r->now_ns;
	r->base_seconds = seconds;
	r->base_ns = r->now_ns - subsecond_ns;
	r->halted = false;
}

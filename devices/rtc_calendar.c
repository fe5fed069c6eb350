/* rtc_calendar: seconds since the Unix epoch to a Gregorian date and back, and BCD. */
#include "devices/rtc_calendar.h"

#define DAYS_PER_400_YEARS 146097u	/* any 400 consecutive years hold 97 leap days */

static const uint16_t days_before_month[13] = { 0, 0, 31, 59, 90, 120, 151, 181, 212, 243,
						273, 304, 334 };

static bool rtc_is_leap(uint64_t year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static unsigned rtc_days_in_year(uint64_t year)
{
	return rtc_is_leap(year) ? 366 : 365;
}

static unsigned rtc_days_in_month(uint64_t year, unsigned month)
{
	static const uint8_t days[13] = { 0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return days[month] + (month == 2 && rtc_is_leap(year));
}

/* Leap years in [1, year]. */
static uint64_t rtc_leaps_through(uint64_t year)
{
	return year / 4 - year / 100 + year / 400;
}

void rtc_date_from_seconds(uint64_t seconds, struct rtc_date *d)
{
	uint64_t days = seconds / SECONDS_PER_DAY;
	uint32_t in_day = (uint32_t)(seconds % SECONDS_PER_DAY);
	uint64_t year = 1970 + 400 * (days / DAYS_PER_400_YEARS);
	unsigned month = 1;

	d->weekday = (uint8_t)((days + 4) % 7 + 1);	/* 1970-01-01 was a Thursday */
	days %= DAYS_PER_400_YEARS;
	while (days >= rtc_days_in_year(year)) {
		days -= rtc_days_in_year(year);
		year++;
	}
	while (days >= rtc_days_in_month(year, month)) {
		days -= rtc_days_in_month(year, month);
		month++;
	}
	d->year = year;
	d->month = (uint8_t)month;
	d->day = (uint8_t)(days + 1);
	d->hour = (uint8_t)(in_day / 3600);
	d->minute = (uint8_t)(in_day / 60 % 60);
	d->second = (uint8_t)(in_day % 60);
}

static uint8_t rtc_clamp(uint8_t value, uint8_t lo, uint8_t hi, bool *ok)
{
	if (value < lo || value > hi) {
		*ok = false;
		return value < lo ? lo : hi;
	}
	return value;
}

bool rtc_seconds_from_date(const struct rtc_date *d, uint64_t *seconds)
{
	bool ok = true;
	uint64_t year = d->year;
	unsigned month = rtc_clamp(d->month, 1, 12, &ok);
	unsigned day = rtc_clamp(d->day, 1, 31, &ok);
	uint64_t days;

	if (year < 1970) {
		year = 1970;
		ok = false;
	}
	if (day > rtc_days_in_month(year, month))
		ok = false;	/* still counted: the extra days roll over */
	days = 365 * (year - 1970) + rtc_leaps_through(year - 1) - rtc_leaps_through(1969) +
	       days_before_month[month] + (month > 2 && rtc_is_leap(year)) + day - 1;
	*seconds = days * SECONDS_PER_DAY + rtc_clamp(d->hour, 0, 23, &ok) * 3600u +
		   rtc_clamp(d->minute, 0, 59, &ok) * 60u + rtc_clamp(d->second, 0, 59, &ok);
	return ok;
}

uint8_t rtc_to_bcd(uint8_t value)
{
	return (uint8_t)((value / 10 % 10) << 4 | value % 10);
}

uint8_t rtc_from_bcd(uint8_t value)
{
	return (uint8_t)((value >> 4) * 10 + (value & 0x0f));
}

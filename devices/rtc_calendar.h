/* rtc_calendar: seconds since the Unix epoch to a Gregorian date and back, and BCD. */
#ifndef NESTOR_DEVICES_RTC_CALENDAR_H
#define NESTOR_DEVICES_RTC_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

#define SECONDS_PER_DAY 86400u

struct rtc_date {
	uint64_t year;		/* full year, >= 1970 */
	uint8_t month;		/* 1..12 */
	uint8_t day;		/* 1..31 */
	uint8_t hour;		/* 0..23 */
	uint8_t minute;
	uint8_t second;
	uint8_t weekday;	/* 1 = Sunday .. 7 = Saturday, as the MC146818 counts */
};

void rtc_date_from_seconds(uint64_t seconds, struct rtc_date *d);
/*
 * The inverse for valid dates. Out-of-range fields are brought into range (month and
 * time fields clamped, a day past the month's end rolls into the next month, a year
 * before 1970 becomes 1970); returns false when it had to do so.
 */
bool rtc_seconds_from_date(const struct rtc_date *d, uint64_t *seconds);

uint8_t rtc_to_bcd(uint8_t value);		/* value < 100 */
uint8_t rtc_from_bcd(uint8_t value);		/* invalid nibbles give values >= 100 */

#endif

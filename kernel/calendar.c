/* SPDX-License-Identifier: MIT */
/* Gregorian calendar arithmetic from the Unix epoch. Pure. */
#include "kernel/calendar.h"

static bool calendar_leap(u32 year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* Leap years in [1, year). */
static u64 calendar_leaps_before(u32 year)
{
	u64 y = year - 1;

	return y / 4 - y / 100 + y / 400;
}

static u64 calendar_days_before_year(u32 year)
{
	return 365ULL * (year - CALENDAR_EPOCH_YEAR) + calendar_leaps_before(year) -
	       calendar_leaps_before(CALENDAR_EPOCH_YEAR);
}

static u32 calendar_days_in_month(u32 year, u8 month)
{
	static const u8 days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return days[month - 1] + (month == 2 && calendar_leap(year));
}

void calendar_from_epoch(u64 seconds, struct calendar_time *t)
{
	u64 days = seconds / SECONDS_PER_DAY;
	u32 second_of_day = (u32)(seconds % SECONDS_PER_DAY);
	/* No year is longer than 366 days: start from below and step up. */
	u32 year = CALENDAR_EPOCH_YEAR + (u32)(days / 366);
	u32 day_of_year;
	u8 month = 1;

	while (calendar_days_before_year(year + 1) <= days)
		year++;
	day_of_year = (u32)(days - calendar_days_before_year(year));
	while (day_of_year >= calendar_days_in_month(year, month))
		day_of_year -= calendar_days_in_month(year, month++);

	t->year = year;
	t->month = month;
	t->day = (u8)(day_of_year + 1);
	t->hour = (u8)(second_of_day / 3600);
	t->minute = (u8)(second_of_day / 60 % 60);
	t->second = (u8)(second_of_day % 60);
	/* 1970-01-01 was a Thursday, day 5 counting Sunday as 1. */
	t->weekday = (u8)((days + 4) % 7 + 1);
}

u64 calendar_to_epoch(const struct calendar_time *t)
{
	u32 year = MAX(t->year, (u32)CALENDAR_EPOCH_YEAR);
	u8 month = MIN(MAX(t->month, 1), 12);
	u64 days = calendar_days_before_year(year);

	for (u8 m = 1; m < month; m++)
		days += calendar_days_in_month(year, m);
	days += MAX(t->day, 1) - 1;
	return days * SECONDS_PER_DAY + t->hour * 3600ULL + t->minute * 60ULL + t->second;
}

/* SPDX-License-Identifier: MIT */
/* Seconds since 1970-01-01 00:00 UTC to a Gregorian date and time of day, and back. Pure. */
#ifndef VIREO_KERNEL_CALENDAR_H
#define VIREO_KERNEL_CALENDAR_H

#include "kernel/types.h"

#define CALENDAR_EPOCH_YEAR 1970
#define SECONDS_PER_DAY 86400

struct calendar_time {
	u32 year;		/* 1970 or later */
	u8 month;		/* 1-12 */
	u8 day;			/* 1-31 */
	u8 hour, minute, second;
	u8 weekday;		/* 1 (Sunday) to 7 (Saturday), as the MC146818 counts */
};

/* The date and time seconds after the epoch. */
void calendar_from_epoch(u64 seconds, struct calendar_time *t);

/*
 * Seconds after the epoch of t (its weekday ignored). Fields out of range carry over as in
 * an addition (31 February is 2 or 3 March; hour 24 is the next day); a month outside 1-12
 * counts as 12 or 1, a day 0 as 1, a year before 1970 as 1970.
 */
u64 calendar_to_epoch(const struct calendar_time *t);

#endif

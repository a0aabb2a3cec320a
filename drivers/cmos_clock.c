/* SPDX-License-Identifier: MIT */
/*
 * Reading the CMOS clock. Register A's UIP bit is set for the 244 us before the chip updates
 * its time registers (MC146818A datasheet, "Update cycle"): read only once it is clear, and
 * twice until two reads agree, so an update in between cannot give a torn time.
 */
#include "drivers/cmos_clock.h"
#include "arch/x86/io.h"
#include "kernel/calendar.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define REG_SECONDS 0x00
#define REG_MINUTES 0x02
#define REG_HOURS 0x04
#define REG_DAY 0x07
#define REG_MONTH 0x08
#define REG_YEAR 0x09
#define REG_A 0x0a
#define REG_B 0x0b
#define REG_CENTURY 0x32	/* where the PC's BIOSes and QEMU keep it */
#define REG_A_UIP 0x80
#define REG_B_24H 0x02
#define REG_B_BINARY 0x04
#define HOURS_PM 0x80
#define UIP_TRIES 1000000

static u8 cmos_read(u8 reg)
{
	outb(CMOS_INDEX, reg);	/* bit 7 clear: NMIs stay enabled */
	return inb(CMOS_DATA);
}

static u8 from_bcd(u8 v)
{
	return (u8)((v >> 4) * 10 + (v & 0xf));
}

struct raw_time {
	u8 second, minute, hour, day, month, year, century;
};

static bool read_raw(struct raw_time *t)
{
	for (u32 i = 0; cmos_read(REG_A) & REG_A_UIP; i++)
		if (i == UIP_TRIES)
			return false;
	*t = (struct raw_time){ cmos_read(REG_SECONDS), cmos_read(REG_MINUTES),
				cmos_read(REG_HOURS), cmos_read(REG_DAY), cmos_read(REG_MONTH),
				cmos_read(REG_YEAR), cmos_read(REG_CENTURY) };
	return true;
}

static bool same(const struct raw_time *a, const struct raw_time *b)
{
	return a->second == b->second && a->minute == b->minute && a->hour == b->hour &&
	       a->day == b->day && a->month == b->month && a->year == b->year;
}

u64 cmos_clock_read_epoch(void)
{
	struct raw_time t, again;
	struct calendar_time c;
	u8 b = cmos_read(REG_B), pm;

	do {
		if (!read_raw(&t) || !read_raw(&again))
			return 0;
	} while (!same(&t, &again));
	pm = t.hour & HOURS_PM;
	t.hour &= (u8)~HOURS_PM;
	if (!(b & REG_B_BINARY)) {
		t.second = from_bcd(t.second);
		t.minute = from_bcd(t.minute);
		t.hour = from_bcd(t.hour);
		t.day = from_bcd(t.day);
		t.month = from_bcd(t.month);
		t.year = from_bcd(t.year);
		t.century = from_bcd(t.century);
	}
	if (!(b & REG_B_24H))
		t.hour = (u8)(t.hour % 12 + (pm ? 12 : 0));	/* 12 AM is 0, 12 PM is 12 */
	if (t.century < 19 || t.century > 99)
		t.century = 20;	/* no century register: this one */
	c = (struct calendar_time){ .year = t.century * 100u + t.year, .month = t.month,
				    .day = t.day, .hour = t.hour, .minute = t.minute,
				    .second = t.second };
	if (c.year < CALENDAR_EPOCH_YEAR || c.month < 1 || c.month > 12 || c.day < 1 || c.day > 31)
		return 0;
	return calendar_to_epoch(&c);
}

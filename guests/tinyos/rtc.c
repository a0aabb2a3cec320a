// SPDX-License-Identifier: MIT
/*
 * The real-time clock, a Motorola MC146818 (or a chip that behaves like it, inside every PC's
 * chipset), with its battery-backed CMOS memory (MC146818 datasheet). Its registers are
 * reached through an index port 0x70 and a data port 0x71: write the register's number to
 * the first, then read or write the second. Registers 0-9 keep the time and date, A-D the
 * control and status. Bit 7 of the index port, on the PC, masks the NMI; we leave it clear.
 *
 * Once a second the clock advances its counters, which takes up to 2 ms: an "update cycle".
 * Register A's bit 7 (UIP) is set from 244 us before the cycle until its end, and the
 * counters must not be read meanwhile. When the cycle ends, the chip can raise an interrupt
 * (update-ended, UIE in register B): on the PC, IRQ 8. We count those, one per RTC second.
 */
#include "guests/tinyos/tinyos.h"
#include "guests/tinyos/io.h"

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
#define REG_C 0x0c
#define A_UPDATE_IN_PROGRESS 0x80
#define B_24_HOUR 0x02		/* else 12-hour, bit 7 of the hour meaning PM */
#define B_BINARY 0x04		/* the DM bit: else the counters are BCD, 0x59 for 59 */
#define B_UPDATE_ENDED_IRQ 0x10	/* UIE */
#define B_ALARM_IRQ 0x20	/* AIE */
#define B_PERIODIC_IRQ 0x40	/* PIE */
#define C_UPDATE_ENDED 0x10	/* UF: this interrupt came from the end of an update */
#define HOUR_PM 0x80
#define UIP_WAIT_READS 100000	/* port reads take about 1 us each on a PC */

volatile u32 rtc_updates;

static u8 cmos_read(u8 reg)
{
	outb(CMOS_INDEX, reg);
	return inb(CMOS_DATA);
}

static void cmos_write(u8 reg, u8 value)
{
	outb(CMOS_INDEX, reg);
	outb(CMOS_DATA, value);
}

/*
 * Register C says why the chip interrupted, and reading it is also how the interrupt is
 * acknowledged: until C is read, the chip keeps its IRQ line asserted and raises no other
 * interrupt (datasheet, "Register C"). Forget that and IRQ 8 comes exactly once.
 */
static void rtc_interrupt(void)
{
	if (cmos_read(REG_C) & C_UPDATE_ENDED)
		rtc_updates++;
}

void rtc_init(void)
{
	u8 b = cmos_read(REG_B);

	/* The update-ended interrupt only; we keep the data mode and hour format we find. */
	b = (b | B_UPDATE_ENDED_IRQ) & ~(B_PERIODIC_IRQ | B_ALARM_IRQ);
	cmos_write(REG_B, b);
	cmos_read(REG_C);	/* a flag left over from before would hold the line */
	pic_enable(IRQ_RTC, rtc_interrupt);
}

bool rtc_is_bcd(void)
{
	return !(cmos_read(REG_B) & B_BINARY);
}

bool rtc_is_24h(void)
{
	return cmos_read(REG_B) & B_24_HOUR;
}

static u32 from_bcd(u8 v)
{
	return (v >> 4) * 10 + (v & 0x0f);
}

static void read_counters(u8 raw[6])
{
	/*
	 * UIP is set only 244 us ahead of an update: seen clear, there is time to read. It stays
	 * set about 2 ms; an absent clock reads as 0xFF, UIP for ever, so we do not wait longer
	 * than many times that.
	 */
	for (int i = 0; i < UIP_WAIT_READS && (cmos_read(REG_A) & A_UPDATE_IN_PROGRESS); i++)
		;
	raw[0] = cmos_read(REG_YEAR);
	raw[1] = cmos_read(REG_MONTH);
	raw[2] = cmos_read(REG_DAY);
	raw[3] = cmos_read(REG_HOURS);
	raw[4] = cmos_read(REG_MINUTES);
	raw[5] = cmos_read(REG_SECONDS);
}

void rtc_read(struct rtc_time *t)
{
	u8 raw[6], again[6];
	u8 b = cmos_read(REG_B);
	u32 v[6];
	bool same;

	/*
	 * The 244 us promise holds on hardware, but a CPU can be interrupted, or under a
	 * hypervisor descheduled, between the UIP check and the reads. So read until two reads
	 * in a row agree: then no update came between them.
	 */
	read_counters(again);
	do {
		same = true;
		for (int i = 0; i < 6; i++)
			raw[i] = again[i];
		read_counters(again);
		for (int i = 0; i < 6; i++)
			same = same && raw[i] == again[i];
	} while (!same);
	for (int i = 0; i < 6; i++) {
		u8 r = i == 3 ? raw[i] & ~HOUR_PM : raw[i];	/* the PM bit is not a digit */

		v[i] = b & B_BINARY ? r : from_bcd(r);
	}
	if (!(b & B_24_HOUR)) {	/* 12 AM is midnight, 12 PM noon */
		v[3] %= 12;
		if (raw[3] & HOUR_PM)
			v[3] += 12;
	}
	/* The MC146818 keeps two digits of the year; the century is a PC addition (CMOS 0x32)
	 * that not every clock has: we assume 20xx. */
	*t = (struct rtc_time){ 2000 + v[0], v[1], v[2], v[3], v[4], v[5] };
}

/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests of the MC146818A model: the calendar, time registers in every format, UIP,
 * SET, the divider, periodic, alarm and update interrupts, and the CMOS memory bytes.
 */
#include "tests/unit/unit.h"
#include "tests/unit/fake_irq_line.h"
#include "vmm/dev/vrtc.h"

#include <stdio.h>

#define SEC 1000000000ULL
#define MS 1000000ULL

/* 2024-02-29 13:45:56 UTC, a Thursday. */
#define LEAP_DAY_AFTERNOON 1709214356ULL

struct bench {
	struct vrtc rtc;
	struct fake_line line;
	u64 now;
};

static u64 fake_now(void *ctx)
{
	return ((struct bench *)ctx)->now;
}

static void bench_init_with(struct bench *b, u64 start_ns, u64 epoch, u64 ram)
{
	struct irq_line line = { .set = fake_line_set, .ctx = &b->line, .irq = VRTC_IRQ };
	struct dev_clock clock = { .now_ns = fake_now, .ctx = b };

	memset(b, 0x5a, sizeof(*b));
	b->line = (struct fake_line){ 0 };
	b->now = start_ns;
	vrtc_init(&b->rtc, &line, &clock, epoch, ram);
}

static void bench_init(struct bench *b, u64 epoch)
{
	bench_init_with(b, 123 * SEC + 456, epoch, 512 * MiB);
}

static u8 cmos_read(struct bench *b, u8 index)
{
	vrtc_ops.write(&b->rtc, VRTC_INDEX_PORT, 1, index);
	return (u8)vrtc_ops.read(&b->rtc, VRTC_DATA_PORT, 1);
}

static void cmos_write(struct bench *b, u8 index, u8 value)
{
	vrtc_ops.write(&b->rtc, VRTC_INDEX_PORT, 1, index);
	vrtc_ops.write(&b->rtc, VRTC_DATA_PORT, 1, value);
}

/* What a guest's interrupt handler does: read C, which lowers IRQ8. */
static u8 take_interrupt(struct bench *b)
{
	return cmos_read(b, VRTC_REG_C);
}

/*
 * Act as the glue's host timer until end: fire at each vrtc_next_irq_ns, and take every
 * interrupt that raises IRQ8. Returns how many there were.
 */
static u32 run_until(struct bench *b, u64 end)
{
	u32 interrupts = 0;

	for (;;) {
		u64 next = vrtc_next_irq_ns(&b->rtc);

		if (!next || next > end)
			break;
		if (next <= b->now)
			fail_msg("%s: next interrupt %llu is not after now %llu", unit_label, next,
				 b->now);
		b->now = next;
		vrtc_update(&b->rtc);
		if (b->line.high) {
			interrupts++;
			take_interrupt(b);
			assert_false(b->line.high);
		}
	}
	b->now = end;
	return interrupts;
}

static u8 bcd(u64 v)
{
	return (u8)((v / 10) << 4 | v % 10);
}

struct clock_regs {
	u8 sec, min, hour, wday, day, month, year, century;
};

static void expect_time(struct bench *b, struct clock_regs want)
{
	EXPECT_EQ(cmos_read(b, VRTC_SECONDS), want.sec);
	EXPECT_EQ(cmos_read(b, VRTC_MINUTES), want.min);
	EXPECT_EQ(cmos_read(b, VRTC_HOURS), want.hour);
	EXPECT_EQ(cmos_read(b, VRTC_WEEKDAY), want.wday);
	EXPECT_EQ(cmos_read(b, VRTC_DAY), want.day);
	EXPECT_EQ(cmos_read(b, VRTC_MONTH), want.month);
	EXPECT_EQ(cmos_read(b, VRTC_YEAR), want.year);
	EXPECT_EQ(cmos_read(b, VRTC_CENTURY), want.century);
}

static void test_calendar_converts_across_leap_years_and_centuries(void **state)
{
	static const struct {
		u64 seconds;
		struct calendar_time t;
	} cases[] = {
		{ 0, { 1970, 1, 1, 0, 0, 0, 5 } },
		{ 946684799, { 1999, 12, 31, 23, 59, 59, 6 } },
		{ 946684800, { 2000, 1, 1, 0, 0, 0, 7 } },
		{ 951782400, { 2000, 2, 29, 0, 0, 0, 3 } },	/* 2000 is a leap year */
		{ 1677628799, { 2023, 2, 28, 23, 59, 59, 3 } },
		{ 1677628800, { 2023, 3, 1, 0, 0, 0, 4 } },
		{ LEAP_DAY_AFTERNOON, { 2024, 2, 29, 13, 45, 56, 5 } },
		{ 1709251200, { 2024, 3, 1, 0, 0, 0, 6 } },
		{ 4107542399, { 2100, 2, 28, 23, 59, 59, 1 } },
		{ 4107542400, { 2100, 3, 1, 0, 0, 0, 2 } },	/* 2100 is not */
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct calendar_time t;
		const struct calendar_time *w = &cases[i].t;

		snprintf(unit_label, sizeof(unit_label), "%llu", cases[i].seconds);
		calendar_from_epoch(cases[i].seconds, &t);
		EXPECT_EQ(t.year, w->year);
		EXPECT_EQ(t.month, w->month);
		EXPECT_EQ(t.day, w->day);
		EXPECT_EQ(t.hour, w->hour);
		EXPECT_EQ(t.minute, w->minute);
		EXPECT_EQ(t.second, w->second);
		EXPECT_EQ(t.weekday, w->weekday);
		EXPECT_EQ(calendar_to_epoch(w), cases[i].seconds);
	}
	/* Every day for 500 years goes there and back, and the days follow each other. */
	for (u64 s = 0, day = 0; day < 500 * 366; day++, s += SECONDS_PER_DAY + 3601) {
		struct calendar_time t, next;

		snprintf(unit_label, sizeof(unit_label), "%llu", s);
		calendar_from_epoch(s, &t);
		EXPECT_EQ(calendar_to_epoch(&t), s);
		calendar_from_epoch(s - s % SECONDS_PER_DAY + SECONDS_PER_DAY, &next);
		EXPECT_EQ(next.weekday, t.weekday % 7 + 1);
		if (next.day != t.day + 1)
			EXPECT_EQ(next.day, 1);
	}
}

static void test_calendar_carries_fields_out_of_range(void **state)
{
	struct calendar_time feb30 = { 2023, 2, 30, 0, 0, 0, 0 }, mar2 = { 2023, 3, 2, 0, 0, 0, 0 };
	struct calendar_time h24 = { 1999, 12, 31, 24, 0, 0, 0 }, before = { 1960, 1, 1, 0, 0, 0, 0 };
	(void)state;

	snprintf(unit_label, sizeof(unit_label), "carry");
	EXPECT_EQ(calendar_to_epoch(&feb30), calendar_to_epoch(&mar2));
	EXPECT_EQ(calendar_to_epoch(&h24), 946684800);
	EXPECT_EQ(calendar_to_epoch(&before), 0);
}

static void test_epoch_reads_as_bcd_and_binary(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b, LEAP_DAY_AFTERNOON);
	snprintf(unit_label, sizeof(unit_label), "BCD");
	EXPECT_EQ(cmos_read(&b, VRTC_REG_B), VRTC_B_24H);
	expect_time(&b, (struct clock_regs){ 0x56, 0x45, 0x13, 5, 0x29, 0x02, 0x24, 0x20 });
	snprintf(unit_label, sizeof(unit_label), "binary");
	cmos_write(&b, VRTC_REG_B, VRTC_B_24H | VRTC_B_BINARY);
	expect_time(&b, (struct clock_regs){ 56, 45, 13, 5, 29, 2, 24, 20 });
}

static void test_twelve_hour_mode_sets_pm_in_bit_7(void **state)
{
	static const struct {
		u64 second_of_day;
		u8 bcd, binary;
	} cases[] = {
		{ 0, 0x12, 12 },			/* midnight is 12 AM */
		{ 1 * 3600, 0x01, 1 },
		{ 11 * 3600 + 3599, 0x11, 11 },
		{ 12 * 3600, 0x92, 0x80 | 12 },		/* noon is 12 PM */
		{ 13 * 3600, 0x81, 0x80 | 1 },
		{ 23 * 3600, 0x91, 0x80 | 11 },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct bench b;

		bench_init(&b, 946684800 + cases[i].second_of_day);
		snprintf(unit_label, sizeof(unit_label), "%llu s into the day",
			 cases[i].second_of_day);
		cmos_write(&b, VRTC_REG_B, 0);
		EXPECT_EQ(cmos_read(&b, VRTC_HOURS), cases[i].bcd);
		cmos_write(&b, VRTC_REG_B, VRTC_B_BINARY);
		EXPECT_EQ(cmos_read(&b, VRTC_HOURS), cases[i].binary);
		/* Writing the hour back in 12-hour form keeps the time. */
		cmos_write(&b, VRTC_REG_B, VRTC_B_SET | VRTC_B_BINARY);
		cmos_write(&b, VRTC_HOURS, cases[i].binary);
		cmos_write(&b, VRTC_REG_B, VRTC_B_24H | VRTC_B_BINARY);
		EXPECT_EQ(cmos_read(&b, VRTC_HOURS), cases[i].second_of_day / 3600);
	}
}

static void test_time_advances_with_the_clock_into_the_new_century(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b, 946684799 - 1);
	snprintf(unit_label, sizeof(unit_label), "1999-12-31 23:59:58");
	expect_time(&b, (struct clock_regs){ 0x58, 0x59, 0x23, 6, 0x31, 0x12, 0x99, 0x19 });
	b.now += SEC - 1;
	EXPECT_EQ(cmos_read(&b, VRTC_SECONDS), 0x58);
	b.now += 1;
	EXPECT_EQ(cmos_read(&b, VRTC_SECONDS), 0x59);
	b.now += SEC;
	snprintf(unit_label, sizeof(unit_label), "2000-01-01 00:00:00");
	expect_time(&b, (struct clock_regs){ 0x00, 0x00, 0x00, 7, 0x01, 0x01, 0x00, 0x20 });
	b.now += 60 * 60 * 24 * SEC + 61 * SEC;
	snprintf(unit_label, sizeof(unit_label), "2000-01-02 00:01:01");
	expect_time(&b, (struct clock_regs){ 0x01, 0x01, 0x00, 1, 0x02, 0x01, 0x00, 0x20 });
}

static void test_uip_is_set_in_the_last_244_us_before_each_update(void **state)
{
	static const struct {
		u64 into_second;
		bool uip;
	} cases[] = {
		{ 0, false }, { 500 * MS, false }, { SEC - 244001, false }, { SEC - 244000, true },
		{ SEC - 1, true },
	};
	(void)state;

	for (u64 second = 0; second < 3; second++) {
		for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
			struct bench b;

			bench_init(&b, 1000);
			b.now += second * SEC + cases[i].into_second;
			snprintf(unit_label, sizeof(unit_label), "second %llu + %llu ns", second,
				 cases[i].into_second);
			EXPECT_EQ(cmos_read(&b, VRTC_REG_A), 0x26 | (cases[i].uip ? 0x80 : 0));
			/* The update has not happened yet while UIP is set. */
			EXPECT_EQ(cmos_read(&b, VRTC_SECONDS), bcd((1000 + second) % 60));
		}
	}
}

static void test_set_freezes_the_time_for_the_guest_to_write(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b, LEAP_DAY_AFTERNOON);
	cmos_write(&b, VRTC_REG_B, VRTC_B_24H | VRTC_B_UIE);
	cmos_write(&b, VRTC_REG_B, VRTC_B_SET | VRTC_B_24H | VRTC_B_UIE);
	EXPECT_EQ(cmos_read(&b, VRTC_REG_B), VRTC_B_SET | VRTC_B_24H);	/* SET clears UIE */
	b.now += 5 * SEC + 999 * MS;
	snprintf(unit_label, sizeof(unit_label), "frozen");
	EXPECT_EQ(cmos_read(&b, VRTC_SECONDS), 0x56);
	EXPECT_EQ(cmos_read(&b, VRTC_REG_A) & VRTC_A_UIP, 0);
	/* Month before day, through an invalid 31 June: the fields are kept as written. */
	cmos_write(&b, VRTC_MONTH, 0x06);
	cmos_write(&b, VRTC_DAY, 0x31);
	EXPECT_EQ(cmos_read(&b, VRTC_DAY), 0x31);
	cmos_write(&b, VRTC_DAY, 0x15);
	cmos_write(&b, VRTC_YEAR, 0x30);
	cmos_write(&b, VRTC_CENTURY, 0x20);
	cmos_write(&b, VRTC_HOURS, 0x08);
	cmos_write(&b, VRTC_MINUTES, 0x30);
	cmos_write(&b, VRTC_SECONDS, 0x00);
	cmos_write(&b, VRTC_WEEKDAY, 1);	/* ignored: the date says Saturday */
	cmos_write(&b, VRTC_REG_B, VRTC_B_24H);
	snprintf(unit_label, sizeof(unit_label), "2030-06-15 08:30:00");
	expect_time(&b, (struct clock_regs){ 0x00, 0x30, 0x08, 7, 0x15, 0x06, 0x30, 0x20 });
	/* The divider ran on: the next update falls on the old second boundary. */
	b.now += 1 * MS - 1;
	EXPECT_EQ(cmos_read(&b, VRTC_SECONDS), 0x00);
	b.now += 1;
	EXPECT_EQ(cmos_read(&b, VRTC_SECONDS), 0x01);
	b.now += 61 * SEC;
	EXPECT_EQ(cmos_read(&b, VRTC_SECONDS), 0x02);
	EXPECT_EQ(cmos_read(&b, VRTC_MINUTES), 0x31);
}

static void test_writing_the_time_while_running_moves_it(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b, LEAP_DAY_AFTERNOON);
	b.now += 400 * MS;
	snprintf(unit_label, sizeof(unit_label), "running");
	cmos_write(&b, VRTC_MINUTES, 0x10);
	EXPECT_EQ(cmos_read(&b, VRTC_MINUTES), 0x10);
	EXPECT_EQ(cmos_read(&b, VRTC_SECONDS), 0x56);
	b.now += 600 * MS;
	EXPECT_EQ(cmos_read(&b, VRTC_SECONDS), 0x57);
	EXPECT_EQ(cmos_read(&b, VRTC_HOURS), 0x13);
}

static void test_divider_reset_stops_the_clock_until_half_a_second_after(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b, 1000);
	cmos_write(&b, VRTC_REG_B, VRTC_B_24H | VRTC_B_PIE);
	cmos_write(&b, VRTC_REG_A, 0x70 | 6);
	snprintf(unit_label, sizeof(unit_label), "divider");
	EXPECT_EQ(cmos_read(&b, VRTC_REG_A), 0x76);
	EXPECT_EQ(vrtc_next_irq_ns(&b.rtc), 0);
	b.now += 10 * SEC + 999 * MS;
	EXPECT_EQ(cmos_read(&b, VRTC_SECONDS), bcd(1000 % 60));
	EXPECT_EQ(cmos_read(&b, VRTC_REG_C), 0);	/* no periodic flag either */
	cmos_write(&b, VRTC_REG_A, 0x26);
	b.now += 500 * MS - 1;
	EXPECT_EQ(cmos_read(&b, VRTC_SECONDS), bcd(1000 % 60));
	b.now += 1;
	EXPECT_EQ(cmos_read(&b, VRTC_SECONDS), bcd(1001 % 60));
	/* UIP's window moved with the divider. */
	b.now += SEC - 244000;
	EXPECT_EQ(cmos_read(&b, VRTC_REG_A), 0xa6);
}

static void test_periodic_interrupts_come_at_the_selected_rate(void **state)
{
	static const struct {
		u8 rate;
		u32 per_second;
	} cases[] = {
		{ 6, 1024 }, { 3, 8192 }, { 15, 2 }, { 14, 4 }, { 7, 512 }, { 1, 256 }, { 2, 128 },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct bench b;
		u64 start;

		bench_init(&b, 1000);
		start = b.now;
		snprintf(unit_label, sizeof(unit_label), "rate %u", cases[i].rate);
		cmos_write(&b, VRTC_REG_A, (u8)(0x20 | cases[i].rate));
		cmos_write(&b, VRTC_REG_B, VRTC_B_24H | VRTC_B_PIE);
		EXPECT_EQ(run_until(&b, start + SEC), cases[i].per_second);
		EXPECT_EQ(run_until(&b, start + 3 * SEC), 2 * cases[i].per_second);
		EXPECT_EQ(b.line.rises, 3 * cases[i].per_second);
	}
}

static void test_periodic_flag_is_set_without_its_enable(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b, 1000);
	snprintf(unit_label, sizeof(unit_label), "PF");
	EXPECT_EQ(vrtc_next_irq_ns(&b.rtc), 0);		/* nothing enabled: no timer */
	b.now += 2 * MS;
	EXPECT_EQ(cmos_read(&b, VRTC_REG_C), VRTC_C_PF);	/* polled, no interrupt */
	EXPECT_EQ(cmos_read(&b, VRTC_REG_C), 0);		/* cleared by the read */
	assert_false(b.line.high);
	b.now += 2 * MS;
	vrtc_update(&b.rtc);
	assert_false(b.line.high);
	/* Enabling PIE with PF already set raises IRQF and the line at once. */
	cmos_write(&b, VRTC_REG_B, VRTC_B_24H | VRTC_B_PIE);
	assert_true(b.line.high);
	assert_int_equal(b.line.irq, VRTC_IRQ);
	EXPECT_EQ(vrtc_next_irq_ns(&b.rtc), 0);		/* already high */
	EXPECT_EQ(take_interrupt(&b), VRTC_C_IRQF | VRTC_C_PF);
	assert_false(b.line.high);
	/* Rate 0 turns it off. */
	cmos_write(&b, VRTC_REG_A, 0x20);
	EXPECT_EQ(vrtc_next_irq_ns(&b.rtc), 0);
	b.now += SEC / 2;
	EXPECT_EQ(cmos_read(&b, VRTC_REG_C), 0);
}

static void test_update_ended_interrupt_once_a_second(void **state)
{
	struct bench b;
	u64 start;
	(void)state;

	bench_init(&b, 1000);
	start = b.now;
	snprintf(unit_label, sizeof(unit_label), "UF");
	cmos_write(&b, VRTC_REG_B, VRTC_B_24H | VRTC_B_UIE);
	EXPECT_EQ(vrtc_next_irq_ns(&b.rtc), start + SEC);
	b.now = start + SEC;
	vrtc_update(&b.rtc);
	assert_true(b.line.high);
	EXPECT_EQ(take_interrupt(&b), VRTC_C_IRQF | VRTC_C_UF | VRTC_C_PF);
	EXPECT_EQ(cmos_read(&b, VRTC_SECONDS), bcd(1001 % 60));
	EXPECT_EQ(run_until(&b, start + 10 * SEC), 9);
}

static void test_alarm_interrupt_when_the_time_matches(void **state)
{
	struct bench b;
	u64 start;
	(void)state;

	/* 2024-02-29 13:45:56: the alarm at 13:46:00 rings 4 s later, and then not for a day. */
	bench_init(&b, LEAP_DAY_AFTERNOON);
	start = b.now;
	snprintf(unit_label, sizeof(unit_label), "alarm");
	cmos_write(&b, VRTC_HOURS_ALARM, 0x13);
	cmos_write(&b, VRTC_MINUTES_ALARM, 0x46);
	cmos_write(&b, VRTC_SECONDS_ALARM, 0x00);
	EXPECT_EQ(cmos_read(&b, VRTC_MINUTES_ALARM), 0x46);
	cmos_write(&b, VRTC_REG_B, VRTC_B_24H | VRTC_B_AIE);
	EXPECT_EQ(run_until(&b, start + 4 * SEC - 1), 0);
	EXPECT_EQ(run_until(&b, start + 4 * SEC), 1);
	EXPECT_EQ(run_until(&b, start + 600 * SEC), 0);

	/* Polled without AIE, over a long gap: AF is set and no interrupt raised. */
	cmos_write(&b, VRTC_REG_B, VRTC_B_24H);
	take_interrupt(&b);
	b.now += 2 * SECONDS_PER_DAY * SEC;
	EXPECT_EQ(cmos_read(&b, VRTC_REG_C) & VRTC_C_AF, VRTC_C_AF);
	assert_false(b.line.high);

	/* Don't-care bytes (top two bits set) match every second. */
	cmos_write(&b, VRTC_HOURS_ALARM, 0xc0);
	cmos_write(&b, VRTC_MINUTES_ALARM, 0xff);
	cmos_write(&b, VRTC_SECONDS_ALARM, 0xc5);
	cmos_write(&b, VRTC_REG_B, VRTC_B_24H | VRTC_B_AIE);
	start = b.now;
	EXPECT_EQ(run_until(&b, start + 5 * SEC), 5);

	/* An alarm at an hour that never comes never rings. */
	cmos_write(&b, VRTC_HOURS_ALARM, 0x25);
	EXPECT_EQ(run_until(&b, b.now + 3 * SECONDS_PER_DAY * SEC), 0);
}

static void test_alarm_compares_in_twelve_hour_binary(void **state)
{
	struct bench b;
	u64 start;
	(void)state;

	bench_init(&b, LEAP_DAY_AFTERNOON);
	start = b.now;
	snprintf(unit_label, sizeof(unit_label), "alarm 12h");
	cmos_write(&b, VRTC_REG_B, VRTC_B_BINARY | VRTC_B_AIE);
	cmos_write(&b, VRTC_HOURS_ALARM, VRTC_HOUR_PM | 1);
	cmos_write(&b, VRTC_MINUTES_ALARM, 45);
	cmos_write(&b, VRTC_SECONDS_ALARM, 58);
	EXPECT_EQ(run_until(&b, start + 3 * SEC), 1);
	EXPECT_EQ(b.line.rises, 1);
}

static void test_registers_c_and_d_are_read_only(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b, 1000);
	snprintf(unit_label, sizeof(unit_label), "C, D");
	EXPECT_EQ(cmos_read(&b, VRTC_REG_D), VRTC_D_VRT);
	cmos_write(&b, VRTC_REG_D, 0);
	EXPECT_EQ(cmos_read(&b, VRTC_REG_D), VRTC_D_VRT);
	cmos_write(&b, VRTC_REG_C, 0xf0);
	EXPECT_EQ(cmos_read(&b, VRTC_REG_C), 0);
	assert_false(b.line.high);
	/* UIP cannot be written; the other bits of A and all of B can. */
	cmos_write(&b, VRTC_REG_A, 0xa3);
	EXPECT_EQ(cmos_read(&b, VRTC_REG_A), 0x23);
	cmos_write(&b, VRTC_REG_B, VRTC_B_SQWE | VRTC_B_DSE | VRTC_B_24H);
	EXPECT_EQ(cmos_read(&b, VRTC_REG_B), VRTC_B_SQWE | VRTC_B_DSE | VRTC_B_24H);
}

static void test_index_port_keeps_the_nmi_mask(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b, 1000);
	snprintf(unit_label, sizeof(unit_label), "index");
	assert_false(b.rtc.nmi_masked);
	vrtc_ops.write(&b.rtc, VRTC_INDEX_PORT, 1, 0x80 | VRTC_REG_D);
	assert_true(b.rtc.nmi_masked);
	EXPECT_EQ(vrtc_ops.read(&b.rtc, VRTC_DATA_PORT, 1), VRTC_D_VRT);
	EXPECT_EQ(vrtc_ops.read(&b.rtc, VRTC_INDEX_PORT, 1), 0xff);
	vrtc_ops.write(&b.rtc, VRTC_INDEX_PORT, 1, VRTC_SHUTDOWN_STATUS);
	assert_false(b.rtc.nmi_masked);
	vrtc_ops.write(&b.rtc, VRTC_DATA_PORT, 1, 0x0a);
	EXPECT_EQ(cmos_read(&b, 0x80 | VRTC_SHUTDOWN_STATUS), 0x0a);
}

static void test_cmos_memory_keeps_what_is_written(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b, 1000);
	for (u32 index = VRTC_SHUTDOWN_STATUS - 1; index < VRTC_CMOS_SIZE; index++) {
		if (index == VRTC_CENTURY)
			continue;
		snprintf(unit_label, sizeof(unit_label), "CMOS %#x", index);
		cmos_write(&b, (u8)index, (u8)(index * 7 + 1));
	}
	for (u32 index = VRTC_SHUTDOWN_STATUS - 1; index < VRTC_CMOS_SIZE; index++) {
		if (index == VRTC_CENTURY)
			continue;
		snprintf(unit_label, sizeof(unit_label), "CMOS %#x", index);
		EXPECT_EQ(cmos_read(&b, (u8)index), (u8)(index * 7 + 1));
	}
	snprintf(unit_label, sizeof(unit_label), "time untouched");
	EXPECT_EQ(cmos_read(&b, VRTC_CENTURY), 0x19);
	EXPECT_EQ(cmos_read(&b, VRTC_SECONDS), bcd(1000 % 60));
}

static void test_memory_size_bytes_follow_the_guest_ram(void **state)
{
	static const struct {
		u64 ram;
		u16 base, ext, above_16m;
		u32 above_4g;
	} cases[] = {
		{ 512 * KiB, 512, 0, 0, 0 },
		{ 8 * MiB, 640, 7 * 1024, 0, 0 },
		{ 16 * MiB, 640, 15 * 1024, 0, 0 },
		{ 512 * MiB, 640, 0xffff, (512 - 16) * 16, 0 },
		{ 3 * GiB, 640, 0xffff, (3072 - 16) * 16, 0 },
		{ 4 * GiB, 640, 0xffff, (3072 - 16) * 16, 1024 * 16 },
		{ 100 * GiB, 640, 0xffff, (3072 - 16) * 16, (100 * 1024 - 3072) * 16 },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct bench b;

		bench_init_with(&b, 0, 1000, cases[i].ram);
		snprintf(unit_label, sizeof(unit_label), "%llu MiB", cases[i].ram / MiB);
		EXPECT_EQ(cmos_read(&b, 0x15) | cmos_read(&b, 0x16) << 8, cases[i].base);
		EXPECT_EQ(cmos_read(&b, 0x17) | cmos_read(&b, 0x18) << 8, cases[i].ext);
		EXPECT_EQ(cmos_read(&b, 0x30) | cmos_read(&b, 0x31) << 8, cases[i].ext);
		EXPECT_EQ(cmos_read(&b, 0x34) | cmos_read(&b, 0x35) << 8, cases[i].above_16m);
		EXPECT_EQ(cmos_read(&b, 0x5b) | cmos_read(&b, 0x5c) << 8 |
				  (u32)cmos_read(&b, 0x5d) << 16,
			  cases[i].above_4g);
		EXPECT_EQ(cmos_read(&b, VRTC_EQUIPMENT), 0x02);
		EXPECT_EQ(cmos_read(&b, VRTC_SHUTDOWN_STATUS), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calendar_converts_across_leap_years_and_centuries),
		cmocka_unit_test(test_calendar_carries_fields_out_of_range),
		cmocka_unit_test(test_epoch_reads_as_bcd_and_binary),
		cmocka_unit_test(test_twelve_hour_mode_sets_pm_in_bit_7),
		cmocka_unit_test(test_time_advances_with_the_clock_into_the_new_century),
		cmocka_unit_test(test_uip_is_set_in_the_last_244_us_before_each_update),
		cmocka_unit_test(test_set_freezes_the_time_for_the_guest_to_write),
		cmocka_unit_test(test_writing_the_time_while_running_moves_it),
		cmocka_unit_test(test_divider_reset_stops_the_clock_until_half_a_second_after),
		cmocka_unit_test(test_periodic_interrupts_come_at_the_selected_rate),
		cmocka_unit_test(test_periodic_flag_is_set_without_its_enable),
		cmocka_unit_test(test_update_ended_interrupt_once_a_second),
		cmocka_unit_test(test_alarm_interrupt_when_the_time_matches),
		cmocka_unit_test(test_alarm_compares_in_twelve_hour_binary),
		cmocka_unit_test(test_registers_c_and_d_are_read_only),
		cmocka_unit_test(test_index_port_keeps_the_nmi_mask),
		cmocka_unit_test(test_cmos_memory_keeps_what_is_written),
		cmocka_unit_test(test_memory_size_bytes_follow_the_guest_ram),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

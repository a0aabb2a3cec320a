/* SPDX-License-Identifier: MIT */
/* Host unit tests of the 8254 PIT and port 0x61 against a fake clock. */
#include "tests/unit/unit.h"
#include "vmm/dev/vpit.h"

#include <stdio.h>

#define NS_PER_S 1000000000ULL

struct fixture {
	struct vpit pit;
	u64 now;		/* the fake clock, ns */
	u64 pulses;		/* rising edges of IRQ 0 */
	u64 last_pulse_ns;
	bool level;
};

static u64 fake_now(void *ctx)
{
	return ((struct fixture *)ctx)->now;
}

static void fake_irq(void *ctx, u8 irq, bool high)
{
	struct fixture *f = ctx;

	assert_int_equal(irq, 0);
	if (high && !f->level) {
		f->pulses++;
		f->last_pulse_ns = f->now;
	}
	f->level = high;
}

/* A fixture filled with junk first, so vpit_init must really set every field. */
static struct fixture *setup(struct fixture *f)
{
	memset(f, 0x5a, sizeof(*f));
	unit_label[0] = '\0';
	f->now = 0;
	f->pulses = 0;
	f->level = false;
	f->pit.clock = (struct dev_clock){ .now_ns = fake_now, .ctx = f };
	f->pit.irq0 = (struct irq_line){ .set = fake_irq, .ctx = f, .irq = 0 };
	vpit_init(&f->pit);
	return f;
}

/* The reference conversion, in 128 bits: the first ns at which tick input clocks have passed. */
static u64 ns_of_tick(u64 tick)
{
	return (u64)(((unsigned __int128)tick * NS_PER_S + VPIT_HZ - 1) / VPIT_HZ);
}

static u64 tick_of_ns(u64 ns)
{
	return (u64)((unsigned __int128)ns * VPIT_HZ / NS_PER_S);
}

static void at_tick(struct fixture *f, u64 tick)
{
	f->now = ns_of_tick(tick);
}

static void outb(struct fixture *f, u16 port, u8 value)
{
	const struct pio_ops *ops = port == VPIT_PORT_B ? &vpit_port_b_ops : &vpit_ops;

	ops->write(&f->pit, port, 1, value);
}

static u8 inb(struct fixture *f, u16 port)
{
	const struct pio_ops *ops = port == VPIT_PORT_B ? &vpit_port_b_ops : &vpit_ops;

	return (u8)ops->read(&f->pit, port, 1);
}

enum { LATCH, LSB, MSB, WORD };

static void control(struct fixture *f, u8 channel, u8 access, u8 mode, bool bcd)
{
	outb(f, 0x43, (u8)(channel << 6 | access << 4 | mode << 1 | bcd));
}

static void write_word(struct fixture *f, u8 channel, u16 count)
{
	outb(f, (u16)(0x40 + channel), (u8)count);
	outb(f, (u16)(0x40 + channel), (u8)(count >> 8));
}

/* A channel programmed for lobyte/hibyte access, in binary, at the fake clock's time. */
static void program(struct fixture *f, u8 channel, u8 mode, u16 count)
{
	control(f, channel, WORD, mode, false);
	write_word(f, channel, count);
}

static u16 read_word(struct fixture *f, u8 channel)
{
	u8 lo = inb(f, (u16)(0x40 + channel));

	return (u16)(lo | inb(f, (u16)(0x40 + channel)) << 8);
}

/* The counter latch command, then the two bytes. */
static u16 latched_count(struct fixture *f, u8 channel)
{
	outb(f, 0x43, (u8)(channel << 6));
	return read_word(f, channel);
}

/* Read-back of the status alone. */
static u8 status(struct fixture *f, u8 channel)
{
	outb(f, 0x43, (u8)(0xe0 | 2 << channel));
	return inb(f, (u16)(0x40 + channel));
}

static bool out_pin(struct fixture *f, u8 channel)
{
	return status(f, channel) & 0x80;
}

static void set_gate2(struct fixture *f, bool high)
{
	outb(f, VPIT_PORT_B, high);
}

/* OUT and the count of a channel from tick from to tick to, against expectations. */
typedef bool (*out_fn)(u64 t);
typedef u32 (*count_fn)(u64 t);

static void expect_waveform(struct fixture *f, u8 channel, u64 from, u64 to, out_fn out,
			    count_fn count)
{
	for (u64 t = from; t <= to; t++) {
		at_tick(f, t);
		snprintf(unit_label, sizeof(unit_label), "channel %u, tick %llu", channel, t);
		EXPECT_EQ(out_pin(f, channel), out(t));
		if (count)
			EXPECT_EQ(latched_count(f, channel), count(t) & 0xffff);
	}
}

static bool mode0_out(u64 t)
{
	return t >= 100;
}

static u32 mode0_count(u64 t)
{
	return (u32)(100 - t);
}

static void test_mode0_out_rises_at_terminal_count_and_the_count_wraps(void **state)
{
	struct fixture fx, *f = setup(&fx);
	(void)state;

	control(f, 0, WORD, 0, false);
	assert_false(out_pin(f, 0));
	write_word(f, 0, 100);
	assert_int_equal(vpit_next_irq_ns(&f->pit), ns_of_tick(100));
	expect_waveform(f, 0, 0, 110, mode0_out, mode0_count);
	assert_int_equal(f->pulses, 1);
	assert_int_equal(f->last_pulse_ns, ns_of_tick(100));
	assert_int_equal(vpit_next_irq_ns(&f->pit), 0);
	at_tick(f, 100 + 65536 + 10);
	vpit_update(&f->pit);
	assert_int_equal(f->pulses, 1);	/* one terminal count only */
	assert_true(out_pin(f, 0));
}

static void test_mode0_first_byte_of_a_count_stops_it_and_drops_out(void **state)
{
	struct fixture fx, *f = setup(&fx);
	(void)state;

	program(f, 0, 0, 100);
	at_tick(f, 150);
	assert_true(out_pin(f, 0));
	outb(f, 0x40, 80);
	assert_false(out_pin(f, 0));
	at_tick(f, 300);
	assert_false(out_pin(f, 0));
	assert_int_equal(vpit_next_irq_ns(&f->pit), 0);
	outb(f, 0x40, 0);
	assert_int_equal(vpit_next_irq_ns(&f->pit), ns_of_tick(380));
	at_tick(f, 379);
	assert_false(out_pin(f, 0));
	at_tick(f, 380);
	assert_true(out_pin(f, 0));
	assert_int_equal(f->pulses, 2);
}

static void test_mode0_gate_low_suspends_counting(void **state)
{
	struct fixture fx, *f = setup(&fx);
	(void)state;

	set_gate2(f, true);
	program(f, 2, 0, 100);
	at_tick(f, 40);
	set_gate2(f, false);
	at_tick(f, 200);
	assert_int_equal(latched_count(f, 2), 60);
	assert_false(out_pin(f, 2));
	set_gate2(f, true);
	at_tick(f, 259);
	assert_int_equal(latched_count(f, 2), 1);
	assert_false(out_pin(f, 2));
	at_tick(f, 260);
	assert_true(out_pin(f, 2));
	/* After the terminal count a pause keeps OUT high. */
	set_gate2(f, false);
	at_tick(f, 300);
	set_gate2(f, true);
	assert_true(out_pin(f, 2));
}

static void test_mode1_is_a_retriggerable_one_shot_on_the_gate(void **state)
{
	struct fixture fx, *f = setup(&fx);
	(void)state;

	program(f, 2, 1, 50);
	at_tick(f, 5);
	/* Waiting for a trigger: OUT high, the count not yet in the counting element. */
	assert_int_equal(status(f, 2), 0x80 | 0x40 | 0x30 | 1 << 1);
	at_tick(f, 10);
	set_gate2(f, true);
	assert_int_equal(status(f, 2) & 0x40, 0);
	for (u64 t = 10; t <= 70; t++) {
		at_tick(f, t);
		snprintf(unit_label, sizeof(unit_label), "tick %llu", t);
		EXPECT_EQ(out_pin(f, 2), t >= 60);
		EXPECT_EQ(latched_count(f, 2), (u16)(60 - t));
	}
	/* The gate's level does not matter, only its rising edge. */
	at_tick(f, 80);
	set_gate2(f, false);
	assert_true(out_pin(f, 2));
	at_tick(f, 85);
	set_gate2(f, true);
	at_tick(f, 110);
	set_gate2(f, false);
	set_gate2(f, true);	/* retrigger while counting: the shot lasts 50 from here */
	at_tick(f, 134);
	assert_false(out_pin(f, 2));
	at_tick(f, 159);
	assert_false(out_pin(f, 2));
	at_tick(f, 160);
	assert_true(out_pin(f, 2));
}

static void test_mode1_on_channel_0_never_triggers(void **state)
{
	struct fixture fx, *f = setup(&fx);
	(void)state;

	program(f, 0, 1, 50);
	at_tick(f, 1000);
	vpit_update(&f->pit);
	assert_true(out_pin(f, 0));
	assert_int_equal(vpit_next_irq_ns(&f->pit), 0);
	assert_int_equal(f->pulses, 0);
}

static bool mode2_out(u64 t)
{
	return t % 10 != 9;
}

static u32 mode2_count(u64 t)
{
	return (u32)(10 - t % 10);
}

static void test_mode2_is_low_for_one_clock_each_period(void **state)
{
	struct fixture fx, *f = setup(&fx);
	(void)state;

	program(f, 0, 2, 10);
	expect_waveform(f, 0, 0, 35, mode2_out, mode2_count);
	assert_int_equal(f->pulses, 3);
	assert_int_equal(f->last_pulse_ns, ns_of_tick(30));
	assert_int_equal(vpit_next_irq_ns(&f->pit), ns_of_tick(40));
}

static void test_mode2_gate_low_forces_out_high_and_a_rise_reloads(void **state)
{
	struct fixture fx, *f = setup(&fx);
	(void)state;

	set_gate2(f, true);
	program(f, 2, 2, 10);
	at_tick(f, 13);
	set_gate2(f, false);
	at_tick(f, 19);
	assert_true(out_pin(f, 2));
	assert_int_equal(latched_count(f, 2), 7);
	at_tick(f, 20);
	set_gate2(f, true);
	for (u64 t = 20; t <= 40; t++) {
		at_tick(f, t);
		snprintf(unit_label, sizeof(unit_label), "tick %llu", t);
		EXPECT_EQ(out_pin(f, 2), (t - 20) % 10 != 9);
		EXPECT_EQ(latched_count(f, 2), 10 - (t - 20) % 10);
	}
}

static void test_mode3_square_wave_even_and_odd(void **state)
{
	static const u16 counts[] = { 10, 9, 2, 3 };
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(counts); i++) {
		struct fixture fx, *f = setup(&fx);
		u16 n = counts[i];

		program(f, 0, 3, n);
		for (u64 t = 0; t <= 3u * n; t++) {
			at_tick(f, t);
			snprintf(unit_label, sizeof(unit_label), "count %u, tick %llu", n, t);
			/* High for the larger half: (N+1)/2 clocks (8254 datasheet, mode 3). */
			EXPECT_EQ(out_pin(f, 0), t % n < (n + 1u) / 2);
			if (n % 2 == 0)
				EXPECT_EQ(latched_count(f, 0), n - 2 * (t % (n / 2)));
			vpit_update(&f->pit);
			EXPECT_EQ(f->pulses, t / n);
		}
	}
}

static void test_mode3_gate_low_forces_out_high_and_a_rise_reloads(void **state)
{
	struct fixture fx, *f = setup(&fx);
	(void)state;

	set_gate2(f, true);
	program(f, 2, 3, 10);
	at_tick(f, 7);
	assert_false(out_pin(f, 2));
	set_gate2(f, false);
	assert_true(out_pin(f, 2));
	at_tick(f, 12);
	assert_true(out_pin(f, 2));
	set_gate2(f, true);
	for (u64 t = 12; t < 32; t++) {
		at_tick(f, t);
		snprintf(unit_label, sizeof(unit_label), "tick %llu", t);
		EXPECT_EQ(out_pin(f, 2), (t - 12) % 10 < 5);
	}
}

static bool mode4_out(u64 t)
{
	return t != 5;
}

static u32 mode4_count(u64 t)
{
	return (u32)(5 - t);
}

static void test_mode4_strobes_out_low_for_one_clock(void **state)
{
	struct fixture fx, *f = setup(&fx);
	(void)state;

	program(f, 0, 4, 5);
	assert_int_equal(vpit_next_irq_ns(&f->pit), ns_of_tick(6));
	expect_waveform(f, 0, 0, 12, mode4_out, mode4_count);
	assert_int_equal(f->pulses, 1);
	assert_int_equal(f->last_pulse_ns, ns_of_tick(6));
	assert_int_equal(vpit_next_irq_ns(&f->pit), 0);
	at_tick(f, 70000);
	vpit_update(&f->pit);
	assert_int_equal(f->pulses, 1);
}

/* Linux's one-shot clock event: mode 4, a new count for each event, restarting the count. */
static void test_mode4_a_new_count_restarts_it(void **state)
{
	struct fixture fx, *f = setup(&fx);
	(void)state;

	program(f, 0, 4, 100);
	at_tick(f, 50);
	write_word(f, 0, 100);
	assert_int_equal(vpit_next_irq_ns(&f->pit), ns_of_tick(151));
	at_tick(f, 120);
	vpit_update(&f->pit);
	assert_int_equal(f->pulses, 0);
	at_tick(f, 151);
	vpit_update(&f->pit);
	assert_int_equal(f->pulses, 1);
	write_word(f, 0, 10);
	assert_int_equal(vpit_next_irq_ns(&f->pit), ns_of_tick(162));
}

static void test_mode4_gate_low_suspends_counting(void **state)
{
	struct fixture fx, *f = setup(&fx);
	(void)state;

	set_gate2(f, true);
	program(f, 2, 4, 5);
	at_tick(f, 2);
	set_gate2(f, false);
	at_tick(f, 10);
	assert_int_equal(latched_count(f, 2), 3);
	set_gate2(f, true);
	at_tick(f, 12);
	assert_true(out_pin(f, 2));
	at_tick(f, 13);
	assert_false(out_pin(f, 2));
	at_tick(f, 14);
	assert_true(out_pin(f, 2));
}

static void test_mode5_strobes_after_a_gate_trigger_and_retriggers(void **state)
{
	struct fixture fx, *f = setup(&fx);
	(void)state;

	program(f, 2, 5, 5);
	at_tick(f, 8);
	assert_true(out_pin(f, 2));
	at_tick(f, 10);
	set_gate2(f, true);
	at_tick(f, 12);
	set_gate2(f, false);
	at_tick(f, 13);
	set_gate2(f, true);	/* retrigger: the strobe comes 5 after this */
	at_tick(f, 15);
	assert_true(out_pin(f, 2));
	at_tick(f, 17);
	assert_true(out_pin(f, 2));
	at_tick(f, 18);
	assert_false(out_pin(f, 2));
	at_tick(f, 19);
	assert_true(out_pin(f, 2));
}

static void test_modes_6_and_7_act_as_2_and_3(void **state)
{
	(void)state;

	for (u8 mode = 6; mode <= 7; mode++) {
		struct fixture fx, *f = setup(&fx);

		program(f, 0, mode, 10);
		for (u64 t = 0; t < 20; t++) {
			at_tick(f, t);
			snprintf(unit_label, sizeof(unit_label), "mode %u, tick %llu", mode, t);
			EXPECT_EQ(out_pin(f, 0), mode == 6 ? t % 10 != 9 : t % 10 < 5);
		}
		vpit_update(&f->pit);
		assert_int_equal(f->pulses, 1);
	}
}

static void test_lsb_only_and_msb_only_access(void **state)
{
	struct fixture fx, *f = setup(&fx);
	(void)state;

	control(f, 0, LSB, 2, false);
	outb(f, 0x40, 0x34);
	at_tick(f, 4);
	assert_int_equal(inb(f, 0x40), 0x30);
	assert_int_equal(inb(f, 0x40), 0x30);	/* no flip-flop: always the low byte */
	assert_int_equal(vpit_next_irq_ns(&f->pit), ns_of_tick(0x34));

	control(f, 1, MSB, 2, false);
	outb(f, 0x41, 0x02);	/* count 0x200 */
	at_tick(f, 5);
	assert_int_equal(inb(f, 0x41), 0x01);	/* 0x1ff */
	assert_int_equal(inb(f, 0x41), 0x01);
	at_tick(f, 4 + 0x100);
	assert_int_equal(inb(f, 0x41), 0x01);	/* 0x100 */
	at_tick(f, 4 + 0x101);
	assert_int_equal(inb(f, 0x41), 0x00);	/* 0xff */
	outb(f, 0x43, 0x40);	/* latch: one byte, the MSB */
	at_tick(f, 4 + 0x201);
	assert_int_equal(inb(f, 0x41), 0x00);
	assert_int_equal(inb(f, 0x41), 0x01);	/* 0x1ff after the reload */
}

static void test_word_access_goes_low_then_high(void **state)
{
	struct fixture fx, *f = setup(&fx);
	(void)state;

	program(f, 0, 2, 0x1234);
	at_tick(f, 0x34);
	assert_int_equal(inb(f, 0x40), 0x00);
	assert_int_equal(inb(f, 0x40), 0x12);
	assert_int_equal(inb(f, 0x40), 0x00);
	/* A control word resets both flip-flops. */
	outb(f, 0x40, 0xff);
	control(f, 0, WORD, 2, false);
	write_word(f, 0, 0x0020);
	assert_int_equal(read_word(f, 0), 0x0020);
	assert_int_equal(vpit_next_irq_ns(&f->pit), ns_of_tick(0x34 + 0x20));
	(void)inb(f, 0x40);
	control(f, 0, WORD, 2, false);
	write_word(f, 0, 0x0140);
	assert_int_equal(inb(f, 0x40), 0x40);
	assert_int_equal(inb(f, 0x40), 0x01);
}

static void test_a_latch_survives_counting_and_a_second_one_is_ignored(void **state)
{
	struct fixture fx, *f = setup(&fx);
	(void)state;

	program(f, 0, 2, 1000);
	at_tick(f, 100);
	outb(f, 0x43, 0x00);
	at_tick(f, 200);
	outb(f, 0x43, 0x00);
	at_tick(f, 300);
	assert_int_equal(read_word(f, 0), 900);
	at_tick(f, 400);
	assert_int_equal(read_word(f, 0), 600);	/* read: the latch is gone */
	at_tick(f, 450);
	outb(f, 0x43, 0x00);
	at_tick(f, 460);
	assert_int_equal(inb(f, 0x40), 550 & 0xff);
	at_tick(f, 470);
	outb(f, 0x43, 0x00);	/* one byte still latched: ignored */
	at_tick(f, 480);
	assert_int_equal(inb(f, 0x40), 550 >> 8);
	at_tick(f, 500);
	assert_int_equal(latched_count(f, 0), 500);
}

static void test_read_back_of_count_status_or_both(void **state)
{
	struct fixture fx, *f = setup(&fx);
	u8 ch0_status = 0x80 | 0x30 | 2 << 1;
	(void)state;

	program(f, 0, 2, 1000);
	program(f, 2, 0, 300);	/* gate 2 low: loaded, not counting */
	at_tick(f, 100);
	outb(f, 0x43, 0xd2);	/* count of channel 0 */
	at_tick(f, 150);
	assert_int_equal(read_word(f, 0), 900);
	outb(f, 0x43, 0xe2);	/* status of channel 0: one byte, then the live count */
	assert_int_equal(inb(f, 0x40), ch0_status);
	assert_int_equal(read_word(f, 0), 850);
	at_tick(f, 300);
	outb(f, 0x43, 0xc2);	/* both: status first */
	at_tick(f, 310);
	assert_int_equal(inb(f, 0x40), ch0_status);
	assert_int_equal(read_word(f, 0), 700);
	/* All three at once. Channel 1 has no count: null count set, OUT low in mode 0. */
	outb(f, 0x43, 0xce);
	at_tick(f, 320);
	assert_int_equal(inb(f, 0x40), ch0_status);
	assert_int_equal(read_word(f, 0), 690);
	assert_int_equal(inb(f, 0x41), 0x40 | 0x30);
	assert_int_equal(inb(f, 0x42), 0x30);
	assert_int_equal(read_word(f, 2), 300);
	/* A second status latch before the read keeps the first. */
	at_tick(f, 1999);	/* OUT's low clock */
	outb(f, 0x43, 0xe2);
	at_tick(f, 2000);
	outb(f, 0x43, 0xe2);
	assert_int_equal(inb(f, 0x40), ch0_status & ~0x80);
	assert_int_equal(inb(f, 0x40), 1000 & 0xff);
}

static void test_a_periodic_count_write_takes_effect_at_the_period_end(void **state)
{
	(void)state;

	for (u8 mode = 2; mode <= 3; mode++) {
		struct fixture fx, *f = setup(&fx);

		snprintf(unit_label, sizeof(unit_label), "mode %u", mode);
		program(f, 0, mode, 1000);
		at_tick(f, 1100);
		write_word(f, 0, 500);
		EXPECT_EQ(status(f, 0) & 0x40, 0x40);
		EXPECT_EQ(vpit_next_irq_ns(&f->pit), ns_of_tick(2000));
		at_tick(f, 1999);
		EXPECT_EQ(status(f, 0) & 0x40, 0x40);
		at_tick(f, 2000);
		EXPECT_EQ(status(f, 0) & 0x40, 0);
		EXPECT_EQ(vpit_next_irq_ns(&f->pit), ns_of_tick(2500));
		at_tick(f, 3000);
		vpit_update(&f->pit);
		/* 1000 and 2000 came with the accesses; 2500 and 3000 come as one. */
		EXPECT_EQ(f->pulses, 3);
		EXPECT_EQ(f->pit.irq0_missed, 1);
		at_tick(f, 3050);
		if (mode == 2)
			EXPECT_EQ(latched_count(f, 0), 450);
		EXPECT_EQ(vpit_next_irq_ns(&f->pit), ns_of_tick(3500));
	}
}

static void test_bcd_counting(void **state)
{
	struct fixture fx, *f = setup(&fx);
	(void)state;

	control(f, 0, WORD, 2, true);
	write_word(f, 0, 0x1234);	/* 1234 clocks */
	at_tick(f, 34);
	assert_int_equal(latched_count(f, 0), 0x1200);
	at_tick(f, 1233);
	assert_int_equal(latched_count(f, 0), 0x0001);
	at_tick(f, 1234);
	assert_int_equal(latched_count(f, 0), 0x1234);
	vpit_update(&f->pit);
	assert_int_equal(f->pulses, 1);
	assert_int_equal(vpit_next_irq_ns(&f->pit), ns_of_tick(2468));
	assert_int_equal(status(f, 0) & 0x01, 1);

	/* Count 0 is 10000 in BCD, and the count wraps from 0 to 9999. */
	at_tick(f, 5000);
	control(f, 0, WORD, 0, true);
	write_word(f, 0, 0);
	at_tick(f, 5001);
	assert_int_equal(latched_count(f, 0), 0x9999);
	at_tick(f, 14999);
	assert_false(out_pin(f, 0));
	assert_int_equal(latched_count(f, 0), 0x0001);
	at_tick(f, 15000);
	assert_true(out_pin(f, 0));
	assert_int_equal(latched_count(f, 0), 0x0000);
	at_tick(f, 15001);
	assert_int_equal(latched_count(f, 0), 0x9999);
}

static void test_binary_count_0_is_65536(void **state)
{
	struct fixture fx, *f = setup(&fx);
	(void)state;

	program(f, 0, 2, 0);
	at_tick(f, 1);
	assert_int_equal(latched_count(f, 0), 0xffff);
	assert_int_equal(vpit_next_irq_ns(&f->pit), ns_of_tick(65536));
}

static void test_port_b_bits(void **state)
{
	struct fixture fx, *f = setup(&fx);
	(void)state;

	assert_int_equal(inb(f, 0x61) & 0x0f, 0);
	outb(f, 0x61, 0xfe);	/* bits 4-7 are not stored */
	assert_int_equal(inb(f, 0x61) & 0xcf, 0x0e);
	outb(f, 0x61, 0x03);
	assert_int_equal(inb(f, 0x61) & 0xcf, 0x03);
	/* Refresh toggles every 18 input clocks. */
	for (u64 t = 0; t < 80; t++) {
		at_tick(f, t);
		snprintf(unit_label, sizeof(unit_label), "tick %llu", t);
		EXPECT_EQ(inb(f, 0x61) & 0x10, (t / 18) % 2 ? 0x10 : 0);
	}
	/* OUT2 and gate 2. */
	at_tick(f, 100);
	program(f, 2, 0, 10);
	assert_int_equal(inb(f, 0x61) & 0x20, 0);
	at_tick(f, 110);
	assert_int_equal(inb(f, 0x61) & 0x20, 0x20);
	program(f, 2, 0, 10);
	outb(f, 0x61, 0x02);	/* gate low */
	at_tick(f, 130);
	assert_int_equal(inb(f, 0x61) & 0x21, 0);
	assert_int_equal(latched_count(f, 2), 10);
}

static void test_linux_tsc_calibration_polls_out2(void **state)
{
	static const struct {
		u64 start_ns, poll_ns;
		u16 count;
	} cases[] = {
		{ 0, 50, 11931 },			/* calibrate_tsc's 10 ms */
		{ 123456789, 37, 0xffff },		/* quick_pit_calibrate's full count */
		{ 7 * 3600 * NS_PER_S + 4321, 50, 11931 },	/* after hours: no drift */
		{ 200 * 86400 * NS_PER_S + 999, 10, 2 },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct fixture fx, *f = setup(&fx);
		u64 start, elapsed, expected, tolerance;
		u16 count = cases[i].count;

		snprintf(unit_label, sizeof(unit_label), "count %u from %llu ns", count,
			 cases[i].start_ns);
		f->now = cases[i].start_ns;
		/* Gate high, speaker off; channel 2, lobyte/hibyte, mode 0, binary. */
		outb(f, 0x61, (u8)((inb(f, 0x61) & ~0x02) | 0x01));
		outb(f, 0x43, 0xb0);
		outb(f, 0x42, (u8)count);
		outb(f, 0x42, (u8)(count >> 8));
		start = f->now;
		while (!(inb(f, 0x61) & 0x20))
			f->now += cases[i].poll_ns;
		elapsed = f->now - start;
		expected = count * NS_PER_S / VPIT_HZ;
		tolerance = NS_PER_S / VPIT_HZ + cases[i].poll_ns;
		if (elapsed + tolerance < expected || elapsed > expected + tolerance)
			fail_msg("%s: OUT2 rose after %llu ns, expected %llu +- %llu", unit_label,
				 elapsed, expected, tolerance);
	}
}

static void test_irq0_period_over_10_seconds(void **state)
{
	static const struct {
		u8 mode;
		u32 hz;
		u64 edges;	/* floor(10 s * 1193182 / count): the count rounds the rate */
	} cases[] = {
		{ 2, 100, 999 }, { 3, 100, 999 }, { 2, 10000, 100267 }, { 3, 10000, 100267 },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct fixture fx, *f = setup(&fx);
		u16 count = (u16)((VPIT_HZ + cases[i].hz / 2) / cases[i].hz);
		u64 start = 777, end = start + 10 * NS_PER_S, next;

		snprintf(unit_label, sizeof(unit_label), "mode %u at %u Hz", cases[i].mode,
			 cases[i].hz);
		f->now = start;
		program(f, 0, cases[i].mode, count);
		while ((next = vpit_next_irq_ns(&f->pit)) && next <= end) {
			assert_true(next > f->now);
			f->now = next;
			vpit_update(&f->pit);
			EXPECT_EQ(f->last_pulse_ns, next);
			EXPECT_EQ(next, ns_of_tick(tick_of_ns(start) + f->pulses * count));
		}
		EXPECT_EQ(f->pulses, cases[i].edges);
		EXPECT_EQ(f->pit.irq0_missed, 0);
		f->now = end;
		vpit_update(&f->pit);
		EXPECT_EQ(f->pulses, cases[i].edges);
	}
}

static void test_late_updates_give_one_edge_and_count_the_missed(void **state)
{
	struct fixture fx, *f = setup(&fx);
	(void)state;

	program(f, 0, 2, 1000);
	at_tick(f, 10500);
	vpit_update(&f->pit);
	assert_int_equal(f->pulses, 1);
	assert_int_equal(f->pit.irq0_missed, 9);
	vpit_update(&f->pit);
	assert_int_equal(f->pulses, 1);
	assert_int_equal(vpit_next_irq_ns(&f->pit), ns_of_tick(11000));
	/* A port access brings the edges due as well. */
	at_tick(f, 11000);
	(void)inb(f, 0x40);
	assert_int_equal(f->pulses, 2);
	assert_int_equal(f->pit.irq0_missed, 9);
}

static void test_no_irq_is_due_without_a_count_or_after_a_one_shot(void **state)
{
	struct fixture fx, *f = setup(&fx);
	(void)state;

	f->now = 5 * NS_PER_S;
	assert_int_equal(vpit_next_irq_ns(&f->pit), 0);
	vpit_update(&f->pit);
	assert_int_equal(f->pulses, 0);
	program(f, 0, 2, 100);
	assert_int_not_equal(vpit_next_irq_ns(&f->pit), 0);
	control(f, 0, WORD, 2, false);	/* a control word stops the count */
	assert_int_equal(vpit_next_irq_ns(&f->pit), 0);
	f->now += NS_PER_S;
	vpit_update(&f->pit);
	assert_int_equal(f->pulses, 0);
}

static void test_time_is_exact_after_days(void **state)
{
	static const u64 times[] = { 7 * 3600 * NS_PER_S + 123, 200 * 86400 * NS_PER_S + 999,
				     4294967296ULL * 4 * NS_PER_S + 1 };
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(times); i++) {
		struct fixture fx, *f = setup(&fx);
		u64 tick = tick_of_ns(times[i]), count = 11932;

		snprintf(unit_label, sizeof(unit_label), "at %llu ns", times[i]);
		program(f, 0, 2, (u16)count);
		f->now = times[i];
		EXPECT_EQ(latched_count(f, 0), count - tick % count);
		EXPECT_EQ(vpit_next_irq_ns(&f->pit), ns_of_tick((tick / count + 1) * count));
		EXPECT_EQ(f->pit.irq0_missed, tick / count - 1);
	}
}

static void test_control_port_reads_all_ones(void **state)
{
	struct fixture fx, *f = setup(&fx);
	(void)state;

	program(f, 0, 2, 100);
	assert_int_equal(inb(f, 0x43), 0xff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mode0_out_rises_at_terminal_count_and_the_count_wraps),
		cmocka_unit_test(test_mode0_first_byte_of_a_count_stops_it_and_drops_out),
		cmocka_unit_test(test_mode0_gate_low_suspends_counting),
		cmocka_unit_test(test_mode1_is_a_retriggerable_one_shot_on_the_gate),
		cmocka_unit_test(test_mode1_on_channel_0_never_triggers),
		cmocka_unit_test(test_mode2_is_low_for_one_clock_each_period),
		cmocka_unit_test(test_mode2_gate_low_forces_out_high_and_a_rise_reloads),
		cmocka_unit_test(test_mode3_square_wave_even_and_odd),
		cmocka_unit_test(test_mode3_gate_low_forces_out_high_and_a_rise_reloads),
		cmocka_unit_test(test_mode4_strobes_out_low_for_one_clock),
		cmocka_unit_test(test_mode4_a_new_count_restarts_it),
		cmocka_unit_test(test_mode4_gate_low_suspends_counting),
		cmocka_unit_test(test_mode5_strobes_after_a_gate_trigger_and_retriggers),
		cmocka_unit_test(test_modes_6_and_7_act_as_2_and_3),
		cmocka_unit_test(test_lsb_only_and_msb_only_access),
		cmocka_unit_test(test_word_access_goes_low_then_high),
		cmocka_unit_test(test_a_latch_survives_counting_and_a_second_one_is_ignored),
		cmocka_unit_test(test_read_back_of_count_status_or_both),
		cmocka_unit_test(test_a_periodic_count_write_takes_effect_at_the_period_end),
		cmocka_unit_test(test_bcd_counting),
		cmocka_unit_test(test_binary_count_0_is_65536),
		cmocka_unit_test(test_port_b_bits),
		cmocka_unit_test(test_linux_tsc_calibration_polls_out2),
		cmocka_unit_test(test_irq0_period_over_10_seconds),
		cmocka_unit_test(test_late_updates_give_one_edge_and_count_the_missed),
		cmocka_unit_test(test_no_irq_is_due_without_a_count_or_after_a_one_shot),
		cmocka_unit_test(test_time_is_exact_after_days),
		cmocka_unit_test(test_control_port_reads_all_ones),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

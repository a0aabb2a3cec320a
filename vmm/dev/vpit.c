/* SPDX-License-Identifier: MIT */
/* The 8254 PIT and port 0x61, after the Intel 8254 datasheet (order number 231164). */
#include "vmm/dev/vpit.h"

#define NS_PER_S 1000000000ULL
#define BINARY_MODULUS 65536u
#define BCD_MODULUS 10000u

/* The control word (8254 datasheet, "Control Word Format"). */
#define CW_SC(cw) ((cw) >> 6)
#define CW_RW(cw) (((cw) >> 4) & 3)
#define CW_M(cw) (((cw) >> 1) & 7)
#define CW_BCD 0x01
#define SC_READ_BACK 3
enum { RW_LATCH, RW_LSB, RW_MSB, RW_WORD };

/* The read-back command ("Read-Back Command Format"): COUNT, STATUS select when 0. */
#define RB_NOT_COUNT 0x20
#define RB_NOT_STATUS 0x10
#define RB_CHANNEL(n) (2u << (n))

/* The status byte ("Status Byte"): the control word's bits below these two. */
#define STATUS_OUT 0x80
#define STATUS_NULL_COUNT 0x40

#define PORT_B_GATE2 0x01
#define PORT_B_STORED 0x0f	/* gate 2, speaker data, parity and channel check enables */
#define PORT_B_REFRESH 0x10
#define PORT_B_OUT2 0x20
/* The refresh request toggles every 18 input clocks (15.085 us), channel 1's classic count. */
#define REFRESH_TICKS 18

/* Input clocks since clock time 0. ns * VPIT_HZ would overflow after 4.3 hours: split it. */
static u64 ticks_at(u64 ns)
{
	return ns / NS_PER_S * VPIT_HZ + ns % NS_PER_S * VPIT_HZ / NS_PER_S;
}

/* The first clock time at which ticks_at reaches tick. */
static u64 ns_at(u64 tick)
{
	u64 rem = tick % VPIT_HZ;

	return tick / VPIT_HZ * NS_PER_S + (rem * NS_PER_S + VPIT_HZ - 1) / VPIT_HZ;
}

static u32 bcd_to_binary(u16 bcd)
{
	return (bcd >> 12) * 1000u + ((bcd >> 8) & 0xf) * 100u + ((bcd >> 4) & 0xf) * 10u +
	       (bcd & 0xf);
}

static u16 binary_to_bcd(u32 value)
{
	return (u16)((value / 1000 % 10) << 12 | (value / 100 % 10) << 8 |
		     (value / 10 % 10) << 4 | value % 10);
}

/* Modes 6 and 7 are modes 2 and 3 (M2 is a don't-care for them). */
static u8 channel_mode(const struct vpit_channel *ch)
{
	return ch->mode_bits >= 6 ? (u8)(ch->mode_bits - 4) : ch->mode_bits;
}

static bool channel_is_periodic(const struct vpit_channel *ch)
{
	return channel_mode(ch) == 2 || channel_mode(ch) == 3;
}

static u32 channel_modulus(const struct vpit_channel *ch)
{
	return ch->bcd ? BCD_MODULUS : BINARY_MODULUS;
}

/* Mode 3's OUT is high for the larger half of an odd period (8254 datasheet, mode 3). */
static u32 square_wave_high_clocks(u32 period)
{
	return (period + 1) / 2;
}

/* Mode 3 counts down by two, twice a period. */
static u32 square_wave_value(u32 period, u32 phase)
{
	u32 high = square_wave_high_clocks(period);
	u32 in_half = phase < high ? phase : phase - high;

	return (period - 2 * in_half) & ~1u;
}

/* The counting element at ch->synced, from 0 to the modulus (which reads as 0). */
static u32 channel_value(const struct vpit_channel *ch)
{
	u32 m = channel_modulus(ch);
	u64 elapsed = ch->synced - ch->origin;

	if (!ch->running)
		return ch->held;
	switch (channel_mode(ch)) {
	case 2:
		return ch->start - (u32)(elapsed % ch->start);
	case 3:
		return square_wave_value(ch->start, (u32)(elapsed % ch->start));
	default:	/* past the terminal count it wraps and goes on */
		return (ch->start + m - (u32)(elapsed % m)) % m;
	}
}

/* OUT at ch->synced. */
static bool channel_out(const struct vpit_channel *ch)
{
	u64 elapsed = ch->synced - ch->origin;

	if (!ch->running)	/* mode 0 waits low for its terminal count; the rest idle high */
		return channel_mode(ch) != 0 || ch->tc_passed;
	switch (channel_mode(ch)) {
	case 0:
	case 1:
		return ch->tc_passed || elapsed >= ch->start;
	case 2:
		return elapsed % ch->start != ch->start - 1;
	case 3:
		return elapsed % ch->start < square_wave_high_clocks(ch->start);
	default:	/* 4, 5: low for the one clock of the terminal count */
		return ch->tc_passed || elapsed != ch->start;
	}
}

/* The tick of the first rising edge of OUT after tick, or 0 when none will come. */
static u64 channel_next_edge(const struct vpit_channel *ch, u64 tick)
{
	u64 edge;

	if (!ch->running)
		return 0;
	if (channel_is_periodic(ch))
		return ch->origin + ((tick - ch->origin) / ch->start + 1) * ch->start;
	edge = ch->origin + ch->start + (channel_mode(ch) >= 4);
	return !ch->tc_passed && edge > tick ? edge : 0;
}

/* The rising edges of OUT in (from, to]. */
static u64 channel_edges(const struct vpit_channel *ch, u64 from, u64 to)
{
	u64 first = channel_next_edge(ch, from);

	if (!first || first > to)
		return 0;
	return channel_is_periodic(ch) ? (to - first) / ch->start + 1 : 1;
}

/* Bring the channel to tick (time never runs back); returns the OUT rising edges passed. */
static u64 channel_advance(struct vpit_channel *ch, u64 tick)
{
	u64 edges = 0;

	if (tick <= ch->synced)
		return 0;
	if (ch->reload_due && ch->reload_tick <= tick) {
		edges = channel_edges(ch, ch->synced, ch->reload_tick);
		ch->synced = ch->origin = ch->reload_tick;
		ch->start = ch->count;
		ch->reload_due = false;
		ch->null_count = false;
	}
	edges += channel_edges(ch, ch->synced, tick);
	ch->synced = tick;
	return edges;
}

/*
 * The counting element takes value at the input clock edge at or before now and counts from
 * it. The datasheet's loading clock is left out: OUT in mode 0 rises N clocks after the count
 * is written rather than N + 1, one clock (838 ns) early.
 */
static void channel_start(struct vpit_channel *ch, u32 value)
{
	ch->running = true;
	ch->origin = ch->synced;
	ch->start = value;
	ch->reload_due = false;
	ch->null_count = false;
}

static void channel_stop(struct vpit_channel *ch)
{
	if (!ch->running)
		return;
	ch->held = channel_value(ch);
	ch->tc_passed = ch->tc_passed || ch->synced - ch->origin >= ch->start;
	ch->running = false;
	ch->reload_due = false;
}

/* The gate's effect per mode (8254 datasheet, "Gate Pin Operations Summary"). */
static void channel_set_gate(struct vpit_channel *ch, bool gate)
{
	bool rising = gate && !ch->gate;

	ch->gate = gate;
	switch (channel_mode(ch)) {
	case 0:
	case 4:		/* low suspends counting, high resumes it */
		if (!gate)
			channel_stop(ch);
		else if (rising && ch->count_written)
			channel_start(ch, ch->held);
		break;
	case 2:
	case 3:		/* low stops counting and sets OUT high; a rise starts a new period */
		if (!gate)
			channel_stop(ch);
		else if (rising && ch->count_written)
			channel_start(ch, ch->count);
		break;
	default:	/* 1, 5: a rise triggers, or retriggers, the count */
		if (rising && ch->count_written)
			channel_start(ch, ch->count);
		break;
	}
}

/*
 * A whole count was written. Modes 0 and 4 start over with it; modes 2 and 3 take it at
 * the end of the current period (the datasheet's mode 3 takes it at the end of the current
 * half period: this model waits for the whole one); modes 1 and 5 at the next trigger.
 */
static void channel_load(struct vpit_channel *ch, u16 raw)
{
	u32 count = ch->bcd ? bcd_to_binary(raw) : raw;

	ch->count = count ? count : channel_modulus(ch);
	ch->count_written = true;
	ch->null_count = true;
	switch (channel_mode(ch)) {
	case 0:
	case 4:
		ch->running = false;
		ch->tc_passed = false;
		ch->held = ch->count;
		ch->null_count = false;
		if (ch->gate)
			channel_start(ch, ch->count);
		break;
	case 2:
	case 3:
		if (!ch->running && ch->gate) {
			channel_start(ch, ch->count);
		} else if (ch->running && !ch->reload_due) {
			ch->reload_due = true;
			ch->reload_tick = channel_next_edge(ch, ch->synced);
		}
		break;
	}
}

/* A control word for this channel: everything but the gate and the time starts afresh. */
static void channel_program(struct vpit_channel *ch, u8 cw)
{
	*ch = (struct vpit_channel){
		.mode_bits = CW_M(cw), .access = CW_RW(cw), .bcd = cw & CW_BCD,
		.gate = ch->gate, .synced = ch->synced, .null_count = true,
	};
}

/* The counting element as the port shows it: 16 bits, in BCD when counting in BCD. */
static u16 channel_port_value(const struct vpit_channel *ch)
{
	u32 value = channel_value(ch) % channel_modulus(ch);

	return ch->bcd ? binary_to_bcd(value) : (u16)value;
}

static u8 channel_status(const struct vpit_channel *ch)
{
	return (u8)((channel_out(ch) ? STATUS_OUT : 0) | (ch->null_count ? STATUS_NULL_COUNT : 0) |
		    ch->access << 4 | ch->mode_bits << 1 | ch->bcd);
}

/* A latch holds until read; another latch before that is ignored (8254 datasheet). */
static void channel_latch_count(struct vpit_channel *ch)
{
	if (ch->latched_bytes)
		return;
	ch->latched = channel_port_value(ch);
	ch->latched_bytes = ch->access == RW_WORD ? 2 : 1;
}

static void channel_latch_status(struct vpit_channel *ch)
{
	if (ch->status_latched)
		return;
	ch->status = channel_status(ch);
	ch->status_latched = true;
}

/* A latched status is read first, then a latched count, then the live count. */
static u8 channel_read(struct vpit_channel *ch)
{
	bool msb = ch->access == RW_MSB || (ch->access == RW_WORD && ch->read_msb_next);
	u16 value;

	if (ch->status_latched) {
		ch->status_latched = false;
		return ch->status;
	}
	if (ch->access == RW_WORD)
		ch->read_msb_next = !ch->read_msb_next;
	if (ch->latched_bytes) {
		value = ch->latched;
		ch->latched_bytes--;
	} else {
		value = channel_port_value(ch);
	}
	return (u8)(msb ? value >> 8 : value);
}

static void channel_write(struct vpit_channel *ch, u8 value)
{
	switch (ch->access) {
	case RW_LSB:
		channel_load(ch, value);
		break;
	case RW_MSB:
		channel_load(ch, (u16)(value << 8));
		break;
	default:
		if (ch->write_msb_next) {
			ch->write_msb_next = false;
			channel_load(ch, (u16)(value << 8 | ch->write_lsb));
			break;
		}
		ch->write_lsb = value;
		ch->write_msb_next = true;
		/* Mode 0: the first byte stops the count and sets OUT low at once. */
		if (channel_mode(ch) == 0) {
			channel_stop(ch);
			ch->tc_passed = false;
			ch->count_written = false;
		}
		break;
	}
}

/* Bring channel n to now. Channel 0's edges due by then raise IRQ 0 (see vpit_update). */
static struct vpit_channel *vpit_sync(struct vpit *pit, unsigned n)
{
	struct vpit_channel *ch = &pit->channel[n];
	u64 edges = channel_advance(ch, ticks_at(dev_clock_now(&pit->clock)));

	if (n == 0 && edges) {
		pit->irq0_missed += edges - 1;
		irq_line_pulse(&pit->irq0);
	}
	return ch;
}

void vpit_init(struct vpit *pit)
{
	for (unsigned n = 0; n < ARRAY_SIZE(pit->channel); n++) {
		struct vpit_channel *ch = &pit->channel[n];

		ch->gate = n != 2;
		ch->synced = 0;
		channel_program(ch, RW_WORD << 4);
	}
	pit->irq0_missed = 0;
	pit->port_b = 0;
}

void vpit_update(struct vpit *pit)
{
	vpit_sync(pit, 0);
}

u64 vpit_next_irq_ns(const struct vpit *pit)
{
	const struct vpit_channel *ch = &pit->channel[0];
	u64 edge = channel_next_edge(ch, ch->synced);

	return edge ? ns_at(edge) : 0;
}

static void vpit_read_back(struct vpit *pit, u8 cw)
{
	for (unsigned n = 0; n < ARRAY_SIZE(pit->channel); n++) {
		struct vpit_channel *ch;

		if (!(cw & RB_CHANNEL(n)))
			continue;
		ch = vpit_sync(pit, n);
		if (!(cw & RB_NOT_COUNT))
			channel_latch_count(ch);
		if (!(cw & RB_NOT_STATUS))
			channel_latch_status(ch);
	}
}

static void vpit_write_control(struct vpit *pit, u8 cw)
{
	struct vpit_channel *ch;

	if (CW_SC(cw) == SC_READ_BACK) {
		vpit_read_back(pit, cw);
		return;
	}
	ch = vpit_sync(pit, CW_SC(cw));
	if (CW_RW(cw) == RW_LATCH)
		channel_latch_count(ch);
	else
		channel_program(ch, cw);
}

static u32 vpit_read(void *dev, u16 port, u8 size)
{
	unsigned n = (u16)(port - VPIT_PORT);

	(void)size;
	if (n >= 3)	/* the control word register is write-only */
		return 0xff;
	return channel_read(vpit_sync(dev, n));
}

static void vpit_write(void *dev, u16 port, u8 size, u32 value)
{
	unsigned n = (u16)(port - VPIT_PORT);

	(void)size;
	if (n >= 3)
		vpit_write_control(dev, (u8)value);
	else
		channel_write(vpit_sync(dev, n), (u8)value);
}

const struct pio_ops vpit_ops = {
	.read = vpit_read,
	.write = vpit_write,
};

static u32 vpit_port_b_read(void *dev, u16 port, u8 size)
{
	struct vpit *pit = dev;
	struct vpit_channel *ch2 = vpit_sync(pit, 2);
	u8 value = pit->port_b;

	(void)port;
	(void)size;
	if (ch2->synced / REFRESH_TICKS & 1)
		value |= PORT_B_REFRESH;
	if (channel_out(ch2))
		value |= PORT_B_OUT2;
	return value;
}

static void vpit_port_b_write(void *dev, u16 port, u8 size, u32 value)
{
	struct vpit *pit = dev;

	(void)port;
	(void)size;
	pit->port_b = value & PORT_B_STORED;
	channel_set_gate(vpit_sync(pit, 2), value & PORT_B_GATE2);
}

const struct pio_ops vpit_port_b_ops = {
	.read = vpit_port_b_read,
	.write = vpit_port_b_write,
};

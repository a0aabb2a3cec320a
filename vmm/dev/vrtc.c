/* SPDX-License-Identifier: MIT */
/*
 * The MC146818A RTC model (Motorola MC146818A datasheet). The time is kept as seconds since
 * 1970 at the divider chain's start plus the whole seconds since; registers are made from it
 * when read. Events (register C's flags) are caught up lazily, on each access and at
 * vrtc_update, from the time last processed to the present.
 */
#include "vmm/dev/vrtc.h"
#include "vmm/guest_ram.h"

#define NS_PER_SEC 1000000000ULL
#define VRTC_HZ 32768ULL		/* the time base: periodic rates divide it */
/* UIP rises this long before each update (datasheet: tBUC, with a 32.768 kHz base). */
#define VRTC_UIP_NS 244000ULL
/* The first update comes this long after the divider chain leaves reset (datasheet, DV). */
#define VRTC_DIVIDER_RELEASE_NS (NS_PER_SEC / 2)
/* An alarm byte whose two top bits are set matches every value ("don't care"). */
#define VRTC_ALARM_ANY 0xc0
#define VRTC_BASE_MEM_KIB_PC 640

static u64 vrtc_now(const struct vrtc *r)
{
	return dev_clock_now(&r->clock);
}

static bool vrtc_divider_running(const struct vrtc *r)
{
	return (r->cmos[VRTC_REG_A] & VRTC_A_DIVIDER) == VRTC_A_DIVIDER_32K;
}

/* Updates (the seconds ticking) stop while SET is 1 or the divider is held. */
static bool vrtc_updating(const struct vrtc *r)
{
	return vrtc_divider_running(r) && !(r->cmos[VRTC_REG_B] & VRTC_B_SET);
}

/*
 * Whole seconds since the divider chain started, at t. Arithmetic is modulo 2^64 throughout:
 * the origin may lie before the clock's zero.
 */
static u64 vrtc_elapsed_seconds(const struct vrtc *r, u64 t)
{
	return (t - r->origin_ns) / NS_PER_SEC;
}

/* Time-base cycles since the divider chain started, at t. */
static u64 vrtc_cycles(const struct vrtc *r, u64 t)
{
	u64 d = t - r->origin_ns;

	return d / NS_PER_SEC * VRTC_HZ + d % NS_PER_SEC * VRTC_HZ / NS_PER_SEC;
}

/* The first time at which vrtc_cycles reaches cycle. */
static u64 vrtc_cycle_time(const struct vrtc *r, u64 cycle)
{
	u64 part = cycle % VRTC_HZ * NS_PER_SEC;

	return r->origin_ns + cycle / VRTC_HZ * NS_PER_SEC + (part + VRTC_HZ - 1) / VRTC_HZ;
}

/*
 * log2 of the periodic interrupt's period in time-base cycles, or -1 when it is off. Rates
 * 3-15 divide by 2^(rate-1); rates 1 and 2 give 256 and 128 Hz (datasheet table 5).
 */
static int vrtc_periodic_shift(const struct vrtc *r)
{
	u8 rate = r->cmos[VRTC_REG_A] & VRTC_A_RATE;

	if (!rate)
		return -1;
	return rate <= 2 ? rate + 6 : rate - 1;
}

static void vrtc_time_at(const struct vrtc *r, u64 t, struct calendar_time *out)
{
	if (vrtc_updating(r))
		calendar_from_epoch(r->seconds_at_origin + vrtc_elapsed_seconds(r, t), out);
	else
		*out = r->held;
}

/* Make the time read t from now on. */
static void vrtc_set_time(struct vrtc *r, const struct calendar_time *t, u64 now)
{
	if (vrtc_updating(r))
		r->seconds_at_origin = calendar_to_epoch(t) - vrtc_elapsed_seconds(r, now);
	else
		r->held = *t;
}

static u8 vrtc_encode(const struct vrtc *r, u8 value)
{
	if (r->cmos[VRTC_REG_B] & VRTC_B_BINARY)
		return value;
	return (u8)((value / 10) << 4 | value % 10);
}

static u8 vrtc_decode(const struct vrtc *r, u8 value)
{
	if (r->cmos[VRTC_REG_B] & VRTC_B_BINARY)
		return value;
	return (u8)((value >> 4) * 10 + (value & 0x0f));
}

/* In 12-hour mode hours run 12, 1, ..., 11 with bit 7 set after noon (datasheet table 3). */
static u8 vrtc_encode_hour(const struct vrtc *r, u8 hour)
{
	if (r->cmos[VRTC_REG_B] & VRTC_B_24H)
		return vrtc_encode(r, hour);
	return vrtc_encode(r, hour % 12 ? hour % 12 : 12) | (hour >= 12 ? VRTC_HOUR_PM : 0);
}

static u8 vrtc_decode_hour(const struct vrtc *r, u8 value)
{
	if (r->cmos[VRTC_REG_B] & VRTC_B_24H)
		return vrtc_decode(r, value);
	return (u8)(vrtc_decode(r, value & ~VRTC_HOUR_PM) % 12 +
		    (value & VRTC_HOUR_PM ? 12 : 0));
}

static bool vrtc_alarm_field_matches(u8 alarm, u8 value)
{
	return (alarm & VRTC_ALARM_ANY) == VRTC_ALARM_ANY || alarm == value;
}

/* The alarm compares its bytes with the time registers as they read at an update. */
static bool vrtc_alarm_matches(const struct vrtc *r, u64 seconds)
{
	u32 second_of_day = (u32)(seconds % SECONDS_PER_DAY);

	return vrtc_alarm_field_matches(r->cmos[VRTC_SECONDS_ALARM],
					vrtc_encode(r, (u8)(second_of_day % 60))) &&
	       vrtc_alarm_field_matches(r->cmos[VRTC_MINUTES_ALARM],
					vrtc_encode(r, (u8)(second_of_day / 60 % 60))) &&
	       vrtc_alarm_field_matches(r->cmos[VRTC_HOURS_ALARM],
					vrtc_encode_hour(r, (u8)(second_of_day / 3600)));
}

/* The updates in (from, to]: UF for any, AF when the alarm matched the time of one. */
static void vrtc_catch_up_updates(struct vrtc *r, u64 from, u64 to)
{
	u64 first = vrtc_elapsed_seconds(r, from) + 1, last = vrtc_elapsed_seconds(r, to);

	if (first > last)
		return;
	r->cmos[VRTC_REG_C] |= VRTC_C_UF;
	/* Past a day of updates every time of day has come up. */
	last = MIN(last, first + SECONDS_PER_DAY - 1);
	for (u64 s = first; s <= last; s++) {
		if (vrtc_alarm_matches(r, r->seconds_at_origin + s)) {
			r->cmos[VRTC_REG_C] |= VRTC_C_AF;
			break;
		}
	}
}

/*
 * IRQF is set when a flag and its enable are both set, and stays until register C is read
 * (datasheet, register C); IRQ8 follows it.
 */
static void vrtc_update_irq(struct vrtc *r)
{
	u8 b = r->cmos[VRTC_REG_B], c = r->cmos[VRTC_REG_C];
	bool high;

	if (((c & VRTC_C_PF) && (b & VRTC_B_PIE)) || ((c & VRTC_C_AF) && (b & VRTC_B_AIE)) ||
	    ((c & VRTC_C_UF) && (b & VRTC_B_UIE)))
		r->cmos[VRTC_REG_C] |= VRTC_C_IRQF;
	high = r->cmos[VRTC_REG_C] & VRTC_C_IRQF;
	if (high != r->irq_high) {
		r->irq_high = high;
		irq_line_set(&r->irq, high);
	}
}

/* Set register C's flags for every event up to now. The flags are set whatever the enables. */
static void vrtc_catch_up(struct vrtc *r, u64 now)
{
	u64 from = r->processed_ns;
	int shift = vrtc_periodic_shift(r);

	r->processed_ns = now;
	if (!vrtc_divider_running(r) || now == from)
		return;
	if (shift >= 0 && vrtc_cycles(r, from) >> shift != vrtc_cycles(r, now) >> shift)
		r->cmos[VRTC_REG_C] |= VRTC_C_PF;
	if (vrtc_updating(r))
		vrtc_catch_up_updates(r, from, now);
}

static bool vrtc_in_update(const struct vrtc *r, u64 now)
{
	return vrtc_updating(r) && (now - r->origin_ns) % NS_PER_SEC >= NS_PER_SEC - VRTC_UIP_NS;
}

/* Registers A and B: they start and stop the divider chain and the updates. */
static void vrtc_write_control(struct vrtc *r, u8 reg, u8 value, u64 now)
{
	bool divider_was_running = vrtc_divider_running(r), was_updating = vrtc_updating(r);
	struct calendar_time t;

	vrtc_time_at(r, now, &t);
	if (reg == VRTC_REG_A)
		r->cmos[reg] = value & ~VRTC_A_UIP;
	else	/* Setting SET clears UIE (datasheet, register B). */
		r->cmos[reg] = value & VRTC_B_SET ? value & ~VRTC_B_UIE : value;
	if (!divider_was_running && vrtc_divider_running(r))
		r->origin_ns = now + VRTC_DIVIDER_RELEASE_NS - NS_PER_SEC;
	if (was_updating != vrtc_updating(r))
		vrtc_set_time(r, &t, now);
}

static u8 vrtc_read_time(const struct vrtc *r, u8 reg, u64 now)
{
	struct calendar_time t;

	vrtc_time_at(r, now, &t);
	switch (reg) {
	case VRTC_SECONDS:
		return vrtc_encode(r, t.second);
	case VRTC_MINUTES:
		return vrtc_encode(r, t.minute);
	case VRTC_HOURS:
		return vrtc_encode_hour(r, t.hour);
	case VRTC_WEEKDAY:
		/* Kept with the date, not on its own: held fields may be any date written. */
		calendar_from_epoch(calendar_to_epoch(&t), &t);
		return vrtc_encode(r, t.weekday);
	case VRTC_DAY:
		return vrtc_encode(r, t.day);
	case VRTC_MONTH:
		return vrtc_encode(r, t.month);
	case VRTC_YEAR:
		return vrtc_encode(r, (u8)(t.year % 100));
	default:	/* VRTC_CENTURY */
		return vrtc_encode(r, (u8)(t.year / 100 % 100));
	}
}

static void vrtc_write_time(struct vrtc *r, u8 reg, u8 value, u64 now)
{
	struct calendar_time t;
	u8 v = vrtc_decode(r, value);

	vrtc_time_at(r, now, &t);
	switch (reg) {
	case VRTC_SECONDS:
		t.second = v;
		break;
	case VRTC_MINUTES:
		t.minute = v;
		break;
	case VRTC_HOURS:
		t.hour = vrtc_decode_hour(r, value);
		break;
	case VRTC_WEEKDAY:
		return;	/* follows from the date */
	case VRTC_DAY:
		t.day = v;
		break;
	case VRTC_MONTH:
		t.month = v;
		break;
	case VRTC_YEAR:
		t.year = t.year / 100 * 100 + v % 100;
		break;
	default:	/* VRTC_CENTURY */
		t.year = v * 100u + t.year % 100;
		break;
	}
	vrtc_set_time(r, &t, now);
}

static bool vrtc_is_time_register(u8 reg)
{
	return reg == VRTC_SECONDS || reg == VRTC_MINUTES || reg == VRTC_HOURS ||
	       (reg >= VRTC_WEEKDAY && reg <= VRTC_YEAR) || reg == VRTC_CENTURY;
}

static u8 vrtc_read_register(struct vrtc *r, u8 reg, u64 now)
{
	u8 c;

	if (vrtc_is_time_register(reg))
		return vrtc_read_time(r, reg, now);
	switch (reg) {
	case VRTC_REG_A:
		return r->cmos[reg] | (vrtc_in_update(r, now) ? VRTC_A_UIP : 0);
	case VRTC_REG_C:
		c = r->cmos[reg];
		r->cmos[reg] = 0;
		return c;
	case VRTC_REG_D:
		return VRTC_D_VRT;
	default:
		return r->cmos[reg];
	}
}

static void vrtc_write_register(struct vrtc *r, u8 reg, u8 value, u64 now)
{
	if (vrtc_is_time_register(reg))
		vrtc_write_time(r, reg, value, now);
	else if (reg == VRTC_REG_A || reg == VRTC_REG_B)
		vrtc_write_control(r, reg, value, now);
	else if (reg != VRTC_REG_C && reg != VRTC_REG_D)	/* those two are read-only */
		r->cmos[reg] = value;
}

static u32 vrtc_read(void *dev, u16 port, u8 size)
{
	struct vrtc *r = dev;
	u64 now = vrtc_now(r);
	u8 value;

	(void)size;
	if (port == VRTC_INDEX_PORT)
		return 0xff;	/* write-only on the PC */
	vrtc_catch_up(r, now);
	value = vrtc_read_register(r, r->index, now);
	vrtc_update_irq(r);
	return value;
}

static void vrtc_write(void *dev, u16 port, u8 size, u32 value)
{
	struct vrtc *r = dev;
	u64 now = vrtc_now(r);

	(void)size;
	if (port == VRTC_INDEX_PORT) {
		r->index = value & (VRTC_CMOS_SIZE - 1);
		r->nmi_masked = value & 0x80;
		return;
	}
	vrtc_catch_up(r, now);
	vrtc_write_register(r, r->index, (u8)value, now);
	vrtc_update_irq(r);
}

const struct pio_ops vrtc_ops = {
	.read = vrtc_read,
	.write = vrtc_write,
};

static void vrtc_put_le(struct vrtc *r, u8 index, u32 value, u32 bytes)
{
	for (u32 i = 0; i < bytes; i++)
		r->cmos[index + i] = (u8)(value >> (8 * i));
}

/* The memory sizes a PC BIOS stores in CMOS, and that firmware and old guests read back. */
static void vrtc_fill_memory_sizes(struct vrtc *r, u64 ram_bytes)
{
	u64 below_hole = MIN(ram_bytes, GUEST_DEVICE_HOLE_START);
	u64 ext_kib = ram_bytes > MiB ? MIN((ram_bytes - MiB) / KiB, 0xffff) : 0;
	u64 above_16m = below_hole > 16 * MiB ? MIN((below_hole - 16 * MiB) / (64 * KiB), 0xffff)
					      : 0;
	u64 above_4g = (ram_bytes - below_hole) / (64 * KiB);

	vrtc_put_le(r, VRTC_BASE_MEM_KIB, (u32)MIN(ram_bytes / KiB, VRTC_BASE_MEM_KIB_PC), 2);
	vrtc_put_le(r, VRTC_EXT_MEM_KIB, (u32)ext_kib, 2);
	vrtc_put_le(r, VRTC_EXT_MEM_KIB_COPY, (u32)ext_kib, 2);
	vrtc_put_le(r, VRTC_MEM_ABOVE_16M, (u32)above_16m, 2);
	vrtc_put_le(r, VRTC_MEM_ABOVE_4G, (u32)MIN(above_4g, 0xffffff), 3);
}

void vrtc_init(struct vrtc *r, const struct irq_line *irq, const struct dev_clock *clock,
	       u64 epoch_seconds, u64 ram_bytes)
{
	*r = (struct vrtc){ .irq = *irq, .clock = *clock, .seconds_at_origin = epoch_seconds };
	r->origin_ns = r->processed_ns = vrtc_now(r);
	r->cmos[VRTC_REG_A] = VRTC_A_DIVIDER_32K | 6;	/* 1024 Hz */
	r->cmos[VRTC_REG_B] = VRTC_B_24H;
	/* A maths coprocessor; the display has its own BIOS (EGA/VGA); no floppy drive. */
	r->cmos[VRTC_EQUIPMENT] = 0x02;
	vrtc_fill_memory_sizes(r, ram_bytes);
}

u64 vrtc_next_irq_ns(const struct vrtc *r)
{
	u8 b = r->cmos[VRTC_REG_B];
	int shift = vrtc_periodic_shift(r);
	u64 next = 0, update;

	if ((r->cmos[VRTC_REG_C] & VRTC_C_IRQF) || !vrtc_divider_running(r))
		return 0;
	if ((b & VRTC_B_PIE) && shift >= 0)
		next = vrtc_cycle_time(r, ((vrtc_cycles(r, r->processed_ns) >> shift) + 1) << shift);
	/* The alarm is looked at every update: a timer a second, only while AIE is set. */
	if ((b & (VRTC_B_UIE | VRTC_B_AIE)) && vrtc_updating(r)) {
		update = r->origin_ns + (vrtc_elapsed_seconds(r, r->processed_ns) + 1) * NS_PER_SEC;
		if (!next || update - r->processed_ns < next - r->processed_ns)
			next = update;
	}
	return next;
}

void vrtc_update(struct vrtc *r)
{
	vrtc_catch_up(r, vrtc_now(r));
	vrtc_update_irq(r);
}

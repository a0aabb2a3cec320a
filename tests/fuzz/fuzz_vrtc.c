// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the MC146818A (vmm/dev/vrtc.c) driven by 3-byte steps: an index or data port
 * write, a data read, a time step or the glue's timer callback (after which the clock is read). The input's first 4 bytes are
 * the epoch it starts at. After every step IRQ8 follows register C's IRQF, IRQF is set when
 * a flag and its enable are, the next interrupt the glue would arm a timer for lies in the
 * future, and, while the guest has written no time register, the clock reads as a valid date
 * and time in the format register B asks (BCD digits 0-9, 12 or 24 hours) that never goes
 * backwards.
 */
#include "tests/fuzz/fuzz_dev.h"
#include "vmm/dev/vrtc.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

enum step { STEP_INDEX, STEP_WRITE, STEP_READ, STEP_TIME, STEP_TIMER, STEP_COUNT };

struct run {
	struct vrtc rtc;
	struct fuzz_dev dev;
	bool time_written;	/* the guest set a time register: any date may follow */
	u64 last_read;		/* the clock's last reading, in seconds since 1970 */
};

static u8 read_register(struct vrtc *r, u8 index)
{
	u8 saved = r->index, value;

	r->index = index;
	value = (u8)vrtc_ops.read(r, VRTC_DATA_PORT, 1);
	r->index = saved;
	return value;
}

/* A time byte as register B's format has it, checked to be a well-formed one below limit. */
static u8 decode(const struct vrtc *r, u8 value, u8 limit)
{
	if (!(r->cmos[VRTC_REG_B] & VRTC_B_BINARY)) {
		fuzz_check((value >> 4) <= 9 && (value & 0x0f) <= 9);
		value = (u8)((value >> 4) * 10 + (value & 0x0f));
	}
	fuzz_check(value < limit);
	return value;
}

static u8 decode_hour(const struct vrtc *r, u8 value)
{
	u8 hour;

	if (r->cmos[VRTC_REG_B] & VRTC_B_24H)
		return decode(r, value, 24);
	hour = decode(r, value & ~VRTC_HOUR_PM, 13);
	fuzz_check(hour >= 1);
	return (u8)(hour % 12 + (value & VRTC_HOUR_PM ? 12 : 0));
}

/* Read the whole clock as a guest would and check it never runs back. */
static void check_clock(struct run *run)
{
	struct vrtc *r = &run->rtc;
	struct calendar_time t;
	u64 seconds;

	t.second = decode(r, read_register(r, VRTC_SECONDS), 60);
	t.minute = decode(r, read_register(r, VRTC_MINUTES), 60);
	t.hour = decode_hour(r, read_register(r, VRTC_HOURS));
	t.weekday = decode(r, read_register(r, VRTC_WEEKDAY), 8);
	t.day = decode(r, read_register(r, VRTC_DAY), 32);
	t.month = decode(r, read_register(r, VRTC_MONTH), 13);
	t.year = decode(r, read_register(r, VRTC_CENTURY), 100) * 100u +
		 decode(r, read_register(r, VRTC_YEAR), 100);
	fuzz_check(t.weekday >= 1 && t.day >= 1 && t.month >= 1);
	seconds = calendar_to_epoch(&t);
	fuzz_check(seconds >= run->last_read);
	run->last_read = seconds;
}

static void check(struct run *run)
{
	struct vrtc *r = &run->rtc;
	u8 b = r->cmos[VRTC_REG_B], c = r->cmos[VRTC_REG_C];
	u64 next;

	fuzz_check(run->dev.line == r->irq_high && r->irq_high == !!(c & VRTC_C_IRQF));
	if (c & b & (VRTC_C_PF | VRTC_C_AF | VRTC_C_UF))	/* flags and enables share bits */
		fuzz_check(c & VRTC_C_IRQF);
	next = vrtc_next_irq_ns(r);
	fuzz_check(next == 0 || next > r->processed_ns);
}

static bool is_time_register(u8 index)
{
	return index <= VRTC_YEAR || index == VRTC_CENTURY;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct run run;
	struct irq_line line;
	struct dev_clock clock;
	u32 epoch;

	if (size < 4)
		return 0;
	run = (struct run){ 0 };
	line = fuzz_dev_irq_line(&run.dev, VRTC_IRQ);
	clock = fuzz_dev_clock(&run.dev);
	epoch = (u32)data[0] | (u32)data[1] << 8 | (u32)data[2] << 16 | (u32)data[3] << 24;
	vrtc_init(&run.rtc, &line, &clock, epoch, 256 * MiB);
	check(&run);
	for (size_t i = 4; i + 3 <= size; i += 3) {
		u8 arg = data[i + 1], value = data[i + 2];

		switch (data[i] % STEP_COUNT) {
		case STEP_INDEX:
			vrtc_ops.write(&run.rtc, VRTC_INDEX_PORT, 1, value);
			break;
		case STEP_WRITE:
			/* The alarm registers are odd indexes below 6: they do not set the time. */
			if (is_time_register(run.rtc.index) &&
			    !(run.rtc.index < VRTC_WEEKDAY && (run.rtc.index & 1)))
				run.time_written = true;
			vrtc_ops.write(&run.rtc, VRTC_DATA_PORT, 1, value);
			break;
		case STEP_READ:
			(void)vrtc_ops.read(&run.rtc, VRTC_DATA_PORT, 1);
			break;
		case STEP_TIME:
			fuzz_dev_advance(&run.dev, arg, value);
			break;
		default:
			/* The clock is read here only: reads catch events up, as the timer does. */
			vrtc_update(&run.rtc);
			if (!run.time_written)
				check_clock(&run);
			break;
		}
		check(&run);
	}
	return 0;
}

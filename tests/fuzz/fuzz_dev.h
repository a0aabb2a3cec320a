/* SPDX-License-Identifier: MIT */
/*
 * What the device-model harnesses share: a fake interrupt line that records its level, and
 * a fake clock the input moves forward (never back).
 */
#ifndef VIREO_TESTS_FUZZ_FUZZ_DEV_H
#define VIREO_TESTS_FUZZ_FUZZ_DEV_H

#include "tests/fuzz/fuzz_check.h"
#include "vmm/dev/irq_line.h"

struct fuzz_dev {
	u64 now;		/* the clock, in ns */
	bool line;		/* the interrupt line's level, as last set */
};

static inline void fuzz_dev_line_set(void *ctx, u8 irq, bool high)
{
	(void)irq;
	((struct fuzz_dev *)ctx)->line = high;
}

static inline u64 fuzz_dev_now(void *ctx)
{
	return ((struct fuzz_dev *)ctx)->now;
}

static inline struct irq_line fuzz_dev_irq_line(struct fuzz_dev *d, u8 irq)
{
	return (struct irq_line){ .set = fuzz_dev_line_set, .ctx = d, .irq = irq };
}

static inline struct dev_clock fuzz_dev_clock(struct fuzz_dev *d)
{
	return (struct dev_clock){ .now_ns = fuzz_dev_now, .ctx = d };
}

/*
 * A time step of value << (scale % 48) ns: from a nanosecond to years in one step. The
 * clock stops at its end rather than wrap, which would be time running back.
 */
static inline void fuzz_dev_advance(struct fuzz_dev *d, u8 scale, u8 value)
{
	u64 step = (u64)value << (scale % 48);

	d->now = d->now + step < d->now ? ~0ULL : d->now + step;
}

#endif

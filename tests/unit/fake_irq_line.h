/* SPDX-License-Identifier: MIT */
/* An interrupt line for the device models' unit tests: its level and how often it rose. */
#ifndef VIREO_TESTS_UNIT_FAKE_IRQ_LINE_H
#define VIREO_TESTS_UNIT_FAKE_IRQ_LINE_H

#include "vmm/dev/irq_line.h"

struct fake_line {
	bool high;
	u32 rises, sets;
	u8 irq;		/* the IRQ of the last change */
};

/* The set() of a struct irq_line whose ctx is a struct fake_line. */
static inline void fake_line_set(void *ctx, u8 irq, bool high)
{
	struct fake_line *l = ctx;

	if (high && !l->high)
		l->rises++;
	l->high = high;
	l->irq = irq;
	l->sets++;
}

#endif

/* SPDX-License-Identifier: MIT */
/*
 * What a device model is given to reach the rest of its VM: an interrupt line to drive and a
 * clock to read. Pure device models (vmm/dev/) see only these, so the unit tests hand them
 * fakes and the kernel hands them the VM's interrupt controller and the host's time.
 */
#ifndef VIREO_VMM_DEV_IRQ_LINE_H
#define VIREO_VMM_DEV_IRQ_LINE_H

#include "kernel/types.h"

/* An ISA interrupt line (IRQ 0-15) into the VM's interrupt controller: its level, high or low. */
struct irq_line {
	void (*set)(void *ctx, u8 irq, bool high);
	void *ctx;
	u8 irq;
};

static inline void irq_line_set(const struct irq_line *line, bool high)
{
	if (line->set)
		line->set(line->ctx, line->irq, high);
}

/* An edge: the line goes high, then low (edge-triggered devices: the PIT's OUT0, the RTC). */
static inline void irq_line_pulse(const struct irq_line *line)
{
	irq_line_set(line, true);
	irq_line_set(line, false);
}

/* Nanoseconds on a monotonic clock: the guest's time, as the device sees it. */
struct dev_clock {
	u64 (*now_ns)(void *ctx);
	void *ctx;
};

static inline u64 dev_clock_now(const struct dev_clock *clock)
{
	return clock->now_ns(clock->ctx);
}

#endif

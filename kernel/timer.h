/* SPDX-License-Identifier: MIT */
/* Per-CPU timers on the local APIC timer: each CPU keeps its own list, soonest first. */
#ifndef VIREO_TIMER_H
#define VIREO_TIMER_H

#include "kernel/types.h"

struct timer {
	u64 deadline;			/* TSC value */
	void (*fn)(struct timer *t);	/* runs on the arming CPU, interrupts off */
	struct timer *next;
	bool armed;
};

/* Take the timer interrupt vector; once, on the boot CPU. */
void timer_init(void);

/*
 * Arm t on the calling CPU to run t->fn at TSC value deadline (re-arming moves it). The
 * callback may arm timers again, itself included.
 */
void timer_arm(struct timer *t, u64 deadline);

/* Arm t to run ns nanoseconds from now. */
void timer_arm_ns(struct timer *t, u64 ns);

/* Disarm t if it is armed; on the CPU that armed it. */
void timer_cancel(struct timer *t);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU timers on the local APIC timer: each CPU keeps its own list, soonest first, under
 * its own lock, so that any CPU can cancel a timer wherever it was armed.
 */
#ifndef VIREO_TIMER_H
#define VIREO_TIMER_H

#include "kernel/types.h"

struct timer {
	u64 deadline;			/* TSC value */
	void (*fn)(struct timer *t);	/* runs on the arming CPU, in its timer interrupt */
	struct timer *next;
	u32 cpu;			/* where it is armed (valid while armed or running) */
	bool armed;
	bool running;			/* fn is running now */
};

/* Take the timer interrupt vector; once, on the boot CPU. */
void timer_init(void);

/*
 * Arm t on the calling CPU to run t->fn at TSC value deadline (re-arming moves it, to this
 * CPU). The callback may arm timers again, itself included.
 */
void timer_arm(struct timer *t, u64 deadline);

/* Arm t to run ns nanoseconds from now. */
void timer_arm_ns(struct timer *t, u64 ns);

/*
 * Disarm t if it is armed, from any CPU. When this returns, t->fn is not running and will not
 * run (unless armed again), so t may be freed; a callback may cancel its own timer.
 */
void timer_cancel(struct timer *t);

#endif

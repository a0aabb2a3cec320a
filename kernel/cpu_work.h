/* SPDX-License-Identifier: MIT */
/*
 * What each CPU does once booted: run the work queued to it, one item after another with
 * interrupts on, and sleep in HLT when there is none. Work is how a CPU gets a job from
 * anywhere, interrupt handlers included: the VMM's scheduler, a console command.
 */
#ifndef VIREO_CPU_WORK_H
#define VIREO_CPU_WORK_H

#include "kernel/types.h"

struct work {
	void (*fn)(struct work *w);	/* runs on the CPU it was queued to */
	struct work *next;
	bool queued;
};

/* Take the wake-up IPI; once, on the boot CPU. */
void cpu_work_init(void);

/*
 * Queue w to run on CPU cpu, from any CPU and any context, and wake that CPU. Returns 0, or
 * -EBUSY when w is queued already (it will run once), -ENODEV when the CPU is not online.
 */
int work_queue(u32 cpu, struct work *w);

/* On a CPU running a long piece of work: is other work waiting? Then the long one should yield. */
bool work_pending(void);

/* Interrupt CPU cpu (out of a guest or out of HLT) so it looks at its work again. */
void cpu_kick(u32 cpu);

/*
 * How long CPU cpu has been idle since boot, in TSC ticks, counting a sleep still going on
 * (a CPU may halt for seconds); read from any CPU, exact to a wake-up.
 */
u64 cpu_idle_tsc(u32 cpu);

/* The idle loop: run work as it comes, halt when there is none; never returns. */
__noreturn void cpu_idle_loop(void);

#endif

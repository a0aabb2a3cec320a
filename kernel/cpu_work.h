/* SPDX-License-Identifier: MIT */
/*
 * What each CPU does once booted: run the one job it has been given (running a vCPU, say),
 * and sleep until an interrupt when it has none.
 */
#ifndef VIREO_CPU_WORK_H
#define VIREO_CPU_WORK_H

#include "kernel/smp_call.h"
#include "kernel/types.h"

/* Take the wake-up IPI; once, on the boot CPU. */
void cpu_work_init(void);

/*
 * Give CPU cpu the job fn(arg), run from its idle loop with interrupts on, and return at once.
 * Returns 0, -ENODEV (not online) or -EBUSY (it has a job already).
 */
int cpu_start_job(u32 cpu, smp_call_fn fn, void *arg);

/* Interrupt CPU cpu (out of a guest or out of HLT) so it looks at its work again. */
void cpu_kick(u32 cpu);

/* The idle loop: run jobs as they come; never returns. */
__noreturn void cpu_idle_loop(void);

#endif

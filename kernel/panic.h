/* SPDX-License-Identifier: MIT */
/* Fatal errors of the hypervisor itself: a report on the console, then the onpanic= action. */
#ifndef VIREO_PANIC_H
#define VIREO_PANIC_H

#include "arch/x86/trap_frame.h"
#include "kernel/cmdline.h"
#include "kernel/types.h"

/*
 * Stop the hypervisor: print "PANIC on CPU n: <reason>", the registers, control registers and a
 * symbolized backtrace, stop the other CPUs, then carry out the onpanic= action.
 */
__noreturn void panic(const char *fmt, ...) __printf(1, 2);

/* The same for an exception taken in the hypervisor, with the registers of the faulting code. */
__noreturn void panic_on_trap(const struct trap_frame *f);

/* What panic() does after its report (set from the command line; default halt). */
void panic_set_action(enum power_action a);

/* Stop with a message when cond is false: for invariants whose failure is a Vireo bug. */
#define BUG_ON(cond)                                                                 \
	do {                                                                         \
		if (cond)                                                            \
			panic("BUG: %s at %s:%d", #cond, __FILE__, __LINE__);       \
	} while (0)

#endif

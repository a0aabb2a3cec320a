/* SPDX-License-Identifier: MIT */
/* Multiprocessor control. */
#include "arch/x86/smp.h"
#include "arch/x86/cpu.h"

__noreturn void smp_park_this_cpu(void)
{
	for (;;) {
		irq_disable();
		cpu_halt();
	}
}

void smp_stop_others(void)
{
	/* Only the boot CPU runs until the application processors are started. */
}

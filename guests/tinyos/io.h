/* SPDX-License-Identifier: MIT */
/*
 * The x86 instructions a kernel needs that C has no words for: port I/O, the interrupt flag,
 * HLT. Every device of the PC this OS drives sits in the I/O port space (Intel SDM vol. 1,
 * chapter 19 "Input/Output"), reached only through IN and OUT.
 */
#ifndef TINYOS_IO_H
#define TINYOS_IO_H

#include "kernel/types.h"

static inline void outb(u16 port, u8 value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 value;

	__asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
	return value;
}

static inline void cli(void)
{
	__asm__ volatile("cli" : : : "memory");
}

static inline void sti(void)
{
	__asm__ volatile("sti" : : : "memory");
}

/*
 * Sleep until the next interrupt, then return with interrupts off again. Called with them
 * off, after checking that there is nothing to do: STI lets interrupts in only after the
 * instruction that follows it (SDM vol. 2B, STI), so an interrupt that arrives after the check
 * cannot slip in before HLT and leave us asleep with work waiting. The CPU costs nothing while
 * halted: under a hypervisor, HLT gives the physical CPU back.
 */
static inline void cpu_sleep(void)
{
	__asm__ volatile("sti; hlt; cli" : : : "memory");
}

/* Stop for good: no interrupt can wake a CPU halted with IF clear (only an NMI). */
static inline __noreturn void cpu_stop(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

#endif

/* SPDX-License-Identifier: MIT */
/* Dispatch of interrupts and exceptions arriving through the IDT. */
#ifndef VIREO_ARCH_X86_TRAPS_H
#define VIREO_ARCH_X86_TRAPS_H

#include "arch/x86/trap_frame.h"
#include "kernel/types.h"

typedef void (*trap_handler_t)(struct trap_frame *f);

/* Route vector (32-255) to h; the handler runs with interrupts off and must EOI if needed. */
void trap_register(u8 vector, trap_handler_t h);

/* The short mnemonic of an exception vector ("#PF"), or "IRQ" above 31. */
const char *trap_mnemonic(u64 vector);

/* The description of an exception vector ("page fault"). */
const char *trap_description(u64 vector);

/* Called by arch/x86/isr.asm for every vector. */
void trap_entry(struct trap_frame *f);

#endif

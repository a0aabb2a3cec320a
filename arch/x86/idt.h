/* SPDX-License-Identifier: MIT */
/* The interrupt descriptor table, shared by every CPU. */
#ifndef VIREO_ARCH_X86_IDT_H
#define VIREO_ARCH_X86_IDT_H

#include "kernel/types.h"

/* Fill the IDT once: every vector to its stub, #DF, NMI and #MC on their IST stacks. */
void idt_init(void);

/* Load the IDT on the calling CPU. */
void idt_load(void);

#endif

/* SPDX-License-Identifier: MIT */
/* Per-CPU GDT and TSS: flat 64-bit kernel segments and the IST stacks for fatal exceptions. */
#ifndef VIREO_ARCH_X86_GDT_H
#define VIREO_ARCH_X86_GDT_H

#include "kernel/types.h"

#define GDT_KERNEL_CS 0x08
#define GDT_KERNEL_DS 0x10
#define GDT_TSS 0x18	/* a 16-byte system descriptor: two slots */
#define GDT_ENTRIES 5

/* Interrupt stack table slots (SDM Vol. 3A 7.14.5): faults that must never run on a bad stack. */
enum ist_slot {
	IST_DOUBLE_FAULT = 1,
	IST_NMI = 2,
	IST_MACHINE_CHECK = 3,
	IST_SLOTS = 3,
};

#define IST_STACK_SIZE (8 * KiB)

/* SDM Vol. 3A 8.7, figure 8-11. */
struct __packed tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
};

struct cpu_tables {
	u64 gdt[GDT_ENTRIES] __aligned(16);
	struct tss64 tss __aligned(16);
};

/*
 * Fill t with the kernel segments and a TSS whose IST slots point at ist_tops[0..IST_SLOTS),
 * then load the GDT, reload every segment register and load the task register. Runs on the
 * CPU that will use the tables.
 */
void gdt_load_cpu(struct cpu_tables *t, const u64 ist_tops[IST_SLOTS]);

#endif

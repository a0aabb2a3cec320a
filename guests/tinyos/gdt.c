// SPDX-License-Identifier: MIT
/*
 * The global descriptor table. Protected mode still translates every address through a
 * segment, but we want them out of the way: one code and one data segment, each with base 0
 * and limit 4 GiB ("flat"), so that a segment's offset is the linear address and paging
 * (paging.c) does all the translating. Multiboot leaves flat segments loaded, but from a GDT
 * that may lie anywhere, even in memory we are about to reuse; the interrupt gates (idt.c)
 * name KERNEL_CS, so it must be ours.
 */
#include "guests/tinyos/tinyos.h"

/*
 * A segment descriptor (SDM vol. 3A, 3.4.5 "Segment Descriptors"), base 0 and limit 0xFFFFF
 * in units of 4 KiB (G = 1), 32-bit (D/B = 1): only the access byte differs. 0x9A: present,
 * ring 0, code, readable. 0x92: present, ring 0, data, writable.
 */
#define FLAT_SEGMENT(access) (0x00cf00000000ffffULL | (u64)(access) << 40)

static const u64 gdt[3] __aligned(8) = {
	0,			/* selector 0 is the null selector: the CPU never uses entry 0 */
	FLAT_SEGMENT(0x9a),	/* KERNEL_CS = 0x08: index 1, table GDT, ring 0 */
	FLAT_SEGMENT(0x92),	/* KERNEL_DS = 0x10 */
};

void gdt_init(void)
{
	struct __packed {
		u16 limit;
		u32 base;
	} gdtr = { sizeof(gdt) - 1, (u32)gdt };

	/*
	 * LGDT changes only the table: each segment register keeps the descriptor it cached when
	 * it was loaded (SDM vol. 3A, 3.4.3), so we load them all again. CS can only be changed
	 * by a far jump (or call, or return).
	 */
	__asm__ volatile("lgdt %0\n\t"
			 "ljmp %1, $1f\n"
			 "1:\n\t"
			 "mov %2, %%ax\n\t"
			 "mov %%ax, %%ds\n\t"
			 "mov %%ax, %%es\n\t"
			 "mov %%ax, %%fs\n\t"
			 "mov %%ax, %%gs\n\t"
			 "mov %%ax, %%ss"
			 : : "m"(gdtr), "i"(KERNEL_CS), "i"(KERNEL_DS) : "eax", "memory");
}

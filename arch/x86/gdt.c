/* SPDX-License-Identifier: MIT */
/* Per-CPU GDT and TSS. */
#include "arch/x86/gdt.h"
#include "arch/x86/cpu.h"
#include "kernel/string.h"

/* Code: present, DPL 0, executable, readable, L=1 (SDM Vol. 3A 3.4.5). */
#define DESC_KERNEL_CODE64 0x00209a0000000000ULL
/* Data: present, DPL 0, writable. */
#define DESC_KERNEL_DATA 0x0000920000000000ULL
#define DESC_TSS_AVAILABLE 0x9ULL

static void set_tss_descriptor(u64 *slot, const struct tss64 *tss)
{
	u64 base = (u64)tss;
	u64 limit = sizeof(*tss) - 1;

	slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (DESC_TSS_AVAILABLE << 40) |
		  BIT(47) | (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	slot[1] = base >> 32;
}

/* A far return is the way to load CS in 64-bit mode. */
static void reload_segments(void)
{
	__asm__ volatile("pushq %[cs]\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movl %[ds], %%eax\n\t"
			 "movl %%eax, %%ds\n\t"
			 "movl %%eax, %%es\n\t"
			 "movl %%eax, %%ss\n\t"
			 "xorl %%eax, %%eax\n\t"
			 "movl %%eax, %%fs\n\t"
			 : : [cs] "i"(GDT_KERNEL_CS), [ds] "i"(GDT_KERNEL_DS) : "rax", "memory");
}

void gdt_load_cpu(struct cpu_tables *t, const u64 ist_tops[IST_SLOTS])
{
	struct descriptor_pointer p = { sizeof(t->gdt) - 1, (u64)t->gdt };

	memset(t, 0, sizeof(*t));
	t->gdt[GDT_KERNEL_CS / 8] = DESC_KERNEL_CODE64;
	t->gdt[GDT_KERNEL_DS / 8] = DESC_KERNEL_DATA;
	set_tss_descriptor(&t->gdt[GDT_TSS / 8], &t->tss);
	for (int i = 0; i < IST_SLOTS; i++)
		t->tss.ist[i] = ist_tops[i];
	t->tss.iomap_base = sizeof(t->tss);	/* no I/O bitmap: ring 3 gets no ports */
	lgdt(&p);
	reload_segments();
	ltr(GDT_TSS);
}

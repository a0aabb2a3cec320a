// SPDX-License-Identifier: MIT
/*
 * 32-bit paging (SDM vol. 3A, 4.3 "32-Bit Paging"). A linear address is split 10 + 10 + 12
 * bits: the top 10 pick one of the 1024 entries of the page directory (CR3 holds its
 * physical address), that entry points at a page table, the next 10 bits pick one of its 1024
 * entries, and that entry gives the physical page; the low 12 bits are the offset in it. One
 * page table thus covers 4 MiB, and the directory 4 GiB.
 *
 * We map the RAM at its own addresses ("identity"), so that nothing moves when paging comes
 * on, except page 0: left out, so that a NULL pointer faults. And, to show that a linear
 * address is only a name, the first 4 MiB a second time at 0xC0000000, where a "higher-half"
 * kernel would live: one page table, two directory entries.
 */
#include "guests/tinyos/tinyos.h"

#define ENTRIES 1024
#define PAGE_PRESENT 0x001
#define PAGE_WRITABLE 0x002
#define CR0_WP (1u << 16)	/* write protection holds in ring 0 too */
#define CR0_PG (1u << 31)
#define MAPPED_MAX (1024u << 20)	/* 1 GiB is plenty for us, and stays below the alias */

extern char _end[];		/* tinyos.ld: the first byte past the kernel */

u32 paging_mapped_bytes, paging_table_count;
static u32 *page_directory;

/* A page of zeros from the free RAM past the kernel; we never give one back. */
static u32 *alloc_page(void)
{
	static u32 next;
	u32 *page;

	if (!next)
		next = ALIGN_UP((u32)_end, (u32)PAGE_SIZE);
	page = (u32 *)next;
	next += PAGE_SIZE;
	for (int i = 0; i < ENTRIES; i++)
		page[i] = 0;
	return page;
}

void paging_init(u32 ram_bytes)
{
	u32 *table = NULL;

	paging_mapped_bytes = MIN(ALIGN_DOWN(ram_bytes, (u32)PAGE_SIZE), MAPPED_MAX);
	page_directory = alloc_page();
	for (u32 addr = PAGE_SIZE; addr < paging_mapped_bytes; addr += PAGE_SIZE) {
		u32 dir_index = addr >> 22, table_index = (addr >> 12) & (ENTRIES - 1);

		if (!(page_directory[dir_index] & PAGE_PRESENT)) {
			table = alloc_page();
			page_directory[dir_index] = (u32)table | PAGE_PRESENT | PAGE_WRITABLE;
			paging_table_count++;
		}
		table[table_index] = addr | PAGE_PRESENT | PAGE_WRITABLE;
	}
	page_directory[HIGH_ALIAS >> 22] = page_directory[0];
	/*
	 * The tables are all in place, and they too lie in identity-mapped RAM (we built them
	 * past _end, inside ram_bytes), so the instruction after the one that sets CR0.PG is
	 * fetched from the same address through the new translation.
	 */
	__asm__ volatile("mov %0, %%cr3\n\t"
			 "mov %%cr0, %%eax\n\t"
			 "or %1, %%eax\n\t"
			 "mov %%eax, %%cr0"
			 : : "r"(page_directory), "i"(CR0_PG | CR0_WP) : "eax", "memory");
}

/* What the CPU's page walker does on a TLB miss, in C. */
bool paging_translate(u32 virt, u32 *phys)
{
	u32 pde = page_directory[virt >> 22], pte;

	if (!(pde & PAGE_PRESENT))
		return false;
	pte = ((const u32 *)(pde & ~0xfffu))[(virt >> 12) & (ENTRIES - 1)];
	if (!(pte & PAGE_PRESENT))
		return false;
	*phys = (pte & ~0xfffu) | (virt & 0xfff);
	return true;
}

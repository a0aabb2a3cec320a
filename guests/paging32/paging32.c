// SPDX-License-Identifier: MIT
/*
 * paging32: a 32-bit protected-mode guest that turns on paging itself. Vireo starts it with
 * paging off, every address physical. It builds a page directory whose 4 MiB pages map its RAM
 * to the same addresses, so that the code goes on running once CR0.PG is set, and one page
 * table that maps one of its pages a second time at 0xC0000000, where it has no RAM at all.
 * Then it proves the two addresses reach the same page, writing through one and reading
 * through the other, both ways. 32-bit paging: SDM Vol. 3A 4.3.
 */
#include "guests/lib/guest.h"

#define HIGH_ADDRESS 0xc0000000u
#define LARGE_PAGE_SIZE (4u << 20)
/* Entry bits, the same in directory and table entries (SDM Vol. 3A 4.3, Figure 4-4). */
#define PG_PRESENT (1u << 0)
#define PG_WRITABLE (1u << 1)
#define PG_ACCESSED (1u << 5)
#define PG_DIRTY (1u << 6)
#define PG_LARGE (1u << 7)	/* in a directory entry: a 4 MiB page, no table (needs CR4.PSE) */
#define CR0_PG (1u << 31)
#define CR4_PSE (1u << 4)

/* CR3 and the entries keep bits 31:12 of a physical address only: tables are 4 KiB aligned. */
static u32 page_directory[1024] __aligned(PAGE_SIZE);
static u32 high_page_table[1024] __aligned(PAGE_SIZE);
static u32 aliased_page[1024] __aligned(PAGE_SIZE);

/* A 32-bit virtual address: 10 bits of directory index, 10 of table index, 12 of offset. */
static u32 directory_index(u32 va)
{
	return va >> 22;
}

static u32 table_index(u32 va)
{
	return va >> 12 & 0x3ff;
}

/* [0, bytes) to itself with 4 MiB pages: one directory entry each, no page tables. */
static void map_identity(u64 bytes)
{
	for (u32 pa = 0; pa < bytes; pa += LARGE_PAGE_SIZE)
		page_directory[directory_index(pa)] = pa | PG_LARGE | PG_WRITABLE | PG_PRESENT;
}

/* va to pa with a 4 KiB page: the directory entry points at a table, its entry at the page. */
static void map_page(u32 va, u32 pa)
{
	page_directory[directory_index(va)] = (u32)high_page_table | PG_WRITABLE | PG_PRESENT;
	high_page_table[table_index(va)] = pa | PG_WRITABLE | PG_PRESENT;
}

static void paging_on(void)
{
	u32 cr0, cr4;

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_PSE));
	__asm__ volatile("mov %0, %%cr3" : : "r"(page_directory) : "memory");
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	/* The next instruction is fetched through the page tables: it lies in the identity map. */
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | CR0_PG) : "memory");
}

/* Write value through `to`, read it back through `from`; say so, and whether they agree. */
static bool write_read(u32 to, u32 from, u32 value)
{
	u32 seen;

	*(volatile u32 *)to = value;
	seen = *(volatile u32 *)from;
	guest_puts("wrote ");
	guest_puts_hex(value);
	guest_puts(" through ");
	guest_puts_hex(to);
	guest_puts(", read ");
	guest_puts_hex(seen);
	guest_puts(" through ");
	guest_puts_hex(from);
	guest_puts(seen == value ? ": the same page\n" : ": different memory (wrong)\n");
	return seen == value;
}

int main(const struct vireo_boot_info *bi)
{
	static const char note[] = "and this line, written through 0xc0000000, was printed from "
				   "its physical address: hypercalls take guest-physical ones\n";
	/* The CPU writes the entry behind the compiler's back: volatile, read it from memory. */
	volatile u32 *pte = &high_page_table[table_index(HIGH_ADDRESS)];
	u32 page = (u32)aliased_page, cr0;
	u32 value = (u32)guest_rdtsc();	/* new every run: nothing left over can pass for it */
	bool same;

	map_identity(bi->ram[0].size);
	map_page(HIGH_ADDRESS, page);
	guest_puts("page directory at ");
	guest_puts_hex((u32)page_directory);
	guest_puts(": 4 MiB pages map the RAM to itself\n");
	guest_puts_hex(HIGH_ADDRESS);
	guest_puts(": directory entry ");
	guest_puts_hex(directory_index(HIGH_ADDRESS));
	guest_puts(" -> page table at ");
	guest_puts_hex((u32)high_page_table);
	guest_puts(", its entry ");
	guest_puts_hex(table_index(HIGH_ADDRESS));
	guest_puts(" -> page ");
	guest_puts_hex(page);
	guest_puts("\n");

	paging_on();
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	guest_puts("paging on: CR0 = ");
	guest_puts_hex(cr0);
	guest_puts("\n");

	same = write_read(HIGH_ADDRESS, page, value);
	same &= write_read(page, HIGH_ADDRESS, ~value);
	/* The CPU marks an entry it used, and a page written, in the entry itself (SDM 4.8). */
	guest_puts((*pte & (PG_ACCESSED | PG_DIRTY)) == (PG_ACCESSED | PG_DIRTY)
		   ? "the CPU set the accessed and dirty bits in 0xc0000000's page table entry\n"
		   : "the accessed and dirty bits of 0xc0000000's entry are not set (wrong)\n");

	for (u32 i = 0; i < sizeof(note); i++)
		((volatile char *)HIGH_ADDRESS)[i] = note[i];
	guest_puts((const char *)page);
	return same ? 0 : 1;
}

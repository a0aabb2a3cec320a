/* SPDX-License-Identifier: MIT */
/* The host's page tables, built with the shared page-table builder. */
#include "arch/x86/paging.h"
#include "arch/x86/cpu.h"
#include "arch/x86/pgtable.h"
#include "kernel/memory.h"
#include "kernel/panic.h"
#include "kernel/printk.h"

#define X86_PTE_PRESENT BIT(0)
#define X86_PTE_WRITE BIT(1)
#define X86_PTE_PWT BIT(3)
#define X86_PTE_PCD BIT(4)
#define X86_PTE_LARGE BIT(7)
#define X86_PTE_GLOBAL BIT(8)
#define X86_PTE_NX BIT(63)

#define BOOT_MAPPED_TOP (4 * GiB)	/* what boot/entry.asm maps at the direct-map base */

extern const u8 __kernel_phys_end[];

/* Host entries: supervisor-only, global; NX and 1 GiB leaves as the CPU allows. */
static struct pt_format host_format = {
	.name = "host",
	.table_bits = X86_PTE_PRESENT | X86_PTE_WRITE,
	.present_bits = X86_PTE_PRESENT,
	.read_bits = X86_PTE_PRESENT,
	.write_bits = X86_PTE_WRITE,
	.uncached_bits = X86_PTE_PCD | X86_PTE_PWT,
	.leaf_bits = X86_PTE_GLOBAL,
	.large_bit = X86_PTE_LARGE,
	.leaf_levels = PT_LEAF_4K | PT_LEAF_2M,
};

static struct pt kernel_pt;
static u64 direct_map_top = BOOT_MAPPED_TOP;

static u64 host_alloc_table(void *ctx)
{
	(void)ctx;
	return frames_alloc_zeroed(1);
}

static void host_free_table(void *ctx, u64 addr)
{
	(void)ctx;
	frames_free(addr, 1);
}

static u64 *host_table_ptr(void *ctx, u64 addr)
{
	(void)ctx;
	return phys_to_virt(addr);
}

const struct pt_ops host_frame_pt_ops = {
	.alloc_table = host_alloc_table,
	.free_table = host_free_table,
	.table_ptr = host_table_ptr,
};

void paging_init(u64 top)
{
	u64 kernel_size = ALIGN_UP((u64)__kernel_phys_end, 2 * MiB);

	if (cpu_features.nx)
		host_format.noexec_bits = X86_PTE_NX;
	if (cpu_features.pdpe1gb)
		host_format.leaf_levels |= PT_LEAF_1G;
	top = ALIGN_UP(MAX(top, BOOT_MAPPED_TOP), 2 * MiB);
	if (pt_init(&kernel_pt, &host_format, &host_frame_pt_ops, NULL) < 0 ||
	    pt_map(&kernel_pt, DIRECT_MAP_BASE, 0, top, PT_READ | PT_WRITE) < 0 ||
	    pt_map(&kernel_pt, KERNEL_VMA_BASE, 0, kernel_size, PT_RWX) < 0)
		panic("paging: cannot build the kernel page tables (out of memory)");
	write_cr4(read_cr4() | (cpu_features.pge ? X86_CR4_PGE : 0));
	write_cr3(kernel_pt.root);
	direct_map_top = top;
	pr_info("paging: %u tables map all memory (%llu MiB) and the kernel image (%llu MiB) with "
		"%u x 1G and %u x 2M pages\n", kernel_pt.tables, top / MiB, kernel_size / MiB,
		kernel_pt.leaves[3], kernel_pt.leaves[2]);
}

u64 paging_kernel_cr3(void)
{
	return kernel_pt.root;
}

u64 paging_direct_map_top(void)
{
	return direct_map_top;
}

bool paging_readable(u64 va, u64 len)
{
	u64 end = va + len - 1;

	if (len == 0 || end < va)
		return false;
	if (!kernel_pt.root) {
		/* Still on the boot tables: the direct map of 4 GiB and the first GiB of the image. */
		return (va >= DIRECT_MAP_BASE && end < DIRECT_MAP_BASE + BOOT_MAPPED_TOP) ||
		       (va >= KERNEL_VMA_BASE && end < KERNEL_VMA_BASE + GiB);
	}
	for (u64 page = ALIGN_DOWN(va, PAGE_SIZE); page <= end; page += PAGE_SIZE)
		if (pt_translate(&kernel_pt, page, NULL, NULL, NULL) < 0)
			return false;
	return true;
}

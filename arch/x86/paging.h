/* SPDX-License-Identifier: MIT */
/* The host's address space: the kernel image in the top 2 GiB and a direct map of all memory. */
#ifndef VIREO_ARCH_X86_PAGING_H
#define VIREO_ARCH_X86_PAGING_H

#include "arch/x86/pgtable.h"
#include "kernel/types.h"

#define KERNEL_VMA_BASE 0xffffffff80000000ULL
#define DIRECT_MAP_BASE 0xffff800000000000ULL

/* Physical memory through the direct map. */
static inline void *phys_to_virt(u64 pa)
{
	return (void *)(pa + DIRECT_MAP_BASE);
}

/* The physical address of a kernel-image or direct-map address. */
static inline u64 virt_to_phys(const void *v)
{
	u64 a = (u64)v;

	return a >= KERNEL_VMA_BASE ? a - KERNEL_VMA_BASE : a - DIRECT_MAP_BASE;
}

/*
 * Build the kernel's page tables and switch to them: the direct map covers [0, top) with the
 * largest pages the CPU offers, the kernel image is mapped at KERNEL_VMA_BASE, and nothing is
 * mapped at low addresses any more (a NULL dereference faults).
 * Until then the boot tables map the first 4 GiB at both addresses.
 */
void paging_init(u64 top);

/*
 * Page tables made of host frames and reached through the direct map: the kernel's own
 * tables and every VM's second-level tables use these ops.
 */
extern const struct pt_ops host_frame_pt_ops;

/* The value to load into CR3 for the kernel's address space. */
u64 paging_kernel_cr3(void);

/* True when [va, va+len) is mapped in the kernel's tables: safe to read. */
bool paging_readable(u64 va, u64 len);

/* End of the direct map: physical addresses below it are reachable through phys_to_virt. */
u64 paging_direct_map_top(void);

#endif

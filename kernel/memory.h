/* SPDX-License-Identifier: MIT */
/* The machine's memory: physical frames from the boot memory map, pages, and the kernel heap. */
#ifndef VIREO_MEMORY_H
#define VIREO_MEMORY_H

#include "kernel/boot_info.h"
#include "kernel/frame_alloc.h"
#include "kernel/types.h"

/*
 * Build the frame allocator from the memory map (or the basic memory tag when there is no map),
 * setting aside the first MiB, the kernel image, the boot information and every module.
 * A map built from the basic memory tag is stored into bi. Panics when there is no memory
 * description at all.
 */
void memory_init(struct boot_info *bi);

/* One past the highest usable RAM address. */
u64 memory_top(void);

/* Print the memory map and the allocator counters. */
void memory_report_map(const struct boot_info *bi);
void memory_report_counters(void);

/* A copy of the allocator counters, taken under its lock. */
struct frame_alloc memory_counters(void);

/* Bytes the kernel heap has handed out and not had back (rounded to its size classes). */
u64 memory_heap_bytes_in_use(void);

/*
 * count contiguous frames aligned to align bytes (a power of two, at least PAGE_SIZE), zeroed;
 * returns the physical address, or 0 when memory is exhausted.
 */
u64 frames_alloc_aligned(u64 count, u64 align);
u64 frames_alloc_zeroed(u64 count);

/*
 * Free memory the VMs' RAM may never take: the host's own reserve, for the kernel heap, the
 * VMs' second-level tables and vCPU structures, and the consoles' buffers (docs/CONFIG.md).
 */
#define MEMORY_HOST_RESERVE (32 * MiB)

/*
 * RAM for a VM: as frames_alloc_aligned, into *phys, but never into the host's reserve.
 * Returns 0, -ENOSPC when it would leave less than MEMORY_HOST_RESERVE free, or -ENOMEM when
 * no contiguous run of count frames is free.
 */
int frames_alloc_guest(u64 count, u64 align, u64 *phys);

/* Give back frames from frames_alloc_*; a double free panics (it is a Vireo bug). */
void frames_free(u64 phys, u64 count);

/* Zeroed pages through the direct map, or NULL. */
void *pages_alloc(u64 count);
void pages_free(void *p, u64 count);

/* Start the kernel heap (needs the final page tables). */
void heap_setup(void);

/* Kernel heap: 16-byte aligned blocks; NULL when memory is exhausted. */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(void *p);

#endif

/* SPDX-License-Identifier: MIT */
/* Multiboot2 boot information parser (Multiboot2 specification 2.0, section 3.6). */
#ifndef VIREO_MULTIBOOT2_H
#define VIREO_MULTIBOOT2_H

#include "kernel/boot_info.h"
#include "kernel/types.h"

#define MB2_BOOTLOADER_MAGIC 0x36d76289

/*
 * Parse the information block at info (whose physical address is info_phys) into bi.
 * At most avail bytes are readable at info. Every tag is bounds-checked against the block's
 * declared size and avail; strings must be terminated inside their tag. The command line and
 * the module strings point into the block, which must stay in place while bi is used.
 * Returns 0, or -EINVAL with bi->error naming the first malformation. Tags before the
 * malformation are kept, so a caller can still use a memory map that came first.
 */
int mb2_parse(const void *info, size_t avail, u64 info_phys, struct boot_info *bi);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The memory map a PC's firmware reports (the BIOS's INT 15h E820 call), built from a VM's RAM:
 * what Multiboot1 kernels and Linux receive from their loader. Pure.
 */
#ifndef VIREO_VMM_E820_H
#define VIREO_VMM_E820_H

#include "kernel/types.h"
#include "vmm/guest_ram.h"

/* What a PC keeps between conventional memory and 1 MiB (the EBDA, video memory, ROMs). */
#define E820_PC_RESERVED_START 0x9fc00ULL
#define E820_PC_RESERVED_END 0x100000ULL

/* Entry types (ACPI 6.4, 15.1). */
#define E820_TYPE_RAM 1
#define E820_TYPE_RESERVED 2

/* One range, in the 20-byte layout of the BIOS call and of Linux's boot_params. */
struct __packed e820_entry {
	u64 addr, size;
	u32 type;
};

/* Range 0 splits around the PC's hole and the boot data; the others are whole. */
#define E820_ENTRIES_MAX (4 + GUEST_RAM_RANGES_MAX - 1)

/*
 * Fill map (E820_ENTRIES_MAX entries) in ascending order: RAM, except the PC's reserved area
 * below 1 MiB and, in range 0, the loader's boot data from boot_data_start to its end.
 * Returns the entries written; empty ranges are left out.
 */
u32 e820_build(const struct guest_ram_map *ram, u64 boot_data_start, struct e820_entry *map);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * A VM's memory map in the BIOS E820 form (ACPI 6.5, 15.1, "INT 15H E820H"): RAM, the PC's
 * reserved area below 1 MiB, the boot data at the top of low RAM and the interrupt
 * controllers' pages, in address order. Pure: the loaders and fw_cfg hand it over.
 */
#ifndef VIREO_VMM_E820_H
#define VIREO_VMM_E820_H

#include "kernel/types.h"
#include "vmm/guest_ram.h"

#define E820_RAM 1
#define E820_RESERVED 2

/* One entry as INT 15h E820h (and QEMU's "etc/e820" file) returns it: 20 bytes, packed. */
struct __packed e820_entry {
	u64 base, length;
	u32 type;
};

/* Low RAM splits around the PC's hole and the boot data; two APIC pages; the other ranges. */
#define E820_ENTRIES_MAX (4 + 2 + GUEST_RAM_RANGES_MAX - 1)

/*
 * Write ram's map into out (E820_ENTRIES_MAX entries of room), with [boot_data_start, end of
 * range 0) reserved for the loader's boot data (the end of range 0 for none). Returns the
 * number of entries written; empty ranges are left out.
 */
u32 e820_build(const struct guest_ram_map *ram, u64 boot_data_start, struct e820_entry *out);

#endif

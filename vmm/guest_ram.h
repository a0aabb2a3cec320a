/* SPDX-License-Identifier: MIT */
/*
 * Where a VM's RAM lies in its guest-physical address space: ranges with holes between them,
 * which belong to devices (an MMIO bus claims them). Pure: the layout arithmetic only.
 */
#ifndef VIREO_VMM_GUEST_RAM_H
#define VIREO_VMM_GUEST_RAM_H

#include "kernel/types.h"

#define GUEST_RAM_RANGES_MAX 4

/* A run of guest-physical addresses: RAM, or a hole. */
struct gpa_range {
	u64 start, size;
};

/* RAM at [gpa, gpa + size), backed by host RAM at offset host_offset of the VM's block. */
struct ram_range {
	u64 gpa, size, host_offset;
};

struct guest_ram_map {
	u32 count;
	struct ram_range range[GUEST_RAM_RANGES_MAX];
};

/*
 * As on a PC, the gigabyte below 4 GiB is for devices: the local and I/O APICs, the HPET,
 * PCI BARs and the firmware's flash all live there, so a VM's RAM above 3 GiB goes on at 4 GiB.
 */
#define GUEST_DEVICE_HOLE_START (3ULL * GiB)
#define GUEST_DEVICE_HOLE_END (4ULL * GiB)

/*
 * Lay out size bytes of RAM from guest-physical 0 upward, skipping the holes (sorted, apart,
 * none at 0; all page-aligned like size). Returns 0, or -EINVAL when the holes are not so or
 * the RAM would need more than GUEST_RAM_RANGES_MAX ranges.
 */
int guest_ram_layout(struct guest_ram_map *map, u64 size, const struct gpa_range *holes,
		     u32 hole_count);

/*
 * True when [gpa, gpa + len) lies in one RAM range (len > 0); *host_offset is then where gpa
 * lives in the VM's block.
 */
bool guest_ram_find(const struct guest_ram_map *map, u64 gpa, u64 len, u64 *host_offset);

/* The guest-physical address just past the highest RAM. */
u64 guest_ram_end(const struct guest_ram_map *map);

#endif

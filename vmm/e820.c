/* SPDX-License-Identifier: MIT */
/* A VM's E820 memory map. Pure. */
#include "vmm/e820.h"

/* Appends [base, end) of type to the map when it is not empty; returns the entries added. */
static u32 put_range(struct e820_entry *e, u64 base, u64 end, u32 type)
{
	if (end <= base)
		return 0;
	*e = (struct e820_entry){ base, end - base, type };
	return 1;
}

u32 e820_build(const struct guest_ram_map *ram, u64 boot_data_start, struct e820_entry *map)
{
	u64 low_end = ram->range[0].size;
	u64 hole_end = MIN(E820_PC_RESERVED_END, low_end);
	u32 n = 0;

	n += put_range(map + n, 0, MIN(E820_PC_RESERVED_START, low_end), E820_TYPE_RAM);
	n += put_range(map + n, E820_PC_RESERVED_START, hole_end, E820_TYPE_RESERVED);
	n += put_range(map + n, hole_end, boot_data_start, E820_TYPE_RAM);
	n += put_range(map + n, MAX(boot_data_start, hole_end), low_end, E820_TYPE_RESERVED);
	for (u32 i = 1; i < ram->count; i++)
		n += put_range(map + n, ram->range[i].gpa, ram->range[i].gpa + ram->range[i].size,
			       E820_TYPE_RAM);
	return n;
}

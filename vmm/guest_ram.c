/* SPDX-License-Identifier: MIT */
/* The layout of a VM's RAM around the holes of its address space. Pure. */
#include "vmm/guest_ram.h"
#include "kernel/errno.h"

static bool holes_are_sane(const struct gpa_range *holes, u32 count)
{
	u64 previous_end = 0;

	for (u32 i = 0; i < count; i++) {
		const struct gpa_range *h = &holes[i];

		if (!h->size || h->start == 0 || h->start < previous_end ||
		    (h->start | h->size) & (PAGE_SIZE - 1) || h->start + h->size < h->start)
			return false;
		previous_end = h->start + h->size;
	}
	return true;
}

int guest_ram_layout(struct guest_ram_map *map, u64 size, const struct gpa_range *holes,
		     u32 hole_count)
{
	u64 gpa = 0, offset = 0;
	u32 next_hole = 0;

	map->count = 0;
	if (size & (PAGE_SIZE - 1) || !holes_are_sane(holes, hole_count))
		return -EINVAL;
	while (offset < size) {
		u64 left = size - offset, room = left;

		if (next_hole < hole_count)
			room = holes[next_hole].start - gpa;
		if (room) {
			struct ram_range *r = &map->range[map->count];

			if (map->count == GUEST_RAM_RANGES_MAX)
				return -EINVAL;
			*r = (struct ram_range){ gpa, MIN(room, left), offset };
			map->count++;
			offset += r->size;
			gpa += r->size;
		}
		if (offset < size) {	/* RAM reached the hole: go on past it */
			gpa = holes[next_hole].start + holes[next_hole].size;
			next_hole++;
		}
	}
	return 0;
}

bool guest_ram_find(const struct guest_ram_map *map, u64 gpa, u64 len, u64 *host_offset)
{
	for (u32 i = 0; i < map->count; i++) {
		const struct ram_range *r = &map->range[i];

		if (gpa >= r->gpa && gpa - r->gpa < r->size) {
			if (!len || len > r->size - (gpa - r->gpa))
				return false;
			*host_offset = r->host_offset + (gpa - r->gpa);
			return true;
		}
	}
	return false;
}

u64 guest_ram_end(const struct guest_ram_map *map)
{
	return map->count ? map->range[map->count - 1].gpa + map->range[map->count - 1].size : 0;
}

// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the guest RAM checks every hypercall buffer goes through (vmm/guest_ram.c:
 * hypercall.c's WRITE and VM_INFO reach guest memory only by guest_memory_ptr, which is
 * guest_ram_find). The input gives a RAM size and up to three holes for guest_ram_layout,
 * then 16-byte (gpa, len) buffers a guest might pass, wrapping and straddling ones included.
 * A layout it accepts covers exactly the size with ranges in order, apart from each other and
 * from the holes, with host offsets one after another; a buffer is accepted exactly when it
 * is not empty and lies wholly in one range (computed here in 128 bits, so nothing wraps), and
 * then its host offset lies inside the VM's block.
 */
#include "tests/fuzz/fuzz_check.h"
#include "vmm/guest_ram.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

typedef unsigned __int128 u128;

static u64 take(const u8 **p, const u8 *end, u32 bytes)
{
	u64 v = 0;

	for (u32 i = 0; i < bytes && *p < end; i++)
		v |= (u64)*(*p)++ << (8 * i);
	return v;
}

static bool overlaps(u128 a, u128 a_len, u128 b, u128 b_len)
{
	return a < b + b_len && b < a + a_len;
}

static void check_layout(const struct guest_ram_map *map, u64 ram, const struct gpa_range *holes,
			 u32 hole_count)
{
	u128 end = 0, offset = 0;

	fuzz_check(map->count <= GUEST_RAM_RANGES_MAX);
	for (u32 i = 0; i < map->count; i++) {
		const struct ram_range *r = &map->range[i];

		fuzz_check(r->size && r->gpa >= end && r->host_offset == offset);
		for (u32 h = 0; h < hole_count; h++)
			fuzz_check(!overlaps(r->gpa, r->size, holes[h].start, holes[h].size));
		end = (u128)r->gpa + r->size;
		offset += r->size;
	}
	fuzz_check(offset == ram);
}

static void check_find(const struct guest_ram_map *map, u64 ram, u64 gpa, u64 len)
{
	bool expected = false, found;
	u64 host_offset = 0, want = 0;

	for (u32 i = 0; i < map->count && len; i++) {
		const struct ram_range *r = &map->range[i];

		if (gpa >= r->gpa && (u128)gpa + len <= (u128)r->gpa + r->size) {
			expected = true;
			want = r->host_offset + (gpa - r->gpa);
		}
	}
	found = guest_ram_find(map, gpa, len, &host_offset);
	fuzz_check(found == expected);
	fuzz_check(!found || (host_offset == want && (u128)host_offset + len <= ram));
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	const u8 *p = data, *end = data + size;
	struct gpa_range holes[3];
	struct guest_ram_map map;
	u32 hole_count;
	u64 ram;

	/* Whole pages mostly (what a VM has), sometimes not (refused). */
	ram = take(&p, end, 3) * PAGE_SIZE + (take(&p, end, 1) % 8 == 0 ? 1 : 0);
	hole_count = take(&p, end, 1) % 4;
	for (u32 h = 0; h < hole_count; h++) {
		holes[h].start = take(&p, end, 4) * PAGE_SIZE;
		holes[h].size = take(&p, end, 4) * PAGE_SIZE;
	}
	if (guest_ram_layout(&map, ram, holes, hole_count) < 0)
		return 0;
	check_layout(&map, ram, holes, hole_count);
	while (end - p >= 16) {
		u64 gpa = take(&p, end, 8), len = take(&p, end, 8);

		check_find(&map, ram, gpa, len);
		/* The same buffer moved to straddle the end of each range. */
		for (u32 i = 0; i < map.count; i++)
			check_find(&map, ram, map.range[i].gpa + map.range[i].size - (len & 0xfff),
				   len & 0x1fff);
	}
	return 0;
}

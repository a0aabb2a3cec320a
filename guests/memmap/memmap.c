// SPDX-License-Identifier: MIT
/*
 * memmap: a 64-bit guest that checks the RAM Vireo describes in its boot information. It
 * prints the ranges, writes a distinct value near the start, the middle and the end of each,
 * then reads them all back (RAM above the device hole that aliased RAM below it would show
 * here), and with the argument "hole" then reads the device hole at 3 GiB, where there is
 * neither RAM nor, yet, a device: Vireo must stop it.
 */
#include "guests/lib/guest.h"

#define PROBE_MAGIC 0x5a17c0ffee000000ULL
#define PROBES_PER_RANGE 3
#define HOLE_ADDRESS 0xc0000000ULL
#define STACK_ROOM 0x10000	/* left alone below the boot data: our stack grows down there */

/* Where to probe range i: near its start, in its middle, near its end; none in Vireo's data. */
static void probe_addresses(const struct vireo_boot_info *bi, u32 i, u64 out[PROBES_PER_RANGE])
{
	u64 start = bi->ram[i].base, end = start + bi->ram[i].size;

	if (i == 0) {
		start += 0x1000;	/* page 0 is left alone: a null pointer is a bug */
		end = bi->reserved_start - STACK_ROOM;
	}
	out[0] = start;
	out[1] = (start + (end - start) / 2) & ~7ULL;
	out[2] = end - 8;
}

static bool check_ram(const struct vireo_boot_info *bi)
{
	u64 addr[VIREO_RAM_RANGES_MAX][PROBES_PER_RANGE], total = 0;
	u32 bad = 0;

	for (u32 i = 0; i < bi->ram_range_count; i++) {
		guest_printf("ram[%u]: %#llx-%#llx (%llu MiB)\n", i,
			     (unsigned long long)bi->ram[i].base,
			     (unsigned long long)(bi->ram[i].base + bi->ram[i].size),
			     (unsigned long long)(bi->ram[i].size >> 20));
		total += bi->ram[i].size;
		probe_addresses(bi, i, addr[i]);
		for (u32 k = 0; k < PROBES_PER_RANGE; k++)
			*(volatile u64 *)addr[i][k] = PROBE_MAGIC ^ addr[i][k];
	}
	for (u32 i = 0; i < bi->ram_range_count; i++) {
		for (u32 k = 0; k < PROBES_PER_RANGE; k++) {
			u64 got = *(volatile u64 *)addr[i][k];

			if (got != (PROBE_MAGIC ^ addr[i][k])) {
				guest_printf("FAIL: %#llx holds %#llx\n",
					     (unsigned long long)addr[i][k], (unsigned long long)got);
				bad++;
			}
		}
	}
	if (total != bi->mem_bytes) {
		guest_printf("FAIL: the ranges add up to %llu bytes, not %llu\n",
			     (unsigned long long)total, (unsigned long long)bi->mem_bytes);
		bad++;
	}
	return bad == 0;
}

int main(const struct vireo_boot_info *bi)
{
	guest_printf("%u RAM range(s), %llu MiB in all\n", bi->ram_range_count,
		     (unsigned long long)(bi->mem_bytes >> 20));
	if (!check_ram(bi))
		return 1;
	guest_printf("ram ok: %u addresses in %u range(s) kept their values\n",
		     bi->ram_range_count * PROBES_PER_RANGE, bi->ram_range_count);
	if (guest_arg_is("hole")) {
		guest_printf("reading the device hole at %#llx\n", HOLE_ADDRESS);
		guest_printf("read %#llx, which is wrong\n",
			     (unsigned long long)*(volatile u64 *)HOLE_ADDRESS);
	}
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * gdbspin: a guest to debug with gdb. It spins, counting, until gdb sets `released` (or the
 * count reaches its argument, if one is given), then calls reached() and exits with code 0.
 */
#include "guests/lib/guest.h"

volatile u32 released;	/* gdb sets it */
volatile u64 spins;

/* Where the tests put a breakpoint: a few instructions to step through. */
static __attribute__((noipa)) u64 reached(u64 n)
{
	u64 sum = 0;

	for (u64 i = 0; i < 4; i++)
		sum += n + i;
	return sum;
}

int main(const struct vireo_boot_info *bi)
{
	const char *args = bi->args;
	u64 limit = guest_next_number(&args);

	guest_printf("gdbspin: spinning until released\n");
	while (!released && (!limit || spins < limit))
		spins++;
	guest_printf("gdbspin: released, reached() says %llu\n", (unsigned long long)reached(7));
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * gdbspin: a guest to debug with gdb. It spins, counting, until gdb sets `released` (or the
 * count reaches its argument, if one is given), then calls reached(), uses its own debug
 * registers (while gdb's hardware breakpoint is in them, in the tests) and exits with code 0.
 * Built for long mode (gdbspin.elf) and protected mode (gdbspin32.elf).
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

/*
 * Write DR0 and DR7 and read them back. With gdb's breakpoints in the debug registers these
 * MOVs exit and Vireo answers with the guest's own values, never gdb's. DR7 enables nothing.
 */
static __attribute__((noipa)) bool own_debug_registers(void)
{
	unsigned long dr0 = 0x5a5a0, dr7 = 0x700, got0, got7;

	__asm__ volatile("mov %0, %%dr0" : : "r"(dr0));
	__asm__ volatile("mov %0, %%dr7" : : "r"(dr7));
	__asm__ volatile("mov %%dr0, %0" : "=r"(got0));
	__asm__ volatile("mov %%dr7, %0" : "=r"(got7));
	return got0 == dr0 && got7 == dr7;
}

int main(const struct vireo_boot_info *bi)
{
	const char *args = bi->args;
	u64 limit = guest_next_number(&args);

	guest_printf("gdbspin: spinning until released\n");
	while (!released && (!limit || spins < limit))
		spins++;
	u64 sum = reached(7);
	bool drs = own_debug_registers();

	guest_printf("gdbspin: released, reached() says %llu\n", (unsigned long long)sum);
	guest_printf("gdbspin: its debug registers read back %s\n", drs ? "right" : "wrong");
	return 0;
}

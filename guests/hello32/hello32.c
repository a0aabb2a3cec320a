// SPDX-License-Identifier: MIT
/* hello32: a 32-bit protected-mode guest in C, loaded from an ELF32 with paging off. */
#include "guests/lib/guest.h"

static void put_hex(char *out, u32 v)
{
	for (int i = 7; i >= 0; i--, v >>= 4)
		out[i] = "0123456789abcdef"[v & 0xf];
}

int main(const struct vireo_boot_info *bi)
{
	char line[] = "Hello from 32-bit protected mode! CR0 = 0x........\n";
	u32 cr0;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	put_hex(line + sizeof(line) - 10, cr0);
	guest_puts(line);
	guest_puts("my name is ");
	guest_puts(bi->name);
	guest_puts(", and paging is ");
	guest_puts(cr0 & (1u << 31) ? "on\n" : "off\n");
	for (const char *s = "and this line went through the debug port\n"; *s; s++)
		debug_putc(*s);
	return 0;
}

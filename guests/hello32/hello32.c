// SPDX-License-Identifier: MIT
/* hello32: a 32-bit protected-mode guest in C, loaded from an ELF32 with paging off. */
#include "guests/lib/guest.h"

int main(const struct vireo_boot_info *bi)
{
	u32 cr0;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	guest_puts("Hello from 32-bit protected mode! CR0 = ");
	guest_puts_hex(cr0);
	guest_puts("\nmy name is ");
	guest_puts(bi->name);
	guest_puts(", and paging is ");
	guest_puts(cr0 & (1u << 31) ? "on\n" : "off\n");
	for (const char *s = "and this line went through the debug port\n"; *s; s++)
		debug_putc(*s);
	return 0;
}

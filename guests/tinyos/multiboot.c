// SPDX-License-Identifier: MIT
/*
 * The Multiboot information (Multiboot 0.6.96, section 3.3): a structure the loader leaves
 * somewhere in memory, its flags saying which fields are filled in. We copy what we use into
 * the kernel's own memory at once: the loader put the structure where it liked, and once
 * paging is on (paging.c) that place may no longer be mapped.
 */
#include "guests/tinyos/tinyos.h"

#define MULTIBOOT_LOADER_MAGIC 0x2badb002u	/* in EAX at entry */
#define MBI_MEMORY BIT(0)	/* mem_lower and mem_upper are valid */
#define MBI_CMDLINE BIT(2)	/* cmdline is valid */

/* The first fields of the information structure; we need no more. */
struct multiboot_info {
	u32 flags;
	u32 mem_lower, mem_upper;	/* KiB */
	u32 boot_device;
	u32 cmdline;		/* physical address of a NUL-terminated string */
};

struct boot_facts boot_facts;

void multiboot_read(u32 magic, u32 info_address)
{
	const struct multiboot_info *mbi = (const struct multiboot_info *)info_address;
	const char *cmdline;
	u32 i = 0;

	if (magic != MULTIBOOT_LOADER_MAGIC)
		return;		/* not started by a Multiboot loader: nothing here to trust */
	if (mbi->flags & MBI_MEMORY) {
		boot_facts.have_memory = true;
		boot_facts.mem_lower_kib = mbi->mem_lower;
		boot_facts.mem_upper_kib = mbi->mem_upper;
	}
	if (mbi->flags & MBI_CMDLINE) {
		cmdline = (const char *)mbi->cmdline;
		for (; cmdline[i] && i < sizeof(boot_facts.cmdline) - 1; i++)
			boot_facts.cmdline[i] = cmdline[i];
	}
	boot_facts.cmdline[i] = '\0';
}

/* Words are separated by spaces; QEMU puts the kernel's path first, GRUB does not. */
u32 cmdline_number(const char *name, u32 fallback)
{
	const char *p = boot_facts.cmdline;

	while (*p) {
		const char *n = name;
		u32 value = 0;
		bool digits = false;

		while (*p == ' ')
			p++;
		while (*n && *p == *n)
			n++, p++;
		if (!*n && *p == '=') {
			for (p++; *p >= '0' && *p <= '9' && value < 100000000; p++, digits = true)
				value = value * 10 + (u32)(*p - '0');
			if (digits && (*p == ' ' || !*p))
				return value;
		}
		while (*p && *p != ' ')
			p++;
	}
	return fallback;
}

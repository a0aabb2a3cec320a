/* SPDX-License-Identifier: MIT */
/*
 * Linux's x86 boot protocol (the kernel's Documentation/arch/x86/boot.rst, 2.12 and later): the
 * checks of a bzImage's setup header, where the kernel, its command line and its initramfs go
 * in guest RAM, and the zero page (struct boot_params) the kernel's 64-bit entry receives in
 * RSI. Pure: it reads the image and lays out bytes for the loader to copy.
 */
#ifndef VIREO_VMM_LINUX_BOOT_H
#define VIREO_VMM_LINUX_BOOT_H

#include "kernel/types.h"
#include "vmm/e820.h"
#include "vmm/guest_ram.h"

/* 2.12 is the first whose header says the kernel has a 64-bit entry (xloadflags). */
#define LINUX_BOOT_PROTOCOL_MIN 0x020c
#define LINUX_ZERO_PAGE_SIZE 4096
/* The 64-bit entry point, past the 32-bit one, at the start of the protected-mode kernel. */
#define LINUX_ENTRY64_OFFSET 0x200

/* What the setup header of a bzImage says, checked. */
struct linux_kernel {
	u16 version;		/* protocol, 0x020f for 2.15 */
	u64 payload_offset;	/* the protected-mode kernel starts here in the file */
	u64 payload_size;
	u64 pref_address;	/* where it runs best (it is relocatable) */
	u64 alignment;		/* where it may run instead: a multiple of this */
	u64 init_size;		/* the RAM it needs from its load address */
	u32 cmdline_size;	/* longest command line, without the NUL */
	u64 initrd_addr_max;	/* last byte an initramfs may occupy */
	u32 header_end;		/* the header's bytes the zero page copies: 0x1f1 to here */
};

/* The guest RAM layout planned for one boot. */
struct linux_boot {
	const struct guest_ram_map *ram;
	u64 boot_data_start;	/* the loader's own data (page tables, GDT): reserved from here */
	u64 cmdline_len, initrd_size;
	/* Set by linux_boot_plan: */
	u64 load_address, zero_page, cmdline, initrd;
};

/*
 * Check a bzImage: its boot sector signature, the "HdrS" header, a protocol of at least 2.12,
 * a 64-bit entry, a kernel that loads high and is relocatable, a payload inside the file.
 * Returns 0, -ENOENT (not a bzImage at all) or -ENOEXEC, with the reason in error.
 */
int linux_parse(const u8 *image, size_t size, struct linux_kernel *k, char *error,
		size_t error_size);

/*
 * Place the kernel (at its preferred address, or the lowest aligned one above 1 MiB where its
 * init_size fits), the zero page and command line below 640 KiB, and the initramfs as high as
 * the kernel allows below the boot data. Returns 0 or -E2BIG with the reason in error.
 */
int linux_boot_plan(struct linux_boot *b, const struct linux_kernel *k, char *error,
		    size_t error_size);

/*
 * Fill the zero page (LINUX_ZERO_PAGE_SIZE bytes): the image's setup header, then what the
 * loader tells the kernel: its type, the command line, the initramfs, the E820 map, the text
 * screen (when the VM has one) and the ACPI RSDP's address (0: none).
 */
void linux_zero_page_write(u8 *zero_page, const u8 *image, const struct linux_kernel *k,
			   const struct linux_boot *b, const struct e820_entry *map, u32 entries,
			   bool vga_text, u64 rsdp);

#endif

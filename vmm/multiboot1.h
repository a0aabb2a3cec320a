/* SPDX-License-Identifier: MIT */
/*
 * Multiboot1 kernels as guest images (Multiboot Specification 0.6.96): the header that marks
 * them and where each part of the image goes, from the header's address fields or the ELF
 * program headers. Pure.
 */
#ifndef VIREO_VMM_MULTIBOOT1_H
#define VIREO_VMM_MULTIBOOT1_H

#include "kernel/types.h"
#include "vmm/elf.h"

#define MULTIBOOT1_HEADER_MAGIC 0x1badb002u
#define MULTIBOOT1_BOOT_MAGIC 0x2badb002u	/* in EAX at the kernel's entry */
#define MULTIBOOT1_SEARCH_BYTES 8192	/* the header lies wholly within these, 4-byte aligned */

/* Header flags: bits 0-15 are requirements, bits 16-31 optional features (spec 3.1.2). */
#define MULTIBOOT1_PAGE_ALIGN BIT(0)	/* modules on 4 KiB boundaries */
#define MULTIBOOT1_MEMORY_INFO BIT(1)	/* mem_lower and mem_upper (Vireo gives them always) */
#define MULTIBOOT1_VIDEO_MODE BIT(2)	/* a graphics mode: Vireo has none to give */
#define MULTIBOOT1_ADDRESS_FIELDS BIT(16)	/* load by header_addr..entry_addr, not by ELF */

struct multiboot1_kernel {
	u32 header_offset;	/* in the file */
	u32 flags;
	/* Where its parts go: one segment for the address fields, else the ELF's PT_LOADs. */
	struct elf_image layout;
};

/*
 * Look for a Multiboot1 header in the image and work out where the kernel goes.
 * Returns 0 with *out filled; -ENOENT when no header magic lies where one may be; or -ENOEXEC
 * with the reason in error when the image has the magic but cannot be loaded (bad checksum,
 * cut short, a requirement Vireo cannot meet, inconsistent address fields, a bad ELF, parts
 * or entry point above 4 GiB or outside the image).
 */
int multiboot1_parse(const void *image, size_t size, struct multiboot1_kernel *out,
		     char *error, size_t error_size);

#endif

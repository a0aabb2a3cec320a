/* SPDX-License-Identifier: MIT */
/* What the boot loader told us, in one structure independent of the Multiboot2 encoding. */
#ifndef VIREO_BOOT_INFO_H
#define VIREO_BOOT_INFO_H

#include "kernel/types.h"

#define BOOT_MMAP_MAX 128
#define BOOT_MODULES_MAX 64
#define BOOT_LOADER_NAME_MAX 64
#define BOOT_ERROR_MAX 96

/* Memory map entry types, as the ACPI/E820 map numbers them. */
enum boot_mem_type {
	BOOT_MEM_USABLE = 1,
	BOOT_MEM_RESERVED = 2,
	BOOT_MEM_ACPI_RECLAIMABLE = 3,
	BOOT_MEM_ACPI_NVS = 4,
	BOOT_MEM_BAD = 5,
};

struct boot_mmap_entry {
	u64 base;
	u64 length;
	u32 type;
};

struct boot_module {
	u64 start;	/* physical, first byte */
	u64 end;	/* physical, one past the last byte */
	const char *string;	/* its command line, whole, inside the boot information block */
};

enum boot_fb_type {
	BOOT_FB_NONE = -1,
	BOOT_FB_INDEXED = 0,
	BOOT_FB_RGB = 1,
	BOOT_FB_EGA_TEXT = 2,
};

struct boot_framebuffer {
	int type;	/* enum boot_fb_type */
	u64 addr;
	u32 pitch, width, height;
	u8 bpp;
};

struct boot_info {
	u64 info_phys;		/* where the Multiboot2 information lies */
	u32 info_size;
	const char *cmdline;	/* whole, inside the boot information block ("" when none) */
	char loader_name[BOOT_LOADER_NAME_MAX];

	u32 mmap_count;
	bool mmap_truncated;
	struct boot_mmap_entry mmap[BOOT_MMAP_MAX];
	bool has_meminfo;	/* the basic lower/upper memory tag, a fallback for a missing map */
	u32 mem_lower_kib, mem_upper_kib;

	u32 module_count;
	u32 modules_dropped;	/* modules past BOOT_MODULES_MAX, counted but not kept */
	struct boot_module modules[BOOT_MODULES_MAX];

	u8 rsdp[36];		/* copy of the ACPI RSDP (20 bytes for ACPI 1.0, 36 for 2.0+) */
	u32 rsdp_len;

	struct boot_framebuffer fb;

	char error[BOOT_ERROR_MAX];	/* why parsing stopped early, empty when it did not */
};

#endif

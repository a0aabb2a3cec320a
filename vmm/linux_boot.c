/* SPDX-License-Identifier: MIT */
/* Linux's x86 boot protocol: the setup header's checks, the RAM plan, the zero page. Pure. */
#include "vmm/linux_boot.h"
#include "kernel/errno.h"
#include "kernel/format.h"
#include "kernel/string.h"
#include "vmm/pc_layout.h"

/* Offsets in the image's first sector and in the zero page (boot.rst, "the real-mode kernel
 * header", and the kernel's zero-page.rst). The setup header has the same offsets in both. */
#define HDR_START 0x1f1
#define HDR_SETUP_SECTS 0x1f1
#define HDR_BOOT_FLAG 0x1fe
#define HDR_JUMP_END 0x201	/* the header ends at 0x202 plus this byte */
#define HDR_MAGIC 0x202
#define HDR_VERSION 0x206
#define HDR_TYPE_OF_LOADER 0x210
#define HDR_LOADFLAGS 0x211
#define HDR_RAMDISK_IMAGE 0x218
#define HDR_RAMDISK_SIZE 0x21c
#define HDR_CMD_LINE_PTR 0x228
#define HDR_INITRD_ADDR_MAX 0x22c
#define HDR_KERNEL_ALIGNMENT 0x230
#define HDR_RELOCATABLE 0x234
#define HDR_XLOADFLAGS 0x236
#define HDR_CMDLINE_SIZE 0x238
#define HDR_PREF_ADDRESS 0x258
#define HDR_INIT_SIZE 0x260
#define HDR_MIN_SIZE 0x264	/* through init_size: protocol 2.10's header */

#define ZP_ORIG_VIDEO_MODE 0x06
#define ZP_ORIG_VIDEO_COLS 0x07
#define ZP_ORIG_VIDEO_LINES 0x0e
#define ZP_ORIG_VIDEO_ISVGA 0x0f
#define ZP_ORIG_VIDEO_POINTS 0x10
#define ZP_ACPI_RSDP_ADDR 0x70
#define ZP_EXT_RAMDISK_IMAGE 0xc0
#define ZP_EXT_RAMDISK_SIZE 0xc4
#define ZP_EXT_CMD_LINE_PTR 0xc8
#define ZP_E820_ENTRIES 0x1e8
#define ZP_E820_TABLE 0x2d0
#define ZP_E820_MAX 128

#define LOADED_HIGH BIT(0)
#define XLF_KERNEL_64 BIT(0)
#define BOOT_FLAG 0xaa55
#define HEADER_MAGIC 0x53726448	/* "HdrS" */
#define LOADER_UNDEFINED 0xff	/* a boot loader without an assigned ID (boot.rst) */

/* Where the zero page and the command line go: conventional memory, clear of the IVT/BDA. */
#define ZERO_PAGE_GPA 0x10000ULL
#define CMDLINE_GPA (ZERO_PAGE_GPA + LINUX_ZERO_PAGE_SIZE)
#define HIGH_START PC_RESERVED_END

static u64 get(const u8 *p, u32 at, u32 bytes)
{
	u64 v = 0;

	for (u32 i = 0; i < bytes; i++)
		v |= (u64)p[at + i] << (8 * i);
	return v;
}

static void put(u8 *p, u32 at, u32 bytes, u64 v)
{
	for (u32 i = 0; i < bytes; i++)
		p[at + i] = (u8)(v >> (8 * i));
}

static int refuse(char *error, size_t error_size, const char *why, u64 value)
{
	format(error, error_size, why, value);
	return -ENOEXEC;
}

static int check_header(const u8 *image, size_t size, struct linux_kernel *k, char *error,
			size_t error_size)
{
	u64 setup_sects;

	k->version = (u16)get(image, HDR_VERSION, 2);
	if (k->version < LINUX_BOOT_PROTOCOL_MIN)
		return refuse(error, error_size, "boot protocol %#llx is too old: Vireo needs 2.12 "
			      "or later (Linux 3.8 and later) for the 64-bit entry", k->version);
	if (!(get(image, HDR_XLOADFLAGS, 2) & XLF_KERNEL_64))
		return refuse(error, error_size, "the kernel has no 64-bit entry (xloadflags %#llx)",
			      get(image, HDR_XLOADFLAGS, 2));
	if (!(image[HDR_LOADFLAGS] & LOADED_HIGH))
		return refuse(error, error_size, "a zImage (loadflags %#llx): only bzImages load "
			      "above 1 MiB", image[HDR_LOADFLAGS]);
	if (!image[HDR_RELOCATABLE])
		return refuse(error, error_size, "relocatable_kernel is %llu: Vireo places the "
			      "kernel where the VM's RAM has room", image[HDR_RELOCATABLE]);
	setup_sects = image[HDR_SETUP_SECTS] ? image[HDR_SETUP_SECTS] : 4;
	k->payload_offset = (setup_sects + 1) * 512;
	k->header_end = HDR_MAGIC + image[HDR_JUMP_END];
	if (k->header_end < HDR_MIN_SIZE)
		return refuse(error, error_size, "its setup header ends at %#llx, before the "
			      "fields of protocol 2.10", k->header_end);
	if (k->payload_offset >= size)
		return refuse(error, error_size, "its setup (%llu sectors) leaves no kernel in the "
			      "file", setup_sects);
	return 0;
}

int linux_parse(const u8 *image, size_t size, struct linux_kernel *k, char *error,
		size_t error_size)
{
	int err;

	memset(k, 0, sizeof(*k));
	if (size < HDR_MIN_SIZE || get(image, HDR_MAGIC, 4) != HEADER_MAGIC)
		return -ENOENT;
	if (get(image, HDR_BOOT_FLAG, 2) != BOOT_FLAG)
		return refuse(error, error_size, "a Linux header, but boot flag %#llx", get(image,
			      HDR_BOOT_FLAG, 2));
	err = check_header(image, size, k, error, error_size);
	if (err)
		return err;
	k->payload_size = size - k->payload_offset;
	k->pref_address = get(image, HDR_PREF_ADDRESS, 8);
	k->alignment = get(image, HDR_KERNEL_ALIGNMENT, 4);
	k->init_size = get(image, HDR_INIT_SIZE, 4);
	k->cmdline_size = (u32)get(image, HDR_CMDLINE_SIZE, 4);
	k->initrd_addr_max = get(image, HDR_INITRD_ADDR_MAX, 4);
	if (k->alignment == 0 || (k->alignment & (k->alignment - 1)))
		return refuse(error, error_size, "kernel_alignment %#llx is not a power of two",
			      k->alignment);
	if (k->init_size < k->payload_size)
		return refuse(error, error_size, "init_size %#llx is smaller than the kernel",
			      k->init_size);
	return 0;
}

static bool fits(u64 at, u64 size, u64 limit)
{
	return at <= limit && size <= limit - at;
}

static int place_kernel(struct linux_boot *b, const struct linux_kernel *k, char *error,
			size_t error_size)
{
	u64 at = k->pref_address;

	if (at < HIGH_START || (at & (k->alignment - 1)) ||
	    !fits(at, k->init_size, b->boot_data_start))
		at = ALIGN_UP(HIGH_START, k->alignment);
	if (!fits(at, k->init_size, b->boot_data_start)) {
		format(error, error_size, "the kernel needs %llu MiB from %#llx (init_size), and "
		       "the VM's RAM below its boot data ends at %#llx", k->init_size / MiB + 1,
		       at, b->boot_data_start);
		return -E2BIG;
	}
	b->load_address = at;
	return 0;
}

/* As high as the kernel lets it, clear of the boot data and of what the kernel needs. */
static int place_initrd(struct linux_boot *b, const struct linux_kernel *k, char *error,
			size_t error_size)
{
	u64 end = MIN(b->boot_data_start, k->initrd_addr_max + 1);
	u64 kernel_end = b->load_address + k->init_size;

	b->initrd = 0;
	if (!b->initrd_size)
		return 0;
	if (b->initrd_size > end || ALIGN_DOWN(end - b->initrd_size, PAGE_SIZE) < kernel_end) {
		format(error, error_size, "the initramfs (%llu KiB) does not fit between the "
		       "kernel's end %#llx and %#llx", ALIGN_UP(b->initrd_size, KiB) / KiB,
		       kernel_end, end);
		return -E2BIG;
	}
	b->initrd = ALIGN_DOWN(end - b->initrd_size, PAGE_SIZE);
	return 0;
}

int linux_boot_plan(struct linux_boot *b, const struct linux_kernel *k, char *error,
		    size_t error_size)
{
	int err;

	if (b->cmdline_len > k->cmdline_size) {
		format(error, error_size, "a command line of %llu bytes, and the kernel takes at "
		       "most %u", b->cmdline_len, k->cmdline_size);
		return -E2BIG;
	}
	if (!fits(ZERO_PAGE_GPA, LINUX_ZERO_PAGE_SIZE + b->cmdline_len + 1,
		  MIN(PC_RESERVED_START, b->ram->range[0].size))) {
		format(error, error_size, "the VM has no conventional memory for the zero page");
		return -E2BIG;
	}
	b->zero_page = ZERO_PAGE_GPA;
	b->cmdline = CMDLINE_GPA;
	err = place_kernel(b, k, error, error_size);
	return err ? err : place_initrd(b, k, error, error_size);
}

/* An 80x25 colour text screen, as a BIOS leaves it: mode 3, 16-line characters. */
static void put_screen(u8 *zp)
{
	zp[ZP_ORIG_VIDEO_MODE] = 3;
	zp[ZP_ORIG_VIDEO_COLS] = 80;
	zp[ZP_ORIG_VIDEO_LINES] = 25;
	zp[ZP_ORIG_VIDEO_ISVGA] = 1;
	put(zp, ZP_ORIG_VIDEO_POINTS, 2, 16);
}

void linux_zero_page_write(u8 *zp, const u8 *image, const struct linux_kernel *k,
			   const struct linux_boot *b, const struct e820_entry *map, u32 entries,
			   bool vga_text, u64 rsdp)
{
	memset(zp, 0, LINUX_ZERO_PAGE_SIZE);
	memcpy(zp + HDR_START, image + HDR_START, k->header_end - HDR_START);
	zp[HDR_TYPE_OF_LOADER] = LOADER_UNDEFINED;
	put(zp, HDR_CMD_LINE_PTR, 4, b->cmdline);
	put(zp, ZP_EXT_CMD_LINE_PTR, 4, b->cmdline >> 32);
	put(zp, HDR_RAMDISK_IMAGE, 4, b->initrd);
	put(zp, ZP_EXT_RAMDISK_IMAGE, 4, b->initrd >> 32);
	put(zp, HDR_RAMDISK_SIZE, 4, b->initrd_size);
	put(zp, ZP_EXT_RAMDISK_SIZE, 4, b->initrd_size >> 32);
	entries = MIN(entries, ZP_E820_MAX);
	zp[ZP_E820_ENTRIES] = (u8)entries;
	memcpy(zp + ZP_E820_TABLE, map, entries * sizeof(*map));
	if (vga_text)
		put_screen(zp);
	put(zp, ZP_ACPI_RSDP_ADDR, 8, rsdp);
}

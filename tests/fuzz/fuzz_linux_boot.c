// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the Linux boot protocol (vmm/linux_boot.c) on any file as a bzImage. The input's
 * first 8 bytes are the VM: its RAM in MiB (2 bytes), the pages of boot data at the end of its
 * low RAM (1), the command line's length (2) and the initramfs's size in 256-byte units (3);
 * the rest is the image. A parsed kernel must be what its header says and inside the file; a
 * refusal must say why. A plan must put the zero page and the command line in conventional
 * memory, the kernel aligned above 1 MiB below the boot data, the initramfs between the
 * kernel's end and both the boot data and the kernel's limit, all in the VM's RAM; the zero
 * page must then tell the kernel exactly where they are.
 */
#include <string.h>

#include "tests/fuzz/fuzz_check.h"
#include "kernel/errno.h"
#include "vmm/linux_boot.h"
#include "vmm/pc_layout.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

#define PARAMS 8
#define HDR_START 0x1f1
#define HDR_TYPE_OF_LOADER 0x210
#define HDR_RAMDISK_IMAGE 0x218
#define HDR_RAMDISK_SIZE 0x21c
#define HDR_CMD_LINE_PTR 0x228
#define ZP_E820_ENTRIES 0x1e8

static u64 get(const u8 *p, u32 bytes)
{
	u64 v = 0;

	for (u32 i = 0; i < bytes; i++)
		v |= (u64)p[i] << (8 * i);
	return v;
}

static bool error_said(const char *error, size_t error_size)
{
	size_t len = strnlen(error, error_size);

	return len > 0 && len < error_size;
}

static void check_kernel(const struct linux_kernel *k, size_t size)
{
	fuzz_check(k->version >= LINUX_BOOT_PROTOCOL_MIN);
	fuzz_check(k->payload_offset >= 512 && k->payload_offset < size);
	fuzz_check(k->payload_offset + k->payload_size == size);
	fuzz_check(k->alignment && !(k->alignment & (k->alignment - 1)));
	fuzz_check(k->init_size >= k->payload_size);
	fuzz_check(k->header_end > HDR_START && k->header_end <= 0x202 + 0xff &&
		   k->header_end <= size);
}

static bool in_ram(const struct guest_ram_map *ram, u64 gpa, u64 len)
{
	u64 offset;

	return len == 0 || guest_ram_find(ram, gpa, len, &offset);
}

static void check_plan(const struct linux_boot *b, const struct linux_kernel *k)
{
	u64 kernel_end = b->load_address + k->init_size;

	fuzz_check(b->zero_page >= PC_BDA_BASE + PC_BDA_SIZE && b->zero_page + LINUX_ZERO_PAGE_SIZE <= b->cmdline);
	fuzz_check(b->cmdline + b->cmdline_len + 1 <= PC_RESERVED_START);
	fuzz_check(in_ram(b->ram, b->zero_page, b->cmdline + b->cmdline_len + 1 - b->zero_page));
	fuzz_check(b->cmdline_len <= k->cmdline_size);
	fuzz_check(b->load_address >= PC_RESERVED_END);
	fuzz_check(!(b->load_address & (k->alignment - 1)));
	fuzz_check(kernel_end >= b->load_address && kernel_end <= b->boot_data_start);
	fuzz_check(in_ram(b->ram, b->load_address, k->init_size));
	if (!b->initrd_size) {
		fuzz_check(b->initrd == 0);
		return;
	}
	fuzz_check(!(b->initrd & (PAGE_SIZE - 1)) && b->initrd >= kernel_end);
	fuzz_check(b->initrd + b->initrd_size <= b->boot_data_start);
	fuzz_check(b->initrd + b->initrd_size - 1 <= k->initrd_addr_max);
	fuzz_check(in_ram(b->ram, b->initrd, b->initrd_size));
}

static void check_zero_page(const u8 *zp, const u8 *image, const struct linux_kernel *k,
			    const struct linux_boot *b, u32 entries)
{
	fuzz_check(get(zp + HDR_CMD_LINE_PTR, 4) == b->cmdline);
	fuzz_check(get(zp + HDR_RAMDISK_IMAGE, 4) == (u32)b->initrd);
	fuzz_check(get(zp + HDR_RAMDISK_SIZE, 4) == (u32)b->initrd_size);
	fuzz_check(zp[HDR_TYPE_OF_LOADER] == 0xff);
	fuzz_check(zp[ZP_E820_ENTRIES] == entries);
	/* The header's own bytes, but for those the loader fills in. */
	for (u32 at = HDR_START; at < HDR_TYPE_OF_LOADER && at < k->header_end; at++)
		fuzz_check(zp[at] == image[at]);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static u8 zero_page[LINUX_ZERO_PAGE_SIZE];
	struct gpa_range device_hole = { GUEST_DEVICE_HOLE_START,
					 GUEST_DEVICE_HOLE_END - GUEST_DEVICE_HOLE_START };
	struct e820_entry map[E820_ENTRIES_MAX];
	struct guest_ram_map ram;
	struct linux_kernel k;
	struct linux_boot b;
	char error[160];
	const u8 *image = data + PARAMS;
	size_t image_size;
	u64 ram_size;
	u32 entries;
	int err;

	if (size < PARAMS)
		return 0;
	image_size = size - PARAMS;
	error[0] = '\0';
	err = linux_parse(image, image_size, &k, error, sizeof(error));
	fuzz_check(err == 0 || err == -ENOENT || err == -ENOEXEC);
	if (err == -ENOEXEC)
		fuzz_check(error_said(error, sizeof(error)));
	if (err)
		return 0;
	check_kernel(&k, image_size);
	ram_size = (2 + get(data, 2) % 8192) * MiB;
	fuzz_check(guest_ram_layout(&ram, ram_size, &device_hole, 1) == 0);
	b = (struct linux_boot){
		.ram = &ram,
		.boot_data_start = ram.range[0].size - (data[2] + 1ULL) * PAGE_SIZE,
		.cmdline_len = get(data + 3, 2),
		.initrd_size = get(data + 5, 3) << 8,
	};
	error[0] = '\0';
	err = linux_boot_plan(&b, &k, error, sizeof(error));
	fuzz_check(err == 0 || err == -E2BIG);
	if (err) {
		fuzz_check(error_said(error, sizeof(error)));
		return 0;
	}
	check_plan(&b, &k);
	entries = e820_build(&ram, b.boot_data_start, map);
	linux_zero_page_write(zero_page, image, &k, &b, map, entries, data[2] & 1, 0xe0000);
	check_zero_page(zero_page, image, &k, &b, entries);
	return 0;
}

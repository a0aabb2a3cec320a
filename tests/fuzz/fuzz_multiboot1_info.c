// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the Multiboot1 information builder (vmm/multiboot1_info.c) given a VM's RAM
 * size, the kernel's end, the loader's bytes, modules and the strings from the input. When
 * the plan and the placement succeed, the information is written into a buffer of exactly
 * multiboot1_info_size bytes (ASan catches a byte past it) and read back: it lies in the RAM
 * below the device hole above 1 MiB, every address in it points inside it at a terminated
 * string or table, the memory map's entries are in order, apart, and available only in RAM,
 * and the modules are page-aligned, apart, above the kernel and below the boot data.
 */
#include <string.h>

#include "tests/fuzz/fuzz_check.h"
#include "vmm/e820.h"
#include "vmm/multiboot1_info.h"
#include "vmm/pc_layout.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

struct __packed info {
	u32 flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
	u32 syms[4];
	u32 mmap_length, mmap_addr, drives_length, drives_addr, config_table;
	u32 boot_loader_name;
};

struct __packed mmap_entry {
	u32 size;
	u64 base, length;
	u32 type;
};

struct __packed module {
	u32 mod_start, mod_end, string, reserved;
};

struct input {
	const u8 *data;
	size_t size, at;
};

static u64 take(struct input *in, u32 bytes)
{
	u64 v = 0;

	for (u32 i = 0; i < bytes && in->at < in->size; i++)
		v |= (u64)in->data[in->at++] << (8 * i);
	return v;
}

/* The next NUL-terminated string of the input (its rest when no NUL is left). */
static const char *take_string(struct input *in, char *storage)
{
	size_t n = 0;

	while (in->at < in->size && in->data[in->at])
		storage[n++] = (char)in->data[in->at++];
	in->at += in->at < in->size;
	storage[n] = 0;
	return storage;
}

/* The offset in the information of [gpa, gpa + len), which must lie inside it. */
static u64 inside(const struct multiboot1_boot *b, u64 size, u64 gpa, u64 len)
{
	fuzz_check(gpa >= b->info_gpa && len <= size && gpa - b->info_gpa <= size - len);
	return gpa - b->info_gpa;
}

static void check_string(const struct multiboot1_boot *b, const u8 *buf, u64 size, u32 gpa,
			 const char *expected)
{
	u64 at = inside(b, size, gpa, 1);

	fuzz_check(memchr(buf + at, 0, size - at) != NULL);
	if (expected)
		fuzz_check(strcmp((const char *)buf + at, expected) == 0);
}

static bool in_ram(const struct guest_ram_map *ram, u64 base, u64 len)
{
	u64 offset;

	return guest_ram_find(ram, base, len, &offset);
}

static void check_info(const struct multiboot1_boot *b, const u8 *buf, u64 size)
{
	const struct info *info = (const void *)buf;
	u64 at = inside(b, size, info->mmap_addr, info->mmap_length), end = 0;
	u64 low = MAX(b->kernel_end, PC_RESERVED_END);

	fuzz_check(b->info_gpa >= PC_RESERVED_END && b->boot_data_start <= b->info_gpa);
	fuzz_check(b->info_gpa + size <= b->ram->range[0].size);
	fuzz_check(info->mmap_length % sizeof(struct mmap_entry) == 0);
	for (u32 i = 0; i < info->mmap_length / sizeof(struct mmap_entry); i++) {
		struct mmap_entry e;

		memcpy(&e, buf + at + i * sizeof(e), sizeof(e));
		fuzz_check(e.size == sizeof(e) - 4 && e.length && e.base >= end);
		fuzz_check(e.type != E820_RAM || in_ram(b->ram, e.base, e.length));
		end = e.base + e.length;
	}
	fuzz_check(info->mods_count == b->module_count);
	at = inside(b, size, info->mods_addr, info->mods_count * sizeof(struct module));
	end = 0;
	for (u32 i = 0; i < info->mods_count; i++) {
		struct module m;

		memcpy(&m, buf + at + i * sizeof(m), sizeof(m));
		fuzz_check(m.mod_start % PAGE_SIZE == 0 && m.mod_start >= low &&
			   m.mod_start >= end && m.mod_end >= m.mod_start &&
			   m.mod_end <= b->boot_data_start);
		fuzz_check(m.mod_end - m.mod_start == b->modules[i].size);
		check_string(b, buf, size, m.string, b->modules[i].name);
		end = m.mod_end;
	}
	check_string(b, buf, size, info->cmdline, NULL);
	check_string(b, buf, size, info->boot_loader_name, b->loader_name);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static const struct gpa_range hole = {
		GUEST_DEVICE_HOLE_START, GUEST_DEVICE_HOLE_END - GUEST_DEVICE_HOLE_START
	};
	static char strings[3 + VM_MODULES_MAX + 1][4096];
	struct input in = { data, size, 0 };
	struct vm_image modules[VM_MODULES_MAX + 1] = { 0 };
	struct guest_ram_map ram;
	struct multiboot1_boot b = { .ram = &ram, .modules = modules };
	char error[160];
	u64 loader_bytes, info_size;
	u8 *buf;

	if (size > 4000)
		return 0;	/* the strings' storage */
	if (guest_ram_layout(&ram, (take(&in, 2) % 8192 + 1) * 2 * MiB, &hole, 1) < 0)
		abort();	/* any multiple of 2 MiB up to 16 GiB has a layout */
	b.kernel_end = take(&in, 4);
	loader_bytes = take(&in, 1) % 16 * PAGE_SIZE;
	b.module_count = take(&in, 1) % (VM_MODULES_MAX + 2);
	for (u32 i = 0; i < b.module_count && i < ARRAY_SIZE(modules); i++)
		modules[i].size = take(&in, 4) * (take(&in, 1) % 2 ? PAGE_SIZE : 1);
	b.name = take_string(&in, strings[0]);
	b.args = take_string(&in, strings[1]);
	b.loader_name = take_string(&in, strings[2]);
	for (u32 i = 0; i < b.module_count && i < ARRAY_SIZE(modules); i++)
		modules[i].name = take(&in, 1) % 4 ? take_string(&in, strings[3 + i]) : NULL;

	if (multiboot1_info_plan(&b, loader_bytes, error, sizeof(error)) < 0) {
		fuzz_check(strnlen(error, sizeof(error)) < sizeof(error));
		return 0;
	}
	fuzz_check(b.module_count <= VM_MODULES_MAX);
	if (multiboot1_place_modules(&b, error, sizeof(error)) < 0) {
		fuzz_check(strnlen(error, sizeof(error)) < sizeof(error));
		return 0;
	}
	info_size = multiboot1_info_size(&b);
	buf = malloc(info_size);
	multiboot1_info_write(&b, buf);
	check_info(&b, buf, info_size);
	free(buf);
	return 0;
}

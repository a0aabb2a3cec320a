/* SPDX-License-Identifier: MIT */
/* The Multiboot1 boot information and module placement (Multiboot 0.6.96, 3.3). Pure. */
#include "vmm/multiboot1_info.h"
#include "kernel/errno.h"
#include "kernel/format.h"
#include "kernel/string.h"
#include "vmm/e820.h"

/* Lower memory ends below the PC's reserved area; upper memory starts at 1 MiB (spec 3.3). */
#define PC_LOW_END E820_PC_RESERVED_START
#define PC_HIGH_START E820_PC_RESERVED_END

struct __packed mb1_info {
	u32 flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
	u32 syms[4];
	u32 mmap_length, mmap_addr, drives_length, drives_addr, config_table;
	u32 boot_loader_name, apm_table, vbe_control_info, vbe_mode_info;
	u16 vbe_mode, vbe_interface_seg, vbe_interface_off, vbe_interface_len;
};

/* The size field comes first and counts only what follows it (spec 3.3, mmap_*). */
struct __packed mb1_mmap_entry {
	u32 size;
	u64 base, length;
	u32 type;
};

/* mod_end is the address just past the module, as GRUB sets it. */
struct __packed mb1_module {
	u32 mod_start, mod_end, string, reserved;
};

#define MMAP_ENTRIES_MAX E820_ENTRIES_MAX
#define INFO_FIXED_SIZE ALIGN_UP(sizeof(struct mb1_info), 16)

static const char *name_of(const struct vm_image *m)
{
	return m->name ? m->name : "";
}

int multiboot1_place_modules(struct multiboot1_boot *b, char *error, size_t error_size)
{
	u64 at = ALIGN_UP(MAX(b->kernel_end, PC_HIGH_START), PAGE_SIZE);

	for (u32 i = 0; i < b->module_count; i++) {
		u64 size = b->modules[i].size;

		if (at > b->boot_data_start || size > b->boot_data_start - at) {
			format(error, error_size, "module %u ('%.32s', %llu KiB) does not fit in the "
			       "RAM between the kernel and the boot data (%#llx-%#llx)", i,
			       name_of(&b->modules[i]), ALIGN_UP(size, KiB) / KiB,
			       MAX(b->kernel_end, PC_HIGH_START), b->boot_data_start);
			return -E2BIG;
		}
		b->module_addr[i] = at;
		at = ALIGN_UP(at + size, PAGE_SIZE);
	}
	return 0;
}

static size_t command_line_size(const struct multiboot1_boot *b)
{
	return strlen(b->name) + (b->args[0] ? 1 + strlen(b->args) : 0) + 1;
}

u64 multiboot1_info_size(const struct multiboot1_boot *b)
{
	u64 size = INFO_FIXED_SIZE + MMAP_ENTRIES_MAX * sizeof(struct mb1_mmap_entry) +
		   b->module_count * sizeof(struct mb1_module) + command_line_size(b) +
		   strlen(b->loader_name) + 1;

	for (u32 i = 0; i < b->module_count; i++)
		size += strlen(name_of(&b->modules[i])) + 1;
	return size;
}

int multiboot1_info_plan(struct multiboot1_boot *b, u64 loader_bytes, char *error,
			 size_t error_size)
{
	u64 low_end = b->ram->range[0].size, info_bytes;

	if (b->module_count > VM_MODULES_MAX) {
		format(error, error_size, "%u modules, and a Multiboot kernel takes at most %u",
		       b->module_count, VM_MODULES_MAX);
		return -E2BIG;
	}
	info_bytes = ALIGN_UP(multiboot1_info_size(b), PAGE_SIZE);
	if (low_end < PC_HIGH_START || info_bytes + loader_bytes > low_end - PC_HIGH_START) {
		format(error, error_size, "the Multiboot information (%llu KiB) leaves no RAM above "
		       "1 MiB", info_bytes / KiB);
		return -E2BIG;
	}
	b->info_gpa = low_end - info_bytes;
	b->boot_data_start = b->info_gpa - loader_bytes;
	return 0;
}

/* The Multiboot entry is the E820 one behind a size that counts only what follows it. */
static u32 put_memory_map(const struct multiboot1_boot *b, struct mb1_mmap_entry *e)
{
	struct e820_entry map[E820_ENTRIES_MAX];
	u32 n = e820_build(b->ram, b->boot_data_start, map);

	for (u32 i = 0; i < n; i++)
		e[i] = (struct mb1_mmap_entry){ sizeof(*e) - sizeof(e->size), map[i].addr,
						map[i].size, map[i].type };
	return n;
}

/* Copies s to buf + *at and returns its guest-physical address. */
static u32 put_string(const struct multiboot1_boot *b, u8 *buf, u64 *at, const char *s)
{
	u32 addr = (u32)(b->info_gpa + *at);
	size_t len = strlen(s) + 1;

	memcpy(buf + *at, s, len);
	*at += len;
	return addr;
}

static void put_modules(const struct multiboot1_boot *b, u8 *buf, u64 *at)
{
	struct mb1_module *list = (struct mb1_module *)(buf + *at);

	*at += b->module_count * sizeof(*list);
	for (u32 i = 0; i < b->module_count; i++) {
		list[i] = (struct mb1_module){
			.mod_start = (u32)b->module_addr[i],
			.mod_end = (u32)(b->module_addr[i] + b->modules[i].size),
			.string = put_string(b, buf, at, name_of(&b->modules[i])),
		};
	}
}

void multiboot1_info_write(const struct multiboot1_boot *b, u8 *buf)
{
	u64 gpa = b->info_gpa;
	struct mb1_info *info = (struct mb1_info *)buf;
	struct mb1_mmap_entry *map = (struct mb1_mmap_entry *)(buf + INFO_FIXED_SIZE);
	u32 entries;
	u64 at;

	memset(buf, 0, multiboot1_info_size(b));
	entries = put_memory_map(b, map);
	info->flags = MULTIBOOT1_INFO_MEMORY | MULTIBOOT1_INFO_CMDLINE | MULTIBOOT1_INFO_MODULES |
		      MULTIBOOT1_INFO_MEMORY_MAP | MULTIBOOT1_INFO_LOADER_NAME;
	info->mem_lower = (u32)(MIN(PC_LOW_END, b->ram->range[0].size) / KiB);
	info->mem_upper = b->boot_data_start > PC_HIGH_START ?
		(u32)((b->boot_data_start - PC_HIGH_START) / KiB) : 0;
	info->mmap_addr = (u32)(gpa + INFO_FIXED_SIZE);
	info->mmap_length = entries * sizeof(*map);
	at = INFO_FIXED_SIZE + MMAP_ENTRIES_MAX * sizeof(*map);
	info->mods_count = b->module_count;
	info->mods_addr = (u32)(gpa + at);
	put_modules(b, buf, &at);
	info->cmdline = (u32)(gpa + at);
	at += format((char *)buf + at, command_line_size(b), "%s%s%s", b->name,
		     b->args[0] ? " " : "", b->args) + 1;
	info->boot_loader_name = put_string(b, buf, &at, b->loader_name);
}

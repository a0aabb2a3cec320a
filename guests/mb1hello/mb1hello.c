// SPDX-License-Identifier: MIT
/*
 * mb1hello: a Multiboot1 kernel. It checks the machine state the spec promises at entry and
 * prints the Multiboot information it was given, then exits with 0, or 1 if a check failed.
 * Everything here is read as the spec (0.6.96, 3.2 and 3.3) lays it out, not from Vireo's code.
 */
#include "guests/lib/guest.h"

#define BOOT_MAGIC 0x2badb002u
#define INFO_MEMORY (1u << 0)
#define INFO_CMDLINE (1u << 2)
#define INFO_MODULES (1u << 3)
#define INFO_MEMORY_MAP (1u << 6)
#define INFO_LOADER_NAME (1u << 9)
#define CR0_PE (1u << 0)
#define CR0_PG (1u << 31)
#define EFLAGS_IF (1u << 9)
#define EFLAGS_VM (1u << 17)

struct __packed mb_info {
	u32 flags, mem_lower, mem_upper, boot_device, cmdline, mods_count, mods_addr;
	u32 syms[4];
	u32 mmap_length, mmap_addr, drives_length, drives_addr, config_table, boot_loader_name;
};

struct __packed mb_module {
	u32 start, end, string, reserved;
};

struct __packed mb_mmap_entry {
	u32 size;
	u64 base, length;
	u32 type;
};

extern const u32 multiboot_header[3];	/* entry.asm: magic, flags, checksum */

__noreturn void mb1_main(u32 magic, const struct mb_info *info);

/* One console line at a time: no printf in 32-bit guests (it would need libgcc). */
static char line[200];
static u32 line_len;
static int failures;

static void put(const char *s)
{
	while (*s && line_len < sizeof(line) - 2)
		line[line_len++] = *s++;
}

static const char hex[] = "0123456789abcdef";

static void put_hex(u64 v)
{
	char digits[19];
	int i = sizeof(digits) - 1;

	digits[i] = '\0';
	do
		digits[--i] = hex[v & 0xf];
	while ((v >>= 4) != 0);
	digits[--i] = 'x';
	digits[--i] = '0';
	put(digits + i);
}

static void put_byte(u8 b)
{
	char s[4] = { ' ', hex[b >> 4], hex[b & 0xf], '\0' };

	put(s);
}

static void put_dec(u32 v)
{
	char digits[11];
	int i = sizeof(digits) - 1;

	digits[i] = '\0';
	do
		digits[--i] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	put(digits + i);
}

static void end_line(void)
{
	line[line_len++] = '\n';
	line[line_len] = '\0';
	guest_puts(line);
	line_len = 0;
}

static void check(bool ok, const char *what)
{
	put(ok ? "ok: " : "FAILED: ");
	put(what);
	end_line();
	failures += !ok;
}

static void show_entry_state(void)
{
	u32 cr0, eflags;

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("pushf; pop %0" : "=r"(eflags));
	put("CR0 ");
	put_hex(cr0);
	put(", EFLAGS ");
	put_hex(eflags);
	end_line();
	check((cr0 & (CR0_PE | CR0_PG)) == CR0_PE, "protected mode, paging off");
	check(!(eflags & (EFLAGS_IF | EFLAGS_VM)), "interrupts off, not virtual-8086");
}

static void show_memory_map(const struct mb_info *info)
{
	u32 at = info->mmap_addr, end = info->mmap_addr + info->mmap_length;

	/* Each entry's size field counts the bytes after it. */
	for (; at < end; at += ((const struct mb_mmap_entry *)at)->size + 4) {
		const struct mb_mmap_entry *e = (const struct mb_mmap_entry *)at;

		put("mmap ");
		put_hex(e->base);
		put("-");
		put_hex(e->base + e->length);
		put(" type ");
		put_dec(e->type);
		end_line();
	}
}

static void show_modules(const struct mb_info *info)
{
	const struct mb_module *m = (const struct mb_module *)info->mods_addr;

	put("modules ");
	put_dec(info->mods_count);
	end_line();
	for (u32 i = 0; i < info->mods_count; i++, m++) {
		const u8 *data = (const u8 *)m->start;

		put("module ");
		put_dec(i);
		put(" '");
		put((const char *)m->string);
		put("' at ");
		put_hex(m->start);
		put(", ");
		put_dec(m->end - m->start);
		put(" bytes:");
		for (u32 b = 0; b < 8 && m->start + b < m->end; b++)
			put_byte(data[b]);
		end_line();
		check((m->start & 0xfff) == 0, "the module is page-aligned");
	}
}

__noreturn void mb1_main(u32 magic, const struct mb_info *info)
{
	put("mb1hello: magic ");
	put_hex(magic);
	put(", header flags ");
	put_hex(multiboot_header[1]);
	end_line();
	check(magic == BOOT_MAGIC, "the boot loader's magic");
	if (magic != BOOT_MAGIC)
		guest_exit(1);
	show_entry_state();
	put("info flags ");
	put_hex(info->flags);
	end_line();
	if (info->flags & INFO_MEMORY) {
		put("mem_lower ");
		put_dec(info->mem_lower);
		put(" KiB, mem_upper ");
		put_dec(info->mem_upper);
		put(" KiB");
		end_line();
	}
	if (info->flags & INFO_MEMORY_MAP)
		show_memory_map(info);
	if (info->flags & INFO_CMDLINE) {
		put("cmdline '");
		put((const char *)info->cmdline);
		put("'");
		end_line();
	}
	if (info->flags & INFO_MODULES)
		show_modules(info);
	if (info->flags & INFO_LOADER_NAME) {
		put("boot loader '");
		put((const char *)info->boot_loader_name);
		put("'");
		end_line();
	}
	check((info->flags & (INFO_MEMORY | INFO_MEMORY_MAP)) == (INFO_MEMORY | INFO_MEMORY_MAP),
	      "memory information given, as the header asks");
	guest_exit(failures ? 1 : 0);
}

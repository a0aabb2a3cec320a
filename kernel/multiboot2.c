/* SPDX-License-Identifier: MIT */
/* Multiboot2 boot information parser: pure, so crafted tag buffers test it on the host. */
#include "kernel/multiboot2.h"
#include "kernel/errno.h"
#include "kernel/format.h"
#include "kernel/string.h"

enum mb2_tag_type {
	MB2_TAG_END = 0,
	MB2_TAG_CMDLINE = 1,
	MB2_TAG_LOADER_NAME = 2,
	MB2_TAG_MODULE = 3,
	MB2_TAG_BASIC_MEMINFO = 4,
	MB2_TAG_MMAP = 6,
	MB2_TAG_FRAMEBUFFER = 8,
	MB2_TAG_ACPI_OLD = 14,
	MB2_TAG_ACPI_NEW = 15,
};

struct mb2_tag {
	u32 type;
	u32 size;
};

struct mb2_mmap_entry {
	u64 base;
	u64 length;
	u32 type;
	u32 reserved;
};

#define MB2_HEADER_SIZE 8
#define MB2_TAG_ALIGN 8

static int fail(struct boot_info *bi, const char *what, u32 type, size_t offset)
{
	format(bi->error, sizeof(bi->error), "tag type %u at offset %zu: %s", type, offset, what);
	return -EINVAL;
}

/* A string must end inside its tag, [s, s+len). */
static bool string_terminated(const u8 *s, size_t len)
{
	return strnlen((const char *)s, len) < len;
}

static int parse_mmap(struct boot_info *bi, const u8 *body, u32 len)
{
	u32 entry_size, i;

	if (len < 8)
		return -EINVAL;
	memcpy(&entry_size, body, 4);
	if (entry_size < sizeof(struct mb2_mmap_entry) || entry_size % 8)
		return -EINVAL;
	for (i = 8; i <= len && len - i >= entry_size; i += entry_size) {
		struct mb2_mmap_entry e;

		memcpy(&e, body + i, sizeof(e));
		if (bi->mmap_count == BOOT_MMAP_MAX) {
			bi->mmap_truncated = true;
			break;
		}
		bi->mmap[bi->mmap_count++] = (struct boot_mmap_entry){ e.base, e.length, e.type };
	}
	return 0;
}

static int parse_module(struct boot_info *bi, const u8 *body, u32 len)
{
	struct boot_module *m;
	u32 range[2];

	if (len < 9)
		return -EINVAL;
	memcpy(range, body, sizeof(range));
	if (range[1] < range[0] || !string_terminated(body + 8, len - 8))
		return -EINVAL;
	if (bi->module_count == BOOT_MODULES_MAX) {
		bi->modules_dropped++;
		return 0;
	}
	m = &bi->modules[bi->module_count++];
	m->start = range[0];
	m->end = range[1];
	m->string = (const char *)body + 8;
	return 0;
}

static int parse_framebuffer(struct boot_info *bi, const u8 *body, u32 len)
{
	struct boot_framebuffer *fb = &bi->fb;

	if (len < 22)
		return -EINVAL;
	memcpy(&fb->addr, body, 8);
	memcpy(&fb->pitch, body + 8, 4);
	memcpy(&fb->width, body + 12, 4);
	memcpy(&fb->height, body + 16, 4);
	fb->bpp = body[20];
	fb->type = body[21];
	return 0;
}

/* Parse one tag's body; returns 0 or -EINVAL when the body is malformed for its type. */
static int parse_tag(struct boot_info *bi, u32 type, const u8 *body, u32 len)
{
	switch (type) {
	case MB2_TAG_CMDLINE:
		if (!string_terminated(body, len))
			return -EINVAL;
		bi->cmdline = (const char *)body;
		return 0;
	case MB2_TAG_LOADER_NAME:
		if (!string_terminated(body, len))
			return -EINVAL;
		str_copy(bi->loader_name, (const char *)body, sizeof(bi->loader_name));
		return 0;
	case MB2_TAG_MODULE:
		return parse_module(bi, body, len);
	case MB2_TAG_BASIC_MEMINFO:
		if (len < 8)
			return -EINVAL;
		memcpy(&bi->mem_lower_kib, body, 4);
		memcpy(&bi->mem_upper_kib, body + 4, 4);
		bi->has_meminfo = true;
		return 0;
	case MB2_TAG_MMAP:
		return parse_mmap(bi, body, len);
	case MB2_TAG_FRAMEBUFFER:
		return parse_framebuffer(bi, body, len);
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW:
		/* Prefer the ACPI 2.0 copy whichever order the tags come in. */
		if (len < 20)
			return -EINVAL;
		if (type == MB2_TAG_ACPI_NEW || bi->rsdp_len < 36) {
			bi->rsdp_len = MIN(len, (u32)sizeof(bi->rsdp));
			memcpy(bi->rsdp, body, bi->rsdp_len);
		}
		return 0;
	default:
		return 0;	/* tags we do not use are skipped */
	}
}

int mb2_parse(const void *info, size_t avail, u64 info_phys, struct boot_info *bi)
{
	const u8 *base = info;
	u32 total;
	size_t off;

	memset(bi, 0, sizeof(*bi));
	bi->cmdline = "";
	bi->fb.type = BOOT_FB_NONE;
	bi->info_phys = info_phys;
	if (avail < MB2_HEADER_SIZE) {
		str_copy(bi->error, "information block shorter than its header", sizeof(bi->error));
		return -EINVAL;
	}
	memcpy(&total, base, 4);
	if (total < MB2_HEADER_SIZE + 8 || total > avail) {
		format(bi->error, sizeof(bi->error), "total size %u is impossible", total);
		return -EINVAL;
	}
	bi->info_size = total;
	for (off = MB2_HEADER_SIZE; off + sizeof(struct mb2_tag) <= total;) {
		struct mb2_tag tag;

		memcpy(&tag, base + off, sizeof(tag));
		if (tag.size < sizeof(tag) || tag.size > total - off)
			return fail(bi, "size runs outside the block", tag.type, off);
		if (tag.type == MB2_TAG_END)
			return 0;
		if (parse_tag(bi, tag.type, base + off + sizeof(tag), tag.size - sizeof(tag)) < 0)
			return fail(bi, "malformed contents", tag.type, off);
		off += ALIGN_UP((size_t)tag.size, MB2_TAG_ALIGN);
	}
	str_copy(bi->error, "no end tag", sizeof(bi->error));
	return -EINVAL;
}

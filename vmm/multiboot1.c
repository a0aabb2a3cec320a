/* SPDX-License-Identifier: MIT */
/* Multiboot1 kernel images: the header search and the load layout (Multiboot 0.6.96, 3.1). Pure. */
#include "vmm/multiboot1.h"
#include "kernel/errno.h"
#include "kernel/format.h"
#include "kernel/string.h"

/* Header fields (spec 3.1.1); those from header_addr on exist with MULTIBOOT1_ADDRESS_FIELDS. */
#define HDR_FLAGS 4
#define HDR_CHECKSUM 8
#define HDR_HEADER_ADDR 12
#define HDR_LOAD_ADDR 16
#define HDR_LOAD_END_ADDR 20
#define HDR_BSS_END_ADDR 24
#define HDR_ENTRY_ADDR 28
#define HDR_BASIC_SIZE 12
#define HDR_ADDRESS_SIZE 32

#define REQUIREMENT_BITS 0xffffu
#define KNOWN_REQUIREMENTS (MULTIBOOT1_PAGE_ALIGN | MULTIBOOT1_MEMORY_INFO)
#define REACH_OF_32_BITS (4 * GiB)

static u32 get32(const u8 *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

static int refuse(char *error, size_t error_size, const char *fmt, ...) __printf(3, 4);

static int refuse(char *error, size_t error_size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	format_v(error, error_size, fmt, ap);
	va_end(ap);
	return -ENOEXEC;
}

/*
 * The first magic whose header has a good checksum. A magic without one is not skipped
 * silently: with no good header after it, the image is refused naming what was found there.
 */
static int find_header(const u8 *p, size_t size, u32 *offset, char *error, size_t error_size)
{
	size_t limit = MIN(size, (size_t)MULTIBOOT1_SEARCH_BYTES);
	bool seen = false;
	size_t bad = 0;

	for (size_t off = 0; off + 4 <= limit; off += 4) {
		if (get32(p + off) != MULTIBOOT1_HEADER_MAGIC)
			continue;
		if (off + HDR_BASIC_SIZE <= limit &&
		    MULTIBOOT1_HEADER_MAGIC + get32(p + off + HDR_FLAGS) +
		    get32(p + off + HDR_CHECKSUM) == 0) {
			*offset = (u32)off;
			return 0;
		}
		if (!seen)
			bad = off;
		seen = true;
	}
	if (!seen)
		return -ENOENT;
	if (bad + HDR_BASIC_SIZE > limit)
		return refuse(error, error_size, "Multiboot header at offset %#zx is cut short by "
			      "the end of the %s", bad, limit == size ? "file" : "first 8 KiB");
	return refuse(error, error_size, "Multiboot header at offset %#zx has a bad checksum: "
		      "magic %#x + flags %#x + checksum %#x = %#x, not 0", bad,
		      MULTIBOOT1_HEADER_MAGIC, get32(p + bad + HDR_FLAGS),
		      get32(p + bad + HDR_CHECKSUM), MULTIBOOT1_HEADER_MAGIC +
		      get32(p + bad + HDR_FLAGS) + get32(p + bad + HDR_CHECKSUM));
}

/* A boot loader must refuse a kernel whose required flags it cannot meet (spec 3.1.2). */
static int check_requirements(u32 flags, char *error, size_t error_size)
{
	u32 unmet = flags & REQUIREMENT_BITS & ~KNOWN_REQUIREMENTS;

	if (unmet & MULTIBOOT1_VIDEO_MODE)
		return refuse(error, error_size, "the kernel requires a video mode (Multiboot flags "
			      "bit 2), and Vireo has no graphics to give");
	if (unmet)
		return refuse(error, error_size, "the kernel requires Multiboot features Vireo does "
			      "not know (flags %#x)", unmet);
	return 0;
}

/*
 * The address fields (spec 3.1.3): the file is loaded from the header's offset minus
 * (header_addr - load_addr), to load_end_addr or the file's end (0), zeroed to bss_end_addr
 * (0: no bss).
 */
static int layout_from_address_fields(const u8 *p, size_t size, u32 off, struct elf_image *l,
				      char *error, size_t error_size)
{
	u32 header_addr, load_addr, load_end, bss_end;
	u64 file_offset, load_size;

	if ((u64)off + HDR_ADDRESS_SIZE > MIN(size, (size_t)MULTIBOOT1_SEARCH_BYTES))
		return refuse(error, error_size, "Multiboot header at offset %#x: its address "
			      "fields (flags bit 16) are cut short", off);
	header_addr = get32(p + off + HDR_HEADER_ADDR);
	load_addr = get32(p + off + HDR_LOAD_ADDR);
	load_end = get32(p + off + HDR_LOAD_END_ADDR);
	bss_end = get32(p + off + HDR_BSS_END_ADDR);
	if (load_addr > header_addr)
		return refuse(error, error_size, "Multiboot load_addr %#x lies above header_addr "
			      "%#x", load_addr, header_addr);
	if (header_addr - load_addr > off)
		return refuse(error, error_size, "Multiboot header_addr - load_addr = %#x, but the "
			      "header is only %#x bytes into the file", header_addr - load_addr, off);
	file_offset = off - (header_addr - load_addr);
	if (load_end && (u64)load_end < (u64)header_addr + HDR_ADDRESS_SIZE)
		return refuse(error, error_size, "Multiboot load_end_addr %#x ends before the "
			      "header at header_addr %#x is loaded", load_end, header_addr);
	load_size = load_end ? load_end - load_addr : size - file_offset;
	if (file_offset + load_size > size)
		return refuse(error, error_size, "the file is cut short: the Multiboot address fields "
			      "load %#llx bytes from offset %#llx, and the file has %#zx", load_size,
			      file_offset, size);
	if (load_addr + load_size > REACH_OF_32_BITS)
		return refuse(error, error_size, "the Multiboot kernel at %#x would reach past 4 GiB",
			      load_addr);
	if (bss_end && bss_end < load_addr + load_size)
		return refuse(error, error_size, "Multiboot bss_end_addr %#x lies below the end of "
			      "the loaded file at %#llx", bss_end, load_addr + load_size);
	l->is64 = false;
	l->entry = get32(p + off + HDR_ENTRY_ADDR);
	l->segment_count = 1;
	l->segments[0] = (struct elf_segment){
		.paddr = load_addr, .vaddr = load_addr, .offset = file_offset,
		.file_size = load_size, .mem_size = (bss_end ? bss_end : load_addr + load_size) -
			(u64)load_addr,
	};
	return 0;
}

/*
 * As GRUB does, an entry point inside a segment's virtual range (a kernel linked high and
 * loaded low) is taken as its physical twin, since paging is off at entry.
 */
static u64 physical_entry(const struct elf_image *l)
{
	for (u32 i = 0; i < l->segment_count; i++) {
		const struct elf_segment *s = &l->segments[i];

		if (l->entry >= s->vaddr && l->entry - s->vaddr < s->mem_size)
			return l->entry - s->vaddr + s->paddr;
	}
	return l->entry;
}

static int layout_from_elf(const u8 *p, size_t size, struct elf_image *l, char *error,
			   size_t error_size)
{
	int err;

	if (!elf_is_elf(p, size))
		return refuse(error, error_size, "a Multiboot kernel that is not an ELF file needs "
			      "the address fields (flags bit 16)");
	err = elf_parse(p, size, l, error, error_size);
	if (err)
		return err;
	l->entry = physical_entry(l);
	for (u32 i = 0; i < l->segment_count; i++) {
		const struct elf_segment *s = &l->segments[i];

		if (s->paddr + s->mem_size > REACH_OF_32_BITS)
			return refuse(error, error_size, "segment at %#llx-%#llx lies past 4 GiB, out "
				      "of a 32-bit kernel's reach", s->paddr, s->paddr + s->mem_size);
	}
	return 0;
}

static int check_layout(const struct elf_image *l, char *error, size_t error_size)
{
	bool entry_loaded = false;

	for (u32 i = 0; i < l->segment_count; i++) {
		const struct elf_segment *a = &l->segments[i];

		entry_loaded |= l->entry >= a->paddr && l->entry - a->paddr < a->file_size;
		for (u32 j = 0; j < i; j++) {
			const struct elf_segment *b = &l->segments[j];

			if (a->paddr < b->paddr + b->mem_size && b->paddr < a->paddr + a->mem_size)
				return refuse(error, error_size, "segments at %#llx-%#llx and "
					      "%#llx-%#llx overlap", b->paddr, b->paddr + b->mem_size,
					      a->paddr, a->paddr + a->mem_size);
		}
	}
	if (!entry_loaded)
		return refuse(error, error_size, "the entry point %#llx lies outside what is "
			      "loaded from the file", l->entry);
	return 0;
}

int multiboot1_parse(const void *image, size_t size, struct multiboot1_kernel *out,
		     char *error, size_t error_size)
{
	const u8 *p = image;
	int err;

	memset(out, 0, sizeof(*out));
	err = find_header(p, size, &out->header_offset, error, error_size);
	if (err)
		return err;
	out->flags = get32(p + out->header_offset + HDR_FLAGS);
	err = check_requirements(out->flags, error, error_size);
	if (err)
		return err;
	if (out->flags & MULTIBOOT1_ADDRESS_FIELDS)
		err = layout_from_address_fields(p, size, out->header_offset, &out->layout, error,
						 error_size);
	else
		err = layout_from_elf(p, size, &out->layout, error, error_size);
	return err ? err : check_layout(&out->layout, error, error_size);
}

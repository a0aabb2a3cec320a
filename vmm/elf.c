/* SPDX-License-Identifier: MIT */
/* ELF parsing for guest images (System V ABI, "Object Files"). Pure. */
#include "vmm/elf.h"
#include "kernel/errno.h"
#include "kernel/format.h"
#include "kernel/string.h"

#define EI_CLASS 4
#define EI_DATA 5
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define EM_386 3
#define EM_X86_64 62
#define PT_LOAD 1

/* The fields we use, at their ELF32 / ELF64 offsets. */
struct elf_layout {
	u32 ehdr_size, phdr_size;
	u32 e_entry, e_phoff, e_phentsize, e_phnum;
	u32 p_type, p_offset, p_vaddr, p_paddr, p_filesz, p_memsz;
	u32 word;		/* 4 or 8 bytes per address-sized field */
};

static const struct elf_layout layout32 = { 52, 32, 24, 28, 42, 44, 0, 4, 8, 12, 16, 20, 4 };
static const struct elf_layout layout64 = { 64, 56, 24, 32, 54, 56, 0, 8, 16, 24, 32, 40, 8 };

static u64 get(const u8 *p, u32 bytes)
{
	u64 v = 0;

	for (u32 i = bytes; i > 0; i--)
		v = v << 8 | p[i - 1];
	return v;
}

bool elf_is_elf(const void *image, size_t size)
{
	return size >= 4 && memcmp(image, "\x7f" "ELF", 4) == 0;
}

static int fail(char *error, size_t size, const char *what)
{
	format(error, size, "not a loadable ELF: %s", what);
	return -ENOEXEC;
}

static int parse_segment(const u8 *ph, const struct elf_layout *l, size_t size,
			 struct elf_image *out, char *error, size_t error_size)
{
	struct elf_segment s;

	if (get(ph + l->p_type, 4) != PT_LOAD)
		return 0;
	s.offset = get(ph + l->p_offset, l->word);
	s.vaddr = get(ph + l->p_vaddr, l->word);
	s.paddr = get(ph + l->p_paddr, l->word);
	s.file_size = get(ph + l->p_filesz, l->word);
	s.mem_size = get(ph + l->p_memsz, l->word);
	if (s.file_size > s.mem_size)
		return fail(error, error_size, "a segment's file size exceeds its memory size");
	if (s.offset > size || s.file_size > size - s.offset)
		return fail(error, error_size, "a segment lies outside the file");
	if (s.paddr + s.mem_size < s.paddr)
		return fail(error, error_size, "a segment wraps around the address space");
	if (out->segment_count == ELF_MAX_SEGMENTS)
		return fail(error, error_size, "more than 16 loadable segments");
	out->segments[out->segment_count++] = s;
	return 0;
}

int elf_parse(const void *image, size_t size, struct elf_image *out, char *error,
	      size_t error_size)
{
	const u8 *e = image;
	const struct elf_layout *l;
	u64 phoff, phentsize, phnum;

	memset(out, 0, sizeof(*out));
	if (size < layout32.ehdr_size || !elf_is_elf(image, size))
		return fail(error, error_size, "no ELF header");
	if (e[EI_DATA] != ELFDATA2LSB)
		return fail(error, error_size, "not little-endian");
	if (e[EI_CLASS] != ELFCLASS32 && e[EI_CLASS] != ELFCLASS64)
		return fail(error, error_size, "unknown ELF class");
	out->is64 = e[EI_CLASS] == ELFCLASS64;
	l = out->is64 ? &layout64 : &layout32;
	if (size < l->ehdr_size)
		return fail(error, error_size, "truncated ELF header");
	if (get(e + 16, 2) != ET_EXEC)
		return fail(error, error_size, "not an executable (ET_EXEC)");
	if (get(e + 18, 2) != (out->is64 ? EM_X86_64 : EM_386))
		return fail(error, error_size, "built for another machine than x86");
	out->entry = get(e + l->e_entry, l->word);
	phoff = get(e + l->e_phoff, l->word);
	phentsize = get(e + l->e_phentsize, 2);
	phnum = get(e + l->e_phnum, 2);
	if (phnum == 0)
		return fail(error, error_size, "no program headers");
	if (phentsize < l->phdr_size || phoff > size || phnum > (size - phoff) / phentsize)
		return fail(error, error_size, "program headers lie outside the file");
	for (u64 i = 0; i < phnum; i++) {
		int err = parse_segment(e + phoff + i * phentsize, l, size, out, error, error_size);
		if (err)
			return err;
	}
	if (out->segment_count == 0)
		return fail(error, error_size, "no loadable segment");
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* Tests of the ELF guest-image parser on ELF32 and ELF64 images in exactly-sized buffers. */
#include "tests/unit/unit.h"
#include "vmm/elf.h"

#include <stdio.h>

#include "kernel/errno.h"

/* The System V ABI values the tests write. */
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ELFDATA2MSB 2
#define ET_NONE 0
#define ET_REL 1
#define ET_EXEC 2
#define ET_DYN 3
#define ET_CORE 4
#define EM_386 3
#define EM_X86_64 62
#define EM_AARCH64 183
#define PT_NULL 0
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_NOTE 4
#define PT_GNU_STACK 0x6474e551u

#define EHDR32_SIZE 52
#define EHDR64_SIZE 64
#define PHDR32_SIZE 32
#define PHDR64_SIZE 56

#define PREFIX "not a loadable ELF"
#define MAX_PHDRS 24

/* Header fields the tests set, with their offset and width in each class. */
enum ehdr_field { EH_TYPE, EH_MACHINE, EH_VERSION, EH_ENTRY, EH_PHOFF, EH_EHSIZE, EH_PHENTSIZE,
		  EH_PHNUM };
enum phdr_field { PH_TYPE, PH_FLAGS, PH_OFFSET, PH_VADDR, PH_PADDR, PH_FILESZ, PH_MEMSZ,
		  PH_ALIGN };

struct field {
	u8 offset, width;
};

static const struct field ehdr_fields[2][8] = {
	{ [EH_TYPE] = { 16, 2 }, [EH_MACHINE] = { 18, 2 }, [EH_VERSION] = { 20, 4 },
	  [EH_ENTRY] = { 24, 4 }, [EH_PHOFF] = { 28, 4 }, [EH_EHSIZE] = { 40, 2 },
	  [EH_PHENTSIZE] = { 42, 2 }, [EH_PHNUM] = { 44, 2 } },
	{ [EH_TYPE] = { 16, 2 }, [EH_MACHINE] = { 18, 2 }, [EH_VERSION] = { 20, 4 },
	  [EH_ENTRY] = { 24, 8 }, [EH_PHOFF] = { 32, 8 }, [EH_EHSIZE] = { 52, 2 },
	  [EH_PHENTSIZE] = { 54, 2 }, [EH_PHNUM] = { 56, 2 } },
};

static const struct field phdr_fields[2][8] = {
	{ [PH_TYPE] = { 0, 4 }, [PH_OFFSET] = { 4, 4 }, [PH_VADDR] = { 8, 4 },
	  [PH_PADDR] = { 12, 4 }, [PH_FILESZ] = { 16, 4 }, [PH_MEMSZ] = { 20, 4 },
	  [PH_FLAGS] = { 24, 4 }, [PH_ALIGN] = { 28, 4 } },
	{ [PH_TYPE] = { 0, 4 }, [PH_FLAGS] = { 4, 4 }, [PH_OFFSET] = { 8, 8 },
	  [PH_VADDR] = { 16, 8 }, [PH_PADDR] = { 24, 8 }, [PH_FILESZ] = { 32, 8 },
	  [PH_MEMSZ] = { 40, 8 }, [PH_ALIGN] = { 48, 8 } },
};

struct seg {
	u32 type;
	u64 offset, vaddr, paddr, file_size, mem_size;
};

/* An image to build: the header, the program headers right after it, then segment data. */
struct elf_desc {
	bool is64;
	u64 entry;
	u16 phentsize;		/* 0: the class's own program header size */
	u32 count;
	struct seg segs[MAX_PHDRS];
};

/* An image in a buffer of exactly its size, so ASan catches any read past its end. */
struct image {
	u8 *data;
	size_t size;
};

static void put(u8 *p, u64 value, u32 width)
{
	for (u32 i = 0; i < width; i++)
		p[i] = (u8)(value >> (8 * i));
}

static void put_ehdr(struct image *im, bool is64, enum ehdr_field f, u64 value)
{
	const struct field *fl = &ehdr_fields[is64][f];

	assert_true(fl->offset + fl->width <= im->size);
	put(im->data + fl->offset, value, fl->width);
}

static size_t phdr_at(const struct image *im, bool is64, u32 index)
{
	const struct field *fl = &ehdr_fields[is64][EH_PHOFF];
	const struct field *fe = &ehdr_fields[is64][EH_PHENTSIZE];
	u64 phoff = 0, phentsize = 0;

	for (u32 i = fl->width; i > 0; i--)
		phoff = phoff << 8 | im->data[fl->offset + i - 1];
	phentsize = im->data[fe->offset] | im->data[fe->offset + 1] << 8;
	return phoff + index * phentsize;
}

static void put_phdr(struct image *im, bool is64, u32 index, enum phdr_field f, u64 value)
{
	const struct field *fl = &phdr_fields[is64][f];
	size_t at = phdr_at(im, is64, index) + fl->offset;

	assert_true(at + fl->width <= im->size);
	put(im->data + at, value, fl->width);
}

static size_t ehdr_size(bool is64)
{
	return is64 ? EHDR64_SIZE : EHDR32_SIZE;
}

static size_t phdr_size(bool is64)
{
	return is64 ? PHDR64_SIZE : PHDR32_SIZE;
}

/* The byte every segment's data is filled with, so a reported offset can be checked. */
static u8 fill_byte(u32 index)
{
	return (u8)(0xa0 + index);
}

static struct image build(const struct elf_desc *d)
{
	size_t phentsize = d->phentsize ? d->phentsize : phdr_size(d->is64);
	size_t phoff = ehdr_size(d->is64);
	size_t size = phoff + d->count * phentsize;
	struct image im;

	assert_true(d->count <= MAX_PHDRS);
	for (u32 i = 0; i < d->count; i++) {
		const struct seg *s = &d->segs[i];

		if (s->type == PT_LOAD)
			size = MAX(size, s->offset + s->file_size);
	}
	im.size = size;
	im.data = malloc(size);
	assert_non_null(im.data);
	memset(im.data, 0, size);
	memcpy(im.data, "\x7f" "ELF", 4);
	im.data[EI_CLASS] = d->is64 ? ELFCLASS64 : ELFCLASS32;
	im.data[EI_DATA] = ELFDATA2LSB;
	im.data[EI_VERSION] = 1;
	put_ehdr(&im, d->is64, EH_TYPE, ET_EXEC);
	put_ehdr(&im, d->is64, EH_MACHINE, d->is64 ? EM_X86_64 : EM_386);
	put_ehdr(&im, d->is64, EH_VERSION, 1);
	put_ehdr(&im, d->is64, EH_ENTRY, d->entry);
	put_ehdr(&im, d->is64, EH_PHOFF, phoff);
	put_ehdr(&im, d->is64, EH_EHSIZE, ehdr_size(d->is64));
	put_ehdr(&im, d->is64, EH_PHENTSIZE, phentsize);
	put_ehdr(&im, d->is64, EH_PHNUM, d->count);
	for (u32 i = 0; i < d->count; i++) {
		const struct seg *s = &d->segs[i];

		/* Loadable data only, and never over the headers (the descriptions avoid it). */
		assert_true(s->type != PT_LOAD || s->offset >= phoff + d->count * phentsize ||
			    s->file_size == 0);
		if (s->type == PT_LOAD)
			memset(im.data + s->offset, fill_byte(i), s->file_size);
	}
	for (u32 i = 0; i < d->count; i++) {
		const struct seg *s = &d->segs[i];

		put_phdr(&im, d->is64, i, PH_TYPE, s->type);
		put_phdr(&im, d->is64, i, PH_FLAGS, 5);
		put_phdr(&im, d->is64, i, PH_OFFSET, s->offset);
		put_phdr(&im, d->is64, i, PH_VADDR, s->vaddr);
		put_phdr(&im, d->is64, i, PH_PADDR, s->paddr);
		put_phdr(&im, d->is64, i, PH_FILESZ, s->file_size);
		put_phdr(&im, d->is64, i, PH_MEMSZ, s->mem_size);
		put_phdr(&im, d->is64, i, PH_ALIGN, 0x1000);
	}
	return im;
}

/* Cut the image to its first size bytes, in a new buffer of exactly that size. */
static void truncate_image(struct image *im, size_t size)
{
	u8 *data = malloc(size);	/* malloc(0) too: ASan flags any access to it */

	assert_true(data || !size);
	assert_true(size <= im->size);
	memcpy(data, im->data, size);
	free(im->data);
	im->data = data;
	im->size = size;
}

/* Parse into a result full of garbage, so nothing stale can pass for parsed data. */
static int parse(const struct image *im, struct elf_image *out, char *error, size_t error_size)
{
	memset(out, 0x5a, sizeof(*out));
	return elf_parse(im->data, im->size, out, error, error_size);
}

static void expect_parsed(const struct image *im, const struct elf_desc *d)
{
	struct elf_image out;
	char error[128] = "";
	u32 n = 0;
	int err = parse(im, &out, error, sizeof(error));

	if (err)
		fail_msg("%s: elf_parse failed (%d): %s", unit_label, err, error);
	EXPECT_EQ(out.is64, d->is64);
	EXPECT_EQ(out.entry, d->entry);
	for (u32 i = 0; i < d->count; i++) {
		const struct seg *s = &d->segs[i];
		const struct elf_segment *got = &out.segments[n];

		if (s->type != PT_LOAD)
			continue;
		assert_true(n < out.segment_count);
		EXPECT_EQ(got->paddr, s->paddr);
		EXPECT_EQ(got->vaddr, s->vaddr);
		EXPECT_EQ(got->offset, s->offset);
		EXPECT_EQ(got->file_size, s->file_size);
		EXPECT_EQ(got->mem_size, s->mem_size);
		/* The reported file range holds this segment's own data. */
		for (u64 b = 0; b < got->file_size; b++)
			EXPECT_EQ(im->data[got->offset + b], fill_byte(i));
		n++;
	}
	EXPECT_EQ(out.segment_count, n);
}

static void expect_rejected(const struct image *im)
{
	struct elf_image out;
	char *error = malloc(128);
	int err;

	assert_non_null(error);
	memset(error, 'x', 128);
	err = parse(im, &out, error, 128);
	if (err != -ENOEXEC)
		fail_msg("%s: elf_parse returned %d, expected -ENOEXEC", unit_label, err);
	if (strnlen(error, 128) == 128 || strncmp(error, PREFIX, strlen(PREFIX)) != 0)
		fail_msg("%s: message \"%.127s\" does not start with \"" PREFIX "\"", unit_label, error);
	if (strlen(error) <= strlen(PREFIX) + 2)
		fail_msg("%s: message \"%s\" gives no reason", unit_label, error);
	free(error);
}

/* Two loadable segments with a note between them that lies outside the file. */
#define IMAGE_SIZE 0x160
#define BASE_DESC(is64_, vbase)								\
	{ .is64 = is64_, .entry = (vbase) + 0x10, .count = 3, .segs = {			\
		{ PT_LOAD, 0x100, (vbase), 0x100000, 0x40, 0x80 },			\
		{ PT_NOTE, 0xdead0000, 0, 0, 0x10, 0 },					\
		{ PT_LOAD, 0x140, (vbase) + 0x1000, 0x101000, 0x20, 0x1000 } } }

static const struct elf_desc base_descs[2] = {
	BASE_DESC(false, 0xc0000000ULL),
	BASE_DESC(true, 0xffffffff80000000ULL),
};

static const char *class_name(bool is64)
{
	return is64 ? "ELF64" : "ELF32";
}

static void test_base_images_parse(void **state)
{
	(void)state;

	for (int c = 0; c < 2; c++) {
		struct image im = build(&base_descs[c]);

		snprintf(unit_label, sizeof(unit_label), "%s base image", class_name(c));
		EXPECT_EQ(im.size, IMAGE_SIZE);
		assert_true(elf_is_elf(im.data, im.size));
		expect_parsed(&im, &base_descs[c]);
		free(im.data);
	}
}

static const struct elf_desc valid_descs[] = {
	/* One segment, entry and addresses at the top of the 32-bit space: no sign extension. */
	{ .is64 = false, .entry = 0xfffffff0, .count = 1, .segs = {
		{ PT_LOAD, 0x60, 0xffff0000, 0xffff0000, 0x20, 0x10000 } } },
	{ .is64 = true, .entry = 0xfffffffffffffff0ULL, .count = 1, .segs = {
		{ PT_LOAD, 0x80, 0xffffffffffff0000ULL, 0xfffffffffff00000ULL, 0x20,
		  0x10000 } } },
	/* Addresses and entry above 4 GiB in ELF64. */
	{ .is64 = true, .entry = 0x123456789aULL, .count = 2, .segs = {
		{ PT_LOAD, 0x100, 0x1234560000ULL, 0x40000000, 0x30, 0x30 },
		{ PT_LOAD, 0x130, 0x1234561000ULL, 0x140000000ULL, 0x8, 0x2000 } } },
	/* Non-loadable headers of every kind around the loadable ones are skipped. */
	{ .is64 = false, .entry = 0x100000, .count = 6, .segs = {
		{ PT_NULL, 0, 0, 0, 0, 0 },
		{ PT_LOAD, 0x200, 0x100000, 0x100000, 0x10, 0x10 },
		{ PT_DYNAMIC, 0xffffff00, 0, 0, 0x1000, 0x1000 },
		{ PT_GNU_STACK, 0, 0, 0, 0, 0 },
		{ PT_LOAD, 0x210, 0x200000, 0x300000, 0x10, 0x20 },
		{ PT_NOTE, 0x208, 0, 0, 0x40, 0 } } },
	{ .is64 = true, .entry = 0x100000, .count = 5, .segs = {
		{ PT_GNU_STACK, 0, 0, 0, 0, 0 },
		{ PT_NOTE, 0xffffffffffffff00ULL, 0, 0, 0x1000, 0 },
		{ PT_LOAD, 0x200, 0x100000, 0x100000, 0x10, 0x10 },
		{ PT_NULL, 0, 0, 0, 0, 0 },
		{ PT_LOAD, 0x210, 0x200000, 0x300000, 0x10, 0x20 } } },
	/* Zero-size and memory-only segments, including one at the very end of the file. */
	{ .is64 = true, .entry = 0x1000, .count = 3, .segs = {
		{ PT_LOAD, 0x100, 0x1000, 0x1000, 0x10, 0x10 },
		{ PT_LOAD, 0, 0x2000, 0x2000, 0, 0x3000 },
		{ PT_LOAD, 0x110, 0x9000, 0x9000, 0, 0 } } },
	{ .is64 = false, .entry = 0x1000, .count = 2, .segs = {
		{ PT_LOAD, 0xa0, 0x1000, 0x1000, 0x10, 0x10 },
		{ PT_LOAD, 0, 0x2000, 0x2000, 0, 0xffffe000 } } },
	/* paddr differs from vaddr, as in a kernel linked high and loaded low. */
	{ .is64 = true, .entry = 0xffffffff81000000ULL, .count = 1, .segs = {
		{ PT_LOAD, 0x1000, 0xffffffff81000000ULL, 0x1000000, 0x100, 0x200 } } },
	/* Program headers bigger than the class's own, with padding between them. */
	{ .is64 = true, .entry = 0x2000, .phentsize = 64, .count = 2, .segs = {
		{ PT_LOAD, 0x100, 0x2000, 0x2000, 0x20, 0x20 },
		{ PT_LOAD, 0x120, 0x3000, 0x3000, 0x20, 0x20 } } },
	{ .is64 = false, .entry = 0x2000, .phentsize = 40, .count = 2, .segs = {
		{ PT_LOAD, 0x100, 0x2000, 0x2000, 0x20, 0x20 },
		{ PT_LOAD, 0x120, 0x3000, 0x3000, 0x20, 0x20 } } },
};

static void test_valid_images_report_entry_and_loadable_segments(void **state)
{
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(valid_descs); i++) {
		const struct elf_desc *d = &valid_descs[i];
		struct image im = build(d);

		snprintf(unit_label, sizeof(unit_label), "%s valid image %zu", class_name(d->is64), i);
		expect_parsed(&im, d);
		free(im.data);
	}
}

/* count loadable segments, with a non-loadable header after every fourth one. */
static struct elf_desc many_segments(bool is64, u32 count)
{
	struct elf_desc d = { .is64 = is64, .entry = 0x400000 };
	u64 data = 0x800;

	for (u32 i = 0; i < count; i++) {
		if (i % 4 == 3)
			d.segs[d.count++] = (struct seg){ PT_NOTE, 0x7ffffff0, 0, 0, 0x40, 0 };
		d.segs[d.count++] = (struct seg){ PT_LOAD, data, 0x400000 + i * 0x10000ULL,
						  0x1000000 + i * 0x10000ULL, 0x10, 0x1000 };
		data += 0x10;
	}
	assert_true(d.count <= MAX_PHDRS);
	return d;
}

static void test_up_to_max_segments_are_accepted(void **state)
{
	static const u32 counts[] = { 1, 2, ELF_MAX_SEGMENTS - 1, ELF_MAX_SEGMENTS };
	(void)state;

	for (int c = 0; c < 2; c++) {
		for (size_t i = 0; i < ARRAY_SIZE(counts); i++) {
			struct elf_desc d = many_segments(c, counts[i]);
			struct image im = build(&d);

			snprintf(unit_label, sizeof(unit_label), "%s with %u loadable segments",
				 class_name(c), counts[i]);
			expect_parsed(&im, &d);
			free(im.data);
		}
	}
}

static void test_more_than_max_segments_are_rejected(void **state)
{
	(void)state;

	for (int c = 0; c < 2; c++) {
		struct elf_desc d = many_segments(c, ELF_MAX_SEGMENTS + 1);
		struct image im = build(&d);

		snprintf(unit_label, sizeof(unit_label), "%s with %u loadable segments", class_name(c),
			 ELF_MAX_SEGMENTS + 1);
		expect_rejected(&im);
		free(im.data);
	}
}

/* One change to the base image. */
enum edit_kind { ED_NONE, ED_IDENT, ED_EHDR, ED_PHDR, ED_SIZE };

struct edit {
	enum edit_kind kind;
	u32 field;		/* ident byte, ehdr_field or phdr_field */
	u32 index;		/* program header, for ED_PHDR */
	u64 value[2];		/* for ELF32 and for ELF64 */
};

#define V(x) { (x), (x) }
#define C32 1
#define C64 2
#define BOTH (C32 | C64)

struct bad_case {
	const char *name;
	u32 classes;
	struct edit edits[2];
};

static const struct bad_case bad_cases[] = {
	{ "empty file", BOTH, { { ED_SIZE, 0, 0, V(0) } } },
	{ "three bytes of magic", BOTH, { { ED_SIZE, 0, 0, V(3) } } },
	{ "only the magic", BOTH, { { ED_SIZE, 0, 0, V(4) } } },
	{ "only e_ident", BOTH, { { ED_SIZE, 0, 0, V(16) } } },
	{ "one byte short of an ELF32 header", BOTH, { { ED_SIZE, 0, 0, V(EHDR32_SIZE - 1) } } },
	{ "ELF64 header cut at the ELF32 size", C64, { { ED_SIZE, 0, 0, V(EHDR32_SIZE) } } },
	{ "ELF64 header one byte short", C64, { { ED_SIZE, 0, 0, V(EHDR64_SIZE - 1) } } },
	{ "bad first magic byte", BOTH, { { ED_IDENT, 0, 0, V(0x7e) } } },
	{ "lower-case magic", BOTH, { { ED_IDENT, 1, 0, V('e') } } },
	{ "bad last magic byte", BOTH, { { ED_IDENT, 3, 0, V('G') } } },
	{ "big-endian", BOTH, { { ED_IDENT, EI_DATA, 0, V(ELFDATA2MSB) } } },
	{ "no data encoding", BOTH, { { ED_IDENT, EI_DATA, 0, V(0) } } },
	{ "class none", BOTH, { { ED_IDENT, EI_CLASS, 0, V(0) } } },
	{ "class 3", BOTH, { { ED_IDENT, EI_CLASS, 0, V(3) } } },
	{ "class 0xff", BOTH, { { ED_IDENT, EI_CLASS, 0, V(0xff) } } },
	{ "ET_NONE", BOTH, { { ED_EHDR, EH_TYPE, 0, V(ET_NONE) } } },
	{ "ET_REL", BOTH, { { ED_EHDR, EH_TYPE, 0, V(ET_REL) } } },
	{ "ET_DYN", BOTH, { { ED_EHDR, EH_TYPE, 0, V(ET_DYN) } } },
	{ "ET_CORE", BOTH, { { ED_EHDR, EH_TYPE, 0, V(ET_CORE) } } },
	{ "ET_EXEC byte-swapped", BOTH, { { ED_EHDR, EH_TYPE, 0, V(ET_EXEC << 8) } } },
	{ "EM_386 in ELF64", C64, { { ED_EHDR, EH_MACHINE, 0, V(EM_386) } } },
	{ "EM_X86_64 in ELF32", C32, { { ED_EHDR, EH_MACHINE, 0, V(EM_X86_64) } } },
	{ "EM_AARCH64", BOTH, { { ED_EHDR, EH_MACHINE, 0, V(EM_AARCH64) } } },
	{ "machine byte-swapped", BOTH,
	  { { ED_EHDR, EH_MACHINE, 0, { EM_386 << 8, EM_X86_64 << 8 } } } },
	{ "no program headers", BOTH, { { ED_EHDR, EH_PHNUM, 0, V(0) } } },
	{ "program headers at the end of the file", BOTH,
	  { { ED_EHDR, EH_PHOFF, 0, V(IMAGE_SIZE) } } },
	{ "program headers past the end of the file", BOTH,
	  { { ED_EHDR, EH_PHOFF, 0, V(IMAGE_SIZE + 1) } } },
	{ "program header offset at the top of the address space", BOTH,
	  { { ED_EHDR, EH_PHOFF, 0, { 0xffffffe0, 0xffffffffffffffc8ULL } } } },
	{ "last program header one byte past the end", BOTH,
	  { { ED_EHDR, EH_PHOFF, 0,
	      { IMAGE_SIZE - 3 * PHDR32_SIZE + 1, IMAGE_SIZE - 3 * PHDR64_SIZE + 1 } } } },
	{ "one program header more than the file holds", BOTH,
	  { { ED_EHDR, EH_PHNUM, 0, { (IMAGE_SIZE - EHDR32_SIZE) / PHDR32_SIZE + 1,
				      (IMAGE_SIZE - EHDR64_SIZE) / PHDR64_SIZE + 1 } } } },
	{ "65535 program headers of 65535 bytes", BOTH,
	  { { ED_EHDR, EH_PHNUM, 0, V(0xffff) }, { ED_EHDR, EH_PHENTSIZE, 0, V(0xffff) } } },
	{ "program header size one byte short", BOTH,
	  { { ED_EHDR, EH_PHENTSIZE, 0, { PHDR32_SIZE - 1, PHDR64_SIZE - 1 } } } },
	{ "ELF32 program header size in ELF64", C64,
	  { { ED_EHDR, EH_PHENTSIZE, 0, V(PHDR32_SIZE) } } },
	{ "program header size 1", BOTH, { { ED_EHDR, EH_PHENTSIZE, 0, V(1) } } },
	{ "program header size 0", BOTH, { { ED_EHDR, EH_PHENTSIZE, 0, V(0) } } },
	{ "file size one byte over memory size", BOTH,
	  { { ED_PHDR, PH_MEMSZ, 0, V(0x3f) } } },
	{ "file data with no memory", BOTH, { { ED_PHDR, PH_MEMSZ, 2, V(0) } } },
	{ "segment data one byte past the end", BOTH,
	  { { ED_PHDR, PH_FILESZ, 2, V(0x21) } } },
	{ "segment starting past the end", BOTH, { { ED_PHDR, PH_OFFSET, 2, V(IMAGE_SIZE + 1) } } },
	{ "empty segment starting past the end", BOTH,
	  { { ED_PHDR, PH_OFFSET, 2, V(IMAGE_SIZE + 1) }, { ED_PHDR, PH_FILESZ, 2, V(0) } } },
	{ "segment offset at the top of the address space", BOTH,
	  { { ED_PHDR, PH_OFFSET, 2, { 0xffffffff, 0xffffffffffffffffULL } } } },
	{ "offset plus file size wraps to the file", BOTH,
	  { { ED_PHDR, PH_FILESZ, 2, { 0xfffffff0, 0xfffffffffffffff0ULL } },
	    { ED_PHDR, PH_MEMSZ, 2, { 0xfffffff0, 0xfffffffffffffff0ULL } } } },
	{ "offset plus file size wraps past zero", C64,
	  { { ED_PHDR, PH_FILESZ, 2, V(0xfffffffffffffff0ULL) },
	    { ED_PHDR, PH_MEMSZ, 2, V(0xffffffffffffffffULL) } } },
	{ "paddr plus memory size wraps", C64,
	  { { ED_PHDR, PH_PADDR, 2, V(0xfffffffffffff800ULL) } } },
	{ "memory size wraps from a low paddr", C64,
	  { { ED_PHDR, PH_MEMSZ, 0, V(0xfffffffffffff000ULL) } } },
	{ "all-ones paddr and memory size", C64,
	  { { ED_PHDR, PH_PADDR, 2, V(0xffffffffffffffffULL) },
	    { ED_PHDR, PH_MEMSZ, 2, V(0xffffffffffffffffULL) } } },
	{ "no PT_LOAD", BOTH,
	  { { ED_PHDR, PH_TYPE, 0, V(PT_NOTE) }, { ED_PHDR, PH_TYPE, 2, V(PT_NULL) } } },
	{ "only a bad non-loadable header left", BOTH,
	  { { ED_PHDR, PH_TYPE, 0, V(PT_GNU_STACK) }, { ED_PHDR, PH_TYPE, 2, V(PT_DYNAMIC) } } },
};

static void apply(struct image *im, bool is64, const struct edit *e)
{
	u64 value = e->value[is64];

	switch (e->kind) {
	case ED_NONE:
		break;
	case ED_IDENT:
		im->data[e->field] = (u8)value;
		break;
	case ED_EHDR:
		put_ehdr(im, is64, e->field, value);
		break;
	case ED_PHDR:
		put_phdr(im, is64, e->index, e->field, value);
		break;
	case ED_SIZE:
		truncate_image(im, value);
		break;
	}
}

/* The base image of a class with a bad case's edits applied; program headers edited first. */
static struct image bad_image(const struct bad_case *c, bool is64)
{
	struct image im = build(&base_descs[is64]);

	for (int pass = 0; pass < 2; pass++) {
		for (size_t k = 0; k < ARRAY_SIZE(c->edits); k++) {
			if ((c->edits[k].kind == ED_PHDR) == (pass == 0))
				apply(&im, is64, &c->edits[k]);
		}
	}
	return im;
}

static void test_malformed_images_are_rejected_with_a_reason(void **state)
{
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];

		for (int is64 = 0; is64 < 2; is64++) {
			struct image im;

			if (!(c->classes & (is64 ? C64 : C32)))
				continue;
			snprintf(unit_label, sizeof(unit_label), "%s: %s", class_name(is64), c->name);
			im = bad_image(c, is64);
			expect_rejected(&im);
			free(im.data);
		}
	}
}

/* Every rejection writes at most error_size bytes, cut short and NUL-terminated. */
static void test_small_error_buffers_are_never_overrun(void **state)
{
	static const size_t sizes[] = { 1, 2, 8, sizeof(PREFIX) - 1, sizeof(PREFIX) };
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];
		bool is64 = c->classes & C64;
		struct image im = bad_image(c, is64);

		for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
			struct elf_image out;
			char *error = malloc(sizes[s]);

			snprintf(unit_label, sizeof(unit_label), "%s: %s, %zu-byte error buffer",
				 class_name(is64), c->name, sizes[s]);
			assert_non_null(error);
			memset(error, 'x', sizes[s]);
			EXPECT_EQ(parse(&im, &out, error, sizes[s]), -ENOEXEC);
			EXPECT_EQ(error[sizes[s] - 1], '\0');
			EXPECT_EQ(strlen(error), sizes[s] - 1);
			EXPECT_EQ(strncmp(error, PREFIX, sizes[s] - 1), 0);
			free(error);
		}
		free(im.data);
	}
}

static void test_zero_sized_error_buffer_is_left_alone(void **state)
{
	struct image im = build(&base_descs[1]);
	struct elf_image out;
	char *error = malloc(1);
	(void)state;

	snprintf(unit_label, sizeof(unit_label), "zero-sized error buffer");
	assert_non_null(error);
	*error = 'x';
	put_ehdr(&im, true, EH_TYPE, ET_DYN);
	EXPECT_EQ(parse(&im, &out, error, 0), -ENOEXEC);
	EXPECT_EQ(*error, 'x');
	free(error);
	free(im.data);
}

struct is_elf_case {
	const char *bytes;
	size_t size;
	bool is_elf;
};

static void test_is_elf_checks_the_magic_within_the_size(void **state)
{
	static const struct is_elf_case cases[] = {
		{ "", 0, false },
		{ "\x7f", 1, false },
		{ "\x7f" "E", 2, false },
		{ "\x7f" "EL", 3, false },
		{ "\x7f" "ELF", 4, true },
		{ "\x7f" "ELF\x02\x01", 6, true },
		{ "\x7f" "ELG", 4, false },
		{ "\x7f" "elf", 4, false },
		{ "ELF\x7f", 4, false },
		{ "\0ELF", 4, false },
		{ "\x7e" "ELF", 4, false },
		{ "MZ\x90\0\x03\0", 6, false },
		{ "#!/bin/sh\n", 10, false },
		{ "\xff\xff\xff\xff", 4, false },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct is_elf_case *c = &cases[i];
		u8 *copy = malloc(c->size);

		snprintf(unit_label, sizeof(unit_label), "elf_is_elf case %zu (%zu bytes)", i, c->size);
		assert_true(copy || !c->size);
		memcpy(copy, c->bytes, c->size);
		EXPECT_EQ(elf_is_elf(copy, c->size), c->is_elf);
		free(copy);
	}
	for (int is64 = 0; is64 < 2; is64++) {
		struct image im = build(&base_descs[is64]);

		snprintf(unit_label, sizeof(unit_label), "elf_is_elf on the %s base image", class_name(is64));
		assert_true(elf_is_elf(im.data, im.size));
		/* The magic alone decides: a rejected image can still be an ELF file. */
		put_ehdr(&im, is64, EH_TYPE, ET_DYN);
		assert_true(elf_is_elf(im.data, im.size));
		im.data[2] = 'l';
		assert_false(elf_is_elf(im.data, im.size));
		free(im.data);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_images_parse),
		cmocka_unit_test(test_valid_images_report_entry_and_loadable_segments),
		cmocka_unit_test(test_up_to_max_segments_are_accepted),
		cmocka_unit_test(test_more_than_max_segments_are_rejected),
		cmocka_unit_test(test_malformed_images_are_rejected_with_a_reason),
		cmocka_unit_test(test_small_error_buffers_are_never_overrun),
		cmocka_unit_test(test_zero_sized_error_buffer_is_left_alone),
		cmocka_unit_test(test_is_elf_checks_the_magic_within_the_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

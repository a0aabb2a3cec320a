/* SPDX-License-Identifier: MIT */
/* Tests of the Multiboot1 header search and load layout on crafted, exactly sized images. */
#include "tests/unit/unit.h"
#include "vmm/multiboot1.h"

#include <stdio.h>

#include "kernel/errno.h"

/* Header values as the spec (0.6.96, 3.1) defines them; written here independently. */
#define MAGIC 0x1badb002u
#define F_PAGE_ALIGN 0x1u
#define F_MEMORY 0x2u
#define F_VIDEO 0x4u
#define F_ADDRESS 0x10000u

#define ELF32_EHDR 52
#define ELF32_PHDR 32
#define ELF64_EHDR 64
#define ELF64_PHDR 56

struct image {
	u8 *data;
	size_t size;
};

static struct image blank(size_t size)
{
	struct image im = { calloc(1, size ? size : 1), size };

	assert_non_null(im.data);
	return im;
}

static void put32(struct image *im, size_t at, u32 v)
{
	assert_true(at + 4 <= im->size);
	for (int i = 0; i < 4; i++)
		im->data[at + i] = (u8)(v >> (8 * i));
}

static void put64(struct image *im, size_t at, u64 v)
{
	put32(im, at, (u32)v);
	put32(im, at + 4, (u32)(v >> 32));
}

static void put16(struct image *im, size_t at, u16 v)
{
	assert_true(at + 2 <= im->size);
	im->data[at] = (u8)v;
	im->data[at + 1] = (u8)(v >> 8);
}

/* A header with a good checksum at off: magic, flags, checksum. */
static void put_header(struct image *im, size_t off, u32 flags)
{
	put32(im, off, MAGIC);
	put32(im, off + 4, flags);
	put32(im, off + 8, -(MAGIC + flags));
}

struct address_fields {
	u32 header_addr, load_addr, load_end, bss_end, entry;
};

static void put_address_fields(struct image *im, size_t off, const struct address_fields *a)
{
	put32(im, off + 12, a->header_addr);
	put32(im, off + 16, a->load_addr);
	put32(im, off + 20, a->load_end);
	put32(im, off + 24, a->bss_end);
	put32(im, off + 28, a->entry);
}

/* A flat kernel of size bytes with a header using the address fields at off. */
static struct image kludge(size_t size, size_t off, const struct address_fields *a)
{
	struct image im = blank(size);

	put_header(&im, off, F_PAGE_ALIGN | F_MEMORY | F_ADDRESS);
	put_address_fields(&im, off, a);
	return im;
}

struct seg {
	u64 offset, vaddr, paddr, file_size, mem_size;
};

/* An ELF executable with count PT_LOAD headers after its header, a Multiboot header at hdr. */
static struct image elf(bool is64, u64 entry, const struct seg *segs, u32 count, size_t size,
			size_t hdr, u32 flags)
{
	struct image im = blank(size);
	size_t phoff = is64 ? ELF64_EHDR : ELF32_EHDR, phsize = is64 ? ELF64_PHDR : ELF32_PHDR;

	memcpy(im.data, "\x7f" "ELF", 4);
	im.data[4] = is64 ? 2 : 1;
	im.data[5] = 1;
	im.data[6] = 1;
	put16(&im, 16, 2);
	put16(&im, 18, is64 ? 62 : 3);
	put32(&im, 20, 1);
	if (is64) {
		put64(&im, 24, entry);
		put64(&im, 32, phoff);
		put16(&im, 54, (u16)phsize);
		put16(&im, 56, (u16)count);
	} else {
		put32(&im, 24, (u32)entry);
		put32(&im, 28, (u32)phoff);
		put16(&im, 42, (u16)phsize);
		put16(&im, 44, (u16)count);
	}
	for (u32 i = 0; i < count; i++) {
		size_t p = phoff + i * phsize;
		const struct seg *s = &segs[i];

		put32(&im, p, 1);
		if (is64) {
			put64(&im, p + 8, s->offset);
			put64(&im, p + 16, s->vaddr);
			put64(&im, p + 24, s->paddr);
			put64(&im, p + 32, s->file_size);
			put64(&im, p + 40, s->mem_size);
		} else {
			put32(&im, p + 4, (u32)s->offset);
			put32(&im, p + 8, (u32)s->vaddr);
			put32(&im, p + 12, (u32)s->paddr);
			put32(&im, p + 16, (u32)s->file_size);
			put32(&im, p + 20, (u32)s->mem_size);
		}
	}
	put_header(&im, hdr, flags);
	return im;
}

static void cut(struct image *im, size_t size)
{
	u8 *data = malloc(size ? size : 1);

	assert_non_null(data);
	assert_true(size <= im->size);
	memcpy(data, im->data, size);
	free(im->data);
	im->data = data;
	im->size = size;
}

static int parse(const struct image *im, struct multiboot1_kernel *k, char *error, size_t n)
{
	memset(k, 0x5a, sizeof(*k));
	return multiboot1_parse(im->data, im->size, k, error, n);
}

static struct multiboot1_kernel expect_kernel(struct image im)
{
	struct multiboot1_kernel k;
	char error[160] = "";
	int err = parse(&im, &k, error, sizeof(error));

	free(im.data);
	if (err)
		fail_msg("%s: refused (%d): %s", unit_label, err, error);
	return k;
}

static void expect_segment(const struct elf_segment *s, u64 paddr, u64 offset, u64 file_size,
			   u64 mem_size)
{
	EXPECT_EQ(s->paddr, paddr);
	EXPECT_EQ(s->offset, offset);
	EXPECT_EQ(s->file_size, file_size);
	EXPECT_EQ(s->mem_size, mem_size);
}

/* Refused with -ENOEXEC and a message containing want; image freed. */
static void expect_refused(struct image im, const char *want)
{
	struct multiboot1_kernel k;
	char error[160];
	int err;

	memset(error, 'x', sizeof(error));
	err = parse(&im, &k, error, sizeof(error));
	free(im.data);
	if (err != -ENOEXEC)
		fail_msg("%s: returned %d, expected -ENOEXEC", unit_label, err);
	if (strnlen(error, sizeof(error)) == sizeof(error) || !strstr(error, want))
		fail_msg("%s: message \"%.159s\" does not say \"%s\"", unit_label, error, want);
}

static void expect_no_header(struct image im)
{
	struct multiboot1_kernel k;
	char error[160];
	int err = parse(&im, &k, error, sizeof(error));

	free(im.data);
	if (err != -ENOENT)
		fail_msg("%s: returned %d, expected -ENOENT (no header)", unit_label, err);
}

#define LABEL(...) snprintf(unit_label, sizeof(unit_label), __VA_ARGS__)

static void test_address_fields_give_one_segment(void **state)
{
	struct multiboot1_kernel k;
	(void)state;

	LABEL("header at 0, load to the end of the file, bss after it");
	k = expect_kernel(kludge(0x1800, 0, &(struct address_fields){
		0x100000, 0x100000, 0, 0x103000, 0x100020 }));
	EXPECT_EQ(k.header_offset, 0);
	EXPECT_EQ(k.flags, F_PAGE_ALIGN | F_MEMORY | F_ADDRESS);
	EXPECT_EQ(k.layout.entry, 0x100020);
	EXPECT_EQ(k.layout.segment_count, 1);
	expect_segment(&k.layout.segments[0], 0x100000, 0, 0x1800, 0x3000);

	LABEL("header 0x40 in, load_end_addr cuts the file, no bss");
	k = expect_kernel(kludge(0x1000, 0x40, &(struct address_fields){
		0x200040, 0x200000, 0x200800, 0, 0x200100 }));
	EXPECT_EQ(k.header_offset, 0x40);
	expect_segment(&k.layout.segments[0], 0x200000, 0, 0x800, 0x800);

	LABEL("the file's first bytes are not loaded");
	k = expect_kernel(kludge(0x2000, 0x1000, &(struct address_fields){
		0x300010, 0x300000, 0, 0, 0x300010 }));
	expect_segment(&k.layout.segments[0], 0x300000, 0xff0, 0x1010, 0x1010);

	LABEL("the address fields win over an ELF header (spec 3.1.3)");
	{
		struct seg s = { 0x1000, 0x500000, 0x500000, 0x100, 0x100 };
		struct image im = elf(false, 0x500000, &s, 1, 0x1100, 0x1000,
				      F_MEMORY | F_ADDRESS);

		put_address_fields(&im, 0x1000, &(struct address_fields){
			0x101000, 0x100000, 0, 0, 0x101020 });
		k = expect_kernel(im);
		expect_segment(&k.layout.segments[0], 0x100000, 0, 0x1100, 0x1100);
		EXPECT_EQ(k.layout.entry, 0x101020);
	}
}

static void test_elf_kernels_load_by_program_headers(void **state)
{
	struct multiboot1_kernel k;
	(void)state;

	LABEL("ELF32, two segments");
	{
		struct seg s[] = { { 0x1000, 0x100000, 0x100000, 0x800, 0x800 },
				   { 0x1800, 0x101000, 0x101000, 0x100, 0x4000 } };

		k = expect_kernel(elf(false, 0x100010, s, 2, 0x1900, 0x1000, F_PAGE_ALIGN));
		EXPECT_EQ(k.header_offset, 0x1000);
		EXPECT_EQ(k.layout.segment_count, 2);
		expect_segment(&k.layout.segments[1], 0x101000, 0x1800, 0x100, 0x4000);
		EXPECT_EQ(k.layout.entry, 0x100010);
	}
	LABEL("ELF32 linked high, loaded low: a virtual entry becomes physical");
	{
		struct seg s = { 0x1000, 0xc0100000, 0x100000, 0x800, 0x800 };

		k = expect_kernel(elf(false, 0xc0100040, &s, 1, 0x1800, 0x1000, 0));
		EXPECT_EQ(k.layout.entry, 0x100040);
	}
	LABEL("ELF32 linked high with a physical entry: taken as it is");
	{
		struct seg s = { 0x1000, 0xc0100000, 0x100000, 0x800, 0x800 };

		k = expect_kernel(elf(false, 0x100040, &s, 1, 0x1800, 0x1000, 0));
		EXPECT_EQ(k.layout.entry, 0x100040);
	}
	LABEL("ELF64 below 4 GiB, optional flags ignored");
	{
		struct seg s = { 0x1000, 0xffffffff80100000ULL, 0x100000, 0x800, 0x800 };

		k = expect_kernel(elf(true, 0x100000, &s, 1, 0x1800, 0x1000, 0xfffe0000u));
		EXPECT_EQ(k.layout.is64, true);
		EXPECT_EQ(k.layout.entry, 0x100000);
	}
}

static const struct address_fields flat_fields = { 0x100000, 0x100000, 0, 0, 0x100000 };

static void test_the_header_is_searched_for_as_the_spec_says(void **state)
{
	struct multiboot1_kernel k;
	struct image im;
	(void)state;

	LABEL("last aligned place within the first 8 KiB");
	im = blank(0x3000);
	put_header(&im, 8192 - 12, F_PAGE_ALIGN);
	expect_refused(im, "address fields");	/* found: not ELF and no bit 16 */

	LABEL("header crossing 8 KiB");
	im = blank(0x3000);
	put_header(&im, 8192 - 8, 0);
	expect_refused(im, "cut short by the end of the first 8 KiB");

	LABEL("magic at 8 KiB");
	im = blank(0x3000);
	put_header(&im, 8192, 0);
	expect_no_header(im);

	LABEL("magic at an unaligned offset");
	im = blank(0x100);
	put_header(&im, 0x22, 0);
	expect_no_header(im);

	LABEL("no magic at all, a file shorter than one, an empty file");
	expect_no_header(blank(0x2000));
	im = blank(3);
	memcpy(im.data, "\x02\xb0\xad", 3);
	expect_no_header(im);
	expect_no_header(blank(0));

	LABEL("a magic cut off by the end of the file");
	im = blank(0x20);
	put32(&im, 0x1c, MAGIC);
	expect_refused(im, "cut short by the end of the file");

	LABEL("a bad checksum first, a good header after it");
	im = kludge(0x1000, 0x80, &(struct address_fields){
		0x100080, 0x100000, 0, 0, 0x100100 });
	put32(&im, 0x10, MAGIC);
	k = expect_kernel(im);
	EXPECT_EQ(k.header_offset, 0x80);
}

struct bad {
	const char *name;
	struct address_fields fields;
	size_t size;
	const char *want;
};

static void test_inconsistent_address_fields_are_refused(void **state)
{
	static const struct bad cases[] = {
		{ "load_addr above header_addr", { 0x100000, 0x100004, 0, 0, 0x100004 }, 0x1000,
		  "load_addr 0x100004 lies above header_addr 0x100000" },
		{ "load reaching before the file", { 0x100040, 0x100000, 0, 0, 0x100040 }, 0x1000,
		  "header is only 0x20 bytes into the file" },
		{ "load_end before the header's end", { 0x100020, 0x100000, 0x100030, 0, 0x100000 },
		  0x1000, "load_end_addr 0x100030 ends before the header" },
		{ "load_end below load_addr", { 0x100020, 0x100000, 0x80000, 0, 0x100000 }, 0x1000,
		  "load_end_addr 0x80000" },
		{ "load_end past the file", { 0x100020, 0x100000, 0x101001, 0, 0x100000 }, 0x1000,
		  "the file is cut short" },
		{ "bss_end below load_end", { 0x100020, 0x100000, 0x100800, 0x1007ff, 0x100000 },
		  0x1000, "bss_end_addr 0x1007ff lies below" },
		{ "entry past the loaded part", { 0x100020, 0x100000, 0x100800, 0x102000, 0x100800 },
		  0x1000, "entry point 0x100800 lies outside" },
		{ "entry below load_addr", { 0x100020, 0x100000, 0, 0, 0xfffff }, 0x1000,
		  "entry point 0xfffff" },
		{ "kernel reaching past 4 GiB", { 0xfffff020, 0xfffff000, 0, 0, 0xfffff100 },
		  0x2000, "past 4 GiB" },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		LABEL("%s", cases[i].name);
		expect_refused(kludge(cases[i].size, 0x20, &cases[i].fields), cases[i].want);
	}
	LABEL("address fields cut short by the file");
	{
		struct image im = blank(0x2c);

		put_header(&im, 0x10, F_ADDRESS);
		expect_refused(im, "address fields (flags bit 16) are cut short");
	}
}

static void test_bad_headers_and_requirements_are_refused(void **state)
{
	struct image im;
	(void)state;

	LABEL("bad checksum, naming what was found");
	im = kludge(0x1000, 0x40, &flat_fields);
	put32(&im, 0x48, 0x12345678);
	expect_refused(im, "offset 0x40 has a bad checksum: magic 0x1badb002 + flags 0x10003 + "
		       "checksum 0x12345678 = 0x2de3067d, not 0");
	LABEL("video mode required");
	im = kludge(0x1000, 0, &flat_fields);
	put_header(&im, 0, F_ADDRESS | F_VIDEO);
	expect_refused(im, "requires a video mode");
	LABEL("an unknown requirement");
	im = kludge(0x1000, 0, &flat_fields);
	put_header(&im, 0, F_ADDRESS | F_MEMORY | 0x8020);
	expect_refused(im, "features Vireo does not know (flags 0x8020)");
	LABEL("a flat image without the address fields");
	im = kludge(0x1000, 0, &flat_fields);
	put_header(&im, 0, F_MEMORY);
	expect_refused(im, "not an ELF file needs the address fields");
}

static void test_bad_elf_kernels_are_refused(void **state)
{
	static const struct seg one = { 0x1000, 0x100000, 0x100000, 0x800, 0x800 };
	struct image im;
	(void)state;

	LABEL("absurd program header count");
	im = elf(false, 0x100000, &one, 1, 0x1800, 0x1000, 0);
	put16(&im, 44, 0xffff);
	expect_refused(im, "not a loadable ELF: program headers lie outside the file");
	LABEL("file cut in the segment");
	im = elf(false, 0x100000, &one, 1, 0x1800, 0x1000, 0);
	cut(&im, 0x17ff);
	expect_refused(im, "not a loadable ELF: a segment lies outside the file");
	LABEL("segment past 4 GiB");
	{
		struct seg s = { 0x1000, 0xfffff000, 0xfffff000, 0x800, 0x2000 };

		expect_refused(elf(true, 0xfffff000, &s, 1, 0x1800, 0x1000, 0),
			       "segment at 0xfffff000-0x100001000 lies past 4 GiB");
	}
	LABEL("overlapping segments");
	{
		struct seg s[] = { { 0x1000, 0x100000, 0x100000, 0x800, 0x2000 },
				   { 0x1800, 0x101000, 0x101fff, 0x10, 0x10 } };

		expect_refused(elf(false, 0x100000, s, 2, 0x1810, 0x1000, 0),
			       "segments at 0x100000-0x102000 and 0x101fff-0x10200f overlap");
	}
	LABEL("entry in no segment");
	expect_refused(elf(false, 0x200000, &one, 1, 0x1800, 0x1000, 0),
		       "entry point 0x200000 lies outside");
	LABEL("entry in the bss");
	{
		struct seg s = { 0x1000, 0x100000, 0x100000, 0x800, 0x1000 };

		expect_refused(elf(false, 0x100800, &s, 1, 0x1800, 0x1000, 0),
			       "entry point 0x100800");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_address_fields_give_one_segment),
		cmocka_unit_test(test_elf_kernels_load_by_program_headers),
		cmocka_unit_test(test_the_header_is_searched_for_as_the_spec_says),
		cmocka_unit_test(test_inconsistent_address_fields_are_refused),
		cmocka_unit_test(test_bad_headers_and_requirements_are_refused),
		cmocka_unit_test(test_bad_elf_kernels_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* Unit tests of the Multiboot2 information parser over crafted, exactly sized tag buffers. */
#include "tests/unit/unit.h"
#include "kernel/multiboot2.h"
#include "kernel/errno.h"

#include <stdio.h>

enum {
	TAG_END = 0,
	TAG_CMDLINE = 1,
	TAG_LOADER_NAME = 2,
	TAG_MODULE = 3,
	TAG_MEMINFO = 4,
	TAG_BOOTDEV = 5,
	TAG_MMAP = 6,
	TAG_VBE = 7,
	TAG_FRAMEBUFFER = 8,
	TAG_ELF_SECTIONS = 9,
	TAG_ACPI_OLD = 14,
	TAG_ACPI_NEW = 15,
	TAG_LOAD_BASE = 21,
};

#define INFO_PHYS 0x10000ULL
#define MB_CAPACITY (64 * 1024)

/* --- building information blocks ----------------------------------------------------------- */

/* An information block under construction; parsed from an exactly sized malloc copy. */
struct mb_buf {
	u8 data[MB_CAPACITY];
	size_t len;
};

struct fixture {
	struct mb_buf b;
	struct boot_info bi;
};

static void mb_put(struct mb_buf *b, const void *src, size_t n)
{
	assert_true(b->len + n <= sizeof(b->data));
	if (n)
		memcpy(b->data + b->len, src, n);
	b->len += n;
}

static void mb_put_u32(struct mb_buf *b, u32 v)
{
	mb_put(b, &v, sizeof(v));
}

static void mb_put_u64(struct mb_buf *b, u64 v)
{
	mb_put(b, &v, sizeof(v));
}

static void mb_pad(struct mb_buf *b)
{
	static const u8 zeros[8];

	mb_put(b, zeros, ALIGN_UP(b->len, (size_t)8) - b->len);
}

/* Start a block: the header, whose total size mb_finish fills in. */
static void mb_begin(struct mb_buf *b)
{
	b->len = 0;
	mb_put_u32(b, 0);
	mb_put_u32(b, 0);
}

/* A tag whose size field says size, with n bytes of body, padded to 8. */
static void mb_tag_sized(struct mb_buf *b, u32 type, u32 size, const void *body, size_t n)
{
	mb_put_u32(b, type);
	mb_put_u32(b, size);
	mb_put(b, body, n);
	mb_pad(b);
}

static void mb_tag(struct mb_buf *b, u32 type, const void *body, size_t n)
{
	mb_tag_sized(b, type, (u32)(8 + n), body, n);
}

/* A string tag, its NUL included. */
static void mb_str(struct mb_buf *b, u32 type, const char *s)
{
	mb_tag(b, type, s, strlen(s) + 1);
}

static void mb_module(struct mb_buf *b, u32 start, u32 end, const char *s)
{
	u8 body[8 + 512];
	size_t n = strlen(s) + 1;

	assert_true(n <= sizeof(body) - 8);
	memcpy(body, &start, 4);
	memcpy(body + 4, &end, 4);
	memcpy(body + 8, s, n);
	mb_tag(b, TAG_MODULE, body, 8 + n);
}

static void mb_meminfo(struct mb_buf *b, u32 lower, u32 upper)
{
	u32 body[2] = { lower, upper };

	mb_tag(b, TAG_MEMINFO, body, sizeof(body));
}

/* A memory map tag of count entries of entry_size bytes; entry i is made by mmap_entry(). */
static u64 mmap_base(u32 i)
{
	return 0x100000ULL * i + 0x1000;
}

static u64 mmap_length(u32 i)
{
	return 0x1000ULL * (i + 1);
}

static u32 mmap_type(u32 i)
{
	return 1 + i % 5;
}

static void mb_mmap(struct mb_buf *b, u32 first, u32 count, u32 entry_size)
{
	size_t start = b->len;

	mb_put_u32(b, TAG_MMAP);
	mb_put_u32(b, 8 + 8 + count * entry_size);
	mb_put_u32(b, entry_size);
	mb_put_u32(b, 0);
	for (u32 i = first; i < first + count; i++) {
		size_t entry = b->len;

		mb_put_u64(b, mmap_base(i));
		mb_put_u64(b, mmap_length(i));
		mb_put_u32(b, mmap_type(i));
		mb_put_u32(b, 0);
		while (b->len < entry + entry_size)
			mb_put(b, "\xee", 1);	/* fields of a later map version */
	}
	assert_int_equal(b->len - start, 16 + (size_t)count * entry_size);
	mb_pad(b);
}

static void mb_end(struct mb_buf *b)
{
	mb_tag(b, TAG_END, NULL, 0);
}

/* Write the total size into the header; returns it. */
static size_t mb_finish_total(struct mb_buf *b, u32 total)
{
	memcpy(b->data, &total, 4);
	return b->len;
}

/* Add the end tag and set the total size to the block's length; returns that length. */
static size_t mb_finish(struct mb_buf *b)
{
	mb_end(b);
	return mb_finish_total(b, (u32)b->len);
}

/*
 * Parse the first avail bytes of b from a buffer of exactly avail bytes, so that ASan catches
 * any read past it. The strings of boot_info point into that buffer: it lives until the next
 * parse.
 */
static u8 *parsed_copy;

static int parse_avail(const struct mb_buf *b, size_t avail, struct boot_info *bi)
{
	free(parsed_copy);
	parsed_copy = malloc(avail ? avail : 1);
	assert_non_null(parsed_copy);
	memcpy(parsed_copy, b->data, MIN(avail, b->len));
	return mb2_parse(parsed_copy, avail, INFO_PHYS, bi);
}

static int parse(const struct mb_buf *b, struct boot_info *bi)
{
	return parse_avail(b, b->len, bi);
}

static void assert_parsed_ok(int ret, const struct boot_info *bi)
{
	assert_int_equal(ret, 0);
	assert_string_equal(bi->error, "");
}

static void assert_error(int ret, const struct boot_info *bi)
{
	assert_int_equal(ret, -EINVAL);
	assert_non_null(memchr(bi->error, '\0', sizeof(bi->error)));
	assert_true(strlen(bi->error) > 0);
}

static int setup(void **state)
{
	struct fixture *f = malloc(sizeof(*f));

	if (!f)
		return -1;
	/* Garbage, so the parser must clear every field itself. */
	memset(f, 0x5a, sizeof(*f));
	mb_begin(&f->b);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	free(parsed_copy);
	parsed_copy = NULL;
	return 0;
}

/* --- well-formed blocks -------------------------------------------------------------------- */

static void fill_pattern(u8 *p, size_t n, u8 seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (u8)(seed + i * 7);
}

static void test_every_known_tag_lands_in_boot_info(void **state)
{
	struct fixture *f = *state;
	struct mb_buf *b = &f->b;
	struct boot_info *bi = &f->bi;
	u8 fb[8 + 4 * 3 + 2 + 2 + 6];
	u64 fb_addr = 0xfd000000ULL;
	u32 pitch = 4096, width = 1024, height = 768;
	u8 rsdp[36];
	size_t total;

	memcpy(fb, &fb_addr, 8);
	memcpy(fb + 8, &pitch, 4);
	memcpy(fb + 12, &width, 4);
	memcpy(fb + 16, &height, 4);
	fb[20] = 32;
	fb[21] = BOOT_FB_RGB;
	memset(fb + 22, 0, sizeof(fb) - 22);
	fill_pattern(rsdp, sizeof(rsdp), 3);

	mb_str(b, TAG_CMDLINE, "console=serial loglevel=7");
	mb_str(b, TAG_LOADER_NAME, "GRUB 2.06");
	mb_module(b, 0x200000, 0x201234, "guest.bin mem=64M");
	mb_meminfo(b, 639, 523136);
	mb_mmap(b, 0, 3, 24);
	mb_tag(b, TAG_FRAMEBUFFER, fb, sizeof(fb));
	mb_tag(b, TAG_ACPI_NEW, rsdp, sizeof(rsdp));
	total = mb_finish(b);

	assert_parsed_ok(parse(b, bi), bi);
	assert_int_equal(bi->info_phys, INFO_PHYS);
	assert_int_equal(bi->info_size, total);
	assert_string_equal(bi->cmdline, "console=serial loglevel=7");
	assert_string_equal(bi->loader_name, "GRUB 2.06");

	assert_int_equal(bi->module_count, 1);
	assert_int_equal(bi->modules_dropped, 0);
	assert_int_equal(bi->modules[0].start, 0x200000);
	assert_int_equal(bi->modules[0].end, 0x201234);
	assert_string_equal(bi->modules[0].string, "guest.bin mem=64M");

	assert_true(bi->has_meminfo);
	assert_int_equal(bi->mem_lower_kib, 639);
	assert_int_equal(bi->mem_upper_kib, 523136);

	assert_int_equal(bi->mmap_count, 3);
	assert_false(bi->mmap_truncated);
	for (u32 i = 0; i < 3; i++) {
		assert_int_equal(bi->mmap[i].base, mmap_base(i));
		assert_int_equal(bi->mmap[i].length, mmap_length(i));
		assert_int_equal(bi->mmap[i].type, mmap_type(i));
	}

	assert_int_equal(bi->fb.type, BOOT_FB_RGB);
	assert_int_equal(bi->fb.addr, fb_addr);
	assert_int_equal(bi->fb.pitch, pitch);
	assert_int_equal(bi->fb.width, width);
	assert_int_equal(bi->fb.height, height);
	assert_int_equal(bi->fb.bpp, 32);

	assert_int_equal(bi->rsdp_len, 36);
	assert_memory_equal(bi->rsdp, rsdp, 36);
}

static void test_block_with_only_end_tag_leaves_everything_empty(void **state)
{
	struct fixture *f = *state;
	struct boot_info *bi = &f->bi;

	mb_finish(&f->b);
	assert_parsed_ok(parse(&f->b, bi), bi);
	assert_int_equal(bi->info_size, 16);
	assert_int_equal(bi->info_phys, INFO_PHYS);
	assert_string_equal(bi->cmdline, "");
	assert_string_equal(bi->loader_name, "");
	assert_int_equal(bi->mmap_count, 0);
	assert_false(bi->mmap_truncated);
	assert_int_equal(bi->module_count, 0);
	assert_int_equal(bi->modules_dropped, 0);
	assert_false(bi->has_meminfo);
	assert_int_equal(bi->rsdp_len, 0);
	assert_int_equal(bi->fb.type, BOOT_FB_NONE);
}

static void test_unknown_tags_are_skipped(void **state)
{
	static const struct {
		u32 type;
		u32 body_len;
	} unknown[] = {
		{ TAG_BOOTDEV, 12 },
		{ TAG_VBE, 776 },
		{ TAG_ELF_SECTIONS, 1 },
		{ TAG_LOAD_BASE, 4 },
		{ 0x7fff, 0 },
		{ 0xffffffffu, 13 },
	};
	struct fixture *f = *state;
	struct boot_info *bi = &f->bi;
	u8 junk[1024];

	/* Unknown bodies look like strings without NUL and like broken maps: never parsed. */
	memset(junk, 'x', sizeof(junk));
	for (size_t i = 0; i < ARRAY_SIZE(unknown); i++) {
		mb_tag(&f->b, unknown[i].type, junk, unknown[i].body_len);
		if (i == 2)
			mb_str(&f->b, TAG_CMDLINE, "between");
	}
	mb_meminfo(&f->b, 1, 2);
	mb_finish(&f->b);

	assert_parsed_ok(parse(&f->b, bi), bi);
	assert_string_equal(bi->cmdline, "between");
	assert_true(bi->has_meminfo);
	assert_int_equal(bi->mem_lower_kib, 1);
	assert_int_equal(bi->mem_upper_kib, 2);
	assert_int_equal(bi->module_count, 0);
	assert_int_equal(bi->mmap_count, 0);
}

static void test_tags_after_the_end_tag_are_ignored(void **state)
{
	struct fixture *f = *state;
	struct boot_info *bi = &f->bi;

	mb_str(&f->b, TAG_CMDLINE, "before");
	mb_end(&f->b);
	mb_str(&f->b, TAG_LOADER_NAME, "after");
	mb_tag_sized(&f->b, TAG_CMDLINE, 3, "", 0);	/* would be malformed if parsed */
	mb_finish_total(&f->b, (u32)f->b.len);

	assert_parsed_ok(parse(&f->b, bi), bi);
	assert_string_equal(bi->cmdline, "before");
	assert_string_equal(bi->loader_name, "");
}

static void test_modules_keep_their_ranges_and_strings(void **state)
{
	static const struct {
		u32 start, end;
		const char *string;
	} mods[] = {
		{ 0x100000, 0x180000, "first" },
		{ 0x200000, 0x200000, "" },		/* empty module, empty string */
		{ 0x300000, 0x300001, "guests/hello16 a=1 b=2" },
		{ 0xfffff000u, 0xffffffffu, "high" },
	};
	struct fixture *f = *state;
	struct boot_info *bi = &f->bi;

	for (size_t i = 0; i < ARRAY_SIZE(mods); i++)
		mb_module(&f->b, mods[i].start, mods[i].end, mods[i].string);
	mb_finish(&f->b);

	assert_parsed_ok(parse(&f->b, bi), bi);
	assert_int_equal(bi->module_count, ARRAY_SIZE(mods));
	assert_int_equal(bi->modules_dropped, 0);
	for (size_t i = 0; i < ARRAY_SIZE(mods); i++) {
		assert_int_equal(bi->modules[i].start, mods[i].start);
		assert_int_equal(bi->modules[i].end, mods[i].end);
		assert_string_equal(bi->modules[i].string, mods[i].string);
	}
}

static void test_long_module_string_is_kept_whole(void **state)
{
	struct fixture *f = *state;
	struct boot_info *bi = &f->bi;
	char s[500];

	memset(s, 'm', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	mb_module(&f->b, 0x1000, 0x2000, s);
	mb_finish(&f->b);

	assert_parsed_ok(parse(&f->b, bi), bi);
	assert_int_equal(bi->module_count, 1);
	assert_string_equal(bi->modules[0].string, s);
}

static void test_modules_past_the_limit_are_counted(void **state)
{
	static const struct {
		u32 given;
		u32 dropped;
	} cases[] = {
		{ BOOT_MODULES_MAX - 1, 0 },
		{ BOOT_MODULES_MAX, 0 },
		{ BOOT_MODULES_MAX + 1, 1 },
		{ BOOT_MODULES_MAX + 10, 10 },
	};
	struct fixture *f = *state;
	struct boot_info *bi = &f->bi;

	for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
		char name[32];

		mb_begin(&f->b);
		for (u32 i = 0; i < cases[c].given; i++) {
			snprintf(name, sizeof(name), "module%u", i);
			mb_module(&f->b, 0x1000 * i, 0x1000 * i + 0x800, name);
		}
		mb_str(&f->b, TAG_CMDLINE, "after the modules");
		mb_finish(&f->b);

		assert_parsed_ok(parse(&f->b, bi), bi);
		assert_int_equal(bi->module_count, MIN(cases[c].given, (u32)BOOT_MODULES_MAX));
		assert_int_equal(bi->modules_dropped, cases[c].dropped);
		for (u32 i = 0; i < bi->module_count; i++) {
			snprintf(name, sizeof(name), "module%u", i);
			assert_string_equal(bi->modules[i].string, name);
			assert_int_equal(bi->modules[i].start, 0x1000 * i);
			assert_int_equal(bi->modules[i].end, 0x1000 * i + 0x800);
		}
		/* Parsing goes on past the dropped modules. */
		assert_string_equal(bi->cmdline, "after the modules");
	}
}

static void test_mmap_entry_limit_sets_truncated(void **state)
{
	/* Entries per memory map tag, as several tags add up. */
	static const struct {
		u32 tags[3];
		bool truncated;
	} cases[] = {
		{ { 1 }, false },
		{ { BOOT_MMAP_MAX }, false },
		{ { BOOT_MMAP_MAX + 1 }, true },
		{ { 300 }, true },
		{ { 100, 28 }, false },
		{ { 100, 29 }, true },
		{ { 100, 28, 1 }, true },
	};
	struct fixture *f = *state;
	struct boot_info *bi = &f->bi;

	for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
		u32 total = 0;

		mb_begin(&f->b);
		for (size_t t = 0; t < ARRAY_SIZE(cases[c].tags) && cases[c].tags[t]; t++) {
			mb_mmap(&f->b, total, cases[c].tags[t], 24);
			total += cases[c].tags[t];
		}
		mb_meminfo(&f->b, 7, 8);
		mb_finish(&f->b);

		assert_parsed_ok(parse(&f->b, bi), bi);
		assert_int_equal(bi->mmap_count, MIN(total, (u32)BOOT_MMAP_MAX));
		assert_int_equal(bi->mmap_truncated, cases[c].truncated);
		for (u32 i = 0; i < bi->mmap_count; i++) {
			assert_int_equal(bi->mmap[i].base, mmap_base(i));
			assert_int_equal(bi->mmap[i].length, mmap_length(i));
			assert_int_equal(bi->mmap[i].type, mmap_type(i));
		}
		assert_true(bi->has_meminfo);
	}
}

static void test_mmap_with_larger_entries_reads_each_entry(void **state)
{
	static const u32 entry_sizes[] = { 24, 32, 48, 4096 };
	struct fixture *f = *state;
	struct boot_info *bi = &f->bi;

	for (size_t c = 0; c < ARRAY_SIZE(entry_sizes); c++) {
		mb_begin(&f->b);
		mb_mmap(&f->b, 0, 5, entry_sizes[c]);
		mb_finish(&f->b);

		assert_parsed_ok(parse(&f->b, bi), bi);
		assert_int_equal(bi->mmap_count, 5);
		for (u32 i = 0; i < 5; i++) {
			assert_int_equal(bi->mmap[i].base, mmap_base(i));
			assert_int_equal(bi->mmap[i].length, mmap_length(i));
			assert_int_equal(bi->mmap[i].type, mmap_type(i));
		}
	}
}

static void test_mmap_ignores_a_trailing_partial_entry(void **state)
{
	struct fixture *f = *state;
	struct boot_info *bi = &f->bi;
	u8 body[8 + 2 * 24 + 16];
	u32 hdr[2] = { 24, 0 };

	memcpy(body, hdr, 8);
	for (u32 i = 0; i < 2; i++) {
		u64 base = mmap_base(i), len = mmap_length(i);
		u32 type[2] = { mmap_type(i), 0 };

		memcpy(body + 8 + 24 * i, &base, 8);
		memcpy(body + 16 + 24 * i, &len, 8);
		memcpy(body + 24 + 24 * i, type, 8);
	}
	memset(body + 8 + 48, 0x77, 16);
	mb_tag(&f->b, TAG_MMAP, body, sizeof(body));
	mb_finish(&f->b);

	assert_parsed_ok(parse(&f->b, bi), bi);
	assert_int_equal(bi->mmap_count, 2);
	assert_int_equal(bi->mmap[1].base, mmap_base(1));
}

static void test_cmdline_of_any_length_is_kept_whole(void **state)
{
	static const size_t lengths[] = { 0, 1, 511, 512, 513, 4000 };
	struct fixture *f = *state;
	struct boot_info *bi = &f->bi;
	static char s[4001];

	for (size_t c = 0; c < ARRAY_SIZE(lengths); c++) {
		size_t len = lengths[c];

		for (size_t i = 0; i < len; i++)
			s[i] = (char)('a' + i % 26);
		s[len] = '\0';
		mb_begin(&f->b);
		mb_str(&f->b, TAG_CMDLINE, s);
		mb_finish(&f->b);

		assert_parsed_ok(parse(&f->b, bi), bi);
		assert_string_equal(bi->cmdline, s);
	}
}

static void test_long_loader_name_is_cut_and_terminated(void **state)
{
	struct fixture *f = *state;
	struct boot_info *bi = &f->bi;
	char s[200];

	memset(s, 'L', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	mb_str(&f->b, TAG_LOADER_NAME, s);
	mb_finish(&f->b);

	assert_parsed_ok(parse(&f->b, bi), bi);
	assert_int_equal(strlen(bi->loader_name), BOOT_LOADER_NAME_MAX - 1);
	assert_memory_equal(bi->loader_name, s, BOOT_LOADER_NAME_MAX - 1);
}

static void test_acpi_new_rsdp_wins_in_either_order(void **state)
{
	/* Which ACPI tags come, in order: 'o' the 1.0 copy (20 bytes), 'n' the 2.0 copy (36). */
	static const struct {
		const char *order;
		char winner;
	} cases[] = {
		{ "o", 'o' },
		{ "n", 'n' },
		{ "on", 'n' },
		{ "no", 'n' },
		{ "ono", 'n' },
		{ "oo", 'o' },
	};
	struct fixture *f = *state;
	struct boot_info *bi = &f->bi;
	u8 old_rsdp[20], new_rsdp[36];

	fill_pattern(old_rsdp, sizeof(old_rsdp), 0x10);
	fill_pattern(new_rsdp, sizeof(new_rsdp), 0x80);
	for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
		mb_begin(&f->b);
		for (const char *o = cases[c].order; *o; o++) {
			if (*o == 'o')
				mb_tag(&f->b, TAG_ACPI_OLD, old_rsdp, sizeof(old_rsdp));
			else
				mb_tag(&f->b, TAG_ACPI_NEW, new_rsdp, sizeof(new_rsdp));
		}
		mb_finish(&f->b);

		assert_parsed_ok(parse(&f->b, bi), bi);
		if (cases[c].winner == 'n') {
			assert_int_equal(bi->rsdp_len, 36);
			assert_memory_equal(bi->rsdp, new_rsdp, 36);
		} else {
			assert_int_equal(bi->rsdp_len, 20);
			assert_memory_equal(bi->rsdp, old_rsdp, 20);
		}
	}
}

static void test_framebuffer_types_and_geometry_are_read(void **state)
{
	static const struct {
		u8 type, bpp;
		u32 pitch, width, height;
		u64 addr;
	} cases[] = {
		{ BOOT_FB_INDEXED, 8, 640, 640, 480, 0xa0000 },
		{ BOOT_FB_RGB, 32, 7680, 1920, 1080, 0x7f00000000ULL },
		{ BOOT_FB_EGA_TEXT, 16, 160, 80, 25, 0xb8000 },
	};
	struct fixture *f = *state;
	struct boot_info *bi = &f->bi;

	for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
		u8 body[24] = { 0 };

		memcpy(body, &cases[c].addr, 8);
		memcpy(body + 8, &cases[c].pitch, 4);
		memcpy(body + 12, &cases[c].width, 4);
		memcpy(body + 16, &cases[c].height, 4);
		body[20] = cases[c].bpp;
		body[21] = cases[c].type;
		mb_begin(&f->b);
		mb_tag(&f->b, TAG_FRAMEBUFFER, body, sizeof(body));
		mb_finish(&f->b);

		assert_parsed_ok(parse(&f->b, bi), bi);
		assert_int_equal(bi->fb.type, cases[c].type);
		assert_int_equal(bi->fb.addr, cases[c].addr);
		assert_int_equal(bi->fb.pitch, cases[c].pitch);
		assert_int_equal(bi->fb.width, cases[c].width);
		assert_int_equal(bi->fb.height, cases[c].height);
		assert_int_equal(bi->fb.bpp, cases[c].bpp);
	}
}

static void test_block_may_be_shorter_than_avail(void **state)
{
	struct fixture *f = *state;
	struct boot_info *bi = &f->bi;
	size_t total;

	mb_str(&f->b, TAG_CMDLINE, "x");
	total = mb_finish(&f->b);
	/* Bytes beyond the declared size are not part of the block. */
	mb_put(&f->b, "\x01\x00\x00\x00\x03\x00\x00\x00", 8);
	assert_parsed_ok(parse(&f->b, bi), bi);
	assert_int_equal(bi->info_size, total);
	assert_string_equal(bi->cmdline, "x");
}

/* --- malformed blocks ---------------------------------------------------------------------- */

/*
 * Each builder makes a malformed block (after a cmdline tag "kept" when keeps_cmdline) and
 * returns how many bytes the parser may read; the buffer holds exactly that many.
 */
struct bad_case {
	const char *what;
	size_t (*build)(struct mb_buf *b);
	bool keeps_cmdline;
};

static void bad_prefix(struct mb_buf *b)
{
	mb_str(b, TAG_CMDLINE, "kept");
}

static size_t bad_avail_0(struct mb_buf *b)
{
	mb_finish(b);
	return 0;
}

static size_t bad_avail_4(struct mb_buf *b)
{
	mb_finish(b);
	return 4;
}

static size_t bad_avail_7(struct mb_buf *b)
{
	mb_finish(b);
	return 7;
}

static size_t bad_total_above_avail_by_1(struct mb_buf *b)
{
	bad_prefix(b);
	return mb_finish(b) - 1;
}

static size_t bad_total_above_avail_by_end_tag(struct mb_buf *b)
{
	bad_prefix(b);
	return mb_finish(b) - 8;
}

static size_t bad_total_huge(struct mb_buf *b)
{
	size_t len = mb_finish(b);

	mb_finish_total(b, 0xfffffff8u);
	return len;
}

static size_t bad_total_0(struct mb_buf *b)
{
	size_t len = mb_finish(b);

	mb_finish_total(b, 0);
	return len;
}

static size_t bad_total_8(struct mb_buf *b)
{
	size_t len = mb_finish(b);

	mb_finish_total(b, 8);
	return len;
}

static size_t bad_total_15(struct mb_buf *b)
{
	size_t len = mb_finish(b);

	mb_finish_total(b, 15);
	return len;
}

static size_t bad_tag_size(struct mb_buf *b, u32 size)
{
	bad_prefix(b);
	mb_tag_sized(b, TAG_CMDLINE, size, "", 0);
	return mb_finish(b);
}

static size_t bad_tag_size_0(struct mb_buf *b)
{
	return bad_tag_size(b, 0);
}

static size_t bad_tag_size_4(struct mb_buf *b)
{
	return bad_tag_size(b, 4);
}

static size_t bad_tag_size_7(struct mb_buf *b)
{
	return bad_tag_size(b, 7);
}

static size_t bad_end_tag_size_0(struct mb_buf *b)
{
	bad_prefix(b);
	mb_tag_sized(b, TAG_END, 0, "", 0);
	return mb_finish_total(b, (u32)b->len);
}

static size_t bad_tag_past_total_by_1(struct mb_buf *b)
{
	/* The last tag claims one byte more than the block holds. */
	bad_prefix(b);
	mb_tag_sized(b, TAG_CMDLINE, 17, "abcdefg", 8);
	return mb_finish_total(b, (u32)b->len);
}

static size_t bad_tag_past_total_huge(struct mb_buf *b)
{
	bad_prefix(b);
	mb_tag_sized(b, TAG_LOADER_NAME, 0xfffffff8u, "abc", 4);
	return mb_finish(b);
}

static size_t bad_end_tag_past_total(struct mb_buf *b)
{
	size_t len;

	bad_prefix(b);
	len = mb_finish(b);
	mb_finish_total(b, (u32)len - 4);	/* the end tag straddles the block's end */
	return len;
}

static size_t bad_string_unterminated(struct mb_buf *b, u32 type)
{
	bad_prefix(b);
	mb_tag(b, type, "no-nul", 6);
	return mb_finish(b);
}

static size_t bad_cmdline_unterminated(struct mb_buf *b)
{
	return bad_string_unterminated(b, TAG_CMDLINE);
}

static size_t bad_loader_name_unterminated(struct mb_buf *b)
{
	return bad_string_unterminated(b, TAG_LOADER_NAME);
}

static size_t bad_cmdline_empty_body(struct mb_buf *b)
{
	return bad_tag_size(b, 8);
}

static size_t bad_module_string_unterminated(struct mb_buf *b)
{
	u32 body[3] = { 0x1000, 0x2000, 0x41414141 };

	bad_prefix(b);
	mb_tag(b, TAG_MODULE, body, sizeof(body));
	return mb_finish(b);
}

static size_t bad_module_without_string(struct mb_buf *b)
{
	u32 body[2] = { 0x1000, 0x2000 };

	bad_prefix(b);
	mb_tag(b, TAG_MODULE, body, sizeof(body));
	return mb_finish(b);
}

static size_t bad_module_end_before_start(struct mb_buf *b)
{
	bad_prefix(b);
	mb_module(b, 0x2000, 0x1fff, "backwards");
	return mb_finish(b);
}

static size_t bad_mmap_entry_size(struct mb_buf *b, u32 entry_size)
{
	u32 body[2 + 12] = { entry_size, 0 };

	bad_prefix(b);
	mb_tag(b, TAG_MMAP, body, sizeof(body));
	return mb_finish(b);
}

static size_t bad_mmap_entry_size_0(struct mb_buf *b)
{
	return bad_mmap_entry_size(b, 0);
}

static size_t bad_mmap_entry_size_16(struct mb_buf *b)
{
	return bad_mmap_entry_size(b, 16);
}

static size_t bad_mmap_entry_size_20(struct mb_buf *b)
{
	return bad_mmap_entry_size(b, 20);
}

static size_t bad_mmap_entry_size_28(struct mb_buf *b)
{
	return bad_mmap_entry_size(b, 28);
}

static size_t bad_mmap_entry_size_25(struct mb_buf *b)
{
	return bad_mmap_entry_size(b, 25);
}

static size_t bad_mmap_no_header(struct mb_buf *b)
{
	bad_prefix(b);
	mb_tag(b, TAG_MMAP, "\x18\0\0\0", 4);
	return mb_finish(b);
}

static size_t bad_meminfo_short(struct mb_buf *b)
{
	bad_prefix(b);
	mb_tag(b, TAG_MEMINFO, "\x80\x02\0\0", 4);
	return mb_finish(b);
}

static size_t bad_framebuffer_short(struct mb_buf *b)
{
	u8 body[21] = { 0 };

	bad_prefix(b);
	mb_tag(b, TAG_FRAMEBUFFER, body, sizeof(body));
	return mb_finish(b);
}

static size_t bad_acpi_short(struct mb_buf *b, u32 type)
{
	u8 body[19] = { 'R', 'S', 'D', ' ', 'P', 'T', 'R', ' ' };

	bad_prefix(b);
	mb_tag(b, type, body, sizeof(body));
	return mb_finish(b);
}

static size_t bad_acpi_old_short(struct mb_buf *b)
{
	return bad_acpi_short(b, TAG_ACPI_OLD);
}

static size_t bad_acpi_new_short(struct mb_buf *b)
{
	return bad_acpi_short(b, TAG_ACPI_NEW);
}

static size_t bad_no_end_tag(struct mb_buf *b)
{
	bad_prefix(b);
	return mb_finish_total(b, (u32)b->len);
}

static size_t bad_no_end_tag_trailing_bytes(struct mb_buf *b)
{
	/* Four bytes after the last tag: too few for any tag, the end tag included. */
	bad_prefix(b);
	mb_put_u32(b, 0);
	return mb_finish_total(b, (u32)b->len);
}

static size_t bad_no_end_tag_header_only_padding(struct mb_buf *b)
{
	/* Total ends with an unpadded string tag, leaving no room for anything more. */
	size_t len;

	bad_prefix(b);
	len = b->len;
	mb_str(b, TAG_LOADER_NAME, "abc");	/* size 12, padded to 16 */
	mb_finish_total(b, (u32)len + 12);
	return b->len;
}

static const struct bad_case bad_cases[] = {
	{ "avail 0", bad_avail_0, false },
	{ "avail 4", bad_avail_4, false },
	{ "avail 7", bad_avail_7, false },
	{ "total one above avail", bad_total_above_avail_by_1, false },
	{ "total an end tag above avail", bad_total_above_avail_by_end_tag, false },
	{ "total huge", bad_total_huge, false },
	{ "total 0", bad_total_0, false },
	{ "total 8", bad_total_8, false },
	{ "total 15", bad_total_15, false },
	{ "tag size 0", bad_tag_size_0, true },
	{ "tag size 4", bad_tag_size_4, true },
	{ "tag size 7", bad_tag_size_7, true },
	{ "end tag size 0", bad_end_tag_size_0, true },
	{ "tag past total by 1", bad_tag_past_total_by_1, true },
	{ "tag past total, huge", bad_tag_past_total_huge, true },
	{ "end tag past total", bad_end_tag_past_total, true },
	{ "cmdline without NUL", bad_cmdline_unterminated, true },
	{ "cmdline with empty body", bad_cmdline_empty_body, true },
	{ "loader name without NUL", bad_loader_name_unterminated, true },
	{ "module string without NUL", bad_module_string_unterminated, true },
	{ "module without string", bad_module_without_string, true },
	{ "module end before start", bad_module_end_before_start, true },
	{ "mmap entry size 0", bad_mmap_entry_size_0, true },
	{ "mmap entry size 16", bad_mmap_entry_size_16, true },
	{ "mmap entry size 20", bad_mmap_entry_size_20, true },
	{ "mmap entry size 25", bad_mmap_entry_size_25, true },
	{ "mmap entry size 28", bad_mmap_entry_size_28, true },
	{ "mmap body without header", bad_mmap_no_header, true },
	{ "meminfo short", bad_meminfo_short, true },
	{ "framebuffer short", bad_framebuffer_short, true },
	{ "ACPI 1.0 copy short", bad_acpi_old_short, true },
	{ "ACPI 2.0 copy short", bad_acpi_new_short, true },
	{ "no end tag", bad_no_end_tag, true },
	{ "no end tag, 4 trailing bytes", bad_no_end_tag_trailing_bytes, true },
	{ "no end tag, unpadded last tag", bad_no_end_tag_header_only_padding, true },
};

static void test_malformed_blocks_are_rejected_with_a_reason(void **state)
{
	struct fixture *f = *state;
	struct boot_info *bi = &f->bi;

	for (size_t c = 0; c < ARRAY_SIZE(bad_cases); c++) {
		size_t avail;
		int ret;

		mb_begin(&f->b);
		avail = bad_cases[c].build(&f->b);
		memset(bi, 0x5a, sizeof(*bi));
		ret = parse_avail(&f->b, avail, bi);
		if (ret != -EINVAL || !bi->error[0] ||
		    (bad_cases[c].keeps_cmdline && strcmp(bi->cmdline, "kept")))
			print_message("case \"%s\" failed: returned %d\n", bad_cases[c].what, ret);
		assert_error(ret, bi);
		assert_int_equal(bi->info_phys, INFO_PHYS);
		if (bad_cases[c].keeps_cmdline)
			assert_string_equal(bi->cmdline, "kept");
	}
}

static void test_tags_before_a_malformation_are_kept(void **state)
{
	struct fixture *f = *state;
	struct boot_info *bi = &f->bi;

	mb_mmap(&f->b, 0, 4, 24);
	mb_meminfo(&f->b, 640, 1024);
	mb_module(&f->b, 0x400000, 0x401000, "kept module");
	mb_tag_sized(&f->b, TAG_BOOTDEV, 6, "", 0);	/* size below a tag header */
	mb_str(&f->b, TAG_LOADER_NAME, "after the break");
	mb_mmap(&f->b, 4, 2, 24);
	mb_finish(&f->b);

	assert_error(parse(&f->b, bi), bi);
	assert_int_equal(bi->mmap_count, 4);
	for (u32 i = 0; i < 4; i++) {
		assert_int_equal(bi->mmap[i].base, mmap_base(i));
		assert_int_equal(bi->mmap[i].length, mmap_length(i));
		assert_int_equal(bi->mmap[i].type, mmap_type(i));
	}
	assert_true(bi->has_meminfo);
	assert_int_equal(bi->mem_upper_kib, 1024);
	assert_int_equal(bi->module_count, 1);
	assert_string_equal(bi->modules[0].string, "kept module");
	/* Nothing after the malformation is trusted. */
	assert_string_equal(bi->loader_name, "");
}

static void test_error_names_the_offending_tag(void **state)
{
	struct fixture *f = *state;
	struct boot_info *bi = &f->bi;

	mb_str(&f->b, TAG_CMDLINE, "abc");	/* offset 8, 16 bytes with padding */
	mb_tag(&f->b, TAG_LOADER_NAME, "xyz", 3);	/* offset 24, no NUL */
	mb_finish(&f->b);

	assert_error(parse(&f->b, bi), bi);
	assert_non_null(strstr(bi->error, "type 2"));
	assert_non_null(strstr(bi->error, "offset 24"));
}

/*
 * A memory map whose entry size is 0xfffffff8 holds no entry in an 8-byte body; the parser
 * must not read a 24-byte entry beyond the tag. The block goes on after the tag so that a
 * wrong read stays inside the buffer and shows as a phantom entry instead of an ASan abort.
 */
static void test_mmap_entry_size_near_u32_max_reads_no_entry(void **state)
{
	struct fixture *f = *state;
	struct boot_info *bi = &f->bi;
	u32 body[2] = { 0xfffffff8u, 0 };
	int ret;

	mb_tag(&f->b, TAG_MMAP, body, sizeof(body));
	mb_meminfo(&f->b, 0x11111111, 0x22222222);
	mb_str(&f->b, TAG_CMDLINE, "0123456789abcdef");
	mb_finish(&f->b);

	ret = parse(&f->b, bi);
	assert_true(ret == 0 || ret == -EINVAL);
	assert_int_equal(bi->mmap_count, 0);
}

/* A module string must end inside its tag even when the module is dropped for the limit. */
static void test_unterminated_module_past_the_limit_is_rejected(void **state)
{
	struct fixture *f = *state;
	struct boot_info *bi = &f->bi;
	u32 body[3] = { 0x1000, 0x2000, 0x41414141 };

	for (u32 i = 0; i < BOOT_MODULES_MAX; i++)
		mb_module(&f->b, 0x1000, 0x2000, "ok");
	mb_tag(&f->b, TAG_MODULE, body, sizeof(body));
	mb_finish(&f->b);

	assert_error(parse(&f->b, bi), bi);
	assert_int_equal(bi->module_count, BOOT_MODULES_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_every_known_tag_lands_in_boot_info),
		T(test_block_with_only_end_tag_leaves_everything_empty),
		T(test_unknown_tags_are_skipped),
		T(test_tags_after_the_end_tag_are_ignored),
		T(test_modules_keep_their_ranges_and_strings),
		T(test_long_module_string_is_kept_whole),
		T(test_modules_past_the_limit_are_counted),
		T(test_mmap_entry_limit_sets_truncated),
		T(test_mmap_with_larger_entries_reads_each_entry),
		T(test_mmap_ignores_a_trailing_partial_entry),
		T(test_cmdline_of_any_length_is_kept_whole),
		T(test_long_loader_name_is_cut_and_terminated),
		T(test_acpi_new_rsdp_wins_in_either_order),
		T(test_framebuffer_types_and_geometry_are_read),
		T(test_block_may_be_shorter_than_avail),
		T(test_malformed_blocks_are_rejected_with_a_reason),
		T(test_tags_before_a_malformation_are_kept),
		T(test_error_names_the_offending_tag),
		T(test_mmap_entry_size_near_u32_max_reads_no_entry),
		T(test_unterminated_module_past_the_limit_is_rejected),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

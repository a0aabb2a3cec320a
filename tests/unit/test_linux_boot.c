/* SPDX-License-Identifier: MIT */
/*
 * Tests of the Linux boot protocol: the setup header's checks on synthetic bzImages, the RAM
 * plan, and the zero page read back by offset (boot.rst and zero-page.rst, written here
 * independently of vmm/linux_boot.c).
 */
#include "tests/unit/unit.h"
#include "vmm/linux_boot.h"

#include <stdio.h>

#include "kernel/errno.h"

#define LABEL(...) snprintf(unit_label, sizeof(unit_label), __VA_ARGS__)

#define SETUP_SECTS 4
#define PAYLOAD (SETUP_SECTS + 1) * 512
#define IMAGE_SIZE (PAYLOAD + 8192)

static u8 image[IMAGE_SIZE];

static void put(u8 *p, u32 at, u32 bytes, u64 v)
{
	for (u32 i = 0; i < bytes; i++)
		p[at + i] = (u8)(v >> (8 * i));
}

static u64 get(const u8 *p, u32 at, u32 bytes)
{
	u64 v = 0;

	for (u32 i = 0; i < bytes; i++)
		v |= (u64)p[at + i] << (8 * i);
	return v;
}

/* A 2.15 bzImage as Debian 12's: relocatable, 64-bit, 2 MiB aligned, 16 MiB preferred. */
static void make_image(void)
{
	memset(image, 0xcc, sizeof(image));
	memset(image + 0x1f1, 0, 0x270 - 0x1f1);
	image[0x1f1] = SETUP_SECTS;
	put(image, 0x1fe, 2, 0xaa55);
	image[0x201] = 0x6a;			/* the header ends at 0x26c */
	memcpy(image + 0x202, "HdrS", 4);
	put(image, 0x206, 2, 0x020f);
	image[0x211] = 0x01;			/* LOADED_HIGH */
	put(image, 0x22c, 4, 0x7fffffff);
	put(image, 0x230, 4, 2 * MiB);
	image[0x234] = 1;
	put(image, 0x236, 2, 0x7f);
	put(image, 0x238, 4, 2047);
	put(image, 0x258, 8, 16 * MiB);
	put(image, 0x260, 4, 64 * MiB);
}

static int parse(struct linux_kernel *k, char *error, size_t size)
{
	return linux_parse(image, sizeof(image), k, error, size);
}

static void test_parse_reads_the_header(void **state)
{
	struct linux_kernel k;
	char error[160] = "";

	(void)state;
	make_image();
	LABEL("Debian-like");
	if (parse(&k, error, sizeof(error)))
		fail_msg("refused: %s", error);
	EXPECT_EQ(k.version, 0x020f);
	EXPECT_EQ(k.payload_offset, PAYLOAD);
	EXPECT_EQ(k.payload_size, IMAGE_SIZE - PAYLOAD);
	EXPECT_EQ(k.pref_address, 16 * MiB);
	EXPECT_EQ(k.alignment, 2 * MiB);
	EXPECT_EQ(k.init_size, 64 * MiB);
	EXPECT_EQ(k.cmdline_size, 2047);
	EXPECT_EQ(k.header_end, 0x26c);
}

static void test_parse_not_linux(void **state)
{
	struct linux_kernel k;
	char error[8];

	(void)state;
	make_image();
	memcpy(image + 0x202, "HdrZ", 4);
	LABEL("no HdrS");
	EXPECT_EQ((u64)parse(&k, error, sizeof(error)), (u64)-ENOENT);
	LABEL("too small");
	EXPECT_EQ((u64)linux_parse(image, 0x200, &k, error, sizeof(error)), (u64)-ENOENT);
}

struct refusal {
	const char *name;
	u32 at, bytes;
	u64 value;
	const char *says;
};

static const struct refusal refusals[] = {
	{ "boot flag", 0x1fe, 2, 0x1234, "boot flag 0x1234" },
	{ "protocol 2.11", 0x206, 2, 0x020b, "2.12" },
	{ "no 64-bit entry", 0x236, 2, 0x7e, "no 64-bit entry" },
	{ "zImage", 0x211, 1, 0, "zImage" },
	{ "not relocatable", 0x234, 1, 0, "relocatable_kernel is 0" },
	{ "alignment 3 MiB", 0x230, 4, 3 * MiB, "power of two" },
	{ "init_size too small", 0x260, 4, 4096, "smaller than the kernel" },
	{ "setup past the file", 0x1f1, 1, 200, "leaves no kernel" },
	{ "header too short", 0x201, 1, 0x10, "ends at 0x212" },
};

static void test_parse_refusals(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(refusals); i++) {
		const struct refusal *r = &refusals[i];
		struct linux_kernel k;
		char error[160] = "";
		int err;

		make_image();
		put(image, r->at, r->bytes, r->value);
		LABEL("%s", r->name);
		err = parse(&k, error, sizeof(error));
		EXPECT_EQ((u64)err, (u64)-ENOEXEC);
		if (!strstr(error, r->says))
			fail_msg("%s: \"%s\" does not say \"%s\"", r->name, error, r->says);
	}
}

static struct linux_kernel parsed(void)
{
	struct linux_kernel k;
	char error[160];

	make_image();
	assert_int_equal(parse(&k, error, sizeof(error)), 0);
	return k;
}

static const struct guest_ram_map ram_256m = { 1, { { 0, 256 * MiB, 0 } } };
static const struct guest_ram_map ram_64m = { 1, { { 0, 64 * MiB, 0 } } };

static void test_plan_places_everything(void **state)
{
	struct linux_kernel k = parsed();
	struct linux_boot b = { .ram = &ram_256m, .boot_data_start = 256 * MiB - 0x6000,
				.cmdline_len = 13, .initrd_size = 5000 };
	char error[160] = "";

	(void)state;
	LABEL("256 MiB");
	if (linux_boot_plan(&b, &k, error, sizeof(error)))
		fail_msg("refused: %s", error);
	EXPECT_EQ(b.load_address, 16 * MiB);
	EXPECT_EQ(b.initrd, 256 * MiB - 0x6000 - 8192);	/* page-aligned, below the boot data */
	assert_true(b.zero_page >= 0x1000 && b.zero_page + 4096 <= b.cmdline);
	assert_true(b.cmdline + 14 <= 0x9fc00);
}

static void test_plan_initrd_below_its_limit(void **state)
{
	struct linux_kernel k = parsed();
	struct linux_boot b = { .ram = &ram_256m, .boot_data_start = 256 * MiB - 0x6000,
				.initrd_size = 4096 };
	char error[160] = "";

	(void)state;
	k.initrd_addr_max = 128 * MiB - 1;
	LABEL("initrd_addr_max 128 MiB");
	assert_int_equal(linux_boot_plan(&b, &k, error, sizeof(error)), 0);
	EXPECT_EQ(b.initrd, 128 * MiB - 4096);
	b.initrd_size = 0;
	assert_int_equal(linux_boot_plan(&b, &k, error, sizeof(error)), 0);
	EXPECT_EQ(b.initrd, 0);
}

static void test_plan_falls_back_below_the_preferred_address(void **state)
{
	struct linux_kernel k = parsed();
	struct linux_boot b = { .ram = &ram_64m, .boot_data_start = 64 * MiB - 0x6000 };
	char error[160] = "";

	(void)state;
	k.init_size = 40 * MiB;		/* 16 + 40 fits in 64, but not with a 2 MiB-aligned 8 MiB */
	k.pref_address = 30 * MiB;	/* 30 + 40 does not */
	LABEL("64 MiB, pref 30 MiB");
	assert_int_equal(linux_boot_plan(&b, &k, error, sizeof(error)), 0);
	EXPECT_EQ(b.load_address, 2 * MiB);
}

static void expect_e2big(struct linux_boot *b, const struct linux_kernel *k, const char *says)
{
	char error[160] = "";
	int err = linux_boot_plan(b, k, error, sizeof(error));

	EXPECT_EQ((u64)err, (u64)-E2BIG);
	if (!strstr(error, says))
		fail_msg("%s: \"%s\" does not say \"%s\"", unit_label, error, says);
}

static void test_plan_refusals(void **state)
{
	struct linux_kernel k = parsed();
	struct linux_boot b = { .ram = &ram_64m, .boot_data_start = 64 * MiB - 0x6000 };

	(void)state;
	LABEL("kernel too big");
	k.init_size = 63 * MiB;
	expect_e2big(&b, &k, "init_size");
	k = parsed();
	LABEL("initrd too big");
	b.ram = &ram_256m;
	b.boot_data_start = 256 * MiB - 0x6000;
	b.initrd_size = 180 * MiB;
	expect_e2big(&b, &k, "initramfs (184320 KiB)");
	LABEL("command line too long");
	b.initrd_size = 0;
	b.cmdline_len = 2048;
	expect_e2big(&b, &k, "at most 2047");
}

static void test_zero_page(void **state)
{
	struct linux_kernel k = parsed();
	struct linux_boot b = { .ram = &ram_256m, .boot_data_start = 256 * MiB - 0x6000,
				.cmdline_len = 13, .initrd_size = 5000 };
	struct e820_entry map[E820_ENTRIES_MAX];
	u32 n = e820_build(&ram_256m, b.boot_data_start, map);
	static u8 zp[LINUX_ZERO_PAGE_SIZE];
	char error[160];

	(void)state;
	assert_int_equal(linux_boot_plan(&b, &k, error, sizeof(error)), 0);
	memset(zp, 0x5a, sizeof(zp));
	linux_zero_page_write(zp, image, &k, &b, map, n, true, 0xe0000);
	LABEL("zero page");
	assert_memory_equal(zp + 0x1f1, image + 0x1f1, 0x210 - 0x1f1);	/* the header, copied */
	EXPECT_EQ(zp[0x210], 0xff);		/* type_of_loader: undefined */
	EXPECT_EQ(get(zp, 0x228, 4), b.cmdline);
	EXPECT_EQ(get(zp, 0x218, 4), b.initrd);
	EXPECT_EQ(get(zp, 0x21c, 4), 5000);
	EXPECT_EQ(get(zp, 0x70, 8), 0xe0000);	/* acpi_rsdp_addr */
	EXPECT_EQ(zp[0x06], 3);			/* orig_video_mode */
	EXPECT_EQ(zp[0x0f], 1);			/* orig_video_isVGA */
	EXPECT_EQ(zp[0x1e8], n);		/* e820_entries */
	EXPECT_EQ(n, 6);			/* ... with the two APIC pages */
	EXPECT_EQ(get(zp, 0x2d0, 8), 0);
	EXPECT_EQ(get(zp, 0x2d0 + 8, 8), 0x9fc00);
	EXPECT_EQ(get(zp, 0x2d0 + 16, 4), 1);
	EXPECT_EQ(get(zp, 0x2d0 + 3 * 20, 8), b.boot_data_start);
	EXPECT_EQ(get(zp, 0x2d0 + 3 * 20 + 16, 4), 2);
	EXPECT_EQ(zp[0x400], 0);		/* the rest is cleared */
	linux_zero_page_write(zp, image, &k, &b, map, n, false, 0);
	EXPECT_EQ(zp[0x0f], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_reads_the_header),
		cmocka_unit_test(test_parse_not_linux),
		cmocka_unit_test(test_parse_refusals),
		cmocka_unit_test(test_plan_places_everything),
		cmocka_unit_test(test_plan_initrd_below_its_limit),
		cmocka_unit_test(test_plan_falls_back_below_the_preferred_address),
		cmocka_unit_test(test_plan_refusals),
		cmocka_unit_test(test_zero_page),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

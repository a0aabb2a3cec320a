/* SPDX-License-Identifier: MIT */
/* Tests of Multiboot1 module placement and the boot information's bytes, read back by offset. */
#include "tests/unit/unit.h"
#include "vmm/multiboot1_info.h"

#include <stdio.h>

#include "kernel/errno.h"

/* Offsets of the information structure's fields (spec 0.6.96, 3.3), written independently. */
#define INFO_FLAGS 0
#define INFO_MEM_LOWER 4
#define INFO_MEM_UPPER 8
#define INFO_CMDLINE 16
#define INFO_MODS_COUNT 20
#define INFO_MODS_ADDR 24
#define INFO_MMAP_LENGTH 44
#define INFO_MMAP_ADDR 48
#define INFO_LOADER_NAME 64
#define INFO_VBE_CONTROL 72
#define INFO_MIN_SIZE 88
#define EXPECTED_FLAGS (0x1 | 0x4 | 0x8 | 0x40 | 0x200)

#define LABEL(...) snprintf(unit_label, sizeof(unit_label), __VA_ARGS__)

static const struct guest_ram_map ram_16m = { 1, { { 0, 16 * MiB, 0 } } };
static const struct guest_ram_map ram_5g = {
	2, { { 0, 3 * GiB, 0 }, { 4 * GiB, 2 * GiB, 3 * GiB } } };

static struct multiboot1_boot boot_of(const struct guest_ram_map *ram, u64 boot_data_start,
				      u64 kernel_end, const struct vm_image *mods, u32 count)
{
	return (struct multiboot1_boot){
		.ram = ram, .boot_data_start = boot_data_start, .kernel_end = kernel_end,
		.name = "mb1", .args = "", .loader_name = "Vireo 0.1.0",
		.module_count = count, .modules = mods,
	};
}

static void expect_placed(struct multiboot1_boot *b, const u64 *want)
{
	char error[160] = "";
	int err = multiboot1_place_modules(b, error, sizeof(error));

	if (err)
		fail_msg("%s: refused (%d): %s", unit_label, err, error);
	for (u32 i = 0; i < b->module_count; i++)
		EXPECT_EQ(b->module_addr[i], want[i]);
}

/* A refusal: -E2BIG and a whole message that says want. */
static void expect_refusal(int err, const char *error, size_t error_size, const char *want)
{
	if (err != -E2BIG)
		fail_msg("%s: returned %d, expected -E2BIG", unit_label, err);
	if (strnlen(error, error_size) == error_size || !strstr(error, want))
		fail_msg("%s: message \"%.159s\" does not say \"%s\"", unit_label, error, want);
}

static void expect_not_placed(struct multiboot1_boot *b, const char *want)
{
	char error[160];

	memset(error, 'x', sizeof(error));
	expect_refusal(multiboot1_place_modules(b, error, sizeof(error)), error, sizeof(error),
		       want);
}

static void test_modules_go_page_aligned_above_the_kernel(void **state)
{
	static const struct vm_image mods[] = {
		{ "initrd", "", 0x1801 }, { "empty", "", 0 }, { "data", "", 0x1000 },
		{ NULL, "", 1 },
	};
	struct multiboot1_boot b;
	(void)state;

	LABEL("three modules after a kernel ending mid-page");
	b = boot_of(&ram_16m, 0xffd000, 0x101234, mods, 4);
	expect_placed(&b, (const u64[]){ 0x102000, 0x104000, 0x104000, 0x105000 });
	LABEL("a kernel below 1 MiB: modules start at 1 MiB");
	b = boot_of(&ram_16m, 0xffd000, 0x20000, mods, 1);
	expect_placed(&b, (const u64[]){ 0x100000 });
	LABEL("a kernel ending on a page boundary");
	b = boot_of(&ram_16m, 0xffd000, 0x200000, mods + 2, 1);
	expect_placed(&b, (const u64[]){ 0x200000 });
	LABEL("a module ending exactly at the boot data");
	b = boot_of(&ram_16m, 0x201000, 0x200000, mods + 2, 1);
	expect_placed(&b, (const u64[]){ 0x200000 });
	LABEL("no modules, and no room either");
	b = boot_of(&ram_16m, 0x200000, 0x300000, mods, 0);
	expect_placed(&b, NULL);
}

static void expect_planned(struct multiboot1_boot *b, u64 loader_bytes, u64 info_gpa,
			   u64 boot_data_start)
{
	char error[160] = "";
	int err = multiboot1_info_plan(b, loader_bytes, error, sizeof(error));

	if (err)
		fail_msg("%s: refused (%d): %s", unit_label, err, error);
	EXPECT_EQ(b->info_gpa, info_gpa);
	EXPECT_EQ(b->boot_data_start, boot_data_start);
}

static void expect_not_planned(struct multiboot1_boot *b, u64 loader_bytes, const char *want)
{
	char error[160];

	memset(error, 'x', sizeof(error));
	expect_refusal(multiboot1_info_plan(b, loader_bytes, error, sizeof(error)), error,
		       sizeof(error), want);
}

static void test_the_information_goes_at_the_top_of_low_ram(void **state)
{
	static struct vm_image nine[VM_MODULES_MAX + 1];
	static char long_name[8000];
	struct multiboot1_boot b;
	(void)state;

	LABEL("a page of information and two of the loader's");
	b = boot_of(&ram_16m, 0, 0x101000, nine, VM_MODULES_MAX);
	expect_planned(&b, 0x2000, 0xfff000, 0xffd000);
	LABEL("RAM past the device hole does not move it");
	b = boot_of(&ram_5g, 0, 0x101000, nine, 0);
	expect_planned(&b, 0, 3 * GiB - 0x1000, 3 * GiB - 0x1000);
	LABEL("names that take three pages");
	memset(long_name, 'n', sizeof(long_name) - 1);
	b = boot_of(&ram_16m, 0, 0x101000, nine, 0);
	b.args = long_name;
	expect_planned(&b, 0x2000, 0xffd000, 0xffb000);
	LABEL("one module more than the limit");
	b = boot_of(&ram_16m, 0, 0x101000, nine, VM_MODULES_MAX + 1);
	expect_not_planned(&b, 0x2000, "9 modules, and a Multiboot kernel takes at most 8");
	LABEL("an information that would reach below 1 MiB");
	b = boot_of(&(const struct guest_ram_map){ 1, { { 0, 0x102000, 0 } } }, 0, 0x101000,
		    nine, 0);
	b.args = long_name;
	expect_not_planned(&b, 0x2000, "the Multiboot information (12 KiB) leaves no RAM above "
			   "1 MiB");
}

static void test_modules_that_do_not_fit_are_refused(void **state)
{
	static const struct vm_image big[] = {
		{ "a", "", 0x1000 }, { "huge", "", 0x1001 },
	};
	static const struct vm_image absurd[] = { { "all", "", SIZE_MAX } };
	struct multiboot1_boot b;
	(void)state;

	LABEL("one byte over the boot data");
	b = boot_of(&ram_16m, 0x103000, 0x101000, big, 2);
	expect_not_placed(&b, "module 1 ('huge', 5 KiB) does not fit in the RAM between the "
			  "kernel and the boot data (0x101000-0x103000)");
	LABEL("a module as big as the address space");
	b = boot_of(&ram_16m, 0xffd000, 0x101000, absurd, 1);
	expect_not_placed(&b, "module 0 ('all'");
	LABEL("a kernel reaching into the boot data leaves no room even for an empty module");
	b = boot_of(&ram_16m, 0x200000, 0x200001, (const struct vm_image[]){ { "e", "", 0 } }, 1);
	expect_not_placed(&b, "module 0 ('e', 0 KiB)");
}

/* The information written into a buffer of exactly its size, at guest-physical gpa. */
struct written {
	u8 *buf;
	u64 size, gpa;
};

static struct written write_info(struct multiboot1_boot *b, u64 gpa)
{
	struct written w = { NULL, multiboot1_info_size(b), gpa };

	assert_true(w.size >= INFO_MIN_SIZE);
	w.buf = malloc(w.size);
	assert_non_null(w.buf);
	memset(w.buf, 0xa5, w.size);
	b->info_gpa = gpa;
	multiboot1_info_write(b, w.buf);
	return w;
}

static u32 get32(const struct written *w, u64 at)
{
	u32 v = 0;

	assert_true(at + 4 <= w->size);
	for (int i = 3; i >= 0; i--)
		v = v << 8 | w->buf[at + i];
	return v;
}

static u64 get64(const struct written *w, u64 at)
{
	return get32(w, at) | (u64)get32(w, at + 4) << 32;
}

/* Where a guest-physical pointer of the information lands in the buffer; len bytes there. */
static u64 offset_of(const struct written *w, u32 addr, u64 len)
{
	if (addr < w->gpa || addr - w->gpa + len > w->size)
		fail_msg("%s: pointer %#x (%llu bytes) is outside the information at %#llx-%#llx",
			 unit_label, addr, len, w->gpa, w->gpa + w->size);
	return addr - w->gpa;
}

static const char *string_at(const struct written *w, u32 addr)
{
	u64 at = offset_of(w, addr, 1);

	if (!memchr(w->buf + at, 0, w->size - at))
		fail_msg("%s: string at %#x is not terminated in the information", unit_label, addr);
	return (const char *)w->buf + at;
}

struct region {
	u64 base, length;
	u32 type;
};

/* Walk the memory map by each entry's size field, as a kernel does, and compare. */
static void expect_memory_map(const struct written *w, const struct region *want, u32 count)
{
	u32 length = get32(w, INFO_MMAP_LENGTH);
	u64 at = offset_of(w, get32(w, INFO_MMAP_ADDR), length), end = at + length;
	u32 n = 0;

	for (; at < end; at += get32(w, at) + 4, n++) {
		assert_true(n < count);
		EXPECT_EQ(get32(w, at), 20);
		EXPECT_EQ(get64(w, at + 4), want[n].base);
		EXPECT_EQ(get64(w, at + 12), want[n].length);
		EXPECT_EQ(get32(w, at + 20), want[n].type);
	}
	EXPECT_EQ(at, end);
	EXPECT_EQ(n, count);
}

static void test_information_of_a_vm_with_no_modules(void **state)
{
	struct multiboot1_boot b = boot_of(&ram_16m, 0xffd000, 0x104000, NULL, 0);
	struct written w;
	(void)state;

	LABEL("16 MiB, no modules, no arguments");
	w = write_info(&b, 0xffe000);
	EXPECT_EQ(get32(&w, INFO_FLAGS), EXPECTED_FLAGS);
	EXPECT_EQ(get32(&w, INFO_MEM_LOWER), 639);
	EXPECT_EQ(get32(&w, INFO_MEM_UPPER), (0xffd000 - MiB) / KiB);
	EXPECT_EQ(get32(&w, INFO_MODS_COUNT), 0);
	assert_string_equal(string_at(&w, get32(&w, INFO_CMDLINE)), "mb1");
	assert_string_equal(string_at(&w, get32(&w, INFO_LOADER_NAME)), "Vireo 0.1.0");
	EXPECT_EQ(get32(&w, 12), 0);	/* boot_device: not given */
	for (u32 at = 28; at < 44; at += 4)
		EXPECT_EQ(get32(&w, at), 0);	/* no symbols */
	for (u32 at = INFO_LOADER_NAME + 4; at < INFO_MIN_SIZE; at += 4)
		EXPECT_EQ(get32(&w, at), 0);	/* no APM, no VBE */
	expect_memory_map(&w, (const struct region[]){
		{ 0, 0x9fc00, 1 }, { 0x9fc00, 0x60400, 2 }, { MiB, 0xffd000 - MiB, 1 },
		{ 0xffd000, 0x3000, 2 }, { 0xfec00000, 0x1000, 2 }, { 0xfee00000, 0x1000, 2 } }, 6);
	free(w.buf);
}

static void test_information_lists_modules_and_arguments(void **state)
{
	static const struct vm_image mods[] = {
		{ "initrd.img", "", 0x2345 }, { "", "", 0 }, { NULL, "", 7 },
	};
	struct multiboot1_boot b = boot_of(&ram_16m, 0xff0000, 0x180000, mods, 3);
	struct written w;
	u64 list;
	(void)state;

	LABEL("three modules and arguments");
	b.args = "console=e9 -v";
	expect_placed(&b, (const u64[]){ 0x180000, 0x183000, 0x183000 });
	w = write_info(&b, 0xff1000);
	assert_string_equal(string_at(&w, get32(&w, INFO_CMDLINE)), "mb1 console=e9 -v");
	EXPECT_EQ(get32(&w, INFO_MODS_COUNT), 3);
	list = offset_of(&w, get32(&w, INFO_MODS_ADDR), 3 * 16);
	for (u32 i = 0; i < 3; i++, list += 16) {
		EXPECT_EQ(get32(&w, list), b.module_addr[i]);
		EXPECT_EQ(get32(&w, list + 4), b.module_addr[i] + mods[i].size);
		assert_string_equal(string_at(&w, get32(&w, list + 8)),
				    mods[i].name ? mods[i].name : "");
		EXPECT_EQ(get32(&w, list + 12), 0);
	}
	free(w.buf);
}

static void test_memory_map_of_a_vm_past_the_device_hole(void **state)
{
	struct multiboot1_boot b = boot_of(&ram_5g, 3 * GiB - 0x5000, 0x104000, NULL, 0);
	struct written w;
	(void)state;

	LABEL("6 GiB: RAM at 4 GiB too");
	w = write_info(&b, 3 * GiB - 0x3000);
	EXPECT_EQ(get32(&w, INFO_MEM_UPPER), (3 * GiB - 0x5000 - MiB) / KiB);
	expect_memory_map(&w, (const struct region[]){
		{ 0, 0x9fc00, 1 }, { 0x9fc00, 0x60400, 2 }, { MiB, 3 * GiB - 0x5000 - MiB, 1 },
		{ 3 * GiB - 0x5000, 0x5000, 2 }, { 0xfec00000, 0x1000, 2 }, { 0xfee00000, 0x1000, 2 },
		{ 4 * GiB, 2 * GiB, 1 } }, 7);
	free(w.buf);
}

static void test_information_size_covers_long_strings(void **state)
{
	static char long_name[600];
	struct vm_image mods[VM_MODULES_MAX];
	struct multiboot1_boot b = boot_of(&ram_5g, 0x200000, 0x104000, mods, VM_MODULES_MAX);
	struct written w;
	(void)state;

	memset(long_name, 'n', sizeof(long_name) - 1);
	for (u32 i = 0; i < VM_MODULES_MAX; i++)
		mods[i] = (struct vm_image){ long_name, "", 1 };
	LABEL("eight modules with 599-byte names, a long command line");
	b.args = long_name;
	b.loader_name = long_name;
	expect_placed(&b, (const u64[]){ 0x104000, 0x105000, 0x106000, 0x107000, 0x108000,
					 0x109000, 0x10a000, 0x10b000 });
	w = write_info(&b, 0x200000);	/* ASan: nothing is written past the size */
	EXPECT_EQ(strlen(string_at(&w, get32(&w, INFO_CMDLINE))), 4 + 599);
	EXPECT_EQ(strlen(string_at(&w, get32(&w, INFO_LOADER_NAME))), 599);
	EXPECT_EQ(w.buf[w.size - 1], 0);
	free(w.buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modules_go_page_aligned_above_the_kernel),
		cmocka_unit_test(test_the_information_goes_at_the_top_of_low_ram),
		cmocka_unit_test(test_modules_that_do_not_fit_are_refused),
		cmocka_unit_test(test_information_of_a_vm_with_no_modules),
		cmocka_unit_test(test_information_lists_modules_and_arguments),
		cmocka_unit_test(test_memory_map_of_a_vm_past_the_device_hole),
		cmocka_unit_test(test_information_size_covers_long_strings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* Tests of the guest RAM layout: ranges around the device holes, and finding addresses in them. */
#include "tests/unit/unit.h"
#include "kernel/errno.h"
#include "vmm/guest_ram.h"

#include <stdio.h>

static const struct gpa_range pc_hole[] = {
	{ GUEST_DEVICE_HOLE_START, GUEST_DEVICE_HOLE_END - GUEST_DEVICE_HOLE_START },
};
/* The legacy VGA window and BIOS area below 1 MiB, then the PC hole. */
static const struct gpa_range legacy_and_pc_holes[] = {
	{ 0xa0000, 0x60000 },
	{ GUEST_DEVICE_HOLE_START, GUEST_DEVICE_HOLE_END - GUEST_DEVICE_HOLE_START },
};

static void expect_range(const struct guest_ram_map *map, u32 i, u64 gpa, u64 size, u64 offset)
{
	snprintf(unit_label, sizeof(unit_label), "range %u", i);
	assert_true(i < map->count);
	EXPECT_EQ(map->range[i].gpa, gpa);
	EXPECT_EQ(map->range[i].size, size);
	EXPECT_EQ(map->range[i].host_offset, offset);
}

static void test_ram_below_the_hole_is_one_range(void **state)
{
	static const u64 sizes[] = { PAGE_SIZE, 4 * MiB, GiB, 3 * GiB };
	struct guest_ram_map map;
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		assert_int_equal(guest_ram_layout(&map, sizes[i], pc_hole, 1), 0);
		assert_int_equal(map.count, 1);
		expect_range(&map, 0, 0, sizes[i], 0);
		EXPECT_EQ(guest_ram_end(&map), sizes[i]);
	}
}

static void test_ram_above_three_gigabytes_goes_on_at_four(void **state)
{
	struct guest_ram_map map;
	(void)state;

	assert_int_equal(guest_ram_layout(&map, 3 * GiB + 2 * MiB, pc_hole, 1), 0);
	assert_int_equal(map.count, 2);
	expect_range(&map, 0, 0, 3 * GiB, 0);
	expect_range(&map, 1, 4 * GiB, 2 * MiB, 3 * GiB);
	EXPECT_EQ(guest_ram_end(&map), 4 * GiB + 2 * MiB);

	assert_int_equal(guest_ram_layout(&map, 8 * GiB, pc_hole, 1), 0);
	assert_int_equal(map.count, 2);
	expect_range(&map, 1, 4 * GiB, 5 * GiB, 3 * GiB);
	EXPECT_EQ(guest_ram_end(&map), 9 * GiB);
}

static void test_several_holes_split_ram_in_several_ranges(void **state)
{
	struct guest_ram_map map;
	(void)state;

	assert_int_equal(guest_ram_layout(&map, 4 * GiB, legacy_and_pc_holes, 2), 0);
	assert_int_equal(map.count, 3);
	expect_range(&map, 0, 0, 0xa0000, 0);
	expect_range(&map, 1, 0x100000, 3 * GiB - 0x100000, 0xa0000);
	expect_range(&map, 2, 4 * GiB, 4 * GiB - (3 * GiB - 0x100000) - 0xa0000,
		     3 * GiB - 0x100000 + 0xa0000);
	/* RAM that ends inside the first gap never reaches the later holes. */
	assert_int_equal(guest_ram_layout(&map, 0x1000, legacy_and_pc_holes, 2), 0);
	assert_int_equal(map.count, 1);
	/* RAM that ends right at a hole does not go on past it. */
	assert_int_equal(guest_ram_layout(&map, 0xa0000, legacy_and_pc_holes, 2), 0);
	assert_int_equal(map.count, 1);
	EXPECT_EQ(guest_ram_end(&map), 0xa0000);
}

static void test_bad_holes_and_sizes_are_refused(void **state)
{
	static const struct {
		const char *what;
		struct gpa_range holes[2];
		u32 count;
		u64 size;
	} cases[] = {
		{ "a hole at 0", { { 0, MiB } }, 1, 4 * MiB },
		{ "an empty hole", { { MiB, 0 } }, 1, 4 * MiB },
		{ "a misaligned hole", { { MiB + 1, MiB } }, 1, 4 * MiB },
		{ "a misaligned size", { { 8 * MiB, MiB } }, 1, 4 * MiB + 512 },
		{ "unsorted holes", { { 8 * MiB, MiB }, { 2 * MiB, MiB } }, 2, 16 * MiB },
		{ "overlapping holes", { { 2 * MiB, 2 * MiB }, { 3 * MiB, MiB } }, 2, 16 * MiB },
		{ "a hole that wraps", { { 2 * MiB, ~0ULL - PAGE_SIZE + 1 } }, 1, 16 * MiB },
	};
	struct guest_ram_map map;
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(unit_label, sizeof(unit_label), "%s", cases[i].what);
		map.count = 99;
		EXPECT_EQ(guest_ram_layout(&map, cases[i].size, cases[i].holes, cases[i].count),
			  (u64)-EINVAL);
		EXPECT_EQ(map.count, 0);
	}
}

static void test_ram_needing_too_many_ranges_is_refused(void **state)
{
	struct gpa_range holes[GUEST_RAM_RANGES_MAX];
	struct guest_ram_map map;
	(void)state;

	for (u32 i = 0; i < GUEST_RAM_RANGES_MAX; i++)
		holes[i] = (struct gpa_range){ (2 * i + 1) * MiB, MiB };
	/* Four holes at 1, 3, 5, 7 MiB: 4 MiB of RAM fits in four ranges, 5 MiB needs a fifth. */
	assert_int_equal(guest_ram_layout(&map, 4 * MiB, holes, GUEST_RAM_RANGES_MAX), 0);
	assert_int_equal(map.count, GUEST_RAM_RANGES_MAX);
	assert_int_equal(guest_ram_layout(&map, 5 * MiB, holes, GUEST_RAM_RANGES_MAX), -EINVAL);
}

/* Every size and hole set: the ranges are sorted, miss every hole and hold exactly the RAM. */
static void test_ranges_hold_all_ram_and_miss_every_hole(void **state)
{
	struct guest_ram_map map;
	(void)state;

	for (u64 pages = 1; pages < 300; pages++) {
		for (u64 a = 1; a < 40; a += 3) {
			const struct gpa_range holes[2] = { { a * PAGE_SIZE, 5 * PAGE_SIZE },
							    { (a + 7 + a % 5) * PAGE_SIZE, PAGE_SIZE * a } };
			u64 total = 0, offset = 0, gpa = 0;

			snprintf(unit_label, sizeof(unit_label), "%llu pages, holes at %llu", pages, a);
			assert_int_equal(guest_ram_layout(&map, pages * PAGE_SIZE, holes, 2), 0);
			for (u32 i = 0; i < map.count; i++) {
				const struct ram_range *r = &map.range[i];

				assert_true(r->size > 0 && r->gpa >= gpa);
				EXPECT_EQ(r->host_offset, offset);
				for (u32 h = 0; h < 2; h++)
					assert_true(r->gpa + r->size <= holes[h].start ||
						    r->gpa >= holes[h].start + holes[h].size);
				offset += r->size;
				total += r->size;
				gpa = r->gpa + r->size;
			}
			EXPECT_EQ(total, pages * PAGE_SIZE);
		}
	}
}

static void test_find_gives_the_host_offset_of_ram_only(void **state)
{
	struct guest_ram_map map;
	u64 offset = 0;
	(void)state;

	assert_int_equal(guest_ram_layout(&map, 3 * GiB + 4 * MiB, pc_hole, 1), 0);
	assert_true(guest_ram_find(&map, 0, 1, &offset));
	EXPECT_EQ(offset, 0);
	assert_true(guest_ram_find(&map, 3 * GiB - 8, 8, &offset));
	EXPECT_EQ(offset, 3 * GiB - 8);
	assert_true(guest_ram_find(&map, 4 * GiB + 0x1234, 16, &offset));
	EXPECT_EQ(offset, 3 * GiB + 0x1234);
	assert_true(guest_ram_find(&map, 4 * GiB + 4 * MiB - 1, 1, &offset));
	EXPECT_EQ(offset, 3 * GiB + 4 * MiB - 1);

	assert_false(guest_ram_find(&map, 3 * GiB - 8, 9, &offset));	/* runs into the hole */
	assert_false(guest_ram_find(&map, 3 * GiB, 1, &offset));	/* in the hole */
	assert_false(guest_ram_find(&map, 0xfee00000, 4, &offset));	/* the local APIC's place */
	assert_false(guest_ram_find(&map, 4 * GiB + 4 * MiB, 1, &offset));	/* past the end */
	assert_false(guest_ram_find(&map, 0, 0, &offset));		/* nothing */
	assert_false(guest_ram_find(&map, 4 * GiB, ~0ULL, &offset));	/* would wrap */
	assert_false(guest_ram_find(&map, ~0ULL, 1, &offset));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ram_below_the_hole_is_one_range),
		cmocka_unit_test(test_ram_above_three_gigabytes_goes_on_at_four),
		cmocka_unit_test(test_several_holes_split_ram_in_several_ranges),
		cmocka_unit_test(test_bad_holes_and_sizes_are_refused),
		cmocka_unit_test(test_ram_needing_too_many_ranges_is_refused),
		cmocka_unit_test(test_ranges_hold_all_ram_and_miss_every_hole),
		cmocka_unit_test(test_find_gives_the_host_offset_of_ram_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

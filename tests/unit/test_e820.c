/* SPDX-License-Identifier: MIT */
/* Tests of the E820 map builder and of the BIOS data area. */
#include "tests/unit/unit.h"
#include "vmm/bios_data.h"
#include "vmm/e820.h"

#include <stdio.h>

static const struct guest_ram_map ram_16m = { 1, { { 0, 16 * MiB, 0 } } };
static const struct guest_ram_map ram_5g = {
	2, { { 0, 3 * GiB, 0 }, { 4 * GiB, 2 * GiB, 3 * GiB } } };
static const struct guest_ram_map ram_512k = { 1, { { 0, 512 * KiB, 0 } } };

static void expect_map(const struct guest_ram_map *ram, u64 boot, const struct e820_entry *want,
		       u32 count)
{
	struct e820_entry map[E820_ENTRIES_MAX];
	u32 n = e820_build(ram, boot, map);

	EXPECT_EQ(n, count);
	for (u32 i = 0; i < n; i++) {
		snprintf(unit_label, sizeof(unit_label), "entry %u", i);
		EXPECT_EQ(map[i].base, want[i].base);
		EXPECT_EQ(map[i].length, want[i].length);
		EXPECT_EQ(map[i].type, want[i].type);
		if (i)	/* in address order, none overlapping */
			assert_true(map[i].base >= map[i - 1].base + map[i - 1].length);
	}
}

static void test_map_of_a_small_vm_with_boot_data(void **state)
{
	(void)state;
	expect_map(&ram_16m, 0xffd000, (const struct e820_entry[]){
		{ 0, 0x9fc00, E820_RAM }, { 0x9fc00, 0x60400, E820_RESERVED },
		{ MiB, 0xffd000 - MiB, E820_RAM }, { 0xffd000, 0x3000, E820_RESERVED },
		{ 0xfec00000, 0x1000, E820_RESERVED }, { 0xfee00000, 0x1000, E820_RESERVED } }, 6);
}

static void test_map_without_boot_data_past_the_device_hole(void **state)
{
	(void)state;
	expect_map(&ram_5g, 3 * GiB, (const struct e820_entry[]){
		{ 0, 0x9fc00, E820_RAM }, { 0x9fc00, 0x60400, E820_RESERVED },
		{ MiB, 3 * GiB - MiB, E820_RAM },
		{ 0xfec00000, 0x1000, E820_RESERVED }, { 0xfee00000, 0x1000, E820_RESERVED },
		{ 4 * GiB, 2 * GiB, E820_RAM } }, 6);
}

static void test_map_of_ram_ending_below_1_mib(void **state)
{
	(void)state;
	expect_map(&ram_512k, 512 * KiB, (const struct e820_entry[]){
		{ 0, 512 * KiB, E820_RAM },
		{ 0xfec00000, 0x1000, E820_RESERVED }, { 0xfee00000, 0x1000, E820_RESERVED } }, 3);
}

static void test_entries_are_20_bytes_packed(void **state)
{
	(void)state;
	EXPECT_EQ(sizeof(struct e820_entry), 20);
}

static void test_bios_data_area_points_at_the_ebda(void **state)
{
	static const bool com1[] = { false, true };
	u8 bda[PC_BDA_SIZE], ebda[PC_EBDA_SIZE];
	(void)state;

	for (u32 k = 0; k < 2; k++) {
		struct bios_data_config c = { com1[k] };

		snprintf(unit_label, sizeof(unit_label), "COM1 %s", com1[k] ? "yes" : "no");
		memset(bda, 0xa5, sizeof(bda));
		memset(ebda, 0xa5, sizeof(ebda));
		bios_data_write(&c, bda, ebda);
		EXPECT_EQ(bda[0x0e] | bda[0x0f] << 8, 0x9fc0);
		EXPECT_EQ(bda[0x13] | bda[0x14] << 8, 639);
		EXPECT_EQ(bda[0x00] | bda[0x01] << 8, com1[k] ? 0x3f8 : 0);
		EXPECT_EQ(bda[0x02] | bda[0x03] << 8, 0);	/* no COM2 */
		EXPECT_EQ((bda[0x10] >> 1) & 1, 1);		/* an FPU */
		EXPECT_EQ((bda[0x10] >> 4) & 3, 2);		/* 80x25 colour */
		EXPECT_EQ((bda[0x11] >> 1) & 7, com1[k]);	/* serial ports, bits 9-11 */
		EXPECT_EQ(ebda[0], 1);
		EXPECT_EQ(bda[0x20], 0);	/* the rest cleared */
		EXPECT_EQ(ebda[1], 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map_of_a_small_vm_with_boot_data),
		cmocka_unit_test(test_map_without_boot_data_past_the_device_hole),
		cmocka_unit_test(test_map_of_ram_ending_below_1_mib),
		cmocka_unit_test(test_entries_are_20_bytes_packed),
		cmocka_unit_test(test_bios_data_area_points_at_the_ebda),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

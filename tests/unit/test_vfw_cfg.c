/* SPDX-License-Identifier: MIT */
/* Tests of the fw_cfg device: selection, the standard items, the file directory and files. */
#include "tests/unit/unit.h"
#include "vmm/dev/vfw_cfg.h"

#include <stdio.h>

#include "kernel/errno.h"

static struct vfw_cfg dev;

static void select_key(u16 key)
{
	vfw_cfg_ops.write(&dev, VFW_CFG_SELECTOR_PORT, 2, key);
}

static void read_bytes(u8 *out, u32 n)
{
	for (u32 i = 0; i < n; i++)
		out[i] = (u8)vfw_cfg_ops.read(&dev, VFW_CFG_DATA_PORT, 1);
}

static u64 read_le(u16 key, u32 n)
{
	u8 b[8];
	u64 v = 0;

	select_key(key);
	read_bytes(b, n);
	for (u32 i = n; i-- > 0;)
		v = v << 8 | b[i];
	return v;
}

static u32 be32(const u8 *p)
{
	return (u32)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static void test_signature_id_and_machine_items(void **state)
{
	static const struct { u64 ram; u16 cpus; } cases[] = {
		{ 8 * MiB, 1 }, { 64 * MiB, 2 }, { 6 * GiB, 4 }, { 2 * MiB, 16 },
	};
	u8 sig[5] = { 0 };
	(void)state;

	for (u32 k = 0; k < ARRAY_SIZE(cases); k++) {
		snprintf(unit_label, sizeof(unit_label), "%llu MiB, %u vCPUs", cases[k].ram / MiB,
			 cases[k].cpus);
		vfw_cfg_init(&dev, cases[k].ram, cases[k].cpus);
		select_key(VFW_CFG_SIGNATURE);
		read_bytes(sig, 4);
		assert_string_equal((char *)sig, "QEMU");
		EXPECT_EQ(read_le(VFW_CFG_ID, 4), VFW_CFG_ID_TRADITIONAL);
		EXPECT_EQ(read_le(VFW_CFG_RAM_SIZE, 8), cases[k].ram);
		EXPECT_EQ(read_le(VFW_CFG_NB_CPUS, 2), cases[k].cpus);
		EXPECT_EQ(read_le(VFW_CFG_MAX_CPUS, 2), cases[k].cpus);
	}
}

static void test_reads_past_the_end_and_unknown_keys_are_zero(void **state)
{
	u8 b[8];
	(void)state;

	snprintf(unit_label, sizeof(unit_label), "past the end");
	vfw_cfg_init(&dev, 8 * MiB, 1);
	EXPECT_EQ(vfw_cfg_ops.read(&dev, VFW_CFG_DATA_PORT, 1), 0);	/* nothing selected */
	select_key(VFW_CFG_SIGNATURE);
	read_bytes(b, 8);
	assert_memory_equal(b, "QEMU\0\0\0\0", 8);
	select_key(0x1234);
	EXPECT_EQ(vfw_cfg_ops.read(&dev, VFW_CFG_DATA_PORT, 1), 0);
	select_key(VFW_CFG_FILE_FIRST);	/* no file yet */
	EXPECT_EQ(vfw_cfg_ops.read(&dev, VFW_CFG_DATA_PORT, 1), 0);
}

static void test_selecting_again_rewinds_and_data_writes_are_ignored(void **state)
{
	(void)state;

	snprintf(unit_label, sizeof(unit_label), "rewind");
	vfw_cfg_init(&dev, 8 * MiB, 1);
	select_key(VFW_CFG_SIGNATURE);
	EXPECT_EQ(vfw_cfg_ops.read(&dev, VFW_CFG_DATA_PORT, 1), 'Q');
	EXPECT_EQ(vfw_cfg_ops.read(&dev, VFW_CFG_DATA_PORT, 1), 'E');
	vfw_cfg_ops.write(&dev, VFW_CFG_DATA_PORT, 1, 0x55);
	EXPECT_EQ(vfw_cfg_ops.read(&dev, VFW_CFG_DATA_PORT, 1), 'M');
	select_key(VFW_CFG_SIGNATURE);
	EXPECT_EQ(vfw_cfg_ops.read(&dev, VFW_CFG_DATA_PORT, 1), 'Q');
	/* A wider read takes a byte per lane; the selector reads as all ones. */
	EXPECT_EQ(vfw_cfg_ops.read(&dev, VFW_CFG_DATA_PORT, 2), 'E' | 'M' << 8);
	EXPECT_EQ(vfw_cfg_ops.read(&dev, VFW_CFG_SELECTOR_PORT, 2), 0xffff);
	/* The write channel and arch-local bits do not change which item is read. */
	select_key(0x4000 | VFW_CFG_SIGNATURE);
	EXPECT_EQ(vfw_cfg_ops.read(&dev, VFW_CFG_DATA_PORT, 1), 'Q');
}

static void test_file_directory_lists_the_files_big_endian(void **state)
{
	static const u8 name[] = "vm-one";
	static const u8 map[40] = { 1, 2, 3 };
	u8 dir[4 + 2 * 64], b[40];
	(void)state;

	snprintf(unit_label, sizeof(unit_label), "files");
	vfw_cfg_init(&dev, 8 * MiB, 1);
	EXPECT_EQ(read_le(VFW_CFG_FILE_DIR, 4), 0);
	EXPECT_EQ(vfw_cfg_add_file(&dev, "etc/vireo/vm-name", name, sizeof(name) - 1), 0);
	EXPECT_EQ(vfw_cfg_add_file(&dev, "etc/e820", map, sizeof(map)), 0);
	select_key(VFW_CFG_FILE_DIR);
	read_bytes(dir, sizeof(dir));
	EXPECT_EQ(be32(dir), 2);
	EXPECT_EQ(be32(dir + 4), 6);
	EXPECT_EQ(dir[8] << 8 | dir[9], VFW_CFG_FILE_FIRST);
	assert_string_equal((char *)dir + 12, "etc/vireo/vm-name");
	EXPECT_EQ(be32(dir + 68), 40);
	EXPECT_EQ(dir[72] << 8 | dir[73], VFW_CFG_FILE_FIRST + 1);
	assert_string_equal((char *)dir + 76, "etc/e820");
	select_key(VFW_CFG_FILE_FIRST);
	read_bytes(b, 7);
	assert_memory_equal(b, "vm-one\0", 7);
	select_key(VFW_CFG_FILE_FIRST + 1);
	read_bytes(b, 40);
	assert_memory_equal(b, map, 40);
}

static void test_bad_names_and_too_many_files_are_refused(void **state)
{
	char long_name[VFW_CFG_NAME_MAX + 1];
	(void)state;

	snprintf(unit_label, sizeof(unit_label), "refusals");
	vfw_cfg_init(&dev, 8 * MiB, 1);
	memset(long_name, 'a', VFW_CFG_NAME_MAX);
	long_name[VFW_CFG_NAME_MAX] = '\0';
	EXPECT_EQ(vfw_cfg_add_file(&dev, long_name, NULL, 0), (u64)-EINVAL);
	long_name[VFW_CFG_NAME_MAX - 1] = '\0';	/* 55 characters and the NUL: fits */
	EXPECT_EQ(vfw_cfg_add_file(&dev, long_name, NULL, 0), 0);
	EXPECT_EQ(vfw_cfg_add_file(&dev, "", NULL, 0), (u64)-EINVAL);
	for (u32 i = 1; i < VFW_CFG_FILES_MAX; i++)
		EXPECT_EQ(vfw_cfg_add_file(&dev, "f", NULL, 0), 0);
	EXPECT_EQ(vfw_cfg_add_file(&dev, "f", NULL, 0), (u64)-ENOSPC);
	EXPECT_EQ(read_le(VFW_CFG_FILE_DIR, 4), (u64)VFW_CFG_FILES_MAX << 24);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signature_id_and_machine_items),
		cmocka_unit_test(test_reads_past_the_end_and_unknown_keys_are_zero),
		cmocka_unit_test(test_selecting_again_rewinds_and_data_writes_are_ignored),
		cmocka_unit_test(test_file_directory_lists_the_files_big_endian),
		cmocka_unit_test(test_bad_names_and_too_many_files_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* The nested page table format. Pure. */
#include "arch/x86/svm/npt.h"

#define NPT_PRESENT BIT(0)
#define NPT_WRITE BIT(1)
#define NPT_USER BIT(2)
#define NPT_PWT BIT(3)
#define NPT_PCD BIT(4)
#define NPT_LARGE BIT(7)

const struct pt_format npt_format = {
	.name = "NPT",
	.table_bits = NPT_PRESENT | NPT_WRITE | NPT_USER,
	.present_bits = NPT_PRESENT,
	.read_bits = NPT_PRESENT,
	.write_bits = NPT_WRITE,
	.uncached_bits = NPT_PCD | NPT_PWT,
	.leaf_bits = NPT_USER,
	.large_bit = NPT_LARGE,
	.leaf_levels = PT_LEAF_4K | PT_LEAF_2M,
};

/* SPDX-License-Identifier: MIT */
/* The EPT entry format. Pure. */
#include "arch/x86/vmx/ept.h"

#define EPT_READ BIT(0)
#define EPT_WRITE BIT(1)
#define EPT_EXECUTE BIT(2)
#define EPT_MEMORY_TYPE_WB (6ULL << 3)
#define EPT_LARGE BIT(7)

const struct pt_format ept_format = {
	.name = "EPT",
	.table_bits = EPT_READ | EPT_WRITE | EPT_EXECUTE,
	.present_bits = EPT_READ | EPT_WRITE | EPT_EXECUTE,
	.read_bits = EPT_READ,
	.write_bits = EPT_WRITE,
	.exec_bits = EPT_EXECUTE,
	.cached_bits = EPT_MEMORY_TYPE_WB,
	.uncached_bits = 0,	/* memory type 0 is UC */
	.large_bit = EPT_LARGE,
	.leaf_levels = PT_LEAF_4K | PT_LEAF_2M,
};

/* SPDX-License-Identifier: MIT */
/* Address to symbol lookup over the generated, sorted table. */
#include "kernel/ksyms.h"

extern const u8 __text_start[], __text_end[];

const char *ksym_lookup(u64 address, u64 *offset)
{
	u32 lo = 0, hi = ksyms_count;

	if (address < (u64)__text_start || address >= (u64)__text_end || ksyms_count == 0 ||
	    address < ksyms_table[0].address)
		return NULL;
	/* Find the last symbol at or below address. */
	while (hi - lo > 1) {
		u32 mid = lo + (hi - lo) / 2;

		if (ksyms_table[mid].address <= address)
			lo = mid;
		else
			hi = mid;
	}
	*offset = address - ksyms_table[lo].address;
	return ksyms_names + ksyms_table[lo].name_offset;
}

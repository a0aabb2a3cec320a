/* SPDX-License-Identifier: MIT */
/* The kernel's own symbol table, for naming addresses in backtraces. */
#ifndef VIREO_KSYMS_H
#define VIREO_KSYMS_H

#include "kernel/types.h"

struct ksym {
	u64 address;
	u32 name_offset;	/* into ksyms_names */
};

/* Generated at link time (kernel/ksyms.awk), sorted by address. */
extern const struct ksym ksyms_table[];
extern const char ksyms_names[];
extern const u32 ksyms_count;

/*
 * The name of the function containing address, with the distance from its start in *offset;
 * NULL when address is outside the kernel's code.
 */
const char *ksym_lookup(u64 address, u64 *offset);

#endif

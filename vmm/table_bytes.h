/* SPDX-License-Identifier: MIT */
/*
 * Little-endian stores and the zero-sum checksum byte of the firmware tables (MP spec 4.1,
 * ACPI 6.5 5.2.6), shared by the pure table builders. Header only.
 */
#ifndef VIREO_VMM_TABLE_BYTES_H
#define VIREO_VMM_TABLE_BYTES_H

#include "kernel/types.h"

static inline void put16(u8 *p, u16 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
}

static inline void put32(u8 *p, u32 v)
{
	put16(p, (u16)v);
	put16(p + 2, (u16)(v >> 16));
}

static inline void put64(u8 *p, u64 v)
{
	put32(p, (u32)v);
	put32(p + 4, (u32)(v >> 32));
}

/* The byte that makes the len bytes at p (counting it as 0) sum to zero modulo 256. */
static inline u8 table_checksum(const u8 *p, u32 len)
{
	u8 sum = 0;

	while (len--)
		sum = (u8)(sum + *p++);
	return (u8)-sum;
}

#endif

/* SPDX-License-Identifier: MIT */
/*
 * One builder for every 4-level x86 page table Vireo makes: the host's own tables, the NPT and
 * EPT second-level tables of guests, and the identity tables a 64-bit guest starts with. The
 * entry format is data (struct pt_format); the vendor formats live in arch/x86/svm and vmx.
 */
#ifndef VIREO_ARCH_X86_PGTABLE_H
#define VIREO_ARCH_X86_PGTABLE_H

#include "kernel/types.h"

/* Access rights and memory type of a mapping. */
enum pt_prot {
	PT_READ = BIT(0),
	PT_WRITE = BIT(1),
	PT_EXEC = BIT(2),
	PT_UNCACHED = BIT(3),
	PT_RWX = PT_READ | PT_WRITE | PT_EXEC,
};

/* Leaf sizes, by the level that holds the leaf: level 1 maps 4 KiB, 2 maps 2 MiB, 3 maps 1 GiB. */
#define PT_LEVEL_SIZE(level) (1ULL << (12 + 9 * ((level) - 1)))
#define PT_LEAF_4K BIT(1)
#define PT_LEAF_2M BIT(2)
#define PT_LEAF_1G BIT(3)

#define PT_ADDR_MASK 0x000ffffffffff000ULL

/* How one page-table format spells each property of an entry. */
struct pt_format {
	const char *name;
	u64 table_bits;		/* set in a non-leaf entry besides the next table's address */
	u64 present_bits;	/* an entry with any of these set is present */
	u64 read_bits;		/* leaf: readable, hence present */
	u64 write_bits;		/* leaf: writable */
	u64 exec_bits;		/* leaf: executable (EPT's X) */
	u64 noexec_bits;	/* leaf: not executable (x86 NX), set when PT_EXEC is absent */
	u64 cached_bits;	/* leaf: write-back memory */
	u64 uncached_bits;	/* leaf: uncached memory */
	u64 leaf_bits;		/* always set on a leaf (NPT's U/S, the host's G) */
	u64 large_bit;		/* marks a leaf at level 2 or 3 (PS) */
	u32 leaf_levels;	/* PT_LEAF_* sizes this format and CPU allow */
};

/* Where the tables come from; a table address is whatever the tables themselves hold. */
struct pt_ops {
	/* A zeroed 4 KiB table; returns its address, or 0 when out of memory. */
	u64 (*alloc_table)(void *ctx);
	/* Give back a table from alloc_table. */
	void (*free_table)(void *ctx, u64 addr);
	/* A pointer through which the builder reads and writes the table at addr. */
	u64 *(*table_ptr)(void *ctx, u64 addr);
};

struct pt {
	const struct pt_format *fmt;
	const struct pt_ops *ops;
	void *ctx;
	u64 root;		/* address of the level-4 table (CR3, nCR3 or EPTP base) */
	u32 tables;		/* tables allocated, root included */
	u32 leaves[4];		/* leaves mapped, by level (index 1..3) */
};

/* Start an empty table tree. Returns 0 or -ENOMEM. */
int pt_init(struct pt *pt, const struct pt_format *fmt, const struct pt_ops *ops, void *ctx);

/*
 * Map [va, va+size) to [pa, pa+size) with prot, using the largest leaves that the format allows
 * and that the alignment of va, pa and the remaining size permit. va, pa and size must be
 * 4 KiB aligned. Returns 0, -EINVAL (misaligned), -EEXIST (overlaps an existing mapping; what
 * was mapped before the overlap stays) or -ENOMEM.
 */
int pt_map(struct pt *pt, u64 va, u64 pa, u64 size, u32 prot);

/*
 * Look up va. Returns 0 and fills the translated address, the rights and the size of the leaf
 * (any out-pointer may be NULL), or -ENOENT when nothing maps va.
 */
int pt_translate(const struct pt *pt, u64 va, u64 *pa, u32 *prot, u64 *leaf_size);

/* Free every table of the tree (not the memory it maps). */
void pt_destroy(struct pt *pt);

#endif

/* SPDX-License-Identifier: MIT */
/* The page-table builder: walks and fills 4-level trees in any struct pt_format. Pure code. */
#include "arch/x86/pgtable.h"
#include "kernel/errno.h"

#define PT_ENTRIES 512
#define PT_TOP_LEVEL 4

static unsigned pt_index(u64 va, int level)
{
	return (va >> (12 + 9 * (level - 1))) & (PT_ENTRIES - 1);
}

static bool entry_present(const struct pt_format *f, u64 e)
{
	return e & f->present_bits;
}

static bool entry_is_leaf(const struct pt_format *f, u64 e, int level)
{
	return level == 1 || (e & f->large_bit);
}

static u64 leaf_entry(const struct pt_format *f, u64 pa, u32 prot, int level)
{
	u64 e = pa | f->leaf_bits | f->read_bits;

	if (prot & PT_WRITE)
		e |= f->write_bits;
	e |= (prot & PT_EXEC) ? f->exec_bits : f->noexec_bits;
	e |= (prot & PT_UNCACHED) ? f->uncached_bits : f->cached_bits;
	if (level > 1)
		e |= f->large_bit;
	return e;
}

static u32 entry_prot(const struct pt_format *f, u64 e)
{
	u32 prot = PT_READ;

	if ((e & f->write_bits) == f->write_bits)
		prot |= PT_WRITE;
	if (f->exec_bits ? (e & f->exec_bits) == f->exec_bits : !(e & f->noexec_bits))
		prot |= PT_EXEC;
	/* EPT spells uncached as memory type 0, the absence of the write-back bits. */
	if (f->uncached_bits ? (e & f->uncached_bits) == f->uncached_bits
			     : (f->cached_bits && (e & f->cached_bits) != f->cached_bits))
		prot |= PT_UNCACHED;
	return prot;
}

int pt_init(struct pt *pt, const struct pt_format *fmt, const struct pt_ops *ops, void *ctx)
{
	*pt = (struct pt){ .fmt = fmt, .ops = ops, .ctx = ctx };
	pt->root = ops->alloc_table(ctx);
	if (!pt->root)
		return -ENOMEM;
	pt->tables = 1;
	return 0;
}

/* Install one leaf at level, creating the tables above it. */
static int map_leaf(struct pt *pt, u64 va, u64 pa, int level, u32 prot)
{
	const struct pt_format *f = pt->fmt;
	u64 *table = pt->ops->table_ptr(pt->ctx, pt->root);

	for (int l = PT_TOP_LEVEL; l > level; l--) {
		u64 *e = &table[pt_index(va, l)];

		if (!entry_present(f, *e)) {
			u64 next = pt->ops->alloc_table(pt->ctx);
			if (!next)
				return -ENOMEM;
			pt->tables++;
			*e = next | f->table_bits;
		} else if (entry_is_leaf(f, *e, l)) {
			return -EEXIST;
		}
		table = pt->ops->table_ptr(pt->ctx, *e & PT_ADDR_MASK);
	}
	if (entry_present(f, table[pt_index(va, level)]))
		return -EEXIST;
	table[pt_index(va, level)] = leaf_entry(f, pa, prot, level);
	pt->leaves[level]++;
	return 0;
}

static int best_level(const struct pt_format *f, u64 va, u64 pa, u64 remaining)
{
	for (int level = 3; level > 1; level--) {
		u64 size = PT_LEVEL_SIZE(level);

		if ((f->leaf_levels & BIT(level)) && IS_ALIGNED(va | pa, size) && remaining >= size)
			return level;
	}
	return 1;
}

int pt_map(struct pt *pt, u64 va, u64 pa, u64 size, u32 prot)
{
	if (!IS_ALIGNED(va | pa | size, PAGE_SIZE))
		return -EINVAL;
	while (size) {
		int level = best_level(pt->fmt, va, pa, size);
		u64 step = PT_LEVEL_SIZE(level);
		int err = map_leaf(pt, va, pa, level, prot);

		if (err)
			return err;
		va += step;
		pa += step;
		size -= step;
	}
	return 0;
}

int pt_translate(const struct pt *pt, u64 va, u64 *pa, u32 *prot, u64 *leaf_size)
{
	const struct pt_format *f = pt->fmt;
	u64 *table = pt->ops->table_ptr(pt->ctx, pt->root);

	for (int l = PT_TOP_LEVEL; l >= 1; l--) {
		u64 e = table[pt_index(va, l)];

		if (!entry_present(f, e))
			return -ENOENT;
		if (entry_is_leaf(f, e, l)) {
			u64 size = PT_LEVEL_SIZE(l);
			if (pa)
				*pa = (e & PT_ADDR_MASK & ~(size - 1)) | (va & (size - 1));
			if (prot)
				*prot = entry_prot(f, e);
			if (leaf_size)
				*leaf_size = size;
			return 0;
		}
		table = pt->ops->table_ptr(pt->ctx, e & PT_ADDR_MASK);
	}
	return -ENOENT;
}

static void free_level(struct pt *pt, u64 addr, int level)
{
	u64 *table = pt->ops->table_ptr(pt->ctx, addr);

	for (unsigned i = 0; level > 1 && i < PT_ENTRIES; i++) {
		u64 e = table[i];
		if (entry_present(pt->fmt, e) && !entry_is_leaf(pt->fmt, e, level))
			free_level(pt, e & PT_ADDR_MASK, level - 1);
	}
	pt->ops->free_table(pt->ctx, addr);
}

void pt_destroy(struct pt *pt)
{
	if (pt->root)
		free_level(pt, pt->root, PT_TOP_LEVEL);
	pt->root = 0;
	pt->tables = 0;
}

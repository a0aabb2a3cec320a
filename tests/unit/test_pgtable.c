/* SPDX-License-Identifier: MIT */
/* Tests of the generic 4-level page-table builder in the real NPT and EPT formats. */
#include "tests/unit/unit.h"
#include "arch/x86/pgtable.h"
#include "arch/x86/svm/npt.h"
#include "arch/x86/vmx/ept.h"

#include <stdio.h>

#include "kernel/errno.h"

/* x86 long-mode (and AMD NPT) entry bits. */
#define X86_P BIT(0)
#define X86_W BIT(1)
#define X86_U BIT(2)
#define X86_PWT BIT(3)
#define X86_PCD BIT(4)
#define X86_PS BIT(7)

/* Intel EPT entry bits. */
#define EPT_R BIT(0)
#define EPT_W BIT(1)
#define EPT_X BIT(2)
#define EPT_WB (6ULL << 3)
#define EPT_LARGE BIT(7)

#define SZ_4K PT_LEVEL_SIZE(1)
#define SZ_2M PT_LEVEL_SIZE(2)
#define SZ_1G PT_LEVEL_SIZE(3)
#define SZ_512G (512 * SZ_1G)
#define SZ_256T (512 * SZ_512G)
#define ALL_LEAVES (PT_LEAF_4K | PT_LEAF_2M | PT_LEAF_1G)

#define MAX_TABLES 1024
#define NO_LIMIT UINT32_MAX

/* Every NPT entry that points to a table, whatever the level (APM 15.25.5). */
#define NPT_TABLE_BITS (X86_P | X86_W | X86_U)
#define EPT_TABLE_BITS (EPT_R | EPT_W | EPT_X)

/*
 * The real NPT and EPT formats (arch/x86/svm/npt.c, arch/x86/vmx/ept.c) allow 4K and 2M leaves
 * only. The builder's 1G paths are tested through copies of them with 1G leaves allowed as
 * well, made by init_1g_variants() before any test runs.
 */
static struct pt_format npt_with_1g_format, ept_with_1g_format;

static void widen_to_1g(struct pt_format *copy, const struct pt_format *real, const char *name)
{
	*copy = *real;
	copy->name = name;
	copy->leaf_levels |= PT_LEAF_1G;
}

static int init_1g_variants(void **state)
{
	(void)state;
	widen_to_1g(&npt_with_1g_format, &npt_format, "NPT with 1G leaves");
	widen_to_1g(&ept_with_1g_format, &ept_format, "EPT with 1G leaves");
	return 0;
}

static const struct pt_format *const formats[] = {
	&npt_format, &npt_with_1g_format, &ept_format, &ept_with_1g_format,
};

static bool is_ept(const struct pt_format *fmt)
{
	return fmt == &ept_format || fmt == &ept_with_1g_format;
}

static bool has_1g_leaves(const struct pt_format *fmt)
{
	return fmt->leaf_levels & PT_LEAF_1G;
}

/* The largest leaf a format allows for a range that could take a leaf of size. */
static u64 allowed_leaf(const struct pt_format *fmt, u64 size)
{
	return size == SZ_1G && !has_1g_leaves(fmt) ? SZ_2M : size;
}

/* The table entry bits each format must use, spelled out here rather than taken from it. */
static u64 expected_table_bits(const struct pt_format *fmt)
{
	return is_ept(fmt) ? EPT_TABLE_BITS : NPT_TABLE_BITS;
}

/* A tree under test and the host memory its tables come from. */
struct env {
	struct pt_format fmt;	/* a copy, so a test can narrow leaf_levels */
	const struct pt_format *orig;	/* the format it was copied from */
	struct pt pt;
	bool live;		/* pt holds a tree that env_stop must destroy */
	u32 limit;		/* alloc_table fails once this many tables were handed out */
	u32 allocated, freed;
	u32 slots;
	void *tables[MAX_TABLES];	/* every table handed out; NULL once freed */
};

static void set_label(const char *fmt_name, const char *what)
{
	snprintf(unit_label, sizeof(unit_label), "%s/%s", fmt_name, what);
}

static u64 host_alloc_table(void *ctx)
{
	struct env *env = ctx;
	void *p;

	if (env->allocated >= env->limit)
		return 0;
	assert_true(env->slots < MAX_TABLES);
	p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	assert_non_null(p);
	memset(p, 0, PAGE_SIZE);
	env->tables[env->slots++] = p;
	env->allocated++;
	return (u64)(uintptr_t)p;
}

static void host_free_table(void *ctx, u64 addr)
{
	struct env *env = ctx;

	for (u32 i = 0; i < env->slots; i++) {
		if (env->tables[i] == (void *)(uintptr_t)addr) {
			free(env->tables[i]);
			env->tables[i] = NULL;
			env->freed++;
			return;
		}
	}
	fail_msg("%s: free_table(%#llx) of a table not handed out, or freed twice", unit_label, addr);
}

static u64 *host_table_ptr(void *ctx, u64 addr)
{
	(void)ctx;
	return (u64 *)(uintptr_t)addr;
}

static const struct pt_ops host_ops = {
	.alloc_table = host_alloc_table,
	.free_table = host_free_table,
	.table_ptr = host_table_ptr,
};

static bool is_live_table(const struct env *env, u64 addr)
{
	for (u32 i = 0; i < env->slots; i++)
		if (env->tables[i] && env->tables[i] == (void *)(uintptr_t)addr)
			return true;
	return false;
}

/*
 * Start a fresh tree in fmt narrowed to leaf_levels (which must be leaves fmt allows); the
 * previous tree must have been stopped. Returns pt_init's result.
 */
static int env_start_leaves(struct env *env, const struct pt_format *fmt, u32 leaf_levels,
			    u32 limit)
{
	int err;

	assert_false(env->live);
	assert_int_equal(env->allocated, env->freed);
	assert_int_equal(leaf_levels & ~fmt->leaf_levels, 0);
	env->fmt = *fmt;
	env->orig = fmt;
	env->fmt.leaf_levels = leaf_levels;
	env->limit = limit;
	env->allocated = env->freed = env->slots = 0;
	err = pt_init(&env->pt, &env->fmt, &host_ops, env);
	env->live = err == 0;
	return err;
}

/* Start a fresh tree in fmt as it is. */
static int env_start(struct env *env, const struct pt_format *fmt, u32 limit)
{
	return env_start_leaves(env, fmt, fmt->leaf_levels, limit);
}

/* Destroy the tree and check that it gave back exactly the tables it had allocated. */
static void env_stop(struct env *env)
{
	u32 tables = env->pt.tables;

	assert_true(env->live);
	EXPECT_EQ(tables, env->allocated);
	pt_destroy(&env->pt);
	env->live = false;
	EXPECT_EQ(env->freed, tables);
	EXPECT_EQ(env->pt.tables, 0);
	EXPECT_EQ(env->pt.root, 0);
}

static int env_setup(void **state)
{
	struct env *env = calloc(1, sizeof(*env));

	if (!env)
		return -1;
	*state = env;
	return 0;
}

/* Free whatever a failed test left behind, so ASan reports only real leaks. */
static int env_teardown(void **state)
{
	struct env *env = *state;

	for (u32 i = 0; i < env->slots; i++)
		free(env->tables[i]);
	free(env);
	return 0;
}

static unsigned index_at(u64 va, int level)
{
	return (va >> (12 + 9 * (level - 1))) & 511;
}

/*
 * Walk the tables by hand and return the raw entry for va at level, checking on the way down
 * that every table entry is exactly a live table's address plus the expected table bits.
 */
static u64 raw_entry(const struct env *env, u64 va, int level)
{
	const u64 *table = (const u64 *)(uintptr_t)env->pt.root;

	for (int l = 4; l > level; l--) {
		u64 e = table[index_at(va, l)];

		EXPECT_EQ(e & ~PT_ADDR_MASK, expected_table_bits(env->orig));
		if (!is_live_table(env, e & PT_ADDR_MASK))
			fail_msg("%s: level %d entry %#llx does not point to a table", unit_label, l, e);
		table = (const u64 *)(uintptr_t)(e & PT_ADDR_MASK);
	}
	return table[index_at(va, level)];
}

/* Check that va translates to pa through a leaf of leaf_size. */
static void expect_translation(const struct env *env, u64 va, u64 pa, u64 leaf_size)
{
	u64 got_pa = 0, got_size = 0;
	int err = pt_translate(&env->pt, va, &got_pa, NULL, &got_size);

	if (err)
		fail_msg("%s: va %#llx does not translate (%d)", unit_label, va, err);
	EXPECT_EQ(got_pa, pa);
	EXPECT_EQ(got_size, leaf_size);
}

static void expect_unmapped(const struct env *env, u64 va)
{
	u64 pa = 0;
	int err = pt_translate(&env->pt, va, &pa, NULL, NULL);

	if (err != -ENOENT)
		fail_msg("%s: va %#llx translates (%d, pa %#llx), expected -ENOENT", unit_label, va,
			 err, pa);
}

static void expect_leaves(const struct env *env, u32 l4k, u32 l2m, u32 l1g)
{
	EXPECT_EQ(env->pt.leaves[1], l4k);
	EXPECT_EQ(env->pt.leaves[2], l2m);
	EXPECT_EQ(env->pt.leaves[3], l1g);
}

static void test_init_allocates_one_empty_root(void **state)
{
	struct env *env = *state;

	for (size_t f = 0; f < ARRAY_SIZE(formats); f++) {
		const u64 *root;

		set_label(formats[f]->name, "init");
		assert_int_equal(env_start(env, formats[f], NO_LIMIT), 0);
		EXPECT_EQ(env->pt.tables, 1);
		EXPECT_EQ(env->allocated, 1);
		assert_true(is_live_table(env, env->pt.root));
		assert_ptr_equal(env->pt.fmt, &env->fmt);
		assert_ptr_equal(env->pt.ops, &host_ops);
		assert_ptr_equal(env->pt.ctx, env);
		expect_leaves(env, 0, 0, 0);
		root = (const u64 *)(uintptr_t)env->pt.root;
		for (int i = 0; i < 512; i++)
			EXPECT_EQ(root[i], 0);
		expect_unmapped(env, 0);
		expect_unmapped(env, 0x7ffffffff000ULL);
		env_stop(env);
	}
}

static void test_init_fails_with_enomem_when_no_table_is_available(void **state)
{
	struct env *env = *state;

	set_label("npt", "init without memory");
	assert_int_equal(env_start(env, &npt_format, 0), -ENOMEM);
	EXPECT_EQ(env->allocated, 0);
	EXPECT_EQ(env->pt.tables, 0);
}

struct leaf_case {
	const char *name;
	u32 levels;		/* leaf sizes the format is narrowed to */
	u64 va, pa, size;
	u32 l4k, l2m, l1g;	/* expected pt->leaves[] */
	u32 tables;		/* expected pt->tables */
	u64 first_leaf, last_leaf;	/* leaf size holding the first and the last page */
};

static const struct leaf_case leaf_cases[] = {
	{ "4K-only format maps 2M in 4K pages", PT_LEAF_4K, 0, 0x80000000, SZ_2M,
	  512, 0, 0, 4, SZ_4K, SZ_4K },
	{ "4K-only format, 4M over two page tables", PT_LEAF_4K, 0x40000000, 0x40000000,
	  2 * SZ_2M, 1024, 0, 0, 5, SZ_4K, SZ_4K },
	{ "2M-aligned 2M", ALL_LEAVES, SZ_2M, 0x80000000, SZ_2M, 0, 1, 0, 3, SZ_2M, SZ_2M },
	{ "1G-aligned 1G", ALL_LEAVES, SZ_1G, 3 * SZ_1G, SZ_1G, 0, 0, 1, 2, SZ_1G, SZ_1G },
	{ "1G range in a 4K|2M format", PT_LEAF_4K | PT_LEAF_2M, SZ_1G, 3 * SZ_1G, SZ_1G,
	  0, 512, 0, 3, SZ_2M, SZ_2M },
	{ "pa only 2M-aligned", ALL_LEAVES, SZ_1G, 3 * SZ_1G + SZ_2M, SZ_1G,
	  0, 512, 0, 3, SZ_2M, SZ_2M },
	{ "pa 1G-aligned, va only 2M-aligned", ALL_LEAVES, SZ_1G + SZ_2M, 3 * SZ_1G, SZ_1G,
	  0, 512, 0, 4, SZ_2M, SZ_2M },
	{ "va 4K-aligned, pa 2M-aligned", ALL_LEAVES, SZ_2M + SZ_4K, 0x80200000, SZ_2M,
	  512, 0, 0, 5, SZ_4K, SZ_4K },
	{ "4K head, 2M body, 4K tail", ALL_LEAVES, SZ_2M - SZ_4K, 0x80000000 - SZ_4K,
	  SZ_2M + 2 * SZ_4K, 2, 1, 0, 5, SZ_4K, SZ_4K },
	{ "size one page short of 2M", ALL_LEAVES, SZ_2M, SZ_2M, SZ_2M - SZ_4K,
	  511, 0, 0, 4, SZ_4K, SZ_4K },
	{ "2M head, 1G body, 2M tail", ALL_LEAVES, SZ_1G - SZ_2M, 5 * SZ_1G - SZ_2M,
	  SZ_1G + 2 * SZ_2M, 0, 2, 1, 4, SZ_2M, SZ_2M },
};

/*
 * A case that expects no 1G leaf comes out the same in a format without them, so only the
 * cases that make 1G leaves are left out for the real NPT and EPT formats (see the test after
 * this).
 */
static void test_map_uses_largest_leaves_that_alignment_and_format_allow(void **state)
{
	struct env *env = *state;

	for (size_t f = 0; f < ARRAY_SIZE(formats); f++) {
		for (size_t i = 0; i < ARRAY_SIZE(leaf_cases); i++) {
			const struct leaf_case *c = &leaf_cases[i];
			u32 levels = c->levels & formats[f]->leaf_levels;
			u64 last = c->size - SZ_4K;

			if (c->l1g && !has_1g_leaves(formats[f]))
				continue;
			set_label(formats[f]->name, c->name);
			assert_int_equal(env_start_leaves(env, formats[f], levels, NO_LIMIT), 0);
			EXPECT_EQ(pt_map(&env->pt, c->va, c->pa, c->size, PT_RWX), 0);
			expect_leaves(env, c->l4k, c->l2m, c->l1g);
			EXPECT_EQ(env->pt.tables, c->tables);
			expect_translation(env, c->va, c->pa, c->first_leaf);
			expect_translation(env, c->va + last, c->pa + last, c->last_leaf);
			expect_unmapped(env, c->va - SZ_4K);
			expect_unmapped(env, c->va + c->size);
			env_stop(env);
		}
	}
}

/* Ranges that a 1G-capable format would map with 1G leaves, as the real formats map them. */
static const struct leaf_case real_2m_cases[] = {
	{ "1G-aligned 1G", 0, SZ_1G, 3 * SZ_1G, SZ_1G, 0, 512, 0, 3, SZ_2M, SZ_2M },
	{ "2M head, 1G body, 2M tail", 0, SZ_1G - SZ_2M, 5 * SZ_1G - SZ_2M, SZ_1G + 2 * SZ_2M,
	  0, 514, 0, 5, SZ_2M, SZ_2M },
	{ "4G of guest RAM at 0", 0, 0, 4 * SZ_1G, 4 * SZ_1G, 0, 2048, 0, 6, SZ_2M, SZ_2M },
	{ "4K head, 1G body, 4K tail", 0, SZ_1G - SZ_4K, 2 * SZ_1G - SZ_4K, SZ_1G + 2 * SZ_4K,
	  2, 512, 0, 7, SZ_4K, SZ_4K },
};

/* The real formats and the bits of their 2M read-write-execute leaves, spelled out here. */
static const struct {
	const struct pt_format *fmt;
	u64 rwx_2m_bits;
} real_formats[] = {
	{ &npt_format, X86_P | X86_W | X86_U | X86_PS },
	{ &ept_format, EPT_R | EPT_W | EPT_X | EPT_WB | EPT_LARGE },
};

static void test_real_formats_map_1g_ranges_with_2m_leaves(void **state)
{
	struct env *env = *state;

	for (size_t f = 0; f < ARRAY_SIZE(real_formats); f++) {
		const struct pt_format *fmt = real_formats[f].fmt;

		for (size_t i = 0; i < ARRAY_SIZE(real_2m_cases); i++) {
			const struct leaf_case *c = &real_2m_cases[i];
			u64 last = c->size - SZ_4K, gib = ALIGN_UP(c->va, SZ_1G);

			set_label(fmt->name, c->name);
			assert_int_equal(env_start(env, fmt, NO_LIMIT), 0);
			EXPECT_EQ(pt_map(&env->pt, c->va, c->pa, c->size, PT_RWX), 0);
			expect_leaves(env, c->l4k, c->l2m, c->l1g);
			EXPECT_EQ(env->pt.tables, c->tables);
			expect_translation(env, c->va, c->pa, c->first_leaf);
			expect_translation(env, c->va + last, c->pa + last, c->last_leaf);
			expect_unmapped(env, c->va - SZ_4K);
			expect_unmapped(env, c->va + c->size);
			/* A 1G-aligned GiB inside the range: a 2M leaf under a table, not 1G. */
			EXPECT_EQ(raw_entry(env, gib, 2),
				  (c->pa + gib - c->va) | real_formats[f].rwx_2m_bits);
			env_stop(env);
		}
	}
}

/* The real NPT format field by field: long-mode bits, U/S on every entry, no 1G leaves. */
static void test_npt_format_spells_long_mode_entries(void **state)
{
	(void)state;

	set_label(npt_format.name, "format fields");
	assert_non_null(npt_format.name);
	EXPECT_EQ(npt_format.table_bits, X86_P | X86_W | X86_U);
	EXPECT_EQ(npt_format.present_bits, X86_P);
	EXPECT_EQ(npt_format.read_bits, X86_P);
	EXPECT_EQ(npt_format.write_bits, X86_W);
	EXPECT_EQ(npt_format.exec_bits, 0);
	EXPECT_EQ(npt_format.noexec_bits, 0);
	EXPECT_EQ(npt_format.cached_bits, 0);
	EXPECT_EQ(npt_format.uncached_bits, X86_PCD | X86_PWT);
	EXPECT_EQ(npt_format.leaf_bits, X86_U);
	EXPECT_EQ(npt_format.large_bit, X86_PS);
	EXPECT_EQ(npt_format.leaf_levels, PT_LEAF_4K | PT_LEAF_2M);
	/* The 1G variant differs in its leaf sizes (and name) only. */
	EXPECT_EQ(npt_with_1g_format.leaf_levels, ALL_LEAVES);
	EXPECT_EQ(npt_with_1g_format.table_bits, npt_format.table_bits);
	EXPECT_EQ(npt_with_1g_format.uncached_bits, npt_format.uncached_bits);
	EXPECT_EQ(npt_with_1g_format.leaf_bits, npt_format.leaf_bits);
}

/*
 * The real EPT format field by field (SDM 29.3.2): R, W and X instead of present and NX,
 * write-back memory type 6 in bits 5:3 of leaves, uncached as type 0, no 1G leaves.
 */
static void test_ept_format_spells_rwx_entries_with_memory_types(void **state)
{
	(void)state;

	set_label(ept_format.name, "format fields");
	assert_non_null(ept_format.name);
	EXPECT_EQ(ept_format.table_bits, EPT_R | EPT_W | EPT_X);
	EXPECT_EQ(ept_format.present_bits, EPT_R | EPT_W | EPT_X);
	EXPECT_EQ(ept_format.read_bits, EPT_R);
	EXPECT_EQ(ept_format.write_bits, EPT_W);
	EXPECT_EQ(ept_format.exec_bits, EPT_X);
	EXPECT_EQ(ept_format.noexec_bits, 0);
	EXPECT_EQ(ept_format.cached_bits, EPT_WB);
	EXPECT_EQ(ept_format.uncached_bits, 0);
	EXPECT_EQ(ept_format.leaf_bits, 0);
	EXPECT_EQ(ept_format.large_bit, EPT_LARGE);
	EXPECT_EQ(ept_format.leaf_levels, PT_LEAF_4K | PT_LEAF_2M);
	/* The 1G variant differs in its leaf sizes (and name) only. */
	EXPECT_EQ(ept_with_1g_format.leaf_levels, ALL_LEAVES);
	EXPECT_EQ(ept_with_1g_format.table_bits, ept_format.table_bits);
	EXPECT_EQ(ept_with_1g_format.present_bits, ept_format.present_bits);
	EXPECT_EQ(ept_with_1g_format.cached_bits, ept_format.cached_bits);
	EXPECT_EQ(ept_with_1g_format.large_bit, ept_format.large_bit);
}

struct bits_case {
	const struct pt_format *fmt;
	u32 prot;
	int level;
	u64 bits;	/* the leaf entry besides its address */
};

static const struct bits_case bits_cases[] = {
	{ &npt_format, PT_RWX, 1, X86_P | X86_W | X86_U },
	{ &npt_format, PT_READ, 1, X86_P | X86_U },
	{ &npt_format, PT_READ | PT_EXEC, 1, X86_P | X86_U },
	{ &npt_format, PT_READ | PT_WRITE | PT_UNCACHED, 1,
	  X86_P | X86_W | X86_U | X86_PWT | X86_PCD },
	{ &npt_format, PT_READ | PT_WRITE, 2, X86_P | X86_W | X86_U | X86_PS },
	{ &npt_format, PT_RWX | PT_UNCACHED, 2,
	  X86_P | X86_W | X86_U | X86_PWT | X86_PCD | X86_PS },
	{ &npt_with_1g_format, PT_READ | PT_WRITE, 1, X86_P | X86_W | X86_U },
	{ &npt_with_1g_format, PT_READ | PT_UNCACHED, 3,
	  X86_P | X86_U | X86_PWT | X86_PCD | X86_PS },
	{ &npt_with_1g_format, PT_RWX, 3, X86_P | X86_W | X86_U | X86_PS },
	{ &ept_format, PT_RWX, 1, EPT_R | EPT_W | EPT_X | EPT_WB },
	{ &ept_format, PT_READ, 1, EPT_R | EPT_WB },
	{ &ept_format, PT_READ | PT_WRITE, 1, EPT_R | EPT_W | EPT_WB },
	{ &ept_format, PT_READ | PT_EXEC, 1, EPT_R | EPT_X | EPT_WB },
	{ &ept_format, PT_READ | PT_WRITE | PT_UNCACHED, 1, EPT_R | EPT_W },
	{ &ept_format, PT_RWX | PT_UNCACHED, 1, EPT_R | EPT_W | EPT_X },
	{ &ept_format, PT_RWX, 2, EPT_R | EPT_W | EPT_X | EPT_WB | EPT_LARGE },
	{ &ept_format, PT_READ, 2, EPT_R | EPT_WB | EPT_LARGE },
	{ &ept_format, PT_READ | PT_EXEC | PT_UNCACHED, 2, EPT_R | EPT_X | EPT_LARGE },
	{ &ept_with_1g_format, PT_RWX | PT_UNCACHED, 3, EPT_R | EPT_W | EPT_X | EPT_LARGE },
	{ &ept_with_1g_format, PT_READ | PT_WRITE, 3, EPT_R | EPT_W | EPT_WB | EPT_LARGE },
};

static void test_leaf_and_table_entries_have_exact_format_bits(void **state)
{
	struct env *env = *state;
	const u64 va = 4 * SZ_1G, pa = 0x1240000000ULL;

	for (size_t i = 0; i < ARRAY_SIZE(bits_cases); i++) {
		const struct bits_case *c = &bits_cases[i];
		char what[48];

		snprintf(what, sizeof(what), "prot %#x level %d", c->prot, c->level);
		set_label(c->fmt->name, what);
		assert_int_equal(env_start(env, c->fmt, NO_LIMIT), 0);
		EXPECT_EQ(pt_map(&env->pt, va, pa, PT_LEVEL_SIZE(c->level), c->prot), 0);
		EXPECT_EQ(env->pt.leaves[c->level], 1);
		EXPECT_EQ(raw_entry(env, va, c->level), pa | c->bits);
		EXPECT_EQ(env->pt.tables, 5 - c->level);
		env_stop(env);
	}
}

/* Every table of one 4K mapping: one fresh table per level, linked with table_bits only. */
static void test_table_entries_link_fresh_tables_and_nothing_else(void **state)
{
	struct env *env = *state;
	const u64 va = 0x0000123456789000ULL;

	for (size_t f = 0; f < ARRAY_SIZE(formats); f++) {
		const u64 *table;
		u64 seen[4];

		set_label(formats[f]->name, "table links");
		assert_int_equal(env_start(env, formats[f], NO_LIMIT), 0);
		EXPECT_EQ(pt_map(&env->pt, va, 0xabcde000, SZ_4K, PT_RWX), 0);
		table = (const u64 *)(uintptr_t)env->pt.root;
		seen[0] = env->pt.root;
		for (int l = 4; l >= 1; l--) {
			for (unsigned i = 0; i < 512; i++) {
				if (i != index_at(va, l))
					EXPECT_EQ(table[i], 0);
			}
			if (l == 1)
				break;
			seen[5 - l] = table[index_at(va, l)] & PT_ADDR_MASK;
			EXPECT_EQ(table[index_at(va, l)],
				  seen[5 - l] | expected_table_bits(formats[f]));
			assert_true(is_live_table(env, seen[5 - l]));
			for (int k = 0; k < 5 - l; k++)
				assert_true(seen[k] != seen[5 - l]);
			table = (const u64 *)(uintptr_t)seen[5 - l];
		}
		EXPECT_EQ(table[index_at(va, 1)] & PT_ADDR_MASK, 0xabcde000);
		EXPECT_EQ(env->pt.tables, 4);
		env_stop(env);
	}
}

struct probe {
	u64 va;
	int err;	/* expected pt_translate result */
	u64 pa, leaf_size;
};

static void test_translate_resolves_mapped_addresses_and_misses_the_rest(void **state)
{
	static const struct probe probes[] = {
		{ SZ_1G, 0, 4 * SZ_1G, SZ_1G },
		{ SZ_1G + 0x12345678, 0, 4 * SZ_1G + 0x12345678, SZ_1G },
		{ 2 * SZ_1G - 1, 0, 5 * SZ_1G - 1, SZ_1G },
		{ 2 * SZ_1G, -ENOENT, 0, 0 },
		{ 6 * SZ_2M + 0x1abcd, 0, 0x10000000 + 0x1abcd, SZ_2M },
		{ 7 * SZ_2M - 8, 0, 0x10000000 + SZ_2M - 8, SZ_2M },
		{ 5 * SZ_2M + SZ_2M - SZ_4K, -ENOENT, 0, 0 },
		{ 7 * SZ_2M, 0, 0x7000, SZ_4K },
		{ 7 * SZ_2M + 0xfff, 0, 0x7fff, SZ_4K },
		{ 7 * SZ_2M + SZ_4K, -ENOENT, 0, 0 },
		{ 0, -ENOENT, 0, 0 },
		{ SZ_512G - SZ_4K, 0, 0xfff000, SZ_4K },
		{ SZ_512G - 1, 0, 0xffffff, SZ_4K },
		{ SZ_512G, -ENOENT, 0, 0 },
		{ 3 * SZ_512G, -ENOENT, 0, 0 },
		{ SZ_256T - SZ_4K + 0x10, 0, 0x2000010, SZ_4K },
		{ SZ_256T - 2 * SZ_4K, -ENOENT, 0, 0 },
	};

	struct env *env = *state;

	for (size_t f = 0; f < ARRAY_SIZE(formats); f++) {
		set_label(formats[f]->name, "translate");
		assert_int_equal(env_start(env, formats[f], NO_LIMIT), 0);
		EXPECT_EQ(pt_map(&env->pt, SZ_1G, 4 * SZ_1G, SZ_1G, PT_RWX), 0);
		EXPECT_EQ(pt_map(&env->pt, 6 * SZ_2M, 0x10000000, SZ_2M, PT_READ), 0);
		EXPECT_EQ(pt_map(&env->pt, 7 * SZ_2M, 0x7000, SZ_4K, PT_READ), 0);
		EXPECT_EQ(pt_map(&env->pt, SZ_512G - SZ_4K, 0xfff000, SZ_4K, PT_RWX), 0);
		EXPECT_EQ(pt_map(&env->pt, SZ_256T - SZ_4K, 0x2000000, SZ_4K, PT_RWX), 0);
		for (size_t i = 0; i < ARRAY_SIZE(probes); i++) {
			const struct probe *p = &probes[i];

			snprintf(unit_label, sizeof(unit_label), "%s/translate %#llx", formats[f]->name,
				 p->va);
			if (p->err)
				expect_unmapped(env, p->va);
			else
				expect_translation(env, p->va, p->pa,
						   allowed_leaf(formats[f], p->leaf_size));
		}
		env_stop(env);
	}
}

static void test_translate_accepts_null_out_pointers(void **state)
{
	struct env *env = *state;

	for (size_t f = 0; f < ARRAY_SIZE(formats); f++) {
		u32 prot = 0;

		set_label(formats[f]->name, "null out-pointers");
		assert_int_equal(env_start(env, formats[f], NO_LIMIT), 0);
		EXPECT_EQ(pt_map(&env->pt, SZ_2M, SZ_2M, SZ_2M, PT_READ | PT_WRITE), 0);
		EXPECT_EQ(pt_translate(&env->pt, SZ_2M + 8, NULL, NULL, NULL), 0);
		EXPECT_EQ(pt_translate(&env->pt, SZ_2M + 8, NULL, &prot, NULL), 0);
		EXPECT_EQ(prot & (PT_READ | PT_WRITE), PT_READ | PT_WRITE);
		EXPECT_EQ(pt_translate(&env->pt, 0, NULL, NULL, NULL), -ENOENT);
		env_stop(env);
	}
}

/*
 * Map each prot as a 4K, a 2M and (where the format allows) a 1G leaf and check that
 * pt_translate gives it back. A format with neither an X nor an NX bit (NPT here) can only
 * report executable mappings.
 */
static void expect_prot_round_trip(struct env *env, const u32 *prots, size_t count)
{
	for (size_t f = 0; f < ARRAY_SIZE(formats); f++) {
		const struct pt_format *fmt = formats[f];
		u32 always = fmt->exec_bits || fmt->noexec_bits ? 0 : PT_EXEC;

		assert_int_equal(env_start(env, fmt, NO_LIMIT), 0);
		for (int level = 1; level <= (has_1g_leaves(fmt) ? 3 : 2); level++) {
			for (size_t i = 0; i < count; i++) {
				u64 size = PT_LEVEL_SIZE(level);
				u64 va = level * SZ_1G + i * size;
				u32 prot = 0;

				snprintf(unit_label, sizeof(unit_label), "%s/prot %#x level %d", fmt->name,
					 prots[i], level);
				EXPECT_EQ(pt_map(&env->pt, va, SZ_1G + i * size, size, prots[i]), 0);
				EXPECT_EQ(pt_translate(&env->pt, va, NULL, &prot, NULL), 0);
				EXPECT_EQ(prot, prots[i] | always);
				EXPECT_EQ(env->pt.leaves[level], i + 1);
			}
		}
		env_stop(env);
	}
}

static void test_access_rights_round_trip_through_translate(void **state)
{
	static const u32 prots[] = {
		PT_READ, PT_READ | PT_WRITE, PT_READ | PT_EXEC, PT_RWX,
	};

	expect_prot_round_trip(*state, prots, ARRAY_SIZE(prots));
}

static void test_uncached_memory_type_round_trips_through_translate(void **state)
{
	static const u32 prots[] = {
		PT_READ | PT_UNCACHED, PT_READ | PT_WRITE | PT_UNCACHED,
		PT_READ | PT_EXEC | PT_UNCACHED, PT_RWX | PT_UNCACHED,
	};

	expect_prot_round_trip(*state, prots, ARRAY_SIZE(prots));
}

struct range {
	u64 va, pa, size;
};

static const struct range bad_alignments[] = {
	{ 0x800, 0x1000, SZ_4K },
	{ SZ_2M + 8, SZ_2M, SZ_2M },
	{ 0x1000, 0x1001, SZ_4K },
	{ SZ_2M, SZ_2M + 0x10, SZ_2M },
	{ 0x1000, 0x2000, 0x1800 },
	{ SZ_1G, SZ_1G, SZ_1G - 1 },
	{ 0x1000, 0x2000, 1 },
};

static void test_map_rejects_misaligned_va_pa_or_size(void **state)
{
	struct env *env = *state;

	for (size_t f = 0; f < ARRAY_SIZE(formats); f++) {
		set_label(formats[f]->name, "misaligned");
		assert_int_equal(env_start(env, formats[f], NO_LIMIT), 0);
		for (size_t i = 0; i < ARRAY_SIZE(bad_alignments); i++) {
			const struct range *r = &bad_alignments[i];

			snprintf(unit_label, sizeof(unit_label), "%s/misaligned va %#llx pa %#llx size %#llx",
				 formats[f]->name, r->va, r->pa, r->size);
			EXPECT_EQ(pt_map(&env->pt, r->va, r->pa, r->size, PT_RWX), -EINVAL);
			expect_unmapped(env, ALIGN_DOWN(r->va, SZ_4K));
		}
		expect_leaves(env, 0, 0, 0);
		EXPECT_EQ(env->pt.tables, 1);
		env_stop(env);
	}
}

struct overlap_case {
	const char *name;
	struct range first, second;
	u64 kept_va, kept_leaf;	/* a page of second mapped before the overlap, or 0 */
	u64 unmapped_va;	/* a page of second left unmapped, or 0 */
	u32 l4k, l2m, l1g;	/* leaves after both calls */
	bool needs_1g;		/* only for formats with 1G leaves */
};

static const struct overlap_case overlap_cases[] = {
	{ "4K inside a 2M leaf", { SZ_2M, 0x80000000, SZ_2M },
	  { SZ_2M + 0x5000, 0x5000, SZ_4K }, 0, 0, 0, 0, 1, 0, false },
	{ "4K inside a 1G leaf", { SZ_1G, 2 * SZ_1G, SZ_1G },
	  { SZ_1G + SZ_2M, 0x5000, SZ_4K }, 0, 0, 0, 0, 0, 1, true },
	{ "2M over a page table", { SZ_2M + 0x3000, 0x3000, SZ_4K },
	  { SZ_2M, 0x80000000, SZ_2M }, 0, 0, SZ_2M, 1, 0, 0, false },
	{ "1G over a page directory", { SZ_1G + SZ_2M, 0x80000000, SZ_2M },
	  { SZ_1G, 2 * SZ_1G, SZ_1G }, 0, 0, SZ_1G, 0, 1, 0, true },
	{ "2M over the same 2M", { SZ_2M, 0x80000000, SZ_2M },
	  { SZ_2M, 0x90000000, SZ_2M }, 0, 0, 0, 0, 1, 0, false },
	{ "4K over the same 4K", { 0x7000, 0x1000, SZ_4K },
	  { 0x7000, 0x2000, SZ_4K }, 0, 0, 0, 1, 0, 0, false },
	{ "range running into a 4K page", { 0x9000, 0x1000, SZ_4K },
	  { 0x6000, 0x6000, 0x4000 }, 0x8000, SZ_4K, 0, 4, 0, 0, false },
	{ "range running into a page table", { SZ_1G + SZ_2M + 0x5000, 0x5000, SZ_4K },
	  { SZ_1G, 0x40000000, 2 * SZ_2M }, SZ_1G, SZ_2M, SZ_1G + SZ_2M, 1, 1, 0, false },
};

static void test_map_refuses_overlaps_and_keeps_earlier_mappings(void **state)
{
	struct env *env = *state;

	for (size_t f = 0; f < ARRAY_SIZE(formats); f++) {
		for (size_t i = 0; i < ARRAY_SIZE(overlap_cases); i++) {
			const struct overlap_case *c = &overlap_cases[i];
			const struct range *a = &c->first, *b = &c->second;
			u64 leaf_size = 0;

			if (c->needs_1g && !has_1g_leaves(formats[f]))
				continue;
			set_label(formats[f]->name, c->name);
			assert_int_equal(env_start(env, formats[f], NO_LIMIT), 0);
			EXPECT_EQ(pt_map(&env->pt, a->va, a->pa, a->size, PT_RWX), 0);
			EXPECT_EQ(pt_translate(&env->pt, a->va, NULL, NULL, &leaf_size), 0);
			EXPECT_EQ(pt_map(&env->pt, b->va, b->pa, b->size, PT_READ), -EEXIST);
			expect_leaves(env, c->l4k, c->l2m, c->l1g);
			expect_translation(env, a->va, a->pa, leaf_size);
			expect_translation(env, a->va + a->size - SZ_4K, a->pa + a->size - SZ_4K,
					   leaf_size);
			if (c->kept_va)
				expect_translation(env, c->kept_va, b->pa + (c->kept_va - b->va),
						   c->kept_leaf);
			if (c->unmapped_va)
				expect_unmapped(env, c->unmapped_va);
			env_stop(env);
		}
	}
}

struct isolation_case {
	const char *name;
	struct range a, b;
};

static const struct isolation_case isolation_cases[] = {
	{ "adjacent 4K ranges, host ranges swapped",
	  { 0x1000, 0x5000000, 0x3000 }, { 0x4000, 0x4ffe000, 0x2000 } },
	{ "adjacent 2M leaves, adjacent host ranges",
	  { SZ_2M, 0x600000, SZ_2M }, { 2 * SZ_2M, 0x800000, SZ_2M } },
	{ "2M leaf with 4K tail, then 4K pages and a 2M leaf",
	  { SZ_2M, 0x10200000, SZ_2M + SZ_4K }, { 2 * SZ_2M + SZ_4K, 0x10401000, 0x3ff000 } },
	{ "ranges one page apart",
	  { 0x10000, 0x20000, 0x4000 }, { 0x15000, 0x24000, 0x4000 } },
	{ "1G range next to a 2M range",
	  { SZ_1G, 4 * SZ_1G, SZ_1G }, { 2 * SZ_1G, 5 * SZ_1G, SZ_2M } },
	{ "adjacent across a level-4 boundary",
	  { SZ_512G - 0x2000, 0x9000, 0x2000 }, { SZ_512G, 0x7000, 0x2000 } },
};

static bool in_range(u64 x, u64 start, u64 size)
{
	return x >= start && x - start < size;
}

/* va must translate into exactly the host page its range gives it, or not at all. */
static void check_isolated(const struct env *env, const struct isolation_case *c, u64 va)
{
	const struct range *own = NULL, *other = NULL;
	u64 pa = 0;
	int err = pt_translate(&env->pt, va, &pa, NULL, NULL);

	if (in_range(va, c->a.va, c->a.size)) {
		own = &c->a;
		other = &c->b;
	} else if (in_range(va, c->b.va, c->b.size)) {
		own = &c->b;
		other = &c->a;
	}
	if (!own) {
		if (err != -ENOENT)
			fail_msg("%s: unmapped va %#llx translates to %#llx", unit_label, va, pa);
		return;
	}
	if (err)
		fail_msg("%s: va %#llx does not translate", unit_label, va);
	if (in_range(pa, other->pa, other->size))
		fail_msg("%s: va %#llx leaks into the other range at %#llx", unit_label, va, pa);
	EXPECT_EQ(pa, own->pa + (va - own->va));
}

static void test_disjoint_mappings_never_translate_into_each_other(void **state)
{
	struct env *env = *state;

	for (size_t f = 0; f < ARRAY_SIZE(formats); f++) {
		for (size_t i = 0; i < ARRAY_SIZE(isolation_cases); i++) {
			const struct isolation_case *c = &isolation_cases[i];
			const struct range *r[] = { &c->a, &c->b };
			u64 lo = MIN(c->a.va, c->b.va) - SZ_4K;
			u64 hi = MAX(c->a.va + c->a.size, c->b.va + c->b.size) + SZ_4K;

			set_label(formats[f]->name, c->name);
			assert_int_equal(env_start(env, formats[f], NO_LIMIT), 0);
			EXPECT_EQ(pt_map(&env->pt, c->a.va, c->a.pa, c->a.size, PT_RWX), 0);
			EXPECT_EQ(pt_map(&env->pt, c->b.va, c->b.pa, c->b.size, PT_RWX), 0);
			/* Both ends of each range, the pages around them, and its middle. */
			for (size_t k = 0; k < ARRAY_SIZE(r); k++) {
				u64 end = r[k]->va + r[k]->size;
				u64 points[] = { r[k]->va - SZ_4K, r[k]->va - 1, r[k]->va,
						 r[k]->va + SZ_4K, r[k]->va + r[k]->size / 2,
						 end - SZ_4K, end - 1, end, end + SZ_4K };

				for (size_t p = 0; p < ARRAY_SIZE(points); p++)
					check_isolated(env, c, points[p]);
			}
			/* Every page in between, where that is few enough. */
			for (u64 va = lo; hi - lo <= 64 * MiB && va <= hi; va += SZ_4K)
				check_isolated(env, c, va);
			env_stop(env);
		}
	}
}

struct enomem_case {
	const char *name;
	u64 va, size;
	u32 limit;	/* tables alloc_table hands out */
	int err;
	u32 l4k, l2m;	/* leaves mapped */
};

static const struct enomem_case enomem_cases[] = {
	{ "4K, root only", SZ_2M, SZ_4K, 1, -ENOMEM, 0, 0 },
	{ "4K, no page directory", SZ_2M, SZ_4K, 2, -ENOMEM, 0, 0 },
	{ "4K, no page table", SZ_2M, SZ_4K, 3, -ENOMEM, 0, 0 },
	{ "4K, just enough", SZ_2M, SZ_4K, 4, 0, 1, 0 },
	{ "2M, no page directory", SZ_2M, SZ_2M, 2, -ENOMEM, 0, 0 },
	{ "2M, just enough", SZ_2M, SZ_2M, 3, 0, 0, 1 },
	{ "4K pages over two page tables", SZ_2M - SZ_4K, 2 * SZ_4K, 4, -ENOMEM, 1, 0 },
	{ "2M then a 4K tail without a page table", SZ_2M, SZ_2M + SZ_4K, 3, -ENOMEM, 0, 1 },
};

static void test_map_reports_enomem_when_tables_run_out(void **state)
{
	struct env *env = *state;

	for (size_t f = 0; f < ARRAY_SIZE(formats); f++) {
		for (size_t i = 0; i < ARRAY_SIZE(enomem_cases); i++) {
			const struct enomem_case *c = &enomem_cases[i];

			set_label(formats[f]->name, c->name);
			assert_int_equal(env_start(env, formats[f], c->limit), 0);
			EXPECT_EQ(pt_map(&env->pt, c->va, c->va, c->size, PT_RWX), c->err);
			EXPECT_EQ(env->pt.tables, c->limit);
			expect_leaves(env, c->l4k, c->l2m, 0);
			if (c->l4k + c->l2m)
				expect_translation(env, c->va, c->va, c->l2m ? SZ_2M : SZ_4K);
			else
				expect_unmapped(env, c->va);
			if (c->err)
				expect_unmapped(env, c->va + c->size - SZ_4K);
			env_stop(env);
		}
	}
}

static const struct range destroy_ranges[] = {
	{ 0, 0, SZ_2M },
	{ SZ_2M + SZ_4K, 0x10001000, SZ_2M },
	{ SZ_1G - SZ_2M, 3 * SZ_1G - SZ_2M, SZ_1G + 3 * SZ_2M + 5 * SZ_4K },
	{ 7 * SZ_512G + 0x3000, 0x3000, 0x5000 },
	{ 100 * SZ_512G, 0, SZ_1G },
};

static void test_destroy_frees_every_table_exactly_once(void **state)
{
	struct env *env = *state;

	for (size_t f = 0; f < ARRAY_SIZE(formats); f++) {
		set_label(formats[f]->name, "destroy");
		assert_int_equal(env_start(env, formats[f], NO_LIMIT), 0);
		for (size_t i = 0; i < ARRAY_SIZE(destroy_ranges); i++) {
			const struct range *r = &destroy_ranges[i];

			EXPECT_EQ(pt_map(&env->pt, r->va, r->pa, r->size, PT_RWX), 0);
		}
		/*
		 * The root; under slot 0 a PDPT, the PDs of GiB 0 and 2, two PTs for the 4K run
		 * and one for the 4K tail; a PDPT, PD and PT under slot 7; a PDPT under slot 100.
		 * Without 1G leaves, GiB 1 and the GiB under slot 100 need a PD each.
		 */
		EXPECT_EQ(env->pt.tables, has_1g_leaves(formats[f]) ? 11 : 13);
		EXPECT_EQ(env->pt.tables, env->allocated);
		EXPECT_EQ(env->freed, 0);
		env_stop(env);	/* checks freed == tables and that no table is freed twice */
		for (u32 i = 0; i < env->slots; i++)
			assert_null(env->tables[i]);
	}
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, env_setup, env_teardown)
	const struct CMUnitTest tests[] = {
		T(test_init_allocates_one_empty_root),
		T(test_init_fails_with_enomem_when_no_table_is_available),
		T(test_map_uses_largest_leaves_that_alignment_and_format_allow),
		T(test_real_formats_map_1g_ranges_with_2m_leaves),
		T(test_npt_format_spells_long_mode_entries),
		T(test_ept_format_spells_rwx_entries_with_memory_types),
		T(test_leaf_and_table_entries_have_exact_format_bits),
		T(test_table_entries_link_fresh_tables_and_nothing_else),
		T(test_translate_resolves_mapped_addresses_and_misses_the_rest),
		T(test_translate_accepts_null_out_pointers),
		T(test_access_rights_round_trip_through_translate),
		T(test_uncached_memory_type_round_trips_through_translate),
		T(test_map_rejects_misaligned_va_pa_or_size),
		T(test_map_refuses_overlaps_and_keeps_earlier_mappings),
		T(test_disjoint_mappings_never_translate_into_each_other),
		T(test_map_reports_enomem_when_tables_run_out),
		T(test_destroy_frees_every_table_exactly_once),
	};
#undef T

	return cmocka_run_group_tests(tests, init_1g_variants, NULL);
}

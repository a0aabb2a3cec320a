/* SPDX-License-Identifier: MIT */
/* Tests of the guest page-table walker over a fake guest RAM, in every paging mode. */
#include "tests/unit/unit.h"
#include "vmm/guest_walk.h"

#include <stdio.h>

#include "kernel/errno.h"

/* Control and entry bits, spelled out here rather than taken from the walker. */
#define CR0_PE BIT(0)
#define CR0_WP BIT(16)
#define CR0_PG BIT(31)
#define CR4_PSE BIT(4)
#define CR4_PAE BIT(5)
#define CR4_SMEP BIT(20)
#define CR4_SMAP BIT(21)
#define EFER_LME BIT(8)
#define EFER_LMA BIT(10)
#define EFER_NXE BIT(11)

#define E_P BIT(0)
#define E_RW BIT(1)
#define E_US BIT(2)
#define E_PWT BIT(3)
#define E_PCD BIT(4)
#define E_A BIT(5)
#define E_D BIT(6)
#define E_PS BIT(7)
#define E_G BIT(8)
#define E_PAT_LARGE BIT(12)
#define E_XD BIT(63)
#define E_ALL (E_P | E_RW | E_US)

/* #PF error code bits (SDM Vol. 3A 4.7). */
#define PF_P BIT(0)
#define PF_W BIT(1)
#define PF_U BIT(2)
#define PF_RSVD BIT(3)
#define PF_ID BIT(4)

#define RAM_SIZE (4 * MiB)
#define MAX_LOG 8
#define NO_GPA 0xdeadbeefcafef00dULL	/* *gpa before a walk: the walker must leave it alone */
#define NO_ERR 0xa5a5a5a5u		/* likewise *pf_error */
#define NO_FAULT UINT32_MAX		/* a table's "translates" instead of an error code */
#define L(level) BIT(level)		/* a set of levels, for the tables below */

/* The fake guest RAM, and a log of how the walker read it. */
struct ram {
	u8 *mem;
	u8 *copy;		/* room for a snapshot of mem */
	u32 reads;
	u32 fail_at;		/* the read, counted from 1, that fails; 0 for none */
	u64 gpa[MAX_LOG];	/* the first reads */
	u32 len[MAX_LOG];
};

static int ram_read(void *ctx, u64 gpa, void *buf, u32 len)
{
	struct ram *ram = ctx;
	u32 n = ram->reads++;

	if (n < MAX_LOG) {
		ram->gpa[n] = gpa;
		ram->len[n] = len;
	}
	if ((len != 4 && len != 8) || gpa % len)
		fail_msg("%s: read of %u bytes at %#llx is no entry", unit_label, len, gpa);
	if (ram->fail_at == n + 1 || gpa >= RAM_SIZE || len > RAM_SIZE - gpa)
		return -EFAULT;
	memcpy(buf, ram->mem + gpa, len);
	return 0;
}

static const struct guest_walk_ops ram_ops = { .read = ram_read };

static int ram_setup(void **state)
{
	struct ram *ram = calloc(1, sizeof(*ram));

	if (!ram)
		return -1;
	ram->mem = calloc(1, RAM_SIZE);
	ram->copy = malloc(RAM_SIZE);
	if (!ram->mem || !ram->copy) {
		free(ram->mem);
		free(ram->copy);
		free(ram);
		return -1;
	}
	*state = ram;
	return 0;
}

static int ram_teardown(void **state)
{
	struct ram *ram = *state;

	free(ram->mem);
	free(ram->copy);
	free(ram);
	return 0;
}

static void ram_clear(struct ram *ram)
{
	memset(ram->mem, 0, RAM_SIZE);
	ram->fail_at = 0;
}

static void put32(struct ram *ram, u64 gpa, u64 value)
{
	u32 v = (u32)value;

	assert_true(gpa + 4 <= RAM_SIZE && value >> 32 == 0);
	memcpy(ram->mem + gpa, &v, 4);
}

static void put64(struct ram *ram, u64 gpa, u64 value)
{
	assert_true(gpa + 8 <= RAM_SIZE);
	memcpy(ram->mem + gpa, &value, 8);
}

enum mode { MODE_32BIT, MODE_PAE, MODE_4LEVEL, MODES };

/* Each mode's shape as the SDM gives it, and where these tests put each level's table. */
static const struct {
	const char *name;
	u32 levels, entry_bytes;
	u32 shift[5];		/* by level */
	u64 index_mask[5];
	u64 table[5];
} modes[] = {
	[MODE_32BIT] = { "32-bit", 2, 4, { 0, 12, 22 }, { 0, 1023, 1023 },
			 { 0, 0x4000, 0x3000 } },
	[MODE_PAE] = { "PAE", 3, 8, { 0, 12, 21, 30 }, { 0, 511, 511, 3 },
		       { 0, 0x4000, 0x3000, 0x2fe0 } },
	[MODE_4LEVEL] = { "4-level", 4, 8, { 0, 12, 21, 30, 39 }, { 0, 511, 511, 511, 511 },
			  { 0, 0x4000, 0x3000, 0x2000, 0x1000 } },
};

/* The mode's controls with CR0.WP, SMEP, SMAP and NXE off; MAXPHYADDR 46. */
static struct guest_paging controls(enum mode m)
{
	struct guest_paging p = { .cr0 = CR0_PE | CR0_PG, .cr4 = CR4_PAE,
				  .cr3 = modes[m].table[modes[m].levels],
				  .phys_addr_bits = 46, .pse36 = true, .gbpages = true };

	if (m == MODE_32BIT)
		p.cr4 = CR4_PSE;
	if (m == MODE_4LEVEL)
		p.efer = EFER_LME | EFER_LMA;
	return p;
}

static void put_entry(struct ram *ram, enum mode m, u64 gpa, u64 e)
{
	if (modes[m].entry_bytes == 4)
		put32(ram, gpa, e);
	else
		put64(ram, gpa, e);
}

static u64 slot(enum mode m, u32 level, u64 gla)
{
	return modes[m].table[level] +
	       modes[m].entry_bytes * ((gla >> modes[m].shift[level]) & modes[m].index_mask[level]);
}

/* Flags changed from the defaults (P, R/W, U/S; P alone in a PAE PDPTE), by level. */
struct tweak {
	u64 set[5], clear[5];
};

/* Map gla to the page at pa through one entry per level down to leaf (PS=1 above level 1). */
static void map(struct ram *ram, enum mode m, u64 gla, u64 pa, u32 leaf, const struct tweak *t)
{
	for (u32 level = modes[m].levels; level >= leaf; level--) {
		u64 e = m == MODE_PAE && level == 3 ? E_P : E_ALL;

		e |= level == leaf ? pa | (leaf > 1 ? E_PS : 0) : modes[m].table[level - 1];
		if (t)
			e = (e | t->set[level]) & ~t->clear[level];
		put_entry(ram, m, slot(m, level, gla), e);
	}
}

struct outcome {
	enum guest_walk_result r;
	u64 gpa;
	u32 err;
};

static struct outcome walk(struct ram *ram, const struct guest_paging *p, u64 gla, u32 access)
{
	struct outcome o = { .gpa = NO_GPA, .err = NO_ERR };

	ram->reads = 0;
	o.r = guest_walk(p, &ram_ops, ram, gla, access, &o.gpa, &o.err);
	return o;
}

/* Expect a translation to gpa, or with want an error code, a #PF with exactly that code. */
static void expect_walk(struct ram *ram, const struct guest_paging *p, u64 gla, u32 access,
			u32 want, u64 gpa)
{
	struct outcome o = walk(ram, p, gla, access);

	if (want == NO_FAULT) {
		EXPECT_EQ(o.r, GW_OK);
		EXPECT_EQ(o.gpa, gpa);
		EXPECT_EQ(o.err, NO_ERR);
	} else {
		EXPECT_EQ(o.r, GW_PAGE_FAULT);
		EXPECT_EQ(o.err, want);
		EXPECT_EQ(o.gpa, NO_GPA);
	}
}

static void label(enum mode m, const char *what)
{
	snprintf(unit_label, sizeof(unit_label), "%s/%s", modes[m].name, what);
}

static void test_error_code_bits_are_the_sdm_s(void **state)
{
	(void)state;
	snprintf(unit_label, sizeof(unit_label), "constants");
	EXPECT_EQ(GW_PF_P, PF_P);
	EXPECT_EQ(GW_PF_WR, PF_W);
	EXPECT_EQ(GW_PF_US, PF_U);
	EXPECT_EQ(GW_PF_RSVD, PF_RSVD);
	EXPECT_EQ(GW_PF_ID, PF_ID);
	EXPECT_EQ(GW_OK, 0);
}

static void test_paging_off_passes_the_low_32_bits_through(void **state)
{
	static const u64 glas[][2] = {
		{ 0, 0 }, { 0xabc, 0xabc }, { 0xffffffff, 0xffffffff },
		{ 0x100000000, 0 }, { 0x123456789abc, 0x56789abc },
		{ 0x8000000012345678, 0x12345678 }, { ~0ULL, 0xffffffff },
	};
	struct ram *ram = *state;
	/* PAE and EFER.LME on, as just before a switch to long mode; CR3 outside RAM. */
	struct guest_paging p = { .cr0 = CR0_PE | CR0_WP, .cr3 = 0xfffff000,
				  .cr4 = CR4_PAE | CR4_SMEP | CR4_SMAP, .efer = EFER_LME | EFER_NXE,
				  .phys_addr_bits = 36 };

	for (size_t i = 0; i < ARRAY_SIZE(glas); i++) {
		snprintf(unit_label, sizeof(unit_label), "paging off, gla %#llx", glas[i][0]);
		expect_walk(ram, &p, glas[i][0], GW_USER | GW_WRITE, NO_FAULT, glas[i][1]);
		expect_walk(ram, &p, glas[i][0], GW_FETCH, NO_FAULT, glas[i][1]);
		EXPECT_EQ(ram->reads, 0);
	}
}

struct literal_walk {
	enum mode mode;
	u64 cr3, gla, gpa;
	u64 entry[4], value[4];	/* top level first */
};

/* The entry addresses are worked out by hand from SDM 4.3, 4.4.2 and 4.5.4. */
static const struct literal_walk literal_walks[] = {
	{ MODE_32BIT, 0x3000 | 0xfff, 0xffc01abc, 0xfffffabc,
	  { 0x3ffc, 0x4004 }, { 0x4000 | E_ALL, 0xfffff000 | E_ALL } },
	{ MODE_PAE, 0x2fe0 | 0x1f, 0xc07ff123, 0xfffffff123,
	  { 0x2ff8, 0x3018, 0x4ff8 }, { 0x3000 | E_P, 0x4000 | E_ALL, 0xfffffff000 | E_ALL } },
	{ MODE_4LEVEL, 0x1000 | 0xfff, 0xffffffc0002aa123, 0x3ffffffff123,
	  { 0x1ff8, 0x2800, 0x3008, 0x4550 },
	  { 0x2000 | E_ALL, 0x3000 | E_ALL, 0x4000 | E_ALL, 0x3ffffffff000 | E_ALL } },
};

static void test_walks_read_exactly_the_entries_the_sdm_names(void **state)
{
	struct ram *ram = *state;

	for (size_t i = 0; i < ARRAY_SIZE(literal_walks); i++) {
		const struct literal_walk *c = &literal_walks[i];
		struct guest_paging p = controls(c->mode);
		u32 levels = modes[c->mode].levels;

		label(c->mode, "literal walk");
		ram_clear(ram);
		for (u32 k = 0; k < levels; k++)
			put_entry(ram, c->mode, c->entry[k], c->value[k]);
		memcpy(ram->copy, ram->mem, RAM_SIZE);
		p.cr3 = c->cr3;
		expect_walk(ram, &p, c->gla, GW_WRITE, NO_FAULT, c->gpa);
		EXPECT_EQ(ram->reads, levels);
		for (u32 k = 0; k < levels; k++) {
			EXPECT_EQ(ram->gpa[k], c->entry[k]);
			EXPECT_EQ(ram->len[k], modes[c->mode].entry_bytes);
		}
		/* No accessed or dirty flag was set: the walker never writes. */
		assert_memory_equal(ram->copy, ram->mem, RAM_SIZE);
	}
}

struct translation_case {
	const char *name;
	enum mode mode;
	u32 leaf;
	u64 gla, pa, gpa;
	u32 maxphy;
};

static const struct translation_case translations[] = {
	{ "4K, last byte of the page", MODE_32BIT, 1, 0xfff, 0x123000, 0x123fff, 46 },
	{ "4K, gla above 4G wraps", MODE_32BIT, 1, 0x100401001, 0x5000, 0x5001, 46 },
	{ "4K, top page", MODE_32BIT, 1, 0xffffffff, 0xfffff000, 0xffffffff, 46 },
	{ "4M", MODE_32BIT, 2, 0xffbfffff, 0x80000000, 0x803fffff, 46 },
	{ "4M, offset below 4K", MODE_32BIT, 2, 0x00400ff0, 0xffc00000, 0xffc00ff0, 46 },
	{ "4K above 4G", MODE_PAE, 1, 0xffffffff, 0x3ffffff000, 0x3fffffffff, 46 },
	{ "4K, gla above 4G wraps", MODE_PAE, 1, 0xffffffff00000010, 0x7000, 0x7010, 46 },
	{ "2M", MODE_PAE, 2, 0x402fffff, 0x2345ffe00000, 0x2345ffefffff, 46 },
	{ "2M, MAXPHYADDR 52", MODE_PAE, 2, 0x00012345, 0xfffffffe00000, 0xfffffffe12345, 52 },
	{ "4K, top of the low half", MODE_4LEVEL, 1, 0x00007fffffffffff, 0x1000, 0x1fff, 46 },
	{ "4K, MAXPHYADDR 52", MODE_4LEVEL, 1, 0xffff800000000abc, 0xffffffffff000,
	  0xffffffffffabc, 52 },
	{ "2M", MODE_4LEVEL, 2, 0xffff8000001fffff, 0x3fffffe00000, 0x3fffffffffff, 46 },
	{ "2M, unaligned", MODE_4LEVEL, 2, 0x00000000c0312345, 0x200000, 0x312345, 46 },
	{ "1G, last byte", MODE_4LEVEL, 3, ~0ULL, 0x3fffc0000000, 0x3fffffffffff, 46 },
	{ "1G, unaligned", MODE_4LEVEL, 3, 0x52345678, 0x4000000000, 0x4012345678, 46 },
};

static void test_translation_keeps_the_offset_in_every_page_size(void **state)
{
	struct ram *ram = *state;

	for (size_t i = 0; i < ARRAY_SIZE(translations); i++) {
		const struct translation_case *c = &translations[i];
		struct guest_paging p = controls(c->mode);

		label(c->mode, c->name);
		ram_clear(ram);
		p.phys_addr_bits = c->maxphy;
		map(ram, c->mode, c->gla, c->pa, c->leaf, NULL);
		expect_walk(ram, &p, c->gla, GW_USER | GW_WRITE, NO_FAULT, c->gpa);
		EXPECT_EQ(ram->reads, modes[c->mode].levels - c->leaf + 1);
	}
}

struct ignored_case {
	const char *name;
	enum mode mode;
	u32 leaf;
	u64 leaf_bits, table_bits;	/* set on the leaf, and on every entry above it */
};

/* Bits the CPU ignores or uses for caching: none may move the translation. */
static const struct ignored_case ignored_cases[] = {
	{ "4K: PAT, G, A, D, PWT, PCD, 9-11", MODE_32BIT, 1,
	  BIT(7) | E_G | E_A | E_D | E_PWT | E_PCD | 0xe00, E_A | E_PWT | E_PCD | 0xe00 },
	{ "4M: PAT bit 12", MODE_32BIT, 2, E_PAT_LARGE | E_G | E_D, 0 },
	{ "4K: G, A, D, 9-11", MODE_PAE, 1, E_G | E_A | E_D | 0xe00 | BIT(7), E_A | 0xe00 },
	{ "2M: PAT bit 12", MODE_PAE, 2, E_PAT_LARGE, 0 },
	{ "4K: bits 62:52 ignored here", MODE_4LEVEL, 1, 0x7ff0000000000000 | BIT(7) | E_G,
	  0x7ff0000000000000 | E_A | 0xe00 },
	{ "2M: PAT bit 12", MODE_4LEVEL, 2, E_PAT_LARGE | 0x7ff0000000000000, 0 },
	{ "1G: PAT bit 12", MODE_4LEVEL, 3, E_PAT_LARGE | E_G | E_D, E_A },
};

static void test_ignored_and_pat_bits_leave_the_address_alone(void **state)
{
	struct ram *ram = *state;
	const u64 gla = 0x40600234, pa = 0x40000000;	/* gla bit 12 clear: PAT would show */

	for (size_t i = 0; i < ARRAY_SIZE(ignored_cases); i++) {
		const struct ignored_case *c = &ignored_cases[i];
		struct guest_paging p = controls(c->mode);
		struct tweak t = { 0 };
		u64 page = BIT(modes[c->mode].shift[c->leaf]);

		label(c->mode, c->name);
		ram_clear(ram);
		for (u32 level = c->leaf; level <= modes[c->mode].levels; level++)
			t.set[level] = level == c->leaf ? c->leaf_bits :
				       c->mode == MODE_PAE && level == 3 ? 0 : c->table_bits;
		map(ram, c->mode, gla, pa, c->leaf, &t);
		expect_walk(ram, &p, gla, GW_WRITE, NO_FAULT, pa | (gla & (page - 1)));
	}
}

struct pse36_case {
	const char *name;
	bool pse36;
	u32 maxphy;
	u64 pde, gla;
	u32 access, want;
	u64 gpa;
};

#define PDE_4M (E_ALL | E_PS)

/* SDM 4.3 and Table 4-4: PDE bits 20:13 hold PA bits 39:32, bits 21:(M-19) are reserved. */
static const struct pse36_case pse36_cases[] = {
	{ "MAXPHYADDR 40: PDE 20:13 are PA 39:32", true, 40,
	  0xffc00000 | (0xffULL << 13) | PDE_4M, 0xffffffff, 0, NO_FAULT, 0xffffffffff },
	{ "MAXPHYADDR 36: PDE 16:13 are PA 35:32", true, 36,
	  0x00400000 | (0xfULL << 13) | PDE_4M, 0x00432100, 0, NO_FAULT, 0xf00432100 },
	{ "MAXPHYADDR 36: PDE bit 17 is reserved", true, 36, 0x00400000 | BIT(17) | PDE_4M,
	  0x00432100, 0, PF_P | PF_RSVD, 0 },
	{ "reserved bit, user write", true, 36, 0x00400000 | BIT(20) | PDE_4M, 0x00432100,
	  GW_USER | GW_WRITE, PF_P | PF_RSVD | PF_W | PF_U, 0 },
	{ "MAXPHYADDR 40: bit 21 is reserved", true, 40, 0x00400000 | BIT(21) | PDE_4M,
	  0x00432100, 0, PF_P | PF_RSVD, 0 },
	{ "MAXPHYADDR 52 counts as 40: bit 21 still reserved", true, 52,
	  0x00400000 | BIT(21) | PDE_4M, 0x00432100, 0, PF_P | PF_RSVD, 0 },
	{ "MAXPHYADDR 52: PDE bit 20 is PA bit 39", true, 52, 0x00400000 | BIT(20) | PDE_4M,
	  0x00432100, 0, NO_FAULT, 0x8000432100 },
	{ "no PSE-36: bit 13 is reserved", false, 40, 0x00400000 | BIT(13) | PDE_4M, 0x00432100,
	  0, PF_P | PF_RSVD, 0 },
	{ "no PSE-36: bit 20 is reserved", false, 40, 0x00400000 | BIT(20) | PDE_4M, 0x00432100,
	  0, PF_P | PF_RSVD, 0 },
	{ "no PSE-36: a page below 4G", false, 40, 0xffc00000 | PDE_4M, 0x003ffffe, 0, NO_FAULT,
	  0xfffffffe },
	{ "PAT (bit 12) is no address bit", true, 40, 0x00800000 | E_PAT_LARGE | PDE_4M,
	  0x00000234, 0, NO_FAULT, 0x00800234 },
};

static void test_32bit_4m_pages_and_pse36(void **state)
{
	struct ram *ram = *state;

	for (size_t i = 0; i < ARRAY_SIZE(pse36_cases); i++) {
		const struct pse36_case *c = &pse36_cases[i];
		struct guest_paging p = controls(MODE_32BIT);

		label(MODE_32BIT, c->name);
		ram_clear(ram);
		p.pse36 = c->pse36;
		p.phys_addr_bits = c->maxphy;
		put32(ram, slot(MODE_32BIT, 2, c->gla), c->pde);
		expect_walk(ram, &p, c->gla, c->access, c->want, c->gpa);
		EXPECT_EQ(ram->reads, 1);
	}
}

/*
 * A PDE at 0x202000 has bits 21 and 13 set: reserved in a 4M PDE, address bits in a PDE
 * that references a page table.
 */
static void test_32bit_ps_counts_only_with_cr4_pse(void **state)
{
	struct ram *ram = *state;
	const u64 gla = 0x00801234;
	struct guest_paging p = controls(MODE_32BIT);

	label(MODE_32BIT, "PS with CR4.PSE=0");
	ram_clear(ram);
	put32(ram, slot(MODE_32BIT, 2, gla), 0x202000 | E_PS | E_ALL);
	put32(ram, 0x202000 + 4, 0x777000 | E_ALL);
	p.cr4 &= ~CR4_PSE;
	expect_walk(ram, &p, gla, GW_USER, NO_FAULT, 0x777234);
	EXPECT_EQ(ram->reads, 2);
	EXPECT_EQ(ram->gpa[1], 0x202004);

	label(MODE_32BIT, "PS with CR4.PSE=1: a 4M PDE with bit 21 set");
	p.cr4 |= CR4_PSE;
	expect_walk(ram, &p, gla, GW_USER, PF_P | PF_RSVD | PF_U, 0);

	label(MODE_32BIT, "PS=0 with CR4.PSE=1");
	put32(ram, slot(MODE_32BIT, 2, gla), 0x202000 | E_ALL);
	expect_walk(ram, &p, gla, GW_USER, NO_FAULT, 0x777234);
}

/* PDPT at CR3[31:5]: each of its four entries covers 1 GiB of the 32-bit linear space. */
static void test_pae_uses_all_four_pdptes(void **state)
{
	struct ram *ram = *state;
	struct guest_paging p = controls(MODE_PAE);

	ram_clear(ram);
	/* All four PDPTEs share one page directory; each uses a PDE of its own. */
	for (u64 k = 0; k < 4; k++)
		map(ram, MODE_PAE, k << 30 | k << 21, 0x1000000 * (k + 1), 2, NULL);
	for (u64 k = 0; k < 4; k++) {
		snprintf(unit_label, sizeof(unit_label), "PAE/PDPTE %llu", k);
		expect_walk(ram, &p, k << 30 | k << 21 | 0x1234, 0, NO_FAULT,
			    0x1000000 * (k + 1) + 0x1234);
		EXPECT_EQ(ram->reads, 2);
		EXPECT_EQ(ram->gpa[0], 0x2fe0 + 8 * k);
		EXPECT_EQ(ram->gpa[1], 0x3000 + 8 * k);
	}
}

struct rsvd_case {
	const char *name;
	enum mode mode;
	u32 leaf, level;	/* the leaf's level; the level whose entry gets bits */
	u64 bits;
	u32 maxphy;
	bool nxe, gbpages;
	u64 gpa;		/* the translation when bits are allowed; 0: they are reserved */
};

/*
 * The walk is for gla 0x40601234 (gla 0x8040601234 in 4-level paging) to a page at 1 GiB,
 * so a translation is 0x40000234 (4K), 0x40001234 (2M) or 0x40601234 (1G) plus the bit.
 */
static const struct rsvd_case rsvd_cases[] = {
	/* SDM 4.4.1, Table 4-8: a PDPTE reserves 2:1, 8:5 and 63:MAXPHYADDR. */
	{ "PDPTE bit 1", MODE_PAE, 1, 3, BIT(1), 46, true, true, 0 },
	{ "PDPTE bit 2", MODE_PAE, 1, 3, BIT(2), 46, true, true, 0 },
	{ "PDPTE bit 5", MODE_PAE, 1, 3, BIT(5), 46, true, true, 0 },
	{ "PDPTE bit 6", MODE_PAE, 1, 3, BIT(6), 46, true, true, 0 },
	{ "PDPTE bit 7 (no 1G pages)", MODE_PAE, 2, 3, BIT(7), 46, true, true, 0 },
	{ "PDPTE bit 8", MODE_PAE, 1, 3, BIT(8), 46, true, true, 0 },
	{ "PDPTE bit MAXPHYADDR", MODE_PAE, 1, 3, BIT(36), 36, true, true, 0 },
	{ "PDPTE bit 63 even with NXE", MODE_PAE, 1, 3, BIT(63), 46, true, true, 0 },
	{ "PDPTE PWT, PCD, 9-11", MODE_PAE, 1, 3, E_PWT | E_PCD | 0xe00, 46, true, true,
	  0x40000234 },
	{ "PDE bit 52 (62:M reserved)", MODE_PAE, 1, 2, BIT(52), 46, true, true, 0 },
	{ "PDE bit 62", MODE_PAE, 1, 2, BIT(62), 52, true, true, 0 },
	{ "PDE XD without NXE", MODE_PAE, 1, 2, E_XD, 46, false, true, 0 },
	{ "PDE XD with NXE", MODE_PAE, 1, 2, E_XD, 46, true, true, 0x40000234 },
	{ "2M PDE bit 13", MODE_PAE, 2, 2, BIT(13), 46, true, true, 0 },
	{ "2M PDE bit 20", MODE_PAE, 2, 2, BIT(20), 46, true, true, 0 },
	{ "2M PDE bit 21 is an address bit", MODE_PAE, 2, 2, BIT(21), 46, true, true,
	  0x40201234 },
	{ "2M PDE bit MAXPHYADDR", MODE_PAE, 2, 2, BIT(40), 40, true, true, 0 },
	{ "PTE bit MAXPHYADDR-1 is an address bit", MODE_PAE, 1, 1, BIT(35), 36, true, true,
	  0x840000234 },
	{ "PTE bit MAXPHYADDR", MODE_PAE, 1, 1, BIT(36), 36, true, true, 0 },
	{ "PTE bit 51, MAXPHYADDR 52", MODE_PAE, 1, 1, BIT(51), 52, true, true,
	  0x8000040000234 },
	{ "PTE bit 52, MAXPHYADDR 52", MODE_PAE, 1, 1, BIT(52), 52, true, true, 0 },
	{ "PTE XD without NXE", MODE_PAE, 1, 1, E_XD, 46, false, true, 0 },
	{ "MAXPHYADDR above 52 counts as 52: PTE bit 52", MODE_PAE, 1, 1, BIT(52), 64, true,
	  true, 0 },
	{ "MAXPHYADDR below 32 counts as 32: PTE bit 31", MODE_PAE, 1, 1, BIT(31), 20, true,
	  true, 0xc0000234 },
	{ "MAXPHYADDR below 32 counts as 32: PTE bit 32", MODE_PAE, 1, 1, BIT(32), 20, true,
	  true, 0 },
	/* SDM 4.5.4, Tables 4-14 to 4-19. */
	{ "PML4E PS", MODE_4LEVEL, 1, 4, E_PS, 46, true, true, 0 },
	{ "PML4E bit MAXPHYADDR", MODE_4LEVEL, 1, 4, BIT(46), 46, true, true, 0 },
	{ "PML4E bit 51", MODE_4LEVEL, 1, 4, BIT(51), 46, true, true, 0 },
	{ "PML4E bits 62:52 are ignored", MODE_4LEVEL, 1, 4, 0x7ff0000000000000, 46, true, true,
	  0x40000234 },
	{ "PML4E XD without NXE", MODE_4LEVEL, 1, 4, E_XD, 46, false, true, 0 },
	{ "PDPTE PS without 1G pages", MODE_4LEVEL, 3, 3, 0, 46, true, false, 0 },
	{ "PDPTE bit MAXPHYADDR", MODE_4LEVEL, 1, 3, BIT(40), 40, true, true, 0 },
	{ "PDPTE XD without NXE", MODE_4LEVEL, 1, 3, E_XD, 46, false, true, 0 },
	{ "1G PDPTE bit 13", MODE_4LEVEL, 3, 3, BIT(13), 46, true, true, 0 },
	{ "1G PDPTE bit 29", MODE_4LEVEL, 3, 3, BIT(29), 46, true, true, 0 },
	{ "1G PDPTE bit 31 is an address bit", MODE_4LEVEL, 3, 3, BIT(31), 46, true, true,
	  0xc0601234 },
	{ "1G PDPTE bit MAXPHYADDR", MODE_4LEVEL, 3, 3, BIT(46), 46, true, true, 0 },
	{ "PDE bit MAXPHYADDR", MODE_4LEVEL, 1, 2, BIT(39), 39, true, true, 0 },
	{ "PDE XD without NXE", MODE_4LEVEL, 1, 2, E_XD, 46, false, true, 0 },
	{ "2M PDE bit 13", MODE_4LEVEL, 2, 2, BIT(13), 46, true, true, 0 },
	{ "2M PDE bit 20", MODE_4LEVEL, 2, 2, BIT(20), 46, true, true, 0 },
	{ "2M PDE bit 21 is an address bit", MODE_4LEVEL, 2, 2, BIT(21), 46, true, true,
	  0x40201234 },
	{ "2M PDE bit 51, MAXPHYADDR 52", MODE_4LEVEL, 2, 2, BIT(51), 52, true, true,
	  0x8000040001234 },
	{ "PTE bit MAXPHYADDR-1 is an address bit", MODE_4LEVEL, 1, 1, BIT(45), 46, true, true,
	  0x200040000234 },
	{ "PTE bit MAXPHYADDR", MODE_4LEVEL, 1, 1, BIT(36), 36, true, true, 0 },
	{ "PTE bit 51", MODE_4LEVEL, 1, 1, BIT(51), 46, true, true, 0 },
	{ "PTE bits 62:52 are ignored", MODE_4LEVEL, 1, 1, 0x7ff0000000000000, 46, true, true,
	  0x40000234 },
	{ "PTE XD without NXE", MODE_4LEVEL, 1, 1, E_XD, 46, false, true, 0 },
	{ "PTE XD with NXE", MODE_4LEVEL, 1, 1, E_XD, 46, true, true, 0x40000234 },
	/* SDM 4.3: without a 4M PDE, 32-bit paging has no reserved bits. */
	{ "PTE bit 7 (PAT) and bit 31", MODE_32BIT, 1, 1, BIT(7) | BIT(31), 40, false, false,
	  0xc0000234 },
};

static void test_reserved_bits_fault_with_rsvd_where_the_sdm_reserves_them(void **state)
{
	struct ram *ram = *state;

	for (size_t i = 0; i < ARRAY_SIZE(rsvd_cases); i++) {
		const struct rsvd_case *c = &rsvd_cases[i];
		struct guest_paging p = controls(c->mode);
		u64 gla = c->mode == MODE_4LEVEL ? 0x8040601234 : 0x40601234;
		struct tweak t = { 0 };

		label(c->mode, c->name);
		ram_clear(ram);
		p.phys_addr_bits = c->maxphy;
		p.gbpages = c->gbpages;
		if (c->nxe)
			p.efer |= EFER_NXE;
		t.set[c->level] = c->bits;
		map(ram, c->mode, gla, 0x40000000, c->leaf, &t);
		expect_walk(ram, &p, gla, 0, c->gpa ? NO_FAULT : PF_P | PF_RSVD, c->gpa);
		/* The walk stops at the entry with the reserved bit. */
		EXPECT_EQ(ram->reads, modes[c->mode].levels - (c->gpa ? c->leaf : c->level) + 1);
	}
}

/* SDM 4.7: a reserved bit is a fault of its own, reported before access rights are checked. */
static void test_rsvd_fault_outranks_access_rights(void **state)
{
	struct ram *ram = *state;
	struct guest_paging p = controls(MODE_4LEVEL);
	struct tweak t = { .set = { [1] = BIT(50) }, .clear = { [1] = E_RW | E_US } };
	const u64 gla = 0x1000;

	label(MODE_4LEVEL, "reserved bit in a read-only supervisor PTE");
	ram_clear(ram);
	p.cr0 |= CR0_WP;
	map(ram, MODE_4LEVEL, gla, 0x1000, 1, &t);
	expect_walk(ram, &p, gla, GW_USER | GW_WRITE, PF_P | PF_RSVD | PF_W | PF_U, 0);
}

/* SDM 4.7: P=0 in any entry; reserved bits of a not-present entry are not looked at. */
static void test_not_present_at_every_level(void **state)
{
	static const u32 accesses[] = { 0, GW_WRITE, GW_USER, GW_USER | GW_WRITE, GW_FETCH };
	struct ram *ram = *state;

	for (int m = 0; m < MODES; m++) {
		struct guest_paging p = controls(m);
		const u64 gla = 0x40601234;
		u64 entry_ones = modes[m].entry_bytes == 4 ? 0xffffffff : ~0ULL;

		p.efer |= m == MODE_32BIT ? 0 : EFER_NXE;
		for (u32 level = 1; level <= modes[m].levels; level++) {
			for (int junk = 0; junk < 2; junk++) {
				for (size_t a = 0; a < ARRAY_SIZE(accesses); a++) {
					u32 want = ((accesses[a] & GW_WRITE) ? PF_W : 0) |
						   ((accesses[a] & GW_USER) ? PF_U : 0) |
						   ((accesses[a] & GW_FETCH) && m != MODE_32BIT ?
						    PF_ID : 0);

					snprintf(unit_label, sizeof(unit_label),
						 "%s/level %u not present%s, access %#x",
						 modes[m].name, level, junk ? " with junk" : "",
						 accesses[a]);
					ram_clear(ram);
					map(ram, m, gla, 0x40000000, 1, NULL);
					put_entry(ram, m, slot(m, level, gla),
						  junk ? ~E_P & entry_ones : 0);
					expect_walk(ram, &p, gla, accesses[a], want, 0);
					EXPECT_EQ(ram->reads, modes[m].levels - level + 1);
				}
			}
		}
	}
}

struct id_case {
	const char *name;
	enum mode mode;
	u64 cr4, efer;
	u32 access, want;
};

/* SDM 4.7: I/D is set for fetches when CR4.SMEP=1, or CR4.PAE=1 and EFER.NXE=1. */
static const struct id_case id_cases[] = {
	{ "NXE does not count without PAE", MODE_32BIT, 0, EFER_NXE, GW_FETCH, 0 },
	{ "SMEP counts without PAE", MODE_32BIT, CR4_SMEP, 0, GW_FETCH, PF_ID },
	{ "no NXE, no SMEP", MODE_PAE, 0, 0, GW_FETCH, 0 },
	{ "NXE", MODE_PAE, 0, EFER_NXE, GW_FETCH, PF_ID },
	{ "SMEP", MODE_PAE, CR4_SMEP, 0, GW_FETCH | GW_USER, PF_ID | PF_U },
	{ "no NXE, no SMEP", MODE_4LEVEL, 0, 0, GW_FETCH | GW_USER, PF_U },
	{ "NXE, user fetch", MODE_4LEVEL, 0, EFER_NXE, GW_FETCH | GW_USER, PF_ID | PF_U },
	{ "SMEP and NXE, read", MODE_4LEVEL, CR4_SMEP, EFER_NXE, 0, 0 },
	{ "SMEP and NXE, write", MODE_4LEVEL, CR4_SMEP, EFER_NXE, GW_WRITE, PF_W },
};

static void test_id_bit_follows_smep_and_nx(void **state)
{
	struct ram *ram = *state;

	for (size_t i = 0; i < ARRAY_SIZE(id_cases); i++) {
		const struct id_case *c = &id_cases[i];
		struct guest_paging p = controls(c->mode);

		label(c->mode, c->name);
		ram_clear(ram);	/* every top-level entry is not present */
		p.cr4 |= c->cr4;
		p.efer |= c->efer;
		expect_walk(ram, &p, 0x1000, c->access, c->want, 0);
	}
}

struct rights_case {
	const char *name;
	enum mode mode;
	u32 leaf;
	u64 ro, su, xd;		/* levels whose entries clear R/W, clear U/S, set XD */
	u64 cr0, cr4, efer;	/* on top of the mode's controls */
	u32 access, want;
};

#define W GW_WRITE
#define U GW_USER
#define F GW_FETCH
#define AC GW_AC

/* SDM 4.6.1 */
static const struct rights_case rights_cases[] = {
	{ "user read, user page", MODE_4LEVEL, 1, 0, 0, 0, 0, 0, 0, U, NO_FAULT },
	{ "user write, writable user page", MODE_4LEVEL, 1, 0, 0, 0, 0, 0, 0, U | W, NO_FAULT },
	{ "user read, supervisor PTE", MODE_4LEVEL, 1, 0, L(1), 0, 0, 0, 0, U, PF_P | PF_U },
	{ "user read, supervisor PML4E", MODE_4LEVEL, 1, 0, L(4), 0, 0, 0, 0, U, PF_P | PF_U },
	{ "user fetch, supervisor PDE", MODE_4LEVEL, 1, 0, L(2), 0, 0, 0, 0, U | F, PF_P | PF_U },
	{ "user read, supervisor 1G PDPTE", MODE_4LEVEL, 3, 0, L(3), 0, 0, 0, 0, U,
	  PF_P | PF_U },
	{ "user write, read-only PTE", MODE_4LEVEL, 1, L(1), 0, 0, 0, 0, 0, U | W,
	  PF_P | PF_W | PF_U },
	{ "user write, read-only PDPTE", MODE_4LEVEL, 1, L(3), 0, 0, 0, 0, 0, U | W,
	  PF_P | PF_W | PF_U },
	{ "user write, read-only 2M PDE, WP=0", MODE_4LEVEL, 2, L(2), 0, 0, 0, 0, 0, U | W,
	  PF_P | PF_W | PF_U },
	{ "user read, read-only page", MODE_4LEVEL, 1, L(1), 0, 0, 0, 0, 0, U, NO_FAULT },
	{ "supervisor write, read-only, WP=0", MODE_4LEVEL, 1, L(1), L(1), 0, 0, 0, 0, W,
	  NO_FAULT },
	{ "supervisor write, read-only, WP=1", MODE_4LEVEL, 1, L(1), L(1), 0, CR0_WP, 0, 0, W,
	  PF_P | PF_W },
	{ "supervisor write, read-only PML4E, WP=1", MODE_4LEVEL, 1, L(4), 0, 0, CR0_WP, 0, 0,
	  W, PF_P | PF_W },
	{ "supervisor write, read-only user page, WP=0", MODE_4LEVEL, 1, L(1), 0, 0, 0, 0, 0,
	  W, NO_FAULT },
	{ "supervisor write, read-only user page, WP=1", MODE_4LEVEL, 1, L(1), 0, 0, CR0_WP, 0,
	  0, W, PF_P | PF_W },
	{ "supervisor read, supervisor page", MODE_4LEVEL, 1, 0, L(1), 0, CR0_WP, 0, 0, 0,
	  NO_FAULT },
	{ "supervisor fetch, XD PTE", MODE_4LEVEL, 1, 0, 0, L(1), 0, 0, EFER_NXE, F,
	  PF_P | PF_ID },
	{ "user fetch, XD PML4E", MODE_4LEVEL, 1, 0, 0, L(4), 0, 0, EFER_NXE, U | F,
	  PF_P | PF_U | PF_ID },
	{ "fetch, XD 2M PDE", MODE_4LEVEL, 2, 0, 0, L(2), 0, 0, EFER_NXE, F, PF_P | PF_ID },
	{ "fetch, XD 1G PDPTE", MODE_4LEVEL, 3, 0, 0, L(3), 0, 0, EFER_NXE, F, PF_P | PF_ID },
	{ "read and write, XD page", MODE_4LEVEL, 1, 0, 0, L(1), 0, 0, EFER_NXE, U | W,
	  NO_FAULT },
	{ "fetch, no XD", MODE_4LEVEL, 1, 0, 0, 0, 0, 0, EFER_NXE, F, NO_FAULT },
	{ "SMEP: supervisor fetch, user page", MODE_4LEVEL, 1, 0, 0, 0, 0, CR4_SMEP, 0, F,
	  PF_P | PF_ID },
	{ "SMEP: user PTE under a supervisor PDE", MODE_4LEVEL, 1, 0, L(2), 0, 0, CR4_SMEP, 0,
	  F, NO_FAULT },
	{ "SMEP: user fetch, user page", MODE_4LEVEL, 1, 0, 0, 0, 0, CR4_SMEP, 0, U | F,
	  NO_FAULT },
	{ "SMEP: supervisor read, user page", MODE_4LEVEL, 1, 0, 0, 0, 0, CR4_SMEP, 0, 0,
	  NO_FAULT },
	{ "SMAP: supervisor read, user page", MODE_4LEVEL, 1, 0, 0, 0, 0, CR4_SMAP, 0, 0, PF_P },
	{ "SMAP: supervisor write, user page", MODE_4LEVEL, 1, 0, 0, 0, 0, CR4_SMAP, 0, W,
	  PF_P | PF_W },
	{ "SMAP: AC allows the read", MODE_4LEVEL, 1, 0, 0, 0, 0, CR4_SMAP, 0, AC, NO_FAULT },
	{ "SMAP: AC allows the write", MODE_4LEVEL, 1, 0, 0, 0, CR0_WP, CR4_SMAP, 0, W | AC,
	  NO_FAULT },
	{ "SMAP: AC does not lift WP", MODE_4LEVEL, 1, L(1), 0, 0, CR0_WP, CR4_SMAP, 0, W | AC,
	  PF_P | PF_W },
	{ "SMAP: supervisor PML4E, not a user page", MODE_4LEVEL, 1, 0, L(4), 0, 0, CR4_SMAP, 0,
	  W, NO_FAULT },
	{ "SMAP: user access", MODE_4LEVEL, 1, 0, 0, 0, 0, CR4_SMAP, 0, U | W, NO_FAULT },
	{ "SMAP: a fetch is no data access", MODE_4LEVEL, 1, 0, 0, 0, 0, CR4_SMAP, 0, F,
	  NO_FAULT },
	{ "SMEP and SMAP: AC does not lift SMEP", MODE_4LEVEL, 1, 0, 0, 0, 0,
	  CR4_SMEP | CR4_SMAP, 0, F | AC, PF_P | PF_ID },
	{ "AC means nothing to a user access", MODE_4LEVEL, 1, 0, L(1), 0, 0, CR4_SMAP, 0,
	  U | AC, PF_P | PF_U },
	{ "PDPTEs carry no rights", MODE_PAE, 1, 0, 0, 0, CR0_WP, 0, 0, U | W, NO_FAULT },
	{ "user write, read-only PDE", MODE_PAE, 1, L(2), 0, 0, 0, 0, 0, U | W,
	  PF_P | PF_W | PF_U },
	{ "user read, supervisor PTE", MODE_PAE, 1, 0, L(1), 0, 0, 0, 0, U, PF_P | PF_U },
	{ "fetch, XD 2M PDE", MODE_PAE, 2, 0, 0, L(2), 0, 0, EFER_NXE, F, PF_P | PF_ID },
	{ "SMEP: supervisor fetch, user page", MODE_PAE, 1, 0, 0, 0, 0, CR4_SMEP, 0, F,
	  PF_P | PF_ID },
	{ "user read, supervisor PDE over user PTE", MODE_32BIT, 1, 0, L(2), 0, 0, 0, 0, U,
	  PF_P | PF_U },
	{ "supervisor write, read-only PDE, WP=1", MODE_32BIT, 1, L(2), 0, 0, CR0_WP, 0, 0, W,
	  PF_P | PF_W },
	{ "user write, read-only 4M PDE", MODE_32BIT, 2, L(2), 0, 0, 0, 0, 0, U | W,
	  PF_P | PF_W | PF_U },
	{ "NXE is no XD bit without PAE", MODE_32BIT, 1, 0, 0, 0, 0, 0, EFER_NXE, F, NO_FAULT },
	{ "SMEP: supervisor fetch, user page", MODE_32BIT, 1, 0, 0, 0, 0, CR4_SMEP, 0, F,
	  PF_P | PF_ID },
	{ "SMAP: supervisor read, user 4M page", MODE_32BIT, 2, 0, 0, 0, 0, CR4_SMAP, 0, 0,
	  PF_P },
};

#undef W
#undef U
#undef F
#undef AC

static void test_access_rights_combine_across_levels(void **state)
{
	struct ram *ram = *state;
	const u64 gla = 0x40601234, pa = 0x40000000;

	for (size_t i = 0; i < ARRAY_SIZE(rights_cases); i++) {
		const struct rights_case *c = &rights_cases[i];
		struct guest_paging p = controls(c->mode);
		struct tweak t = { 0 };

		label(c->mode, c->name);
		ram_clear(ram);
		for (u32 level = 1; level <= 4; level++) {
			t.clear[level] = ((c->ro & L(level)) ? E_RW : 0) |
					 ((c->su & L(level)) ? E_US : 0);
			t.set[level] = (c->xd & L(level)) ? E_XD : 0;
		}
		p.cr0 |= c->cr0;
		p.cr4 |= c->cr4;
		p.efer |= c->efer;
		map(ram, c->mode, gla, pa, c->leaf, &t);
		expect_walk(ram, &p, gla, c->access, c->want,
			    pa | (gla & (BIT(modes[c->mode].shift[c->leaf]) - 1)));
		/* Rights are checked once the whole walk succeeded. */
		EXPECT_EQ(ram->reads, modes[c->mode].levels - c->leaf + 1);
	}
}

/* SDM 4.5: bits 63:47 must all equal bit 47; the CPU raises #GP or #SS, not #PF. */
static void test_non_canonical_addresses_read_nothing(void **state)
{
	static const u64 bad[] = {
		0x0000800000000000, 0xffff7fffffffffff, 0x0001000000000000,
		0x8000000000000000, 0x7fffffffffffffff, 0xfffeffffffff0000, 0x0010000000000000,
	};
	static const u64 good[] = { 0x00007ffffffff000, 0xffff800000000000, 0 };
	struct ram *ram = *state;
	struct guest_paging p = controls(MODE_4LEVEL);

	ram_clear(ram);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct outcome o;

		snprintf(unit_label, sizeof(unit_label), "4-level/non-canonical %#llx", bad[i]);
		o = walk(ram, &p, bad[i], GW_USER);
		EXPECT_EQ(o.r, GW_NON_CANONICAL);
		EXPECT_EQ(o.gpa, NO_GPA);
		EXPECT_EQ(o.err, NO_ERR);
		EXPECT_EQ(ram->reads, 0);
	}
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		snprintf(unit_label, sizeof(unit_label), "4-level/canonical %#llx", good[i]);
		ram_clear(ram);
		map(ram, MODE_4LEVEL, good[i], 0x9000, 1, NULL);
		expect_walk(ram, &p, good[i] | 0x321, GW_USER, NO_FAULT, 0x9321);
	}
	/* Outside 4-level paging the same address is only 32 bits. */
	p = controls(MODE_PAE);
	label(MODE_PAE, "no canonical check");
	ram_clear(ram);
	map(ram, MODE_PAE, 0x1000, 0x5000, 1, NULL);
	expect_walk(ram, &p, 0x8000000000001abc, 0, NO_FAULT, 0x5abc);
}

static void test_read_failure_at_every_level_is_a_bad_table(void **state)
{
	struct ram *ram = *state;
	const u64 gla = 0x40601234;

	for (int m = 0; m < MODES; m++) {
		struct guest_paging p = controls(m);

		for (u32 n = 1; n <= modes[m].levels; n++) {
			struct outcome o;

			snprintf(unit_label, sizeof(unit_label), "%s/read %u of %u fails",
				 modes[m].name, n, modes[m].levels);
			ram_clear(ram);
			map(ram, m, gla, 0x40000000, 1, NULL);
			ram->fail_at = n;
			o = walk(ram, &p, gla, GW_WRITE);
			EXPECT_EQ(o.r, GW_BAD_TABLE);
			EXPECT_EQ(o.gpa, NO_GPA);
			EXPECT_EQ(o.err, NO_ERR);
			EXPECT_EQ(ram->reads, n);
		}
	}
}

struct outside_case {
	const char *name;
	enum mode mode;
	u32 level;		/* whose entry points outside RAM; levels + 1: CR3 does */
	u64 table;		/* where it points */
	u32 maxphy;
	u64 read_at;		/* the failed read */
};

static const struct outside_case outside_cases[] = {
	{ "CR3 above RAM", MODE_32BIT, 3, 0xfffff000, 46, 0xfffff000 + 4 * 0x101 },
	{ "PDE", MODE_32BIT, 2, 0x80000000, 46, 0x80000000 + 4 * 0x201 },
	{ "CR3 above RAM", MODE_PAE, 4, 0xffffffe0, 46, 0xffffffe8 },
	{ "PDPTE to a table above 4G", MODE_PAE, 3, 0x4000000000, 46, 0x4000000000 + 8 * 3 },
	{ "CR3 at MAXPHYADDR 52", MODE_4LEVEL, 5, 0xffffffffff000, 52, 0xffffffffff008 },
	{ "PDE to the top of MAXPHYADDR 46", MODE_4LEVEL, 2, 0x3ffffffff000, 46,
	  0x3ffffffff000 + 8 * 1 },
};

static void test_tables_outside_ram_are_bad_tables(void **state)
{
	struct ram *ram = *state;
	const u64 gla = 0x0000008040601234;	/* indexes 1, 1, 3, 1 in 4-level paging */

	for (size_t i = 0; i < ARRAY_SIZE(outside_cases); i++) {
		const struct outside_case *c = &outside_cases[i];
		struct guest_paging p = controls(c->mode);
		u64 g = c->mode == MODE_4LEVEL ? gla : 0x40601234;
		u32 levels = modes[c->mode].levels;
		struct outcome o;

		label(c->mode, c->name);
		ram_clear(ram);
		p.phys_addr_bits = c->maxphy;
		map(ram, c->mode, g, 0x40000000, 1, NULL);
		if (c->level > levels)
			p.cr3 = c->table;
		else
			put_entry(ram, c->mode, slot(c->mode, c->level, g),
				  c->table | (c->mode == MODE_PAE && c->level == 3 ? E_P : E_ALL));
		o = walk(ram, &p, g, 0);
		EXPECT_EQ(o.r, GW_BAD_TABLE);
		EXPECT_EQ(o.gpa, NO_GPA);
		EXPECT_EQ(o.err, NO_ERR);
		EXPECT_EQ(ram->reads, levels + 2 - c->level);
		EXPECT_EQ(ram->gpa[ram->reads - 1], c->read_at);
	}
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, ram_setup, ram_teardown)
	const struct CMUnitTest tests[] = {
		T(test_error_code_bits_are_the_sdm_s),
		T(test_paging_off_passes_the_low_32_bits_through),
		T(test_walks_read_exactly_the_entries_the_sdm_names),
		T(test_translation_keeps_the_offset_in_every_page_size),
		T(test_ignored_and_pat_bits_leave_the_address_alone),
		T(test_32bit_4m_pages_and_pse36),
		T(test_32bit_ps_counts_only_with_cr4_pse),
		T(test_pae_uses_all_four_pdptes),
		T(test_reserved_bits_fault_with_rsvd_where_the_sdm_reserves_them),
		T(test_rsvd_fault_outranks_access_rights),
		T(test_not_present_at_every_level),
		T(test_id_bit_follows_smep_and_nx),
		T(test_access_rights_combine_across_levels),
		T(test_non_canonical_addresses_read_nothing),
		T(test_read_failure_at_every_level_is_a_bad_table),
		T(test_tables_outside_ram_are_bad_tables),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* The guest page-table walker: one loop over per-mode level descriptions. Pure. */
#include "vmm/guest_walk.h"
#include "arch/x86/cr_bits.h"
#include "arch/x86/msr.h"
#include "kernel/errno.h"

/* Paging-structure entry flags, the same bits in every mode. */
#define GW_PTE_P BIT(0)
#define GW_PTE_RW BIT(1)
#define GW_PTE_US BIT(2)
#define GW_PTE_PS BIT(7)
#define GW_PTE_XD BIT(63)

#define GW_MAX_LEVELS 4

/* One level of a paging mode: which linear-address bits index it and what its entries hold. */
struct gw_level {
	u8 shift;		/* lowest linear-address bit of its index: log2 of a page here */
	u8 index_bits;
	bool rights;		/* its entries carry R/W, U/S and XD */
	bool leaf_ok;		/* PS=1 maps a page here (level 1 always maps one) */
	u64 rsvd_table;		/* reserved bits of an entry that references a table */
	u64 rsvd_leaf;		/* reserved bits of an entry that maps a page */
};

/* One walk: the mode's levels, the access, and the rights gathered on the way down. */
struct gw_walk {
	const struct guest_paging *p;
	const struct guest_walk_ops *ops;
	void *ctx;
	u32 access;
	u32 levels;
	u32 entry_bytes;
	u64 root;		/* the top table, from CR3 */
	u64 table_mask;		/* where an entry keeps the next table's address */
	bool nx;		/* EFER.NXE counts: PAE or 4-level paging */
	struct gw_level level[GW_MAX_LEVELS + 1];	/* by level, 1 = page table */
	bool writable, user, xd;	/* all entries so far allow writes, user access; any XD */
	u32 fault;		/* GW_PF_P and GW_PF_RSVD of a fault, before the access bits */
};

/* Bits hi..lo of a u64, or none when lo > hi. */
static u64 gw_bits(u32 hi, u32 lo)
{
	if (lo > hi)
		return 0;
	return (~0ULL >> (63 - hi)) & ~(BIT(lo) - 1);
}

static u32 gw_maxphyaddr(const struct guest_paging *p)
{
	return MIN(MAX(p->phys_addr_bits, 32u), 52u);
}

/*
 * SDM 4.3: 4-byte entries, the page directory at CR3[31:12]. CR4.PSE=0 makes PS an ignored
 * bit rather than a reserved one. A 4 MiB page keeps physical bits M-1:32 in PDE bits
 * M-20:13 (PSE-36, M being MAXPHYADDR but at most 40), and PDE bits 21:M-19 are the only
 * reserved bits of this mode; without PSE-36, M is 32 and all of bits 21:13 are reserved.
 */
static void gw_setup_32bit(struct gw_walk *w)
{
	const struct guest_paging *p = w->p;
	u32 maxphy = p->pse36 ? MIN(gw_maxphyaddr(p), 40u) : 32;

	w->levels = 2;
	w->entry_bytes = 4;
	w->root = p->cr3 & gw_bits(31, 12);
	w->table_mask = gw_bits(31, 12);
	w->level[2] = (struct gw_level){ .shift = 22, .index_bits = 10, .rights = true,
					 .leaf_ok = p->cr4 & X86_CR4_PSE,
					 .rsvd_leaf = gw_bits(21, maxphy - 19) };
	w->level[1] = (struct gw_level){ .shift = 12, .index_bits = 10, .rights = true };
}

/*
 * SDM 4.4: four PDPTEs at CR3[31:5], 32-byte aligned rather than page aligned. PDPTEs carry
 * no access rights (4.4.2), and bits 62:MAXPHYADDR are reserved in every entry of this mode,
 * not only up to bit 51 as in 4-level paging. The CPU reports a reserved PDPTE bit as #GP when
 * CR3 is loaded; reading PDPTEs at walk time turns that into a RSVD page fault instead.
 */
static void gw_setup_pae(struct gw_walk *w)
{
	u32 maxphy = gw_maxphyaddr(w->p);
	u64 high = gw_bits(62, maxphy) | (w->nx ? 0 : GW_PTE_XD);

	w->levels = 3;
	w->entry_bytes = 8;
	w->root = w->p->cr3 & gw_bits(31, 5);
	w->table_mask = gw_bits(51, 12);
	w->level[3] = (struct gw_level){ .shift = 30, .index_bits = 2,
					 .rsvd_table = gw_bits(63, maxphy) | gw_bits(8, 5) |
						       gw_bits(2, 1) };
	w->level[2] = (struct gw_level){ .shift = 21, .index_bits = 9, .rights = true,
					 .leaf_ok = true, .rsvd_table = high,
					 .rsvd_leaf = high | gw_bits(20, 13) };
	w->level[1] = (struct gw_level){ .shift = 12, .index_bits = 9, .rights = true,
					 .rsvd_leaf = high };
}

/*
 * SDM 4.5: PS is reserved in a PML4E, and in a PDPTE unless the CPU has 1 GiB pages. Bits
 * 62:52 are ignored here (protection keys aside), unlike in PAE paging.
 */
static void gw_setup_4level(struct gw_walk *w)
{
	const struct guest_paging *p = w->p;
	u64 high = gw_bits(51, gw_maxphyaddr(p)) | (w->nx ? 0 : GW_PTE_XD);

	w->levels = 4;
	w->entry_bytes = 8;
	w->root = p->cr3 & gw_bits(51, 12);
	w->table_mask = gw_bits(51, 12);
	w->level[4] = (struct gw_level){ .shift = 39, .index_bits = 9, .rights = true,
					 .rsvd_table = high | GW_PTE_PS };
	w->level[3] = (struct gw_level){ .shift = 30, .index_bits = 9, .rights = true,
					 .leaf_ok = p->gbpages,
					 .rsvd_table = high | (p->gbpages ? 0 : GW_PTE_PS),
					 .rsvd_leaf = high | gw_bits(29, 13) };
	w->level[2] = (struct gw_level){ .shift = 21, .index_bits = 9, .rights = true,
					 .leaf_ok = true, .rsvd_table = high,
					 .rsvd_leaf = high | gw_bits(20, 13) };
	w->level[1] = (struct gw_level){ .shift = 12, .index_bits = 9, .rights = true,
					 .rsvd_leaf = high };
}

/* SDM 4.5 (and Vol. 1 3.3.7.1): bits 63:47 all equal, with 48-bit linear addresses. */
static bool gw_canonical(u64 gla)
{
	u64 top = gla >> 47;

	return top == 0 || top == (BIT(17) - 1);
}

static int gw_read_entry(const struct gw_walk *w, u64 gpa, u64 *entry)
{
	u32 e32;

	if (w->entry_bytes == 8)
		return w->ops->read(w->ctx, gpa, entry, 8);
	if (w->ops->read(w->ctx, gpa, &e32, 4))
		return -EFAULT;
	*entry = e32;
	return 0;
}

/*
 * SDM 4.6.1: writes need R/W=1 and user accesses U/S=1 in every entry; one XD=1 anywhere
 * forbids fetches. A 4-byte entry has no bit 63, and bit 63 is reserved where NXE=0, so XD is
 * taken as is.
 */
static void gw_gather_rights(struct gw_walk *w, const struct gw_level *l, u64 e)
{
	if (!l->rights)
		return;
	w->writable = w->writable && (e & GW_PTE_RW);
	w->user = w->user && (e & GW_PTE_US);
	w->xd = w->xd || (e & GW_PTE_XD);
}

/* A 4 MiB page's physical bits 39:32 sit in PDE bits 20:13 (SDM 4.3, Table 4-4). */
static u64 gw_page_base(const struct gw_walk *w, const struct gw_level *l, u64 e)
{
	if (w->entry_bytes == 4 && l->shift == 22)
		return (e & gw_bits(31, 22)) | ((e & gw_bits(20, 13)) << 19);
	return e & w->table_mask & ~(BIT(l->shift) - 1);
}

/*
 * Follow the tables from the root to the entry that maps gla. The P flag is checked before the
 * reserved bits, which a not-present entry does not have (SDM 4.7: RSVD implies P).
 */
static enum guest_walk_result gw_walk_tables(struct gw_walk *w, u64 gla, u64 *gpa)
{
	u64 table = w->root;

	for (u32 n = w->levels;; n--) {
		const struct gw_level *l = &w->level[n];
		u64 index = (gla >> l->shift) & (BIT(l->index_bits) - 1);
		bool leaf;
		u64 e;

		if (gw_read_entry(w, table + index * w->entry_bytes, &e))
			return GW_BAD_TABLE;
		if (!(e & GW_PTE_P))
			return GW_PAGE_FAULT;
		leaf = n == 1 || (l->leaf_ok && (e & GW_PTE_PS));
		if (e & (leaf ? l->rsvd_leaf : l->rsvd_table)) {
			w->fault = GW_PF_P | GW_PF_RSVD;
			return GW_PAGE_FAULT;
		}
		gw_gather_rights(w, l, e);
		if (leaf) {
			*gpa = gw_page_base(w, l, e) | (gla & (BIT(l->shift) - 1));
			return GW_OK;
		}
		table = e & w->table_mask;
	}
}

/*
 * SDM 4.6.1. A user-mode address is one with U/S=1 at every level. Supervisor fetches from one
 * fault under SMEP; supervisor data accesses to one fault under SMAP unless AC lets them.
 * CR0.WP=0 lets supervisor writes ignore R/W, even on user pages.
 */
static bool gw_allowed(const struct gw_walk *w)
{
	u64 cr0 = w->p->cr0, cr4 = w->p->cr4;
	u32 a = w->access;

	if ((a & GW_FETCH) && w->xd)
		return false;
	if (a & GW_USER)
		return w->user && (!(a & GW_WRITE) || w->writable);
	if (w->user && (a & GW_FETCH) && (cr4 & X86_CR4_SMEP))
		return false;
	if (w->user && !(a & GW_FETCH) && (cr4 & X86_CR4_SMAP) && !(a & GW_AC))
		return false;
	return !(a & GW_WRITE) || w->writable || !(cr0 & X86_CR0_WP);
}

/* SDM 4.7: I/D is set for fetches only when SMEP is on or NX is in use (PAE or 4-level). */
static u32 gw_error_code(const struct gw_walk *w)
{
	u32 err = w->fault;

	if (w->access & GW_WRITE)
		err |= GW_PF_WR;
	if (w->access & GW_USER)
		err |= GW_PF_US;
	if ((w->access & GW_FETCH) && (w->nx || (w->p->cr4 & X86_CR4_SMEP)))
		err |= GW_PF_ID;
	return err;
}

/*
 * Pick the paging mode (SDM 4.1.1, Table 4-1) and describe its levels. Returns false when gla
 * is not canonical in 4-level paging; outside it, truncates gla to the 32 bits it has.
 */
static bool gw_setup(struct gw_walk *w, u64 *gla)
{
	const struct guest_paging *p = w->p;

	if (p->efer & EFER_LMA) {
		w->nx = p->efer & EFER_NXE;
		gw_setup_4level(w);
		return gw_canonical(*gla);
	}
	*gla = (u32)*gla;
	if (p->cr4 & X86_CR4_PAE) {
		w->nx = p->efer & EFER_NXE;
		gw_setup_pae(w);
	} else {
		gw_setup_32bit(w);
	}
	return true;
}

enum guest_walk_result guest_walk(const struct guest_paging *p, const struct guest_walk_ops *ops,
				  void *ctx, u64 gla, u32 access, u64 *gpa, u32 *pf_error)
{
	struct gw_walk w = { .p = p, .ops = ops, .ctx = ctx, .access = access,
			     .writable = true, .user = true };
	enum guest_walk_result r;
	u64 pa = 0;

	if (!(p->cr0 & X86_CR0_PG)) {
		*gpa = (u32)gla;
		return GW_OK;
	}
	if (!gw_setup(&w, &gla))
		return GW_NON_CANONICAL;
	r = gw_walk_tables(&w, gla, &pa);
	if (r == GW_OK && !gw_allowed(&w)) {
		w.fault = GW_PF_P;
		r = GW_PAGE_FAULT;
	}
	if (r == GW_OK)
		*gpa = pa;
	else if (r == GW_PAGE_FAULT)
		*pf_error = gw_error_code(&w);
	return r;
}

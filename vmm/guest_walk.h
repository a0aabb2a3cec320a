/* SPDX-License-Identifier: MIT */
/*
 * Translate a guest linear address to a guest-physical one through the guest's own page
 * tables, as the CPU would (SDM Vol. 3A chapter 4), or say which exception the guest gets.
 *
 * Limitations, by design:
 * - it never writes guest memory: accessed and dirty flags are not set (SDM 4.8), so a guest
 *   that relies on them must not be emulated through this walker;
 * - there is no TLB: every call reads the tables as they are in memory now, PAE paging's four
 *   PDPTEs included (the CPU loads those at CR3 load, SDM 4.4.1);
 * - protection keys (CR4.PKE, PKS), shadow stacks (CET), 5-level paging (CR4.LA57) and HLAT
 *   are not modelled: Vireo's CPUID offers none of them;
 * - the controls are trusted to be a state the CPU allows (EFER.LMA implies CR4.PAE);
 * - segmentation, and splitting an access that crosses a page, are the caller's: one call
 *   translates one linear address. The resulting gpa may lie outside guest RAM (MMIO).
 */
#ifndef VIREO_VMM_GUEST_WALK_H
#define VIREO_VMM_GUEST_WALK_H

#include "kernel/types.h"

/* The guest's paging controls, as the guest sees them. */
struct guest_paging {
	u64 cr0, cr3, cr4, efer;
	u32 phys_addr_bits;	/* MAXPHYADDR: physical address bits above it are reserved */
				/* (taken as 32 below 32 and as 52 above 52) */
	bool pse36;		/* CPUID PSE-36: 4 MiB pages of 32-bit paging reach above 4 GiB */
	bool gbpages;		/* CPUID PDPE1GB: 1 GiB pages in 4-level paging */
};

/* How the walker reads guest-physical memory: 0, or -EFAULT when gpa is not guest RAM. */
struct guest_walk_ops {
	/* Every read is one paging-structure entry: len is 4 or 8 and gpa a multiple of len. */
	int (*read)(void *ctx, u64 gpa, void *buf, u32 len);
};

/* What the access is (at most one of GW_WRITE and GW_FETCH). */
#define GW_WRITE BIT(0)	/* the access writes */
#define GW_USER BIT(1)	/* made at CPL 3 (an implicit supervisor access, e.g. to the GDT, is not) */
#define GW_FETCH BIT(2)	/* an instruction fetch */
#define GW_AC BIT(3)	/* RFLAGS.AC is set (for SMAP); leave it out for an implicit supervisor */
			/* access made at CPL 3, which SMAP checks whatever AC says (SDM 4.6.1) */

/* The #PF error code bits the walker reports (SDM 4.7). */
#define GW_PF_P BIT(0)		/* a protection violation or reserved bit; clear: not present */
#define GW_PF_WR BIT(1)		/* the access was a write */
#define GW_PF_US BIT(2)		/* the access was made at CPL 3 */
#define GW_PF_RSVD BIT(3)	/* a reserved bit was set in a paging-structure entry */
#define GW_PF_ID BIT(4)		/* an instruction fetch, with CR4.SMEP=1 or NX in use */

enum guest_walk_result {
	GW_OK = 0,		/* *gpa holds the translation */
	GW_PAGE_FAULT,		/* the guest must get #PF: *pf_error holds its error code */
	GW_NON_CANONICAL,	/* 4-level paging and gla is not canonical: #GP or #SS, not #PF */
	GW_BAD_TABLE,		/* a paging structure lies outside guest RAM (ops->read failed) */
};

/*
 * Translate gla for an access of kind access (GW_* flags) under the controls p, reading the
 * guest's tables through ops with ctx. With CR0.PG=0 the address is not translated: gpa is gla
 * truncated to 32 bits. Outside 4-level paging, gla is taken modulo 4 GiB as the CPU forms
 * linear addresses there. Returns GW_OK and sets *gpa; GW_PAGE_FAULT and sets *pf_error
 * (GW_PF_* bits); GW_NON_CANONICAL, having read nothing; or GW_BAD_TABLE, on which the caller
 * stops the VM. Whatever a result does not mention is left untouched.
 */
enum guest_walk_result guest_walk(const struct guest_paging *p, const struct guest_walk_ops *ops,
				  void *ctx, u64 gla, u32 access, u64 *gpa, u32 *pf_error);

#endif

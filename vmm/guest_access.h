/* SPDX-License-Identifier: MIT */
/*
 * Reaching guest memory as the guest addresses it: linear addresses through its own page
 * tables (vmm/guest_walk.c) and its RAM, for the instructions the VMM decodes itself.
 */
#ifndef VIREO_VMM_GUEST_ACCESS_H
#define VIREO_VMM_GUEST_ACCESS_H

#include "kernel/types.h"
#include "vmm/event.h"
#include "vmm/guest_walk.h"
#include "vmm/vcpu_state.h"

struct vcpu;

/* What a failed access means for the guest. */
enum guest_access_result {
	GUEST_ACCESS_OK,
	GUEST_ACCESS_FAULT,	/* the guest takes *fault (a #PF or #GP) as the CPU would give it */
	GUEST_ACCESS_OUTSIDE,	/* a page table or the data lies outside guest RAM */
};

/*
 * Read len bytes at linear address gla with the rights of access (GW_* flags), page by page.
 * On GUEST_ACCESS_FAULT, *fault holds the exception, with CR2 as the payload of a #PF.
 */
enum guest_access_result guest_read_linear(struct vcpu *v, u64 gla, void *buf, u32 len,
					   u32 access, struct event *fault);

/* Write len bytes at linear address gla, as guest_read_linear() reads them (GW_WRITE added). */
enum guest_access_result guest_write_linear(struct vcpu *v, u64 gla, const void *buf, u32 len,
					    u32 access, struct event *fault);

/*
 * The guest-physical address of linear address gla for an access of kind access (GW_*), as
 * the guest's page tables give it now (a debugger's view: no fault is raised). 0, or -EFAULT.
 */
int guest_translate(struct vcpu *v, u64 gla, u32 access, u64 *gpa);

/*
 * The bytes of the instruction at CS:RIP, up to 15 and as many as are readable (a fetch stops
 * at a page it cannot translate): returns the count, 0 when not even the first byte is.
 */
u32 guest_fetch_instruction(struct vcpu *v, u8 *buf, u32 size);

/*
 * The bytes of the instruction that exited: those the CPU fetched for the VMM when it did
 * (v->exit.insn_bytes), else guest_fetch_instruction's.
 */
u32 guest_exit_instruction(struct vcpu *v, u8 *buf, u32 size);

/* The default operand size of the guest's code: 16, 32 or 64 (for the decoder). */
u32 guest_code_bits(struct vcpu *v);

/* The base of segment seg as an access through it uses it: 0 for ES, CS, SS, DS in 64-bit code. */
u64 guest_segment_base(struct vcpu *v, enum segment_reg seg);

#endif

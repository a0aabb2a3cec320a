/* SPDX-License-Identifier: MIT */
/*
 * The rules for a guest's writes to CR0, CR4, CR8 and EFER: what the CPU itself would refuse
 * with #GP (SDM Vol. 3A 2.5 and 2.2.1, the MOV CR and WRMSR references; APM Vol. 2 3.1), and
 * the CR4 bits the guest's CPUID does not offer. Both backends send these writes here, so a
 * guest sees the same CPU on VT-x and AMD-V, and no combination that VM entry would refuse
 * ever reaches the hardware. Pure.
 */
#ifndef VIREO_VMM_CONTROL_REGS_H
#define VIREO_VMM_CONTROL_REGS_H

#include "arch/x86/cr_bits.h"
#include "arch/x86/msr.h"
#include "kernel/types.h"
#include "vmm/cpuid.h"

/* The guest's control state a write is checked against. */
struct cr_state {
	u64 cr0, cr3, cr4, efer;
	bool cs_long;		/* CS.L: the guest runs 64-bit code (with EFER.LMA) */
};

/* The CR4 bits a guest may set, from what its CPUID leaves 1 and 7.0 offer. */
u64 cr4_allowed(const struct cpuid_result *leaf1, const struct cpuid_result *leaf7);

/*
 * MOV to CR0 (and CLTS, LMSW, which are CR0 writes too): true when the CPU would take value,
 * false when it raises #GP: bits 63:32 set, PG without PE, NW without CD, paging turned on
 * with EFER.LME but without CR4.PAE or from 64-bit code, paging turned off in 64-bit mode.
 */
bool cr0_write_valid(const struct cr_state *s, u64 value);

/* The CR0 value the guest then holds: ET reads as 1, the reserved low bits as 0. */
u64 cr0_written(u64 value);

/*
 * MOV to CR4: false (#GP) for a bit not in allowed, PAE cleared or LA57 changed in IA-32e
 * mode, or PCIDE set outside IA-32e mode or with CR3[11:0] not zero.
 */
bool cr4_write_valid(const struct cr_state *s, u64 value, u64 allowed);

/* MOV to CR8: only the task-priority class in bits 3:0. */
bool cr8_write_valid(u64 value);

/*
 * WRMSR to EFER: false (#GP) for a bit outside writable (LMA excepted: writes to it are
 * ignored), or a change of LME while paging is on.
 */
bool efer_write_valid(const struct cr_state *s, u64 value, u64 writable);

/* EFER after value was written: LMA kept as it was. */
u64 efer_written(const struct cr_state *s, u64 value);

/* EFER after a CR0 write: IA-32e mode (LMA) is active exactly when LME and PG are both set. */
u64 efer_after_cr0(u64 efer, u64 cr0);

#endif

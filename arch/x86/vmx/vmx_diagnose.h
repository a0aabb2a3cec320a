/* SPDX-License-Identifier: MIT */
/* Explaining VT-x failures: VM-instruction errors by name, and which guest state is wrong. */
#ifndef VIREO_ARCH_X86_VMX_VMX_DIAGNOSE_H
#define VIREO_ARCH_X86_VMX_VMX_DIAGNOSE_H

#include "kernel/types.h"

/* The name of a VM-instruction error number (SDM Vol. 3C 31.4, table 31-1). */
const char *vmx_instruction_error_name(u32 error);

/* A guest segment as the VMCS holds it: access rights in the VMX format (bit 16: unusable). */
struct vmx_segment {
	u16 selector;
	u32 access_rights;
	u32 limit;
	u64 base;
};

/* The guest state and controls that the checks of SDM Vol. 3C 27.3.1 look at. */
struct vmx_guest_state {
	u64 cr0, cr4, efer, rflags, rip, link_pointer;
	u32 entry_controls, secondary_controls;
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	struct vmx_segment es, cs, ss, ds, fs, gs, ldtr, tr;
	u32 gdtr_limit, idtr_limit;
	u32 activity_state, interruptibility;
};

/*
 * Check the guest state the way VM entry does (the common checks; SDM Vol. 3C 27.3.1) and
 * describe the first violation in buf. Returns buf, or NULL when every check passes. Pure.
 */
const char *vmx_check_guest_state(const struct vmx_guest_state *g, char *buf, size_t size);

#endif

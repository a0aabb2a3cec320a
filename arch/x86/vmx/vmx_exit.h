/* SPDX-License-Identifier: MIT */
/* Decoding a VT-x VM exit into the neutral exit record. */
#ifndef VIREO_ARCH_X86_VMX_VMX_EXIT_H
#define VIREO_ARCH_X86_VMX_VMX_EXIT_H

#include "kernel/types.h"
#include "vmm/exit.h"

/* The VMCS exit-information fields the decoder reads (SDM Vol. 3C 25.9). */
struct vmx_exit_info {
	u32 reason;			/* the full exit-reason field */
	u64 qualification;
	u32 insn_len;
	u32 interruption_info;		/* for exception/NMI exits */
	u32 interruption_error;
	u64 guest_physical;		/* for EPT violations */
};

/* Which of the optional fields an exit reason needs: read only those from the VMCS. */
bool vmx_exit_needs_interruption_info(u32 reason);
bool vmx_exit_needs_guest_physical(u32 reason);

/*
 * Fill out from the exit information. External interrupts, NMIs and preemption-timer exits
 * become EXIT_NONE; control-register accesses, which only the VT-x backend can emulate,
 * become EXIT_UNSUPPORTED until it does. Pure.
 */
void vmx_decode_exit(const struct vmx_exit_info *info, struct vm_exit *out);

/* True when the exit was an NMI that the host must now handle itself. */
bool vmx_exit_is_nmi(const struct vmx_exit_info *info);

#endif

/* SPDX-License-Identifier: MIT */
/* Decoding a VT-x VM exit into the neutral exit record. */
#ifndef VIREO_ARCH_X86_VMX_VMX_EXIT_H
#define VIREO_ARCH_X86_VMX_VMX_EXIT_H

#include "arch/x86/vmx/vmcs.h"
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
	u64 guest_linear;		/* for EPT violations with VMX_EPT_GLA_VALID */
	u32 idt_vectoring_info;		/* the event the exit interrupted, if valid */
	u32 idt_vectoring_error;
	u32 ss_access_rights;		/* for VMCALL: SS.DPL is the CPL (SDM 25.4.1) */
};

/* Which of the optional fields an exit reason needs: read only those from the VMCS. */
static inline bool vmx_exit_needs_interruption_info(u32 reason)
{
	return (reason & 0xffff) == VMX_EXIT_EXCEPTION_OR_NMI;
}

static inline bool vmx_exit_needs_guest_physical(u32 reason)
{
	return (reason & 0xffff) == VMX_EXIT_EPT_VIOLATION ||
	       (reason & 0xffff) == VMX_EXIT_EPT_MISCONFIG;
}

/* An EPT violation names the guest-linear address when qualification bit 7 says so (28.2.1). */
static inline bool vmx_exit_needs_guest_linear(u32 reason, u64 qualification)
{
	return (reason & 0xffff) == VMX_EXIT_EPT_VIOLATION && (qualification & VMX_EPT_GLA_VALID);
}

/*
 * Only exits that can happen while the CPU delivers an event carry one in the IDT-vectoring
 * field: an intercepted exception, an EPT violation or misconfiguration, a task switch through
 * a task gate (SDM 28.2.4). Instruction exits never do.
 */
static inline bool vmx_exit_needs_vectoring(u32 reason)
{
	return vmx_exit_needs_interruption_info(reason) || vmx_exit_needs_guest_physical(reason) ||
	       (reason & 0xffff) == VMX_EXIT_TASK_SWITCH;
}

static inline bool vmx_exit_needs_cpl(u32 reason)
{
	return (reason & 0xffff) == VMX_EXIT_VMCALL;
}

/*
 * Fill out from the exit information. External interrupts, NMIs, window and preemption-timer
 * exits become EXIT_NONE; a #DB carries the DR6 bits of its qualification as its payload.
 * Pure.
 */
void vmx_decode_exit(const struct vmx_exit_info *info, struct vm_exit *out);

/* True when the exit was an NMI that the host must now handle itself. */
bool vmx_exit_is_nmi(const struct vmx_exit_info *info);

#endif

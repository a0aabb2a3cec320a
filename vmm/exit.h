/* SPDX-License-Identifier: MIT */
/*
 * The neutral exit record: every VM exit, VT-x or AMD-V, is decoded by its backend into one
 * struct vm_exit and handled through the one dispatch table in vmm/exit.c.
 */
#ifndef VIREO_VMM_EXIT_H
#define VIREO_VMM_EXIT_H

#include "kernel/types.h"

struct vcpu;

enum exit_reason {
	EXIT_NONE,		/* nothing for the VMM to do (a host interrupt, say) */
	EXIT_IO,		/* IN/OUT/INS/OUTS */
	EXIT_CPUID,
	EXIT_MSR_READ,
	EXIT_MSR_WRITE,
	EXIT_HLT,
	EXIT_HYPERCALL,		/* VMCALL (VT-x) or VMMCALL (AMD-V) */
	EXIT_MEMORY,		/* guest-physical access with no mapping: NPF / EPT violation */
	EXIT_TRIPLE_FAULT,	/* shutdown */
	EXIT_VIRT_INSN,		/* a virtualization instruction the guest may not use */
	EXIT_UNOFFERED_INSN,	/* an instruction of a feature CPUID does not offer (XSETBV...) */
	EXIT_EXCEPTION,		/* an intercepted guest exception */
	EXIT_ENTRY_FAILED,	/* the CPU refused the guest state */
	EXIT_UNSUPPORTED,	/* an exit the VMM has no handler for */
	EXIT_REASON_COUNT,
};

struct vm_exit {
	enum exit_reason reason;
	u8 insn_len;		/* bytes of the exiting instruction, 0 when unknown */
	u64 native_code;	/* the backend's own exit code, for messages */
	const char *native_name;	/* and its name */
	union {
		struct {
			u16 port;
			u8 size;	/* 1, 2 or 4 bytes */
			bool in;
			bool string;	/* INS/OUTS */
			bool rep;
		} io;
		struct {
			u64 gpa;
			bool read, write, fetch;
		} memory;
		struct {
			u8 vector;
			bool has_error_code;
			u32 error_code;
		} exception;
		struct {
			const char *mnemonic;	/* "VMRUN", "VMXON", "XSETBV", ... */
		} insn;
		struct {
			const char *why;	/* the backend's explanation of a failed entry */
		} entry_failed;
	};
};

/* The short name of a neutral exit reason ("IO"). */
const char *exit_reason_name(enum exit_reason r);

/*
 * Handle the exit recorded in v->exit. Returns true to resume the guest, false when the VM
 * has been stopped (vm_stop() says why).
 */
bool exit_dispatch(struct vcpu *v);

#endif

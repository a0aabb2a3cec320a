/* SPDX-License-Identifier: MIT */
/*
 * The neutral exit record: every VM exit, VT-x or AMD-V, is decoded by its backend into one
 * struct vm_exit and handled through the one dispatch table in vmm/exit.c.
 */
#ifndef VIREO_VMM_EXIT_H
#define VIREO_VMM_EXIT_H

#include "kernel/types.h"
#include "vmm/event.h"

struct vcpu;

enum exit_reason {
	EXIT_NONE,		/* nothing for the VMM to do (a host interrupt, say) */
	EXIT_IO,		/* IN/OUT/INS/OUTS */
	EXIT_CPUID,
	EXIT_MSR_READ,
	EXIT_MSR_WRITE,
	EXIT_HLT,
	EXIT_CR_ACCESS,		/* MOV to or from a control register the VMM intercepts, CLTS, LMSW */
	EXIT_INVD,
	EXIT_TASK_SWITCH,	/* a hardware task switch the backend could not let the CPU do */
	EXIT_HYPERCALL,		/* VMCALL (VT-x) or VMMCALL (AMD-V): hypercall.cpl is set */
	EXIT_MEMORY,		/* guest-physical access with no mapping: NPF / EPT violation */
	EXIT_TRIPLE_FAULT,	/* shutdown */
	EXIT_VIRT_INSN,		/* a virtualization instruction the guest may not use */
	EXIT_UNOFFERED_INSN,	/* an instruction of a feature CPUID does not offer (XSETBV...) */
	EXIT_EXCEPTION,		/* an intercepted guest exception */
	EXIT_ENTRY_FAILED,	/* the CPU refused the guest state */
	EXIT_UNSUPPORTED,	/* an exit the VMM has no handler for */
	EXIT_DEBUG_STEP,	/* the single step set_guest_debug asked for is done */
	EXIT_DR_ACCESS,		/* MOV to or from a debug register, while a debugger holds them */
	EXIT_REASON_COUNT,
};

enum cr_access_kind { CR_MOV_TO, CR_MOV_FROM, CR_CLTS, CR_LMSW };

struct vm_exit {
	enum exit_reason reason;
	u8 insn_len;		/* bytes of the exiting instruction, 0 when unknown */
	/*
	 * For EXIT_MEMORY only (other exits leave them as they were, to keep their path short):
	 * the exiting instruction's bytes where the CPU fetched them for the VMM (AMD-V decode
	 * assists), insn_bytes_len 0 otherwise; guest_exit_instruction() reads them from the
	 * guest then.
	 */
	u8 insn_bytes_len;
	u8 insn_bytes[15];
	u64 native_code;	/* the backend's own exit code, for messages */
	const char *native_name;	/* and its name */
	/*
	 * The event whose delivery the exit interrupted (VT-x IDT-vectoring information, AMD-V
	 * EXITINTINFO): an external interrupt, NMI or hardware exception, to be delivered again.
	 * A software event (INT n, INT3, INTO, INT1) is not reported: the guest's RIP is still
	 * on its instruction, which runs again.
	 */
	bool vectoring_valid;
	struct event vectoring;
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
			bool in_page_walk;	/* the access was the CPU's, to a guest page table */
			bool gla_valid;		/* VT-x names the guest-linear address; AMD-V never */
			u64 gla;
		} memory;
		struct event exception;	/* an intercepted exception: #DB, #AC, a debugger's #BP */
		struct {
			u8 cr;		/* 0, 3, 4 or 8 */
			enum cr_access_kind kind;
			/*
			 * The register operand of MOV, and LMSW's source when decoded is set;
			 * otherwise (AMD-V without decode assists) the VMM decodes the
			 * instruction itself.
			 */
			bool decoded;
			u8 gpr;
			u16 lmsw_source;
		} cr;
		struct {
			u8 dr;		/* 0-7 (4 and 5 as the instruction named them) */
			bool write;	/* MOV to DR */
			bool decoded;	/* gpr is known; else (AMD-V without decode assists)
					 * the VMM decodes the instruction */
			u8 gpr;
		} dr;
		struct {
			const char *mnemonic;	/* "VMRUN", "VMXON", "XSETBV", ... */
		} insn;
		struct {
			u8 cpl;		/* the caller's privilege level: only ring 0 may call */
		} hypercall;
		struct {
			const char *why;	/* the backend's explanation of a failed entry */
		} entry_failed;
	};
};

/* What an exit handler says happens next. */
enum exit_action {
	EXIT_RESUME,		/* enter the guest again */
	EXIT_BLOCK,		/* the vCPU waits: after HLT (v->halted) for an event it can take,
				 * in a hypercall (v->sleeping) until its waker clears that */
	EXIT_YIELD,		/* the vCPU gives its CPU to others that wait, if any */
	EXIT_RESCHED,		/* host interrupts ended the run: is the time slice over? */
	EXIT_STOP,		/* the VM has been stopped (vm_stop() said why) */
};

/* The short name of a neutral exit reason ("IO"). */
const char *exit_reason_name(enum exit_reason r);

/* Handle the exit recorded in v->exit and say what happens next. */
enum exit_action exit_dispatch(struct vcpu *v);

#endif

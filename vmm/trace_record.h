/* SPDX-License-Identifier: MIT */
/*
 * A traced exit's record, from the neutral exit record and the registers, and its text: the
 * details of each reason as key=value words, a decoded line for the monitor and the compact
 * line of a dump (tools/trace2json.py reads it). Pure: unit-tested on the host.
 */
#ifndef VIREO_VMM_TRACE_RECORD_H
#define VIREO_VMM_TRACE_RECORD_H

#include "kernel/types.h"
#include "vmm/exit.h"
#include "vmm/trace_ring.h"
#include "vmm/vcpu_state.h"

/*
 * Fill r for exit e, taken at TSC tsc with the registers regs (before its handler ran):
 *   I/O        arg port, size, flags TRACE_IN/STRING/REP, value what OUT wrote
 *   CPUID      arg leaf (EAX), arg2 subleaf (ECX)
 *   RDMSR      arg index (ECX); WRMSR also value (EDX:EAX)
 *   hypercall  arg number (EAX), arg2 the caller's CPL
 *   memory     value guest-physical address, flags TRACE_READ/WRITE/FETCH
 *   exception  arg vector, arg2 error code with TRACE_ERROR_CODE
 *   CR access  arg CR number, arg2 enum cr_access_kind
 *   instructions the VMM refuses: name, their mnemonic; others name the backend's exit.
 */
void trace_record_exit(struct trace_record *r, const struct vm_exit *e,
		       const struct vcpu_regs *regs, u64 tsc);

/* After the exit's handler ran, with the registers it left: what an IN read. */
void trace_record_result(struct trace_record *r, const struct vcpu_regs *regs);

/*
 * The details of r as " key=value" words, a name's spaces as '_' (none for a reason without
 * details).
 */
int trace_record_details(char *buf, size_t size, const struct trace_record *r);

/*
 * The monitor's line: "+AT us REASON rip=... DETAILS, TOOK us in Vireo", at_ns from the
 * VM's start and took_ns its time in the hypervisor (pending while 0).
 */
int trace_record_describe(char *buf, size_t size, const struct trace_record *r,
			  const char *reason, u64 at_ns, u64 took_ns);

/*
 * The dump's line: "E VCPU TSC TOOK RIP reason=REASON DETAILS" (numbers in hex, spaces in
 * words as '_'), which tools/trace2json.py parses.
 */
int trace_record_line(char *buf, size_t size, const struct trace_record *r, u32 vcpu,
		      const char *reason);

#endif

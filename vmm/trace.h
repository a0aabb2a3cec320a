/* SPDX-License-Identifier: MIT */
/*
 * Exit tracing: while a VM's tracing is on, each exit of its vCPUs goes through trace_exit(),
 * which records it in the vCPU's ring (vmm/trace_ring.h); the run loop writes in its time in
 * the hypervisor when it counts it (trace_exit_took()). The monitor shows the newest records
 * and dumps them all for tools/trace2json.py. docs/DEBUGGING.md tells how to use it.
 */
#ifndef VIREO_VMM_TRACE_H
#define VIREO_VMM_TRACE_H

#include "kernel/types.h"
#include "vmm/exit.h"

struct vcpu;
struct vm;

/*
 * Switch the tracing of every vCPU of vm on or off, from any CPU. The rings are allocated the
 * first time (config.trace_entries records each) and kept when it goes off, for show and
 * dump, until the VM ends. Returns 0, or -ENOMEM with tracing left off.
 */
int trace_vm_set(struct vm *vm, bool on);

/* One exit of a traced vCPU, on its CPU (v->exited_tsc its time): recorded, then handled. */
enum exit_action trace_exit(struct vcpu *v);

/* The time in the hypervisor of v's newest exit, if its record has none yet. */
void trace_exit_took(struct vcpu *v, u64 took);

/* Log the newest count records of each vCPU of vm, decoded (the monitor's "trace NAME show"). */
void trace_vm_show(const struct vm *vm, u32 count);

/*
 * Log every record of vm between marker lines, in the compact form of trace_record_line(),
 * with the TSC frequency in the first marker (the monitor's "trace NAME dump").
 */
void trace_vm_dump(const struct vm *vm);

/* Free what tracing holds of v (when its VM ends). */
void trace_vcpu_free(struct vcpu *v);

#endif

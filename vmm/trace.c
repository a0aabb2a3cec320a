/* SPDX-License-Identifier: MIT */
/* Exit tracing: the traced run of a vCPU, switching it on and off, and its output. */
#include "vmm/trace.h"
#include "kernel/errno.h"
#include "kernel/memory.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "vmm/trace_record.h"
#include "vmm/trace_ring.h"
#include "vmm/vcpu.h"
#include "vmm/virt.h"
#include "vmm/vm.h"

#define LINE_MAX 160

int trace_vm_set(struct vm *vm, bool on)
{
	u32 entries = vm->config.trace_entries ? vm->config.trace_entries : TRACE_ENTRIES_DEFAULT;
	int err = 0;

	for (u32 i = 0; on && i < vm->vcpu_count; i++) {
		struct vcpu *v = vm->vcpus[i];
		struct trace_ring *ring;

		if (v->trace)
			continue;
		ring = kmalloc(trace_ring_bytes(entries));
		if (!ring) {
			pr_warn("vm%u %s: no memory for a trace of %u exits per vCPU\n", vm->id,
				vm->config.name, entries);
			on = false;
			err = -ENOMEM;
			break;
		}
		trace_ring_init(ring, entries);
		__atomic_store_n(&v->trace, ring, __ATOMIC_RELEASE);
	}
	/* Released after the rings: a vCPU that sees its flag set sees its ring. */
	for (u32 i = 0; i < vm->vcpu_count; i++)
		__atomic_store_n(&vm->vcpus[i]->tracing, on, __ATOMIC_RELEASE);
	return err;
}

void trace_exit_took(struct vcpu *v, u64 took)
{
	struct trace_record *r = trace_ring_newest(v->trace);

	if (r && !r->took)
		r->took = took ? took : 1;	/* 0 is a record still open */
}

enum exit_action trace_exit(struct vcpu *v)
{
	struct trace_record *r;
	enum exit_action action;

	/* Pairs with trace_vm_set()'s release of the flag: the ring is there. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	r = trace_ring_next(v->trace);
	trace_record_exit(r, &v->exit, &v->regs, v->exited_tsc);
	trace_ring_commit(v->trace);
	action = vcpu_handle_exit(v);
	trace_record_result(r, &v->regs);
	return action;
}

/* The records of v from seq on, each logged by emit (skipping any overwritten meanwhile). */
static u64 for_records(const struct vcpu *v, u64 seq, u64 end,
		       void (*emit)(const struct vcpu *v, const struct trace_record *r))
{
	struct trace_record r;
	u64 done = 0;

	for (; seq < end; seq++)
		if (trace_ring_read(v->trace, seq, &r)) {
			emit(v, &r);
			done++;
		}
	return done;
}

static void show_record(const struct vcpu *v, const struct trace_record *r)
{
	char line[LINE_MAX];
	u64 at = r->tsc - v->vm->started_tsc;

	trace_record_describe(line, sizeof(line), r, exit_reason_name(r->reason),
			      (s64)at > 0 ? time_tsc_to_ns(at) : 0, time_tsc_to_ns(r->took));
	pr_info("trace: vm%u %s vCPU %u %s\n", v->vm->id, v->vm->config.name, v->id, line);
}

void trace_vm_show(const struct vm *vm, u32 count)
{
	if (!vm->vcpu_count || !vm->vcpus[0]->trace) {
		pr_info("trace: vm%u %s has no trace ('trace %s on' starts one)\n", vm->id,
			vm->config.name, vm->config.name);
		return;
	}
	for (u32 i = 0; i < vm->vcpu_count; i++) {
		const struct vcpu *v = vm->vcpus[i];
		u64 total = trace_ring_total(v->trace);

		pr_info("trace: vm%u %s vCPU %u: %llu exits traced, %llu lost, tracing %s\n", vm->id,
			vm->config.name, i, total, trace_ring_lost(v->trace),
			v->tracing ? "on" : "off");
		for_records(v, total > count ? total - count : 0, total, show_record);
	}
}

static void dump_record(const struct vcpu *v, const struct trace_record *r)
{
	char line[LINE_MAX];

	trace_record_line(line, sizeof(line), r, v->id, exit_reason_name(r->reason));
	pr_info("%s\n", line);
}

void trace_vm_dump(const struct vm *vm)
{
	u64 ends[VM_VCPUS_MAX], records = 0, dumped = 0;

	for (u32 i = 0; i < vm->vcpu_count && vm->vcpus[i]->trace; i++) {
		ends[i] = trace_ring_total(vm->vcpus[i]->trace);
		records += ends[i] - trace_ring_lost(vm->vcpus[i]->trace);
	}
	pr_info("vireo-trace-begin vm=%u name=%s vcpus=%u tsc_hz=%llu start=%llx records=%llu\n",
		vm->id, vm->config.name, vm->vcpu_count, time_tsc_hz(), vm->started_tsc, records);
	for (u32 i = 0; i < vm->vcpu_count && vm->vcpus[i]->trace; i++) {
		const struct vcpu *v = vm->vcpus[i];
		u64 lost = trace_ring_lost(v->trace);

		pr_info("V %u total=%llu lost=%llu\n", i, ends[i], lost);
		dumped += for_records(v, lost, ends[i], dump_record);
	}
	pr_info("vireo-trace-end vm=%u events=%llu\n", vm->id, dumped);
}

void trace_vcpu_free(struct vcpu *v)
{
	kfree(v->trace);
	v->trace = NULL;
}

/* SPDX-License-Identifier: MIT */
/*
 * A virtual CPU: its registers, the exit being handled, the events it is due and the requests
 * made to it from anywhere, drained in one place before every entry.
 */
#ifndef VIREO_VMM_VCPU_H
#define VIREO_VMM_VCPU_H

#include "kernel/types.h"
#include "vmm/event.h"
#include "vmm/exit.h"
#include "vmm/vcpu_state.h"

struct vm;

/*
 * Requests to a vCPU: bits set from any CPU, acted on before its next entry. With none set,
 * an entry checks nothing else: the fast path of every exit is one load.
 */
enum vcpu_request {
	VCPU_REQ_EVENT = BIT(0),	/* events are due: decide what to inject (vmm/event.h) */
	VCPU_REQ_TLB_FLUSH = BIT(1),	/* the guest's paging controls changed under the VMM */
	VCPU_REQ_STOP = BIT(2),		/* its VM is to stop (the reason is the VM's) */
};

struct vcpu {
	struct vm *vm;
	u32 id;
	u32 host_cpu;		/* the CPU it runs on */
	struct vcpu_regs regs;	/* kept current by the backend across each exit */
	struct vm_exit exit;	/* the exit being handled */
	void *arch;		/* the backend's VMCB or VMCS state */
	u32 requests;		/* enum vcpu_request bits */
	struct vcpu_events events;	/* touched only on the vCPU's own CPU */
	u64 exits;
};

/* Make a request (from any CPU); the caller kicks the vCPU's CPU if it must act soon. */
void vcpu_request(struct vcpu *v, u32 request);

/* Queue an exception for the guest (from an exit handler: on the vCPU's CPU). */
void vcpu_queue_exception(struct vcpu *v, u8 vector, bool has_error_code, u32 error_code);
void vcpu_queue_event(struct vcpu *v, const struct event *exception);

/* The exit was exception e, met while the CPU delivered the exit's vectoring event, if any. */
void vcpu_exception_during_delivery(struct vcpu *v, const struct event *e);

/* vcpu_prepare_entry() when a request is set. */
bool vcpu_take_requests(struct vcpu *v);

/*
 * Before each entry, on the vCPU's CPU: act on the requests and give the backend the event to
 * inject and the windows to ask for. Returns false when the vCPU must not run (its VM stops).
 */
static inline bool vcpu_prepare_entry(struct vcpu *v)
{
	return !__atomic_load_n(&v->requests, __ATOMIC_RELAXED) || vcpu_take_requests(v);
}

/* Make an event the exit interrupted due again. */
void vcpu_reinject(struct vcpu *v);

/* After each exit: note the event the exit interrupted, then handle the exit. */
static inline enum exit_action vcpu_handle_exit(struct vcpu *v)
{
	if (v->exit.vectoring_valid)
		vcpu_reinject(v);
	return exit_dispatch(v);
}

/* Stop the VM because an instruction the VMM must emulate cannot be decoded, naming its bytes. */
void vcpu_stop_undecodable(struct vcpu *v, const char *what, const u8 *bytes, u32 count);

/* True once the vCPU's VM has been stopped. */
bool vcpu_is_stopping(const struct vcpu *v);

/* Log the vCPU's registers (after an abnormal stop). */
void vcpu_dump(struct vcpu *v);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * A virtual CPU: its registers, the exit being handled, the events it is due and the requests
 * made to it from anywhere, drained in one place before every entry; its place in the
 * scheduler (run state, CPU, run queue node); what a CPU must switch when it runs another
 * vCPU (FPU, debug registers). docs/ARCHITECTURE.md, "The spine", has the whole life of one.
 */
#ifndef VIREO_VMM_VCPU_H
#define VIREO_VMM_VCPU_H

#include "arch/x86/cpu.h"
#include "arch/x86/fpu.h"
#include "kernel/spinlock.h"
#include "kernel/types.h"
#include "vmm/event.h"
#include "kernel/timer.h"
#include "vmm/exit.h"
#include "vmm/mmio.h"
#include "vmm/run_state.h"
#include "vmm/runq.h"
#include "vmm/vcpu_state.h"
#include "vmm/vector_set.h"

struct trace_ring;
struct vm;
struct vcpu_lapic;

/*
 * Requests to a vCPU: bits set from any CPU, acted on before its next entry. With none set,
 * an entry checks nothing else: the fast path of every exit is one load.
 */
enum vcpu_request {
	VCPU_REQ_EVENT = BIT(0),	/* events are due: decide what to inject (vmm/event.h) */
	VCPU_REQ_TLB_FLUSH = BIT(1),	/* the guest's paging controls changed under the VMM */
	VCPU_REQ_STOP = BIT(2),		/* its VM is to stop (the reason is the VM's) */
	VCPU_REQ_PAUSE = BIT(3),	/* leave the CPU, paused, until resumed */
	VCPU_REQ_MIGRATE = BIT(4),	/* leave the CPU for its new one (vcpu->cpu) */
	VCPU_REQ_INIT = BIT(5),		/* an INIT came: reset, wait for a startup IPI */
};

/* What one vCPU did, for the monitor and the VM's summary. */
struct vcpu_stats {
	u64 exits_by_reason[EXIT_REASON_COUNT];
	u64 tsc_by_reason[EXIT_REASON_COUNT];	/* TSC ticks in the hypervisor, exit to entry */
	u64 run_tsc;		/* TSC ticks between load and put: its share of a CPU */
	u64 slices;		/* times it was loaded on a CPU */
	u64 migrations;		/* times it was loaded on another CPU than the last */
};

struct vcpu {
	struct vm *vm;
	u32 id;
	struct vcpu_regs regs;	/* kept current by the backend across each exit */
	struct vm_exit exit;	/* the exit being handled */
	void *arch;		/* the backend's VMCB or VMCS state */
	u32 requests;		/* enum vcpu_request bits */
	struct vcpu_events events;	/* touched only by the CPU running it */
	struct vector_set interrupts;	/* raised for it from anywhere (vmm/vector_set.h) */
	struct vcpu_lapic *lapic;	/* its local APIC, or NULL (vmm/vcpu_lapic.h) */
	/*
	 * Its own devices' MMIO ranges (its local APIC's window), tried before the VM's bus
	 * (vmm/mmio_emulate.h): only this vCPU touches them, from its exits.
	 */
	struct mmio_bus mmio;
	u32 nmis_raised;	/* NMIs raised from elsewhere, not yet made pending (atomic) */
	bool halted;		/* executed HLT: sleeps until an event can wake it */
	bool sleeping;		/* in VIREO_HC_SLEEP until sleep_timer fires (atomic) */
	struct timer sleep_timer;
	bool told_halted_for_good;	/* the log said it halted with interrupts off */
	u64 kvmclock_system_time;	/* MSR_KVM_SYSTEM_TIME_NEW as written (vmm/kvmclock.h) */
	struct event_gate sleep_gate;	/* what it could take when it went to sleep */
	u8 sleep_tpr;		/* and its task priority (CR8) then */
	enum run_event leave;	/* why vcpu_prepare_entry() said no: stop, pause, preempt */

	/* The scheduler's: run and cpu change under lock (then the run queue's lock). */
	struct spinlock lock;
	enum run_state run;
	u32 cpu;		/* the CPU whose run queue it is on, or where it runs */
	u64 allowed_cpus;	/* the CPUs it may run on, bit N for CPU N (VM_CPUS_ANY: all) */
	struct runq_node node;
	u64 run_until;		/* TSC value at which its time slice ends */

	/* What a CPU switches when it runs another vCPU (vmm/vcpu_run.c). */
	struct fpu_area fpu;
	u64 dr[4];		/* DR0-DR3: no backend switches them */
	/* While a debugger's breakpoints are in DR0-DR3 and DR7 (vmm/debug_regs.h): the guest's. */
	bool dr_lent;
	u64 guest_dr[4];
	u64 guest_dr7;
	u32 last_cpu;		/* where it ran last, CPU_NONE before its first run */
	u64 loaded_tsc;
	u64 exited_tsc;		/* when its last exit came, 0 once its time is counted */
	bool new_state_due;	/* new_state goes in at its next load (virt->set_state) */
	struct vcpu_state new_state;

	struct vcpu_stats stats;
	/* Exit tracing (vmm/trace.h): the flag is the run loop's one test; the ring stays. */
	bool tracing;
	struct trace_ring *trace;
};

/* Make a request (from any CPU); the caller kicks the vCPU's CPU if it must act soon. */
void vcpu_request(struct vcpu *v, u32 request);

/*
 * Something was raised for v (from any CPU and context): it decides again at its next entry,
 * now if it runs, and wakes if it sleeps.
 */
void vcpu_poke(struct vcpu *v);

/* Queue an exception for the guest (from an exit handler: on the vCPU's CPU). */
void vcpu_queue_exception(struct vcpu *v, u8 vector, bool has_error_code, u32 error_code);
void vcpu_queue_event(struct vcpu *v, const struct event *exception);

/* The exit was exception e, met while the CPU delivered the exit's vectoring event, if any. */
void vcpu_exception_during_delivery(struct vcpu *v, const struct event *e);

/*
 * Raise an interrupt (vector 32-255) or an NMI for v, from any CPU: it is delivered when the
 * guest can take it, and wakes v if it is halted. Returns false for a vector below 32.
 */
bool vcpu_raise_interrupt(struct vcpu *v, u8 vector);
void vcpu_raise_nmi(struct vcpu *v);

/*
 * The guest's CR8, its task priority: with a local APIC the APIC's TPR[7:4] (one register, as
 * on a CPU), else the backend's. vcpu_set_cr8 takes a value cr8_write_valid() accepted.
 */
u8 vcpu_cr8(struct vcpu *v);
void vcpu_set_cr8(struct vcpu *v, u8 cr8);

/* vcpu_prepare_entry() when a request is set. */
bool vcpu_take_requests(struct vcpu *v);

/*
 * Before each entry, on the vCPU's CPU: act on the requests and give the backend the event to
 * inject and the windows to ask for. Returns false when the vCPU must leave the CPU (a stop,
 * pause or migration request): vcpu->leave says why (RUN_STOP, RUN_PAUSE, RUN_PREEMPT).
 */
static inline bool vcpu_prepare_entry(struct vcpu *v)
{
	return !__atomic_load_n(&v->requests, __ATOMIC_RELAXED) || vcpu_take_requests(v);
}

/* The single-step #DB (DR6.BS) after an instruction the VMM emulated under RFLAGS.TF. */
void vcpu_single_step_trap(struct vcpu *v);

/*
 * The exit's instruction has been emulated: step RIP past its len bytes. Under RFLAGS.TF the
 * CPU would have raised a single-step #DB after it (SDM Vol. 3B 18.3.1.4): so does this.
 */
static inline void vcpu_skip_instruction(struct vcpu *v, u8 len)
{
	v->regs.rip += len;
	if (unlikely(v->regs.rflags & X86_RFLAGS_TF))
		vcpu_single_step_trap(v);
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

/*
 * Whether anything is due that ends a halted vCPU's sleep: an exception or event being
 * delivered, an NMI it can take, an interrupt it can take; if so, the next entry delivers it.
 * On the vCPU's CPU, loaded; what the guest could take is remembered for
 * vcpu_raised_wakeup().
 */
bool vcpu_has_wakeup(struct vcpu *v);

/*
 * After vcpu_has_wakeup() said no and v left its CPU: has an interrupt or NMI it could take
 * been raised since? (Under v->lock, before it goes to sleep.)
 */
bool vcpu_raised_wakeup(struct vcpu *v);

/*
 * The vCPU shut down (a triple fault; what says how): a reset of the PC, which restarts or
 * stops the VM by its on_reset (vmm_reset). The caller leaves the CPU.
 */
void vcpu_triple_fault(struct vcpu *v, const char *what);

/* Stop the VM because an instruction the VMM must emulate cannot be decoded, naming its bytes. */
void vcpu_stop_undecodable(struct vcpu *v, const char *what, const u8 *bytes, u32 count);

/* True once the vCPU's VM has been stopped. */
bool vcpu_is_stopping(const struct vcpu *v);

/* Log the vCPU's registers (after an abnormal stop; on the vCPU's CPU, loaded). */
void vcpu_dump(struct vcpu *v);

#endif

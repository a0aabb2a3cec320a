/* SPDX-License-Identifier: MIT */
/*
 * A vCPU's run state, changed from any CPU (start, wake, pause, resume, stop, move), and one
 * time slice of it on its CPU: load, the entry/exit loop, put. vmm/run_state.c says which
 * moves are legal; this file makes them, under the vCPU's lock, with the run queues.
 */
#ifndef VIREO_VMM_VCPU_RUN_H
#define VIREO_VMM_VCPU_RUN_H

#include "kernel/types.h"
#include "vmm/run_state.h"
#include "vmm/vcpu_state.h"

struct vcpu;

/* Make a created vCPU runnable on its CPU. */
void vcpu_start(struct vcpu *v);

/*
 * Start a created vCPU in state s, put in place when it is first loaded (from any CPU; it
 * waits paused when its VM is). -EBUSY when it has started already.
 */
int vcpu_start_in(struct vcpu *v, const struct vcpu_state *s);

/* A halted vCPU has something to take: make it runnable (from any CPU, any context). */
void vcpu_wake(struct vcpu *v);

/*
 * Hold v where it is: a queued or blocked vCPU at once, a running one at its next exit.
 * vcpu_resume() lets it go on (a halted one goes back to sleep if nothing woke it).
 */
void vcpu_pause(struct vcpu *v);
void vcpu_resume(struct vcpu *v);

/*
 * Stop v for good: at once when it is not running (then returns true: it is stopped), at its
 * next exit when it is (returns false; its CPU is kicked). The VM's stop reason is the VM's.
 */
bool vcpu_stop(struct vcpu *v);

/*
 * Run v on cpu from now on (from any CPU): a queued vCPU moves queue, a running one leaves
 * its CPU at its next exit, a sleeping or paused one wakes up there, and it stays there.
 * -ENODEV for a CPU that is not online, -EPERM for one outside its VM's cpus.
 */
int vcpu_move(struct vcpu *v, u32 cpu);

/*
 * On its CPU, with v just taken off that CPU's run queue: run one slice, until v blocks,
 * yields its CPU (slice over, host work waiting), is paused, moved or stopped; then settle
 * its next state (back on a run queue, asleep, paused, or stopped).
 */
void vcpu_run_slice(struct vcpu *v);

#endif

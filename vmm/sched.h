/* SPDX-License-Identifier: MIT */
/*
 * The scheduler: a run queue of vCPUs per CPU, round robin in time slices, and the work item
 * that runs them on that CPU (kernel/cpu_work.h). An idle CPU halts; putting a vCPU on its
 * queue wakes it. A vCPU goes where it is placed (the least loaded of the CPUs its VM may
 * use, or the monitor's "move"), except that one about to wait on a busy CPU goes to an idle
 * one of those it may use. The policy: strict priorities (the VM's priority=), round robin
 * among equals.
 */
#ifndef VIREO_VMM_SCHED_H
#define VIREO_VMM_SCHED_H

#include "kernel/types.h"

struct vcpu;

#define SCHED_SLICE_NS (10 * 1000 * 1000ULL)
/* A vCPU alone on its CPU looks again only this often: a vCPU queued meanwhile kicks it. */
#define SCHED_ALONE_NS (100 * 1000 * 1000ULL)

/* Set up every online CPU's run queue; once, at boot, after SMP. */
void sched_init(void);

/*
 * Put v (runnable, with v->lock held) on the run queue of v->cpu, and make sure that CPU runs
 * its queue.
 */
void sched_enqueue(struct vcpu *v);

/* Take v (v->lock held) off the run queue it is on; false when it was on none. */
bool sched_dequeue(struct vcpu *v);

/*
 * The CPU a new vCPU goes to: the least loaded online CPU of allowed (bit N for CPU N;
 * VM_CPUS_ANY for all of them). allowed must hold an online CPU unless it is VM_CPUS_ANY.
 */
u32 sched_place(u64 allowed);

/* A vCPU placed with sched_place() is gone for good: it no longer counts on its CPU. */
void sched_unplace(u32 cpu);

/*
 * On v's CPU, v loaded, its slice just begun: when the backend cannot end a guest's run at
 * v->run_until by itself (no VMX preemption timer), arm a host timer whose interrupt will.
 */
void sched_arm_slice(struct vcpu *v);

/*
 * On v's CPU: whether vCPUs of v's priority or a higher one wait there (then v's slice ends
 * at its end), and whether vCPUs of a higher one do (then it ends now). Lower ones wait for
 * v to block or to stop: priorities are strict, round robin only among equals.
 */
bool sched_others_waiting(const struct vcpu *v);
bool sched_higher_waiting(const struct vcpu *v);

/* What the monitor shows of a CPU: vCPUs placed there, waiting there, switches so far. */
void sched_cpu_counts(u32 cpu, u32 *placed, u32 *waiting, u64 *switches);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The life of a vCPU as the scheduler sees it: its states, the events that move it between
 * them, and which moves are legal. Pure: the table is the whole of it.
 *
 *   created --start--> runnable --schedule--> running --preempt--> runnable
 *                          ^                     |  \--block--> blocked --wake--> runnable
 *                          |                   pause
 *                          +-----resume---- paused <--pause-- runnable, blocked
 *   any --stop--> stopped (a running vCPU stops itself at its next exit)
 */
#ifndef VIREO_VMM_RUN_STATE_H
#define VIREO_VMM_RUN_STATE_H

#include "kernel/types.h"

enum run_state {
	RUN_CREATED,	/* built, never started (a secondary vCPU until its start hypercall) */
	RUN_RUNNABLE,	/* on its CPU's run queue */
	RUN_RUNNING,	/* loaded on a CPU, in the guest or handling an exit */
	RUN_BLOCKED,	/* halted: waits for an event (an interrupt, an NMI) to wake it */
	RUN_PAUSED,	/* held by the monitor or the VMM; resumes as runnable */
	RUN_STOPPED,	/* for good */
	RUN_STATE_COUNT,
};

enum run_event {
	RUN_START, RUN_SCHEDULE, RUN_PREEMPT, RUN_BLOCK, RUN_WAKE, RUN_PAUSE, RUN_RESUME,
	RUN_STOP, RUN_EVENT_COUNT,
};

/*
 * The state after event in state s; sets *changed when the move does something. Returns s
 * unchanged, *changed false, for an event that means nothing there (a wake-up of a running
 * vCPU, a pause of a stopped one) or that is illegal there (scheduling a blocked vCPU).
 */
enum run_state run_state_next(enum run_state s, enum run_event e, bool *changed);

/* True when event e is legal in state s (a no-op counts as legal). */
bool run_state_allows(enum run_state s, enum run_event e);

/* "runnable", ... and "start", ...: for logs and the monitor. */
const char *run_state_name(enum run_state s);
const char *run_event_name(enum run_event e);

#endif

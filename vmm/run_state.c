/* SPDX-License-Identifier: MIT */
/* The vCPU state machine as a table. Pure. */
#include "vmm/run_state.h"

#define NONE RUN_STATE_COUNT	/* the event means nothing in this state */
#define BAD (RUN_STATE_COUNT + 1)	/* the event is illegal in this state */

static const u8 next_state[RUN_STATE_COUNT][RUN_EVENT_COUNT] = {
	[RUN_CREATED] = {
		[RUN_START] = RUN_RUNNABLE, [RUN_SCHEDULE] = BAD, [RUN_PREEMPT] = BAD,
		[RUN_BLOCK] = BAD, [RUN_WAKE] = NONE, [RUN_PAUSE] = NONE, [RUN_RESUME] = NONE,
		[RUN_STOP] = RUN_STOPPED,
	},
	[RUN_RUNNABLE] = {
		[RUN_START] = BAD, [RUN_SCHEDULE] = RUN_RUNNING, [RUN_PREEMPT] = BAD,
		[RUN_BLOCK] = BAD, [RUN_WAKE] = NONE, [RUN_PAUSE] = RUN_PAUSED, [RUN_RESUME] = NONE,
		[RUN_STOP] = RUN_STOPPED,
	},
	[RUN_RUNNING] = {
		[RUN_START] = BAD, [RUN_SCHEDULE] = BAD, [RUN_PREEMPT] = RUN_RUNNABLE,
		[RUN_BLOCK] = RUN_BLOCKED, [RUN_WAKE] = NONE, [RUN_PAUSE] = RUN_PAUSED,
		[RUN_RESUME] = NONE, [RUN_STOP] = RUN_STOPPED,
	},
	[RUN_BLOCKED] = {
		[RUN_START] = BAD, [RUN_SCHEDULE] = BAD, [RUN_PREEMPT] = BAD, [RUN_BLOCK] = BAD,
		[RUN_WAKE] = RUN_RUNNABLE, [RUN_PAUSE] = RUN_PAUSED, [RUN_RESUME] = NONE,
		[RUN_STOP] = RUN_STOPPED,
	},
	[RUN_PAUSED] = {
		[RUN_START] = BAD, [RUN_SCHEDULE] = BAD, [RUN_PREEMPT] = BAD, [RUN_BLOCK] = BAD,
		[RUN_WAKE] = NONE, [RUN_PAUSE] = NONE, [RUN_RESUME] = RUN_RUNNABLE,
		[RUN_STOP] = RUN_STOPPED,
	},
	[RUN_STOPPED] = {
		[RUN_START] = BAD, [RUN_SCHEDULE] = BAD, [RUN_PREEMPT] = BAD, [RUN_BLOCK] = BAD,
		[RUN_WAKE] = NONE, [RUN_PAUSE] = NONE, [RUN_RESUME] = NONE, [RUN_STOP] = NONE,
	},
};

static const char *const state_names[RUN_STATE_COUNT] = {
	[RUN_CREATED] = "created", [RUN_RUNNABLE] = "runnable", [RUN_RUNNING] = "running",
	[RUN_BLOCKED] = "blocked", [RUN_PAUSED] = "paused", [RUN_STOPPED] = "stopped",
};

static const char *const event_names[RUN_EVENT_COUNT] = {
	[RUN_START] = "start", [RUN_SCHEDULE] = "schedule", [RUN_PREEMPT] = "preempt",
	[RUN_BLOCK] = "block", [RUN_WAKE] = "wake", [RUN_PAUSE] = "pause",
	[RUN_RESUME] = "resume", [RUN_STOP] = "stop",
};

enum run_state run_state_next(enum run_state s, enum run_event e, bool *changed)
{
	u8 next = s < RUN_STATE_COUNT && e < RUN_EVENT_COUNT ? next_state[s][e] : BAD;

	*changed = next < RUN_STATE_COUNT;
	return *changed ? (enum run_state)next : s;
}

bool run_state_allows(enum run_state s, enum run_event e)
{
	return s < RUN_STATE_COUNT && e < RUN_EVENT_COUNT && next_state[s][e] != BAD;
}

const char *run_state_name(enum run_state s)
{
	return s < RUN_STATE_COUNT ? state_names[s] : "?";
}

const char *run_event_name(enum run_event e)
{
	return e < RUN_EVENT_COUNT ? event_names[e] : "?";
}

/* SPDX-License-Identifier: MIT */
/* Tests of the vCPU state machine: every state against every event, and whole lives. */
#include "tests/unit/unit.h"
#include "vmm/run_state.h"

#include <stdio.h>

struct move {
	enum run_state from;
	enum run_event event;
	enum run_state to;
};

/* The moves that change something, written out from the life of a vCPU. */
static const struct move changes[] = {
	{ RUN_CREATED, RUN_START, RUN_RUNNABLE },
	{ RUN_CREATED, RUN_STOP, RUN_STOPPED },
	{ RUN_RUNNABLE, RUN_SCHEDULE, RUN_RUNNING },
	{ RUN_RUNNABLE, RUN_PAUSE, RUN_PAUSED },
	{ RUN_RUNNABLE, RUN_STOP, RUN_STOPPED },
	{ RUN_RUNNING, RUN_PREEMPT, RUN_RUNNABLE },
	{ RUN_RUNNING, RUN_BLOCK, RUN_BLOCKED },
	{ RUN_RUNNING, RUN_PAUSE, RUN_PAUSED },
	{ RUN_RUNNING, RUN_STOP, RUN_STOPPED },
	{ RUN_BLOCKED, RUN_WAKE, RUN_RUNNABLE },
	{ RUN_BLOCKED, RUN_PAUSE, RUN_PAUSED },
	{ RUN_BLOCKED, RUN_STOP, RUN_STOPPED },
	{ RUN_PAUSED, RUN_RESUME, RUN_RUNNABLE },
	{ RUN_PAUSED, RUN_STOP, RUN_STOPPED },
};

/*
 * Events that may come from another CPU at any time and so mean nothing where they do not
 * apply: a wake-up, a pause or a resume that finds nothing to do, a second stop.
 */
static bool harmless(enum run_state s, enum run_event e)
{
	switch (e) {
	case RUN_WAKE:
	case RUN_RESUME:
		return true;
	case RUN_PAUSE:
		return s == RUN_CREATED || s == RUN_PAUSED || s == RUN_STOPPED;
	case RUN_STOP:
		return s == RUN_STOPPED;
	default:
		return false;
	}
}

static const struct move *change_of(enum run_state s, enum run_event e)
{
	for (size_t i = 0; i < sizeof(changes) / sizeof(changes[0]); i++)
		if (changes[i].from == s && changes[i].event == e)
			return &changes[i];
	return NULL;
}

static void test_every_state_against_every_event(void **state)
{
	(void)state;
	for (int s = 0; s < RUN_STATE_COUNT; s++) {
		for (int e = 0; e < RUN_EVENT_COUNT; e++) {
			const struct move *m = change_of(s, e);
			bool changed = !m;	/* the opposite of what is expected */
			enum run_state next = run_state_next(s, e, &changed);

			snprintf(unit_label, sizeof(unit_label), "%s on %s", run_event_name(e),
				 run_state_name(s));
			EXPECT_EQ(changed, m != NULL);
			EXPECT_EQ(next, m ? m->to : (enum run_state)s);
			EXPECT_EQ(run_state_allows(s, e), m || harmless(s, e));
		}
	}
}

static void test_out_of_range_values_change_nothing(void **state)
{
	bool changed = true;

	(void)state;
	snprintf(unit_label, sizeof(unit_label), "out of range");
	EXPECT_EQ(run_state_next(RUN_STATE_COUNT, RUN_START, &changed), RUN_STATE_COUNT);
	EXPECT_EQ(changed, false);
	changed = true;
	EXPECT_EQ(run_state_next(RUN_RUNNING, RUN_EVENT_COUNT, &changed), RUN_RUNNING);
	EXPECT_EQ(changed, false);
	assert_false(run_state_allows(RUN_STATE_COUNT, RUN_STOP));
	assert_string_equal(run_state_name(RUN_STATE_COUNT), "?");
	assert_string_equal(run_event_name(RUN_EVENT_COUNT), "?");
}

/* A life: started, runs, halts, woken, paused while runnable, resumed, preempted, stopped. */
static void test_a_whole_life(void **state)
{
	static const struct {
		enum run_event event;
		enum run_state after;
	} life[] = {
		{ RUN_START, RUN_RUNNABLE }, { RUN_SCHEDULE, RUN_RUNNING }, { RUN_BLOCK, RUN_BLOCKED },
		{ RUN_RESUME, RUN_BLOCKED }, { RUN_WAKE, RUN_RUNNABLE }, { RUN_PAUSE, RUN_PAUSED },
		{ RUN_WAKE, RUN_PAUSED }, { RUN_RESUME, RUN_RUNNABLE }, { RUN_SCHEDULE, RUN_RUNNING },
		{ RUN_PREEMPT, RUN_RUNNABLE }, { RUN_SCHEDULE, RUN_RUNNING }, { RUN_STOP, RUN_STOPPED },
		{ RUN_WAKE, RUN_STOPPED }, { RUN_START, RUN_STOPPED },
	};
	enum run_state s = RUN_CREATED;

	(void)state;
	for (size_t i = 0; i < sizeof(life) / sizeof(life[0]); i++) {
		bool changed;

		snprintf(unit_label, sizeof(unit_label), "step %zu (%s)", i,
			 run_event_name(life[i].event));
		s = run_state_next(s, life[i].event, &changed);
		EXPECT_EQ(s, life[i].after);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_state_against_every_event),
		cmocka_unit_test(test_out_of_range_values_change_nothing),
		cmocka_unit_test(test_a_whole_life),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

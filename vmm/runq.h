/* SPDX-License-Identifier: MIT */
/*
 * A run queue: the runnable vCPUs of one CPU, in priority levels, first in first out (round
 * robin) within each; the highest level that has a vCPU goes first. Intrusive: a vCPU carries
 * its own node, so queuing never allocates. Pure; the caller holds the CPU's scheduler lock.
 */
#ifndef VIREO_VMM_RUNQ_H
#define VIREO_VMM_RUNQ_H

#include "kernel/types.h"

#define RUNQ_LEVELS 4		/* priorities 0 (lowest) to 3 */

struct runq_node {
	struct runq_node *next, *prev;
	u8 level;		/* the level it is queued at */
	bool queued;
};

struct runq {
	struct runq_node head[RUNQ_LEVELS];	/* a ring per level: empty when head points to itself */
	u32 count;				/* in all levels */
};

/* An empty queue. */
void runq_init(struct runq *q);

/* Add n at the tail of its level, 0 to RUNQ_LEVELS - 1 (n must not be queued). */
void runq_push(struct runq *q, struct runq_node *n, u8 level);

/* Take the head of the highest level that is not empty off, or NULL when all are. */
struct runq_node *runq_pop(struct runq *q);

/* Take n off wherever it is; false when it was not queued. */
bool runq_remove(struct runq *q, struct runq_node *n);

/* Whether a node waits at level or above: whether one at level should give way to it. */
bool runq_waiting_at_or_above(const struct runq *q, u8 level);

static inline bool runq_empty(const struct runq *q)
{
	return q->count == 0;
}

#endif

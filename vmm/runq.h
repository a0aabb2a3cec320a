/* SPDX-License-Identifier: MIT */
/*
 * A run queue: the runnable vCPUs of one CPU, first in first out (round robin). Intrusive: a
 * vCPU carries its own node, so queuing never allocates. Pure; the caller holds the CPU's
 * scheduler lock.
 */
#ifndef VIREO_VMM_RUNQ_H
#define VIREO_VMM_RUNQ_H

#include "kernel/types.h"

struct runq_node {
	struct runq_node *next, *prev;
	bool queued;
};

struct runq {
	struct runq_node head;	/* a ring through head: empty when head points to itself */
	u32 count;
};

/* An empty queue. */
void runq_init(struct runq *q);

/* Add n at the tail (n must not be queued). */
void runq_push(struct runq *q, struct runq_node *n);

/* Take the head off, or NULL when empty. */
struct runq_node *runq_pop(struct runq *q);

/* Take n off wherever it is; false when it was not queued. */
bool runq_remove(struct runq *q, struct runq_node *n);

static inline bool runq_empty(const struct runq *q)
{
	return q->count == 0;
}

#endif

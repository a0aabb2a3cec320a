/* SPDX-License-Identifier: MIT */
/* The run queue: a ring of intrusive nodes per priority level. Pure. */
#include "vmm/runq.h"

static bool level_empty(const struct runq *q, u8 level)
{
	return q->head[level].next == &q->head[level];
}

void runq_init(struct runq *q)
{
	for (u8 l = 0; l < RUNQ_LEVELS; l++) {
		q->head[l].next = q->head[l].prev = &q->head[l];
		q->head[l].queued = false;
	}
	q->count = 0;
}

void runq_push(struct runq *q, struct runq_node *n, u8 level)
{
	struct runq_node *head = &q->head[level];

	n->prev = head->prev;
	n->next = head;
	head->prev->next = n;
	head->prev = n;
	n->level = level;
	n->queued = true;
	q->count++;
}

bool runq_remove(struct runq *q, struct runq_node *n)
{
	if (!n->queued)
		return false;
	n->prev->next = n->next;
	n->next->prev = n->prev;
	n->next = n->prev = NULL;
	n->queued = false;
	q->count--;
	return true;
}

struct runq_node *runq_pop(struct runq *q)
{
	for (u8 l = RUNQ_LEVELS; l-- > 0;) {
		if (!level_empty(q, l)) {
			struct runq_node *n = q->head[l].next;

			runq_remove(q, n);
			return n;
		}
	}
	return NULL;
}

bool runq_waiting_at_or_above(const struct runq *q, u8 level)
{
	for (u8 l = level; l < RUNQ_LEVELS; l++)
		if (!level_empty(q, l))
			return true;
	return false;
}

/* SPDX-License-Identifier: MIT */
/* The run queue: a ring of intrusive nodes. Pure. */
#include "vmm/runq.h"

void runq_init(struct runq *q)
{
	q->head.next = q->head.prev = &q->head;
	q->head.queued = false;
	q->count = 0;
}

void runq_push(struct runq *q, struct runq_node *n)
{
	n->prev = q->head.prev;
	n->next = &q->head;
	q->head.prev->next = n;
	q->head.prev = n;
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
	struct runq_node *n = q->head.next;

	if (n == &q->head)
		return NULL;
	runq_remove(q, n);
	return n;
}

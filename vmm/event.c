/* SPDX-License-Identifier: MIT */
/* Event priority and exception combination for a vCPU (SDM Vol. 3A 7.15, 3C 27.2.4). Pure. */
#include "vmm/event.h"
#include "arch/x86/vectors.h"
#include "kernel/string.h"

void event_init(struct vcpu_events *ev)
{
	memset(ev, 0, sizeof(*ev));
}

void event_set_reinject(struct vcpu_events *ev, const struct event *e)
{
	ev->reinject = *e;
	ev->reinject_pending = true;
}

/* The classes of SDM Vol. 3A table 7-4: which pairs of exceptions make a double fault. */
enum exception_class { BENIGN, CONTRIBUTORY, PAGE_FAULT };

static enum exception_class class_of(const struct event *e)
{
	if (e->type != EVENT_EXCEPTION)
		return BENIGN;	/* interrupts, NMIs and software events */
	switch (e->vector) {
	case VECTOR_DIVIDE_ERROR:
	case VECTOR_INVALID_TSS:
	case VECTOR_SEGMENT_NOT_PRESENT:
	case VECTOR_STACK_FAULT:
	case VECTOR_GENERAL_PROTECTION:
		return CONTRIBUTORY;
	case VECTOR_PAGE_FAULT:
		return PAGE_FAULT;
	default:
		return BENIGN;
	}
}

/*
 * Exception second arrived while first was being delivered or was still due: what the CPU
 * delivers instead (table 7-5). Returns false for a shutdown (any fault while delivering #DF).
 */
static bool combine(const struct event *first, const struct event *second, struct event *out)
{
	enum exception_class a = class_of(first), b = class_of(second);

	if (first->type == EVENT_EXCEPTION && first->vector == VECTOR_DOUBLE_FAULT)
		return false;
	if ((a == CONTRIBUTORY && b == CONTRIBUTORY) || (a == PAGE_FAULT && b != BENIGN))
		*out = event_exception(VECTOR_DOUBLE_FAULT, true, 0);
	else
		*out = *second;
	return true;
}

void event_queue_exception(struct vcpu_events *ev, const struct event *e)
{
	struct event combined;

	if (!ev->exception_pending) {
		ev->exception = *e;
		ev->exception_pending = true;
	} else if (combine(&ev->exception, e, &combined)) {
		ev->exception = combined;
	} else {
		ev->exception_pending = false;
		ev->triple_fault = true;
	}
}

void event_exception_during_delivery(struct vcpu_events *ev, const struct event *e)
{
	struct event first = ev->reinject, combined;

	if (!ev->reinject_pending) {
		event_queue_exception(ev, e);
		return;
	}
	ev->reinject_pending = false;
	if (first.type == EVENT_NMI) {
		ev->nmi_pending = true;
	} else if (first.type == EVENT_EXTERNAL_INTERRUPT) {
		ev->interrupt = first;
		ev->interrupt_held = true;
	}
	if (!combine(&first, e, &combined)) {
		ev->triple_fault = true;
		return;
	}
	/* It is the same delivery going on: it takes the re-inject slot, ahead of the rest. */
	event_set_reinject(ev, &combined);
}

void event_queue_nmi(struct vcpu_events *ev)
{
	ev->nmi_pending = true;
}

static bool interrupt_due(const struct vcpu_events *ev, const struct event_gate *g)
{
	return ev->interrupt_held || g->interrupt_vector >= 0;
}

static void take_interrupt_or_nmi(struct vcpu_events *ev, const struct event_gate *g,
				  struct event_decision *d)
{
	if (ev->nmi_pending && g->nmi_allowed) {
		ev->nmi_pending = false;
		d->inject = d->took_nmi = true;
		d->event = (struct event){ .type = EVENT_NMI, .vector = VECTOR_NMI };
	} else if (ev->interrupt_held && g->interrupt_allowed) {
		ev->interrupt_held = false;
		d->inject = true;
		d->event = ev->interrupt;
	} else if (g->interrupt_vector >= 0 && g->interrupt_allowed) {
		d->inject = d->took_interrupt = true;
		d->event = (struct event){ .type = EVENT_EXTERNAL_INTERRUPT,
					   .vector = (u8)g->interrupt_vector };
	}
}

void event_decide(struct vcpu_events *ev, const struct event_gate *g, struct event_decision *d)
{
	memset(d, 0, sizeof(*d));
	if (ev->reinject_pending) {
		d->inject = true;
		d->event = ev->reinject;
		ev->reinject_pending = false;
	} else if (ev->exception_pending) {
		d->inject = true;
		d->event = ev->exception;
		ev->exception_pending = false;
	} else {
		take_interrupt_or_nmi(ev, g, d);
	}
	if (ev->exception_pending) {
		d->immediate_exit = true;	/* it is delivered right after this event */
		return;
	}
	/* One event per entry: what is still due waits for a window, or for the next entry. */
	if (ev->nmi_pending)
		d->nmi_window = true;
	if (ev->interrupt_held || (g->interrupt_vector >= 0 && !d->took_interrupt))
		d->interrupt_window = true;
}

bool event_wakes(const struct vcpu_events *ev, const struct event_gate *g)
{
	return ev->reinject_pending || ev->exception_pending || ev->triple_fault ||
	       (ev->nmi_pending && g->nmi_allowed) ||
	       (interrupt_due(ev, g) && g->interrupt_allowed);
}

/* SPDX-License-Identifier: MIT */
/*
 * The events a vCPU is due: the interrupt, NMI or exception whose delivery an exit cut short,
 * a pending exception, a pending NMI, and which one is injected at the next entry (or which
 * window exit is asked for instead). Pure: the run loop feeds it what the exit and the vCPU's
 * interrupt source say and hands the decision to the backend, on both vendors alike.
 */
#ifndef VIREO_VMM_EVENT_H
#define VIREO_VMM_EVENT_H

#include "kernel/types.h"

/* The kinds of event VM entry can deliver (SDM Vol. 3C 25.8.3, APM 15.20): same order. */
enum event_type {
	EVENT_EXTERNAL_INTERRUPT = 0,
	EVENT_NMI = 2,
	EVENT_EXCEPTION = 3,		/* a hardware exception: #GP, #PF, #DB, ... */
	EVENT_SOFT_INTERRUPT = 4,	/* INT n */
	EVENT_PRIV_SOFT_EXCEPTION = 5,	/* INT1 (ICEBP) */
	EVENT_SOFT_EXCEPTION = 6,	/* INT3, INTO */
};

struct event {
	u8 type;		/* enum event_type */
	u8 vector;
	bool has_error_code;
	u32 error_code;
	u8 insn_len;		/* software events: the length of INT n/INT3/INTO/INT1 */
	/*
	 * What the exception changes besides the stack, applied by the backend as it injects:
	 * CR2 for a #PF; for a #DB, DR6 bits to set, B0-B3 replaced (VT-x leaves DR6 alone on a
	 * #DB exit, SDM 27.1).
	 */
	bool has_payload;
	u64 payload;
};

struct vcpu_events {
	bool reinject_pending;
	struct event reinject;	/* cut short by the last exit: goes first (SDM 27.2.4, APM 15.20) */
	bool exception_pending;
	struct event exception;
	bool nmi_pending;
	bool interrupt_held;
	struct event interrupt;	/* taken from its source, its delivery failed: delivered again */
	bool triple_fault;	/* a fault during #DF delivery: the vCPU shuts down */
};

/* What the guest can take right now, and what its interrupt source has for it. */
struct event_gate {
	bool interrupt_allowed;	/* RFLAGS.IF set and no STI/MOV SS shadow */
	bool nmi_allowed;	/* no NMI being handled, no MOV SS shadow */
	int interrupt_vector;	/* the source's highest deliverable vector, or -1 */
};

/* The decision for the next entry. */
struct event_decision {
	bool inject;
	struct event event;		/* when inject */
	bool took_interrupt;		/* event is interrupt_vector: acknowledge it at the source */
	bool took_nmi;			/* event is the pending NMI: the guest now blocks NMIs */
	bool interrupt_window;		/* exit as soon as the guest can take an interrupt */
	bool nmi_window;		/* exit as soon as the guest can take an NMI */
	bool immediate_exit;		/* more is due after this one: exit right after delivery */
};

/* Nothing due. */
void event_init(struct vcpu_events *ev);

/* The exit cut short the delivery of e: it is delivered again before anything new. */
void event_set_reinject(struct vcpu_events *ev, const struct event *e);

/*
 * An exception the VMM raises for the guest (an intercepted instruction faulted, say). It waits
 * behind an event being re-injected. Two pending exceptions combine as the CPU combines them
 * (SDM Vol. 3A 7.15, table 7-5): into #DF, or into a triple fault after #DF.
 */
void event_queue_exception(struct vcpu_events *ev, const struct event *e);

/*
 * The exit itself was exception e, raised while the CPU delivered the re-inject event (the
 * exit carried vectoring information): they combine as above. An interrupted external
 * interrupt is held and delivered again once the guest can take interrupts, an interrupted NMI
 * becomes pending again, and an interrupted software event is dropped, as its instruction runs
 * again.
 */
void event_exception_during_delivery(struct vcpu_events *ev, const struct event *e);

/* Make an NMI pending (several collapse into one, as on the CPU). */
void event_queue_nmi(struct vcpu_events *ev);

/*
 * Decide what the next entry injects: the re-inject event, else a pending exception, else an
 * NMI the guest can take, else an interrupt it can take (a held one before the source's);
 * ask for a window exit for what it cannot take yet, and for an immediate exit when an
 * exception is still due. Consumes what it injects from ev.
 */
void event_decide(struct vcpu_events *ev, const struct event_gate *g, struct event_decision *d);

/*
 * True when any event is due besides what an interrupt source holds: the cheap test that lets
 * an entry with nothing to deliver skip the decision.
 */
static inline bool event_any_pending(const struct vcpu_events *ev)
{
	return ev->reinject_pending || ev->exception_pending || ev->nmi_pending ||
	       ev->interrupt_held || ev->triple_fault;
}

/* True when anything is due that would wake a halted vCPU, given what it can take. */
bool event_wakes(const struct vcpu_events *ev, const struct event_gate *g);

/*
 * The event a vectoring record describes (VT-x IDT-vectoring information and AMD-V EXITINTINFO
 * number the types alike), if it is one to deliver again: an external interrupt, an NMI or a
 * hardware exception. A software event (INT n, INT3, INTO, INT1) is not: the guest's RIP is
 * still on its instruction, which simply runs again. Returns false then.
 */
static inline bool event_from_vectoring(u32 type, u8 vector, bool has_error_code, u32 error_code,
					struct event *out)
{
	if (type != EVENT_EXTERNAL_INTERRUPT && type != EVENT_NMI && type != EVENT_EXCEPTION)
		return false;
	*out = (struct event){ .type = (u8)type, .vector = vector,
			       .has_error_code = has_error_code,
			       .error_code = has_error_code ? error_code : 0 };
	return true;
}

/* An exception event (hardware type), with an error code when has_error_code. */
static inline struct event event_exception(u8 vector, bool has_error_code, u32 error_code)
{
	return (struct event){ .type = EVENT_EXCEPTION, .vector = vector,
			       .has_error_code = has_error_code, .error_code = error_code };
}

#endif

/* SPDX-License-Identifier: MIT */
/* Tests of the vCPU event logic: priorities, windows, and how exceptions combine. */
#include "tests/unit/unit.h"
#include "arch/x86/vectors.h"
#include "vmm/event.h"

#include <stdio.h>

static const struct event_gate open_gate = { true, true, -1 };

static struct event interrupt(u8 vector)
{
	return (struct event){ .type = EVENT_EXTERNAL_INTERRUPT, .vector = vector };
}

static struct event soft_interrupt(u8 vector, u8 len)
{
	return (struct event){ .type = EVENT_SOFT_INTERRUPT, .vector = vector, .insn_len = len };
}

static void expect_injects(const struct event_decision *d, u8 type, u8 vector)
{
	if (!d->inject)
		fail_msg("%s: nothing injected, expected type %u vector %u", unit_label, type, vector);
	EXPECT_EQ(d->event.type, type);
	EXPECT_EQ(d->event.vector, vector);
}

static void expect_nothing(struct vcpu_events *ev, const struct event_gate *g)
{
	struct event_decision d;

	event_decide(ev, g, &d);
	if (d.inject)
		fail_msg("%s: injected vector %u, expected nothing", unit_label, d.event.vector);
	EXPECT_EQ(d.interrupt_window, false);
	EXPECT_EQ(d.nmi_window, false);
	EXPECT_EQ(d.immediate_exit, false);
}

static void test_nothing_due_injects_nothing(void **state)
{
	struct vcpu_events ev;

	(void)state;
	snprintf(unit_label, sizeof(unit_label), "idle");
	event_init(&ev);
	expect_nothing(&ev, &open_gate);
	assert_false(event_wakes(&ev, &open_gate));
}

/* SDM 27.2.4 / APM 15.20: an event cut short goes first; the new exception right after it. */
static void test_reinjected_event_goes_before_a_new_exception(void **state)
{
	struct vcpu_events ev;
	struct event_decision d;
	struct event gp = event_exception(VECTOR_GENERAL_PROTECTION, true, 0x18);
	struct event x = interrupt(0x40);

	(void)state;
	snprintf(unit_label, sizeof(unit_label), "reinject then #GP");
	event_init(&ev);
	event_set_reinject(&ev, &x);
	event_queue_exception(&ev, &gp);
	event_decide(&ev, &open_gate, &d);
	expect_injects(&d, EVENT_EXTERNAL_INTERRUPT, 0x40);
	EXPECT_EQ(d.took_interrupt, false);	/* it was taken from its source the first time */
	EXPECT_EQ(d.immediate_exit, true);
	event_decide(&ev, &open_gate, &d);
	expect_injects(&d, EVENT_EXCEPTION, VECTOR_GENERAL_PROTECTION);
	EXPECT_EQ(d.event.has_error_code, true);
	EXPECT_EQ(d.event.error_code, 0x18);
	EXPECT_EQ(d.immediate_exit, false);
	expect_nothing(&ev, &open_gate);
}

static void test_a_reinjected_soft_interrupt_keeps_its_length(void **state)
{
	struct vcpu_events ev;
	struct event_decision d;
	struct event e = soft_interrupt(0x80, 2);

	(void)state;
	snprintf(unit_label, sizeof(unit_label), "INT 0x80 again");
	event_init(&ev);
	event_set_reinject(&ev, &e);
	event_decide(&ev, &open_gate, &d);
	expect_injects(&d, EVENT_SOFT_INTERRUPT, 0x80);
	EXPECT_EQ(d.event.insn_len, 2);
}

static void test_exception_before_nmi_before_interrupt(void **state)
{
	struct vcpu_events ev;
	struct event_decision d;
	struct event ud = event_exception(VECTOR_INVALID_OPCODE, false, 0);
	struct event_gate g = { true, true, 0x30 };

	(void)state;
	snprintf(unit_label, sizeof(unit_label), "priority");
	event_init(&ev);
	event_queue_nmi(&ev);
	event_queue_exception(&ev, &ud);
	event_decide(&ev, &g, &d);
	expect_injects(&d, EVENT_EXCEPTION, VECTOR_INVALID_OPCODE);
	EXPECT_EQ(d.nmi_window, true);
	EXPECT_EQ(d.interrupt_window, true);
	event_decide(&ev, &g, &d);
	expect_injects(&d, EVENT_NMI, VECTOR_NMI);
	EXPECT_EQ(d.took_nmi, true);
	EXPECT_EQ(d.interrupt_window, true);
	event_decide(&ev, &g, &d);
	expect_injects(&d, EVENT_EXTERNAL_INTERRUPT, 0x30);
	EXPECT_EQ(d.took_interrupt, true);
	EXPECT_EQ(d.interrupt_window, false);
}

static void test_what_cannot_be_taken_asks_for_a_window(void **state)
{
	struct vcpu_events ev;
	struct event_decision d;
	struct event_gate masked = { false, false, 0x30 };
	struct event_gate nmi_blocked = { true, false, 0x31 };

	(void)state;
	snprintf(unit_label, sizeof(unit_label), "windows");
	event_init(&ev);
	event_queue_nmi(&ev);
	event_decide(&ev, &masked, &d);
	EXPECT_EQ(d.inject, false);
	EXPECT_EQ(d.nmi_window, true);
	EXPECT_EQ(d.interrupt_window, true);
	assert_false(event_wakes(&ev, &masked));
	/* An NMI the guest blocks does not hold back an interrupt it can take. */
	event_decide(&ev, &nmi_blocked, &d);
	expect_injects(&d, EVENT_EXTERNAL_INTERRUPT, 0x31);
	EXPECT_EQ(d.nmi_window, true);
	EXPECT_EQ(ev.nmi_pending, true);
	assert_true(event_wakes(&ev, &nmi_blocked));
}

struct combination {
	u8 first, second, result;	/* result 0xff: triple fault */
};

/* SDM Vol. 3A table 7-5. */
static const struct combination combinations[] = {
	{ VECTOR_GENERAL_PROTECTION, VECTOR_GENERAL_PROTECTION, VECTOR_DOUBLE_FAULT },
	{ VECTOR_DIVIDE_ERROR, VECTOR_SEGMENT_NOT_PRESENT, VECTOR_DOUBLE_FAULT },
	{ VECTOR_INVALID_TSS, VECTOR_STACK_FAULT, VECTOR_DOUBLE_FAULT },
	{ VECTOR_GENERAL_PROTECTION, VECTOR_PAGE_FAULT, VECTOR_PAGE_FAULT },
	{ VECTOR_PAGE_FAULT, VECTOR_PAGE_FAULT, VECTOR_DOUBLE_FAULT },
	{ VECTOR_PAGE_FAULT, VECTOR_GENERAL_PROTECTION, VECTOR_DOUBLE_FAULT },
	{ VECTOR_PAGE_FAULT, VECTOR_ALIGNMENT_CHECK, VECTOR_ALIGNMENT_CHECK },
	{ VECTOR_DEBUG, VECTOR_DEBUG, VECTOR_DEBUG },
	{ VECTOR_ALIGNMENT_CHECK, VECTOR_ALIGNMENT_CHECK, VECTOR_ALIGNMENT_CHECK },
	{ VECTOR_INVALID_OPCODE, VECTOR_GENERAL_PROTECTION, VECTOR_GENERAL_PROTECTION },
	{ VECTOR_GENERAL_PROTECTION, VECTOR_DEBUG, VECTOR_DEBUG },
	{ VECTOR_DOUBLE_FAULT, VECTOR_GENERAL_PROTECTION, 0xff },
	{ VECTOR_DOUBLE_FAULT, VECTOR_PAGE_FAULT, 0xff },
	{ VECTOR_DOUBLE_FAULT, VECTOR_DEBUG, 0xff },
};

static bool has_error_code(u8 vector)
{
	return vector == VECTOR_GENERAL_PROTECTION || vector == VECTOR_PAGE_FAULT ||
	       vector == VECTOR_DOUBLE_FAULT || vector == VECTOR_INVALID_TSS ||
	       vector == VECTOR_SEGMENT_NOT_PRESENT || vector == VECTOR_STACK_FAULT ||
	       vector == VECTOR_ALIGNMENT_CHECK;
}

static void expect_combination(const struct vcpu_events *ev, const struct combination *c)
{
	if (c->result == 0xff) {
		EXPECT_EQ(ev->triple_fault, true);
		EXPECT_EQ(ev->exception_pending || ev->reinject_pending, false);
		return;
	}
	EXPECT_EQ(ev->triple_fault, false);
}

/*
 * Each combination, two ways: both exceptions queued by the VMM, and the second raised while
 * the CPU delivered the first (the first then comes from the exit's vectoring information).
 */
static void check_combinations(bool during_delivery)
{
	for (size_t i = 0; i < ARRAY_SIZE(combinations); i++) {
		const struct combination *c = &combinations[i];
		struct event a = event_exception(c->first, has_error_code(c->first), 0x10);
		struct event b = event_exception(c->second, has_error_code(c->second), 0x20);
		struct vcpu_events ev;
		struct event_decision d;

		snprintf(unit_label, sizeof(unit_label), "%u then %u%s", c->first, c->second,
			 during_delivery ? ", during its delivery" : ", both queued");
		event_init(&ev);
		if (during_delivery) {
			event_set_reinject(&ev, &a);
			event_exception_during_delivery(&ev, &b);
		} else {
			event_queue_exception(&ev, &a);
			event_queue_exception(&ev, &b);
		}
		expect_combination(&ev, c);
		if (c->result == 0xff)
			continue;
		/* The same delivery going on stays first in line. */
		EXPECT_EQ(ev.reinject_pending, during_delivery);
		event_decide(&ev, &open_gate, &d);
		expect_injects(&d, EVENT_EXCEPTION, c->result);
		/* A new #DF pushes an error code of 0; a second exception keeps its own. */
		if (c->result != c->second)
			EXPECT_EQ(d.event.error_code, 0);
		else if (has_error_code(c->second))
			EXPECT_EQ(d.event.error_code, 0x20);
		expect_nothing(&ev, &open_gate);
	}
}

static void test_two_pending_exceptions_combine(void **state)
{
	(void)state;
	check_combinations(false);
}

static void test_fault_during_delivery_of_an_exception_combines(void **state)
{
	(void)state;
	check_combinations(true);
}

/* CVE-2015-5307: #AC while delivering an interrupt; the interrupt is not lost. */
static void test_interrupt_cut_short_by_a_fault_is_delivered_after_it(void **state)
{
	struct vcpu_events ev;
	struct event_decision d;
	struct event x = interrupt(0x41), ac = event_exception(VECTOR_ALIGNMENT_CHECK, true, 0);
	struct event_gate masked = { false, true, -1 };

	(void)state;
	snprintf(unit_label, sizeof(unit_label), "#AC during interrupt 0x41");
	event_init(&ev);
	event_set_reinject(&ev, &x);
	event_exception_during_delivery(&ev, &ac);
	event_decide(&ev, &open_gate, &d);
	expect_injects(&d, EVENT_EXCEPTION, VECTOR_ALIGNMENT_CHECK);
	EXPECT_EQ(d.interrupt_window, true);
	/* The #AC handler runs with interrupts off: the interrupt waits for its window. */
	event_decide(&ev, &masked, &d);
	EXPECT_EQ(d.inject, false);
	EXPECT_EQ(d.interrupt_window, true);
	assert_false(event_wakes(&ev, &masked));
	event_decide(&ev, &open_gate, &d);
	expect_injects(&d, EVENT_EXTERNAL_INTERRUPT, 0x41);
	EXPECT_EQ(d.took_interrupt, false);
	expect_nothing(&ev, &open_gate);
}

static void test_nmi_cut_short_becomes_pending_again(void **state)
{
	struct vcpu_events ev;
	struct event_decision d;
	struct event nmi = { .type = EVENT_NMI, .vector = VECTOR_NMI };
	struct event db = event_exception(VECTOR_DEBUG, false, 0);

	(void)state;
	snprintf(unit_label, sizeof(unit_label), "#DB during NMI");
	event_init(&ev);
	event_set_reinject(&ev, &nmi);
	event_exception_during_delivery(&ev, &db);
	EXPECT_EQ(ev.nmi_pending, true);
	event_decide(&ev, &open_gate, &d);
	expect_injects(&d, EVENT_EXCEPTION, VECTOR_DEBUG);
	EXPECT_EQ(d.nmi_window, true);
	event_decide(&ev, &open_gate, &d);
	expect_injects(&d, EVENT_NMI, VECTOR_NMI);
}

static void test_soft_interrupt_cut_short_is_dropped(void **state)
{
	struct vcpu_events ev;
	struct event_decision d;
	struct event e = soft_interrupt(0x80, 2), ac = event_exception(VECTOR_ALIGNMENT_CHECK, true, 0);

	(void)state;
	snprintf(unit_label, sizeof(unit_label), "#AC during INT 0x80");
	event_init(&ev);
	event_set_reinject(&ev, &e);
	event_exception_during_delivery(&ev, &ac);
	event_decide(&ev, &open_gate, &d);
	expect_injects(&d, EVENT_EXCEPTION, VECTOR_ALIGNMENT_CHECK);
	expect_nothing(&ev, &open_gate);	/* INT 0x80 runs again when the guest resumes */
}

static void test_exception_without_delivery_in_progress_is_queued(void **state)
{
	struct vcpu_events ev;
	struct event_decision d;
	struct event db = event_exception(VECTOR_DEBUG, false, 0);

	(void)state;
	snprintf(unit_label, sizeof(unit_label), "plain #DB exit");
	event_init(&ev);
	db.has_payload = true;
	db.payload = 0x4001;
	event_exception_during_delivery(&ev, &db);
	event_decide(&ev, &open_gate, &d);
	expect_injects(&d, EVENT_EXCEPTION, VECTOR_DEBUG);
	EXPECT_EQ(d.event.has_payload, true);
	EXPECT_EQ(d.event.payload, 0x4001);
}

static void test_what_wakes_a_halted_vcpu(void **state)
{
	const struct event_gate with_irq = { true, true, 0x22 }, masked_irq = { false, true, 0x22 };
	const struct event_gate nmi_blocked = { true, false, -1 };
	struct vcpu_events ev;
	struct event gp = event_exception(VECTOR_GENERAL_PROTECTION, true, 0);

	(void)state;
	snprintf(unit_label, sizeof(unit_label), "wake-ups");
	event_init(&ev);
	assert_true(event_wakes(&ev, &with_irq));
	assert_false(event_wakes(&ev, &masked_irq));	/* HLT with IF=0 sleeps through it */
	event_queue_nmi(&ev);
	assert_true(event_wakes(&ev, &masked_irq));	/* but not through an NMI */
	assert_false(event_wakes(&ev, &nmi_blocked));
	event_init(&ev);
	event_queue_exception(&ev, &gp);
	assert_true(event_wakes(&ev, &nmi_blocked));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nothing_due_injects_nothing),
		cmocka_unit_test(test_reinjected_event_goes_before_a_new_exception),
		cmocka_unit_test(test_a_reinjected_soft_interrupt_keeps_its_length),
		cmocka_unit_test(test_exception_before_nmi_before_interrupt),
		cmocka_unit_test(test_what_cannot_be_taken_asks_for_a_window),
		cmocka_unit_test(test_two_pending_exceptions_combine),
		cmocka_unit_test(test_fault_during_delivery_of_an_exception_combines),
		cmocka_unit_test(test_interrupt_cut_short_by_a_fault_is_delivered_after_it),
		cmocka_unit_test(test_nmi_cut_short_becomes_pending_again),
		cmocka_unit_test(test_soft_interrupt_cut_short_is_dropped),
		cmocka_unit_test(test_exception_without_delivery_in_progress_is_queued),
		cmocka_unit_test(test_what_wakes_a_halted_vcpu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* Tests of the run queue: round-robin order, removal from anywhere, the queued flag. */
#include "tests/unit/unit.h"
#include "vmm/runq.h"

#include <stdio.h>

#define NODES 5

static void fill(struct runq *q, struct runq_node *n, u32 count)
{
	runq_init(q);
	for (u32 i = 0; i < count; i++)
		runq_push(q, &n[i], 1);
}

/* The order the nodes come off in, as indexes into n; -1 when a node is not one of them. */
static u32 drain(struct runq *q, struct runq_node *n, int *order)
{
	struct runq_node *got;
	u32 count = 0;

	while ((got = runq_pop(q)))
		order[count++] = got >= n && got < n + NODES ? (int)(got - n) : -1;
	return count;
}

static void test_empty_queue_gives_nothing(void **state)
{
	struct runq q;

	(void)state;
	runq_init(&q);
	assert_true(runq_empty(&q));
	assert_null(runq_pop(&q));
}

static void test_first_in_first_out(void **state)
{
	struct runq q;
	struct runq_node n[NODES];
	int order[NODES];

	(void)state;
	snprintf(unit_label, sizeof(unit_label), "fifo");
	fill(&q, n, NODES);
	EXPECT_EQ(q.count, NODES);
	EXPECT_EQ(drain(&q, n, order), NODES);
	for (int i = 0; i < NODES; i++)
		EXPECT_EQ(order[i], i);
	assert_true(runq_empty(&q));
}

/* A vCPU that ran goes to the back: the queue turns round. */
static void test_popped_node_pushed_back_goes_last(void **state)
{
	struct runq q;
	struct runq_node n[3];

	(void)state;
	snprintf(unit_label, sizeof(unit_label), "round robin");
	fill(&q, n, 3);
	for (int turn = 0; turn < 7; turn++) {
		struct runq_node *got = runq_pop(&q);

		EXPECT_EQ(got - n, turn % 3);
		assert_false(got->queued);
		runq_push(&q, got, 1);
	}
}

static void test_remove_from_head_middle_and_tail(void **state)
{
	static const int removed[][2] = { { 0, -1 }, { 2, -1 }, { 4, -1 }, { 1, 3 } };

	(void)state;
	for (size_t c = 0; c < sizeof(removed) / sizeof(removed[0]); c++) {
		struct runq q;
		struct runq_node n[NODES];
		int order[NODES], expected = 0;
		u32 count, left = NODES;

		snprintf(unit_label, sizeof(unit_label), "remove %d and %d", removed[c][0],
			 removed[c][1]);
		fill(&q, n, NODES);
		for (int k = 0; k < 2; k++) {
			if (removed[c][k] < 0)
				continue;
			assert_true(runq_remove(&q, &n[removed[c][k]]));
			assert_false(n[removed[c][k]].queued);
			left--;
		}
		EXPECT_EQ(q.count, left);
		count = drain(&q, n, order);
		EXPECT_EQ(count, left);
		for (u32 i = 0; i < count; i++, expected++) {
			while (expected == removed[c][0] || expected == removed[c][1])
				expected++;
			EXPECT_EQ(order[i], expected);
		}
	}
}

/* Taking off a vCPU that is not queued (it runs, or was taken already) changes nothing. */
static void test_remove_of_unqueued_node_is_refused(void **state)
{
	struct runq q;
	struct runq_node n[2];

	(void)state;
	snprintf(unit_label, sizeof(unit_label), "unqueued");
	fill(&q, n, 1);
	n[1].queued = false;
	assert_false(runq_remove(&q, &n[1]));
	assert_true(runq_remove(&q, &n[0]));
	assert_false(runq_remove(&q, &n[0]));
	EXPECT_EQ(q.count, 0);
	assert_null(runq_pop(&q));
}

/* Higher levels go first; round robin within each; a lower level waits while a higher has any. */
static void test_higher_levels_go_first_round_robin_within(void **state)
{
	static const u8 levels[NODES] = { 1, 3, 1, 0, 3 };
	static const int want[NODES] = { 1, 4, 0, 2, 3 };
	struct runq q;
	struct runq_node n[NODES];
	int order[NODES];
	(void)state;

	snprintf(unit_label, sizeof(unit_label), "levels");
	runq_init(&q);
	for (u32 i = 0; i < NODES; i++)
		runq_push(&q, &n[i], levels[i]);
	assert_true(runq_waiting_at_or_above(&q, 3));
	EXPECT_EQ(drain(&q, n, order), NODES);
	for (u32 i = 0; i < NODES; i++)
		EXPECT_EQ(order[i], want[i]);
	/* A node taken and pushed back at its level goes behind its equals only. */
	runq_push(&q, &n[0], 1);
	runq_push(&q, &n[2], 1);
	runq_push(&q, &n[3], 0);
	runq_push(&q, runq_pop(&q), 1);
	assert_ptr_equal(runq_pop(&q), &n[2]);
	assert_ptr_equal(runq_pop(&q), &n[0]);
	assert_false(runq_waiting_at_or_above(&q, 1));
	assert_true(runq_waiting_at_or_above(&q, 0));
	/* Removing from the middle of a level keeps the others' order and counts. */
	runq_push(&q, &n[1], 2);
	runq_push(&q, &n[4], 2);
	assert_true(runq_remove(&q, &n[3]));
	assert_false(runq_waiting_at_or_above(&q, 3));
	assert_true(runq_waiting_at_or_above(&q, 2));
	EXPECT_EQ(q.count, 2);
	assert_ptr_equal(runq_pop(&q), &n[1]);
	assert_ptr_equal(runq_pop(&q), &n[4]);
	assert_null(runq_pop(&q));
	assert_false(runq_waiting_at_or_above(&q, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_queue_gives_nothing),
		cmocka_unit_test(test_first_in_first_out),
		cmocka_unit_test(test_popped_node_pushed_back_goes_last),
		cmocka_unit_test(test_remove_from_head_middle_and_tail),
		cmocka_unit_test(test_remove_of_unqueued_node_is_refused),
		cmocka_unit_test(test_higher_levels_go_first_round_robin_within),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

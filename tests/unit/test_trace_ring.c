/* SPDX-License-Identifier: MIT */
/* Tests of the exit trace ring: order, wrap-around, the oldest overwritten and counted lost. */
#include "tests/unit/unit.h"
#include "vmm/trace_ring.h"

#include <stdio.h>
#include <stdlib.h>

static struct trace_ring *new_ring(u32 capacity)
{
	struct trace_ring *ring = malloc(trace_ring_bytes(capacity));

	assert_non_null(ring);
	trace_ring_init(ring, capacity);
	return ring;
}

/* Write a record whose fields all say n. */
static void push(struct trace_ring *ring, u64 n)
{
	struct trace_record *r = trace_ring_next(ring);

	*r = (struct trace_record){ .tsc = n, .rip = n * 2, .arg = (u32)n };
	trace_ring_commit(ring);
}

static void test_empty_ring_has_nothing(void **state)
{
	struct trace_ring *ring = new_ring(16);
	struct trace_record r;
	(void)state;

	EXPECT_EQ(trace_ring_total(ring), 0);
	EXPECT_EQ(trace_ring_lost(ring), 0);
	assert_null(trace_ring_newest(ring));
	assert_false(trace_ring_read(ring, 0, &r));
	free(ring);
}

static void test_records_read_back_in_order_until_full(void **state)
{
	struct trace_ring *ring = new_ring(16);
	struct trace_record r;
	(void)state;

	for (u64 n = 0; n < 16; n++)
		push(ring, n);
	EXPECT_EQ(trace_ring_total(ring), 16);
	EXPECT_EQ(trace_ring_lost(ring), 0);
	for (u64 n = 0; n < 16; n++) {
		snprintf(unit_label, sizeof(unit_label), "record %llu", (unsigned long long)n);
		assert_true(trace_ring_read(ring, n, &r));
		EXPECT_EQ(r.tsc, n);
		EXPECT_EQ(r.rip, n * 2);
	}
	assert_false(trace_ring_read(ring, 16, &r));	/* not written yet */
	EXPECT_EQ(trace_ring_newest(ring)->tsc, 15);
	free(ring);
}

static void test_a_full_ring_overwrites_the_oldest_and_counts_them_lost(void **state)
{
	struct trace_ring *ring = new_ring(16);
	struct trace_record r;
	(void)state;

	/* Several times round: the newest 16 stay, every older one is lost. */
	for (u64 n = 0; n < 16 * 5 + 3; n++)
		push(ring, n);
	EXPECT_EQ(trace_ring_total(ring), 83);
	EXPECT_EQ(trace_ring_lost(ring), 67);
	for (u64 n = 0; n < 83; n++) {
		bool kept = trace_ring_read(ring, n, &r);

		snprintf(unit_label, sizeof(unit_label), "record %llu", (unsigned long long)n);
		EXPECT_EQ(kept, n >= 67);
		if (kept)
			EXPECT_EQ(r.arg, n);
	}
	EXPECT_EQ(trace_ring_newest(ring)->tsc, 82);
	free(ring);
}

static void test_the_writer_completes_the_newest_record(void **state)
{
	struct trace_ring *ring = new_ring(16);
	struct trace_record r;
	(void)state;

	push(ring, 7);
	trace_ring_newest(ring)->took = 99;
	assert_true(trace_ring_read(ring, 0, &r));
	EXPECT_EQ(r.took, 99);
	EXPECT_EQ(r.tsc, 7);
	free(ring);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_ring_has_nothing),
		cmocka_unit_test(test_records_read_back_in_order_until_full),
		cmocka_unit_test(test_a_full_ring_overwrites_the_oldest_and_counts_them_lost),
		cmocka_unit_test(test_the_writer_completes_the_newest_record),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

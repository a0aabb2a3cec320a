/* SPDX-License-Identifier: MIT */
/* Tests of the ring of keys typed for a VM: order, wrap-around, a full ring drops new keys. */
#include "tests/unit/unit.h"
#include "vmm/input_ring.h"

#include <stdio.h>

static void test_empty_ring_gives_nothing(void **state)
{
	struct input_ring r;
	(void)state;

	input_ring_init(&r);
	assert_int_equal(input_ring_pop(&r), -1);
}

static void test_bytes_come_out_in_order_across_the_wrap(void **state)
{
	struct input_ring r;
	u32 next_in = 0, next_out = 0;
	(void)state;

	input_ring_init(&r);
	/* Push 5 and pop 3, many times: the ring's start goes round it several times. */
	for (int round = 0; round < 100; round++) {
		for (int i = 0; i < 5 && r.count < INPUT_RING_SIZE; i++)
			assert_true(input_ring_push(&r, (u8)next_in++));
		for (int i = 0; i < 3; i++) {
			snprintf(unit_label, sizeof(unit_label), "round %d", round);
			EXPECT_EQ(input_ring_pop(&r), (u8)next_out++);
		}
	}
	while (r.count)
		EXPECT_EQ(input_ring_pop(&r), (u8)next_out++);
	EXPECT_EQ(next_out, next_in);
	EXPECT_EQ(r.dropped, 0);
	/* Every byte value comes through, 0 and 0xff too. */
	assert_true(input_ring_push(&r, 0));
	assert_true(input_ring_push(&r, 0xff));
	assert_int_equal(input_ring_pop(&r), 0);
	assert_int_equal(input_ring_pop(&r), 0xff);
}

static void test_full_ring_drops_new_bytes_and_counts_them(void **state)
{
	struct input_ring r;
	(void)state;

	input_ring_init(&r);
	for (u32 i = 0; i < INPUT_RING_SIZE; i++)
		assert_true(input_ring_push(&r, (u8)i));
	assert_false(input_ring_push(&r, 0xaa));
	assert_false(input_ring_push(&r, 0xbb));
	EXPECT_EQ(r.dropped, 2);
	for (u32 i = 0; i < INPUT_RING_SIZE; i++)
		EXPECT_EQ(input_ring_pop(&r), i);	/* the oldest kept, the newest dropped */
	assert_int_equal(input_ring_pop(&r), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_ring_gives_nothing),
		cmocka_unit_test(test_bytes_come_out_in_order_across_the_wrap),
		cmocka_unit_test(test_full_ring_drops_new_bytes_and_counts_them),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* Tests of the pending-vector set: highest first, the task-priority class, taking vectors. */
#include "tests/unit/unit.h"
#include "vmm/vector_set.h"

#include <stdio.h>

static void test_empty_set_has_nothing(void **state)
{
	struct vector_set s = { { 0 } };

	(void)state;
	snprintf(unit_label, sizeof(unit_label), "empty");
	assert_false(vector_set_any(&s));
	EXPECT_EQ(vector_set_highest(&s, 0), (u64)-1);
	assert_false(vector_set_take(&s, 0x40));
}

/* Every vector lands in its own bit: each one, alone, is the highest. */
static void test_each_vector_alone_is_the_highest(void **state)
{
	(void)state;
	for (int vector = 32; vector < 256; vector++) {
		struct vector_set s = { { 0 } };

		snprintf(unit_label, sizeof(unit_label), "vector %#x", vector);
		vector_set_raise(&s, (u8)vector);
		assert_true(vector_set_any(&s));
		EXPECT_EQ(vector_set_highest(&s, 0), vector);
		assert_true(vector_set_take(&s, (u8)vector));
		assert_false(vector_set_any(&s));
	}
}

static void test_highest_first_across_words(void **state)
{
	static const u8 raised[] = { 0x21, 0x7f, 0x80, 0x3f, 0xfe, 0x40 };
	static const u8 taken[] = { 0xfe, 0x80, 0x7f, 0x40, 0x3f, 0x21 };
	struct vector_set s = { { 0 } };

	(void)state;
	for (size_t i = 0; i < sizeof(raised); i++)
		vector_set_raise(&s, raised[i]);
	vector_set_raise(&s, 0x7f);	/* raised twice: pending once, as in an IRR */
	for (size_t i = 0; i < sizeof(taken); i++) {
		snprintf(unit_label, sizeof(unit_label), "take %zu", i);
		EXPECT_EQ(vector_set_highest(&s, 0), taken[i]);
		assert_true(vector_set_take(&s, taken[i]));
	}
	assert_false(vector_set_any(&s));
}

/*
 * SDM Vol. 3A 11.8.3.1: an interrupt is delivered only when its priority class is above the
 * task priority class. Below, the highest is held back, and lower vectors with it.
 */
static void test_task_priority_holds_back_low_classes(void **state)
{
	static const struct {
		u8 vector, tpr;
		bool deliverable;
	} cases[] = {
		{ 0x40, 0, true }, { 0x40, 3, true }, { 0x40, 4, false }, { 0x4f, 4, false },
		{ 0x50, 4, true }, { 0xff, 14, true }, { 0xff, 15, false }, { 0x20, 1, true },
		{ 0x2f, 2, false },
	};

	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct vector_set s = { { 0 } };

		snprintf(unit_label, sizeof(unit_label), "vector %#x at TPR %u", cases[c].vector,
			 cases[c].tpr);
		vector_set_raise(&s, cases[c].vector);
		EXPECT_EQ(vector_set_highest(&s, cases[c].tpr),
			  cases[c].deliverable ? cases[c].vector : (u64)-1);
		assert_true(vector_set_any(&s));	/* held back, not lost */
	}
}

static void test_a_high_vector_masked_hides_lower_ones(void **state)
{
	struct vector_set s = { { 0 } };

	(void)state;
	snprintf(unit_label, sizeof(unit_label), "masked highest");
	vector_set_raise(&s, 0x90);
	vector_set_raise(&s, 0x30);
	EXPECT_EQ(vector_set_highest(&s, 9), (u64)-1);
	EXPECT_EQ(vector_set_highest(&s, 2), 0x90);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_set_has_nothing),
		cmocka_unit_test(test_each_vector_alone_is_the_highest),
		cmocka_unit_test(test_highest_first_across_words),
		cmocka_unit_test(test_task_priority_holds_back_low_classes),
		cmocka_unit_test(test_a_high_vector_masked_hides_lower_ones),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

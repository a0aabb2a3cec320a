/* SPDX-License-Identifier: MIT */
/*
 * Tests of KVM's paravirtual clock records: the TSC scale, checked by the guest's own sums
 * (Linux's pvclock_scale_delta and pvclock_tsc_khz, written out here), and the records' fields.
 */
#include "tests/unit/unit.h"
#include "vmm/pvclock.h"

#include <stddef.h>
#include <stdio.h>

/* TSC rates seen here and elsewhere: Bochs at 10 M and 100 M, QEMU -icount, hosts. */
static const u64 rates[] = { 10000000, 100000000, 999999000, 1000000000, 2455000000ULL,
			     2702283000ULL, 3700000000ULL, 5000000000ULL };

/* What a Linux guest computes from the record: ns for a TSC delta. */
static u64 guest_ns(const struct pvclock_vcpu_time_info *t, u64 delta)
{
	unsigned __int128 shifted = t->tsc_shift < 0 ? delta >> -t->tsc_shift
						    : (unsigned __int128)delta << t->tsc_shift;

	return (u64)((shifted * t->tsc_to_system_mul) >> 32);
}

/* And the TSC's frequency in kHz, as Linux's pvclock_tsc_khz() takes it. */
static u64 guest_tsc_khz(const struct pvclock_vcpu_time_info *t)
{
	u64 khz = (1000000ULL << 32) / t->tsc_to_system_mul;

	return t->tsc_shift < 0 ? khz << -t->tsc_shift : khz >> t->tsc_shift;
}

static void test_the_scale_is_normalized_and_right_to_a_part_per_billion(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(rates); i++) {
		struct pvclock_scale s = pvclock_scale_for(rates[i]);
		struct pvclock_vcpu_time_info t;
		u64 second, hour;

		snprintf(unit_label, sizeof(unit_label), "%llu Hz", (unsigned long long)rates[i]);
		pvclock_fill_time(&t, &s, 0, 0);
		assert_true(s.mul >= 1u << 31);
		/* A second of ticks is a second, within a ns or two; an hour within 4 us. */
		second = guest_ns(&t, rates[i]);
		assert_true(second >= 999999998 && second <= 1000000000);
		hour = guest_ns(&t, rates[i] * 3600);
		assert_true(hour >= 3600000000000ULL - 4000 && hour <= 3600000000000ULL);
		/* Linux reads the frequency back to within a kHz (it truncates). */
		assert_true(guest_tsc_khz(&t) + 1 >= rates[i] / 1000 &&
			    guest_tsc_khz(&t) <= rates[i] / 1000 + 1);
	}
}

static void test_the_time_record_has_the_abi_layout_and_fields(void **state)
{
	struct pvclock_scale s = pvclock_scale_for(1000000000);
	struct pvclock_vcpu_time_info t;

	(void)state;
	EXPECT_EQ(offsetof(struct pvclock_vcpu_time_info, tsc_timestamp), 8);
	EXPECT_EQ(offsetof(struct pvclock_vcpu_time_info, system_time), 16);
	EXPECT_EQ(offsetof(struct pvclock_vcpu_time_info, tsc_to_system_mul), 24);
	EXPECT_EQ(offsetof(struct pvclock_vcpu_time_info, tsc_shift), 28);
	EXPECT_EQ(offsetof(struct pvclock_vcpu_time_info, flags), 29);
	memset(&t, 0xff, sizeof(t));
	pvclock_fill_time(&t, &s, 123456789, 42);
	EXPECT_EQ(t.version % 2, 0);
	EXPECT_EQ(t.tsc_timestamp, 123456789);
	EXPECT_EQ(t.system_time, 42);
	EXPECT_EQ(t.tsc_to_system_mul, 1u << 31);
	EXPECT_EQ(t.tsc_shift, 1);
	EXPECT_EQ(t.flags, PVCLOCK_TSC_STABLE_BIT);
	EXPECT_EQ(t.pad0 | t.pad[0] | t.pad[1], 0);
}

static void test_the_wall_clock_splits_seconds_and_nanoseconds(void **state)
{
	struct pvclock_wall_clock w;

	(void)state;
	memset(&w, 0xff, sizeof(w));
	pvclock_fill_wall_clock(&w, 1796601600ULL * 1000000000ULL + 999999999);
	EXPECT_EQ(w.version % 2, 0);
	EXPECT_EQ(w.sec, 1796601600);
	EXPECT_EQ(w.nsec, 999999999);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_scale_is_normalized_and_right_to_a_part_per_billion),
		cmocka_unit_test(test_the_time_record_has_the_abi_layout_and_fields),
		cmocka_unit_test(test_the_wall_clock_splits_seconds_and_nanoseconds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

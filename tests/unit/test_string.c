/* SPDX-License-Identifier: MIT */
/* Host unit tests of Vireo's own string helpers: bounded copy, prefix test and number parsing. */
#include "tests/unit/unit.h"
#include "kernel/string.h"
#include "kernel/errno.h"

#define SENTINEL 0x5a

/* --- str_copy ------------------------------------------------------------------------------ */

struct copy_case {
	const char *src;
	size_t size;
	const char *expected;	/* what dst holds afterwards */
};

static void test_str_copy_copies_or_truncates_and_terminates(void **state)
{
	static const struct copy_case cases[] = {
		{ "vireo", 16, "vireo" },
		{ "vireo", 6, "vireo" },	/* exactly fits with its NUL */
		{ "vireo", 5, "vire" },
		{ "vireo", 2, "v" },
		{ "vireo", 1, "" },
		{ "", 1, "" },
		{ "", 8, "" },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct copy_case *c = &cases[i];
		char dst[32];

		memset(dst, SENTINEL, sizeof(dst));
		assert_int_equal(str_copy(dst, c->src, c->size), strlen(c->src));
		assert_string_equal(dst, c->expected);
		/* Nothing at or after dst[size] is touched. */
		for (size_t j = c->size; j < sizeof(dst); j++)
			assert_int_equal((u8)dst[j], SENTINEL);
	}
}

static void test_str_copy_result_reports_truncation(void **state)
{
	char dst[4];
	(void)state;

	assert_true(str_copy(dst, "abc", sizeof(dst)) < sizeof(dst));
	assert_true(str_copy(dst, "abcd", sizeof(dst)) >= sizeof(dst));
	assert_string_equal(dst, "abc");
}

static void test_str_copy_size_zero_writes_nothing(void **state)
{
	char dst[4];
	(void)state;

	memset(dst, SENTINEL, sizeof(dst));
	assert_int_equal(str_copy(dst, "hello", 0), 5);
	for (size_t j = 0; j < sizeof(dst); j++)
		assert_int_equal((u8)dst[j], SENTINEL);
}

/* --- str_starts_with ----------------------------------------------------------------------- */

struct prefix_case {
	const char *s;
	const char *prefix;
	bool expected;
};

static void test_str_starts_with_compares_whole_prefix(void **state)
{
	static const struct prefix_case cases[] = {
		{ "loglevel=3", "loglevel=", true },
		{ "loglevel", "loglevel", true },
		{ "anything", "", true },
		{ "", "", true },
		{ "", "a", false },
		{ "log", "loglevel", false },	/* prefix longer than the string */
		{ "loglevel", "Log", false },	/* case matters */
		{ "smp=2", "smq", false },
		{ "xsmp", "smp", false },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		if (str_starts_with(cases[i].s, cases[i].prefix) != cases[i].expected)
			fail_msg("str_starts_with(\"%s\", \"%s\") should be %d", cases[i].s,
				 cases[i].prefix, cases[i].expected);
	}
}

/* --- str_to_u64 and str_to_size ------------------------------------------------------------- */

typedef int (*parse_fn)(const char *s, size_t len, u64 *out);

struct parse_case {
	const char *s;
	int rc;
	u64 value;	/* only when rc == 0 */
};

/*
 * Run each case on a copy of exactly strlen(s) bytes with no terminating NUL, so ASan catches a
 * parser that reads past len.
 */
static void check_parse_cases(const char *name, parse_fn parse, const struct parse_case *cases,
			      size_t count)
{
	for (size_t i = 0; i < count; i++) {
		const struct parse_case *c = &cases[i];
		size_t len = strlen(c->s);
		char *copy = malloc(len ? len : 1);
		u64 out = 0xdeadbeef;
		int rc;

		assert_non_null(copy);
		memcpy(copy, c->s, len);
		rc = parse(copy, len, &out);
		free(copy);
		if (rc != c->rc)
			fail_msg("%s(\"%s\") returned %d, want %d", name, c->s, rc, c->rc);
		if (rc == 0 && out != c->value)
			fail_msg("%s(\"%s\") gave %llu, want %llu", name, c->s, out, c->value);
	}
}

static void test_str_to_u64_parses_decimal_and_hex(void **state)
{
	static const struct parse_case cases[] = {
		{ "0", 0, 0 },
		{ "7", 0, 7 },
		{ "4096", 0, 4096 },
		{ "007", 0, 7 },
		{ "0x0", 0, 0 },
		{ "0x1f", 0, 0x1f },
		{ "0X1F", 0, 0x1f },
		{ "0xDeadBeef", 0, 0xdeadbeef },
		{ "18446744073709551615", 0, UINT64_MAX },
		{ "0xffffffffffffffff", 0, UINT64_MAX },
		{ "0x0000000000000000000001", 0, 1 },	/* leading zeros are not overflow */
	};
	(void)state;

	check_parse_cases("str_to_u64", str_to_u64, cases, ARRAY_SIZE(cases));
}

static void test_str_to_u64_rejects_junk_and_overflow(void **state)
{
	static const struct parse_case cases[] = {
		{ "", -EINVAL, 0 },
		{ "0x", -EINVAL, 0 },
		{ "x10", -EINVAL, 0 },
		{ "12a", -EINVAL, 0 },		/* hex digit without the prefix */
		{ "0xfg", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ "+1", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 },
		{ "1 ", -EINVAL, 0 },
		{ "1.5", -EINVAL, 0 },
		{ "18446744073709551616", -EINVAL, 0 },
		{ "99999999999999999999", -EINVAL, 0 },
		{ "0x10000000000000000", -EINVAL, 0 },
	};
	(void)state;

	check_parse_cases("str_to_u64", str_to_u64, cases, ARRAY_SIZE(cases));
}

static void test_str_to_u64_reads_only_len_bytes(void **state)
{
	u64 out = 0;
	(void)state;

	assert_int_equal(str_to_u64("123abc", 3, &out), 0);
	assert_int_equal(out, 123);
	assert_int_equal(str_to_u64("0x1fzz", 4, &out), 0);
	assert_int_equal(out, 0x1f);
	assert_int_equal(str_to_u64("42", 0, &out), -EINVAL);
}

static void test_str_to_size_applies_unit_suffixes(void **state)
{
	static const struct parse_case cases[] = {
		{ "4096", 0, 4096 },
		{ "0", 0, 0 },
		{ "0K", 0, 0 },
		{ "512K", 0, 512 * KiB },
		{ "512k", 0, 512 * KiB },
		{ "64M", 0, 64 * MiB },
		{ "64m", 0, 64 * MiB },
		{ "2G", 0, 2 * GiB },
		{ "2g", 0, 2 * GiB },
		{ "0x10M", 0, 16 * MiB },
		{ "0xB", 0, 11 },		/* a hex digit, not a unit */
		{ "18446744073709551615", 0, UINT64_MAX },
		/* The largest whole number of GiB. */
		{ "17179869183G", 0, 17179869183ULL * GiB },
	};
	(void)state;

	check_parse_cases("str_to_size", str_to_size, cases, ARRAY_SIZE(cases));
}

static void test_str_to_size_rejects_junk_and_overflow(void **state)
{
	static const struct parse_case cases[] = {
		{ "", -EINVAL, 0 },
		{ "K", -EINVAL, 0 },
		{ "M", -EINVAL, 0 },
		{ "1T", -EINVAL, 0 },
		{ "1KB", -EINVAL, 0 },
		{ "1KK", -EINVAL, 0 },
		{ "K1", -EINVAL, 0 },
		{ "1 M", -EINVAL, 0 },
		{ "-1M", -EINVAL, 0 },
		{ "0xM", -EINVAL, 0 },
		{ "17179869184G", -EINVAL, 0 },		/* 2^64 bytes */
		{ "18014398509481984K", -EINVAL, 0 },	/* 2^64 bytes */
		{ "18446744073709551616", -EINVAL, 0 },
	};
	(void)state;

	check_parse_cases("str_to_size", str_to_size, cases, ARRAY_SIZE(cases));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_str_copy_copies_or_truncates_and_terminates),
		cmocka_unit_test(test_str_copy_result_reports_truncation),
		cmocka_unit_test(test_str_copy_size_zero_writes_nothing),
		cmocka_unit_test(test_str_starts_with_compares_whole_prefix),
		cmocka_unit_test(test_str_to_u64_parses_decimal_and_hex),
		cmocka_unit_test(test_str_to_u64_rejects_junk_and_overflow),
		cmocka_unit_test(test_str_to_u64_reads_only_len_bytes),
		cmocka_unit_test(test_str_to_size_applies_unit_suffixes),
		cmocka_unit_test(test_str_to_size_rejects_junk_and_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

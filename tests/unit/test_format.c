/* SPDX-License-Identifier: MIT */
/* Host unit tests of the kernel's bounded printf-style formatter and its byte-size printer. */
#include "tests/unit/unit.h"
#include "kernel/format.h"

#include <limits.h>
#include <stdio.h>

#define SENTINEL 0x5a

/*
 * Format into a roomy buffer through format_v and check both the text and the returned length.
 * Tables pass their formats as variables, which leaves their argument types unchecked by the
 * compiler; every table row takes exactly the argument type its conversion reads.
 */
static __printf(2, 3) void expect_format(const char *expected, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	memset(buf, SENTINEL, sizeof(buf));
	va_start(ap, fmt);
	n = format_v(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (strcmp(buf, expected) != 0)
		fail_msg("format(\"%s\") gave \"%s\", want \"%s\"", fmt, buf, expected);
	if (n != (int)strlen(expected))
		fail_msg("format(\"%s\") returned %d, want %zu", fmt, n, strlen(expected));
}

/* --- conversions, flags, width, precision, length -------------------------------------------- */

static void test_every_conversion_prints_its_argument(void **state)
{
	(void)state;

	expect_format("no conversion", "no conversion");
	expect_format("42", "%d", 42);
	expect_format("-42", "%i", -42);
	expect_format("4000000000", "%u", 4000000000u);
	expect_format("beef", "%x", 0xbeefu);
	expect_format("BEEF", "%X", 0xbeefu);
	expect_format("17", "%o", 15u);
	expect_format("v", "%c", 'v');
	expect_format("vireo", "%s", "vireo");
	expect_format("100%", "100%%");
	expect_format("a=1 b=two c=0x3f%", "a=%d b=%s c=%#x%%", 1, "two", 0x3fu);
}

/* The kernel's %p is fixed-width: 0x and all 16 hex digits, so addresses line up in logs. */
static void test_pointer_prints_sixteen_hex_digits(void **state)
{
	(void)state;

	expect_format("0x0000000000001234", "%p", (void *)0x1234);
	expect_format("0xffff800000000000", "%p", (void *)0xffff800000000000ULL);
	expect_format("0x0000000000000000", "%p", (void *)NULL);
	expect_format("[0x00000000000000ff]", "[%p]", (void *)0xff);
}

static void test_flags_change_sign_padding_and_prefix(void **state)
{
	(void)state;

	expect_format("42   |", "%-5d|", 42);
	expect_format("00042", "%05d", 42);
	expect_format("-0042", "%05d", -42);
	expect_format("+42", "%+d", 42);
	expect_format("-42", "%+d", -42);
	expect_format("+0", "%+d", 0);
	expect_format(" 42", "% d", 42);
	expect_format("-42", "% d", -42);
	expect_format("0xff", "%#x", 0xffu);
	expect_format("0XFF", "%#X", 0xffu);
	expect_format("017", "%#o", 15u);
	expect_format("0", "%#o", 0u);
	expect_format("0x00ff", "%#06x", 0xffu);	/* zeros go after the prefix */
	expect_format("+0042", "%+05d", 42);
	expect_format(" 0042", "% 05d", 42);
	expect_format("ab   |", "%-5s|", "ab");
	expect_format("x  |", "%-3c|", 'x');
}

static void test_width_and_precision(void **state)
{
	(void)state;

	expect_format("   42", "%5d", 42);
	expect_format("123456", "%3d", 123456);	/* width is a minimum */
	expect_format("00042", "%.5d", 42);
	expect_format("-00042", "%.5d", -42);
	expect_format("  00042", "%7.5d", 42);
	expect_format("000ff", "%.5x", 0xffu);
	expect_format("0x000ff", "%#.5x", 0xffu);
	expect_format("vir", "%.3s", "vireo");
	expect_format("  vir", "%5.3s", "vireo");
	expect_format("vireo", "%.10s", "vireo");
	expect_format("", "%.0s", "vireo");
	expect_format("     ", "%5.0s", "vireo");
	expect_format("    x", "%5c", 'x');
	/* A precision with no digits is zero. */
	expect_format("", "%.s", "vireo");
}

static void test_star_takes_width_and_precision_from_arguments(void **state)
{
	(void)state;

	expect_format("   42", "%*d", 5, 42);
	expect_format("42   |", "%-*d|", 5, 42);
	expect_format("42   |", "%*d|", -5, 42);	/* a negative width means '-' */
	expect_format("00042", "%.*d", 5, 42);
	expect_format("42", "%.*d", -3, 42);		/* a negative precision means none */
	expect_format("00042", "%0*d", 5, 42);
	expect_format("vi", "%.*s", 2, "vireo");
	expect_format("vireo", "%.*s", -1, "vireo");
	expect_format("   vi|", "%*.*s|", 5, 2, "vireo");
	expect_format("a    b", "a%*sb", 4, "");
	/* '*' must consume exactly one argument each, in order. */
	expect_format("[  7][8  ][09]", "[%*d][%-*d][%.*d]", 3, 7, 3, 8, 2, 9);
}

static void test_length_modifiers_select_the_argument_type(void **state)
{
	(void)state;

	expect_format("44", "%hhd", 300);
	expect_format("-1", "%hhd", 255);
	expect_format("255", "%hhu", 511);
	expect_format("ff", "%hhx", -1);
	expect_format("4464", "%hd", 70000);
	expect_format("-32768", "%hd", 32768);
	expect_format("65535", "%hu", -1);
	expect_format("-9223372036854775808", "%ld", LONG_MIN);
	expect_format("18446744073709551615", "%lu", ULONG_MAX);
	expect_format("9223372036854775807", "%lld", LLONG_MAX);
	expect_format("18446744073709551615", "%llu", ULLONG_MAX);
	expect_format("ffffffffffffffff", "%llx", ULLONG_MAX);
	expect_format("1777777777777777777777", "%llo", ULLONG_MAX);
	expect_format("18446744073709551615", "%zu", SIZE_MAX);
	expect_format("1000", "%zx", (size_t)4096);
	expect_format("-5", "%zd", (size_t)-5);
	expect_format("4294967295", "%u", UINT_MAX);
	/* A plain int conversion reads only an int. */
	expect_format("-1 7", "%d %d", -1, 7);
}

static void test_negative_numbers_including_the_most_negative(void **state)
{
	(void)state;

	expect_format("-2147483648", "%d", INT_MIN);
	expect_format("-9223372036854775808", "%lld", LLONG_MIN);
	expect_format("-9223372036854775808", "%lli", LLONG_MIN);
	expect_format("  -9223372036854775808", "%22lld", LLONG_MIN);
	expect_format("-009223372036854775808", "%022lld", LLONG_MIN);
	expect_format("-128", "%hhd", -128);
	expect_format("-32768", "%hd", -32768);
	expect_format("-1", "%lld", -1LL);
	expect_format("-7   |", "%-5d|", -7);
}

static void test_zero_with_precision_zero_prints_no_digits(void **state)
{
	(void)state;

	expect_format("", "%.0d", 0);
	expect_format("[]", "[%.0u]", 0u);
	expect_format("", "%.0x", 0u);
	expect_format("     ", "%5.0d", 0);
	expect_format("+", "%+.0d", 0);
	expect_format("0", "%#.0o", 0u);	/* '#' forces octal's leading zero */
	expect_format("1", "%.0d", 1);
	expect_format("0", "%.1d", 0);
	expect_format("0", "%d", 0);
}

/* A NULL string argument prints as "(null)", padded like any string. */
static void test_null_string_prints_null(void **state)
{
	const char *volatile null_str = NULL;	/* volatile: hide it from -Wformat-overflow */
	(void)state;

	expect_format("(null)", "%s", null_str);
	expect_format("  (null)|", "%8s|", null_str);
	expect_format("(null)  |", "%-8s|", null_str);
}

/*
 * Formats C defines but the compiler warns about, so they come from a table: flags that cancel
 * others, and an empty format.
 */
static void test_overridden_flags_and_empty_format(void **state)
{
	static const struct {
		const char *fmt;
		const char *expected;
	} cases[] = {
		{ "", "" },
		{ "%+ d", "+42" },	/* '+' wins over ' ' */
		{ "% +d", "+42" },
		{ "%-05d|", "42   |" },	/* '-' overrides '0' */
		{ "%0-5d|", "42   |" },
		{ "%07.3d", "    042" },	/* a precision turns '0' off */
		{ "%08.3x", "     02a" },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		expect_format(cases[i].expected, cases[i].fmt, 42);
}

/* Unknown conversions are not errors: the text is shown as written and no argument is used. */
static void test_unknown_conversion_is_copied_literally(void **state)
{
	static const struct {
		const char *fmt;
		const char *expected;
	} cases[] = {
		{ "%q", "%q" },
		{ "a%qb", "a%qb" },
		{ "%5q", "%5q" },
		{ "%-08.3lq", "%-08.3lq" },
		{ "%llq", "%llq" },
		{ "%", "%" },
		{ "100%", "100%" },
		{ "%-", "%-" },
		{ "%5", "%5" },
		{ "%.3", "%.3" },
		{ "%ll", "%ll" },
		{ "%q%d", "%q7" },	/* the argument goes to the next conversion */
		{ "%d%q", "7%q" },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		expect_format(cases[i].expected, cases[i].fmt, 7);
}

/* --- truncation ----------------------------------------------------------------------------- */

static void test_truncation_reports_full_length(void **state)
{
	char buf[16];
	(void)state;

	memset(buf, SENTINEL, sizeof(buf));
	assert_int_equal(format(buf, 5, "hello %s", "world"), 11);
	assert_string_equal(buf, "hell");
	for (size_t i = 5; i < sizeof(buf); i++)
		assert_int_equal((u8)buf[i], SENTINEL);

	assert_int_equal(format(buf, 4, "%8d", 42), 8);
	assert_string_equal(buf, "   ");
	assert_int_equal(format(buf, 1, "%d", 12345), 5);
	assert_string_equal(buf, "");
	assert_int_equal(format(buf, 6, "%s", "12345"), 5);	/* just fits: not truncated */
	assert_string_equal(buf, "12345");
}

static void test_size_zero_writes_nothing(void **state)
{
	char buf[8];
	(void)state;

	memset(buf, SENTINEL, sizeof(buf));
	assert_int_equal(format(buf, 0, "%s-%d", "abc", 12), 6);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal((u8)buf[i], SENTINEL);
}

/* Cut the same output at every buffer size and compare with the host's snprintf. */
static void test_truncation_matches_snprintf_at_every_size(void **state)
{
	const char *fmt = "%-6s|%+05d|%#x|%c|%%";
	char want_full[64];
	int len = snprintf(want_full, sizeof(want_full), fmt, "ab", 42, 255u, 'z');
	(void)state;

	for (size_t size = 0; size <= (size_t)len + 1; size++) {
		char got[64], want[64];

		memset(got, SENTINEL, sizeof(got));
		memset(want, SENTINEL, sizeof(want));
		assert_int_equal(format(got, size, fmt, "ab", 42, 255u, 'z'), len);
		snprintf(want, size, fmt, "ab", 42, 255u, 'z');
		assert_memory_equal(got, want, sizeof(got));
	}
}

/* A caller measuring first with size 0, then formatting into exactly enough room. */
static __printf(1, 2) char *format_alloc(const char *fmt, ...)
{
	va_list ap, again;
	char *buf;
	int n;

	va_start(ap, fmt);
	va_copy(again, ap);
	n = format_v(NULL, 0, fmt, ap);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(format_v(buf, (size_t)n + 1, fmt, again), n);
	va_end(again);
	va_end(ap);
	return buf;
}

static void test_format_v_measures_then_fills_exact_buffer(void **state)
{
	char *s = format_alloc("cpu %u: %s at %#llx", 3u, "ready", 0x1000ULL);
	(void)state;

	assert_string_equal(s, "cpu 3: ready at 0x1000");
	free(s);
}

/* --- agreement with the host's snprintf ---------------------------------------------------- */

typedef int (*printer_fn)(char *buf, size_t size, const char *fmt, ...);

/* Pass v as the type the length modifier names, signed or not. */
static int print_integer(printer_fn print, char *buf, size_t size, const char *fmt,
			 const char *length, bool is_signed, long long v)
{
	if (strcmp(length, "l") == 0)
		return is_signed ? print(buf, size, fmt, (long)v) :
				   print(buf, size, fmt, (unsigned long)v);
	if (strcmp(length, "ll") == 0)
		return is_signed ? print(buf, size, fmt, v) :
				   print(buf, size, fmt, (unsigned long long)v);
	if (strcmp(length, "z") == 0)
		return print(buf, size, fmt, (size_t)v);
	/* hh, h and none all take a promoted int. */
	return is_signed ? print(buf, size, fmt, (int)v) : print(buf, size, fmt, (unsigned int)v);
}

/* Compare one output of format with snprintf's; print a difference. */
static bool outputs_agree(const char *fmt, const char *arg, const char *got, int n_got,
			  const char *want, int n_want)
{
	if (n_got == n_want && strcmp(got, want) == 0)
		return true;
	print_error("  %-12s %21s: format \"%s\" (%d), snprintf \"%s\" (%d)\n", fmt, arg, got,
		    n_got, want, n_want);
	return false;
}

static bool same_as_snprintf(const char *fmt, const char *length, bool is_signed, long long v)
{
	char got[128], want[128], arg[24];
	int n_got = print_integer(format, got, sizeof(got), fmt, length, is_signed, v);
	int n_want = print_integer(snprintf, want, sizeof(want), fmt, length, is_signed, v);

	snprintf(arg, sizeof(arg), "%lld", v);
	return outputs_agree(fmt, arg, got, n_got, want, n_want);
}

static void test_integers_match_host_snprintf(void **state)
{
	static const char *const flags[] = {
		"", "-", "0", "+", " ", "#", "-0", "+0", " 0", "#0", "-+", "#-", "+ ", "#+0",
	};
	static const char *const widths[] = { "", "1", "5", "12", "05", ".0", ".1", ".4", "8.3" };
	static const char *const lengths[] = { "hh", "h", "", "l", "ll", "z" };
	static const char convs[] = "diuxXo";
	static const long long values[] = {
		0, 1, -1, 7, 8, 255, -128, 4096, 0x7fffffff, -300000, LLONG_MAX, LLONG_MIN,
	};
	unsigned mismatches = 0, runs = 0;
	(void)state;

	for (size_t f = 0; f < ARRAY_SIZE(flags); f++)
	for (size_t w = 0; w < ARRAY_SIZE(widths); w++)
	for (size_t l = 0; l < ARRAY_SIZE(lengths); l++)
	for (size_t c = 0; c < sizeof(convs) - 1; c++) {
		bool is_signed = convs[c] == 'd' || convs[c] == 'i';
		char fmt[32];

		/* C leaves '#' undefined for decimal conversions. */
		if (strchr(flags[f], '#') && (is_signed || convs[c] == 'u'))
			continue;
		snprintf(fmt, sizeof(fmt), "%%%s%s%s%c", flags[f], widths[w], lengths[l],
			 convs[c]);
		for (size_t v = 0; v < ARRAY_SIZE(values); v++) {
			runs++;
			if (!same_as_snprintf(fmt, lengths[l], is_signed, values[v]) &&
			    ++mismatches >= 40)
				fail_msg("%u of %u conversions differ from snprintf (stopped)",
					 mismatches, runs);
		}
	}
	if (mismatches)
		fail_msg("%u of %u conversions differ from snprintf", mismatches, runs);
}

static void test_strings_and_chars_match_host_snprintf(void **state)
{
	static const char *const flags[] = { "", "-" };
	static const char *const widths[] = { "", "1", "2", "3", "10" };
	static const char *const precisions[] = { "", ".", ".0", ".2", ".5", ".10" };
	static const char *const strings[] = { "", "a", "vireo", "hypervisor" };
	unsigned mismatches = 0;
	(void)state;

	for (size_t f = 0; f < ARRAY_SIZE(flags); f++)
	for (size_t w = 0; w < ARRAY_SIZE(widths); w++) {
		char fmt[32], got[64], want[64];
		int n_got, n_want;

		for (size_t p = 0; p < ARRAY_SIZE(precisions); p++)
		for (size_t s = 0; s < ARRAY_SIZE(strings); s++) {
			snprintf(fmt, sizeof(fmt), "|%%%s%s%ss|", flags[f], widths[w],
				 precisions[p]);
			n_got = format(got, sizeof(got), fmt, strings[s]);
			n_want = snprintf(want, sizeof(want), fmt, strings[s]);
			mismatches += !outputs_agree(fmt, strings[s], got, n_got, want, n_want);
		}
		snprintf(fmt, sizeof(fmt), "|%%%s%sc|", flags[f], widths[w]);
		n_got = format(got, sizeof(got), fmt, 'q');
		n_want = snprintf(want, sizeof(want), fmt, 'q');
		mismatches += !outputs_agree(fmt, "'q'", got, n_got, want, n_want);
	}
	assert_int_equal(mismatches, 0);
}

/*
 * C semantics the table above also covers, one behaviour per test so a failure names it:
 * '+' and ' ' only apply to signed conversions, '#' adds no 0x to a zero, and '#' with octal
 * only adds a zero when the digits do not already start with one.
 */
struct text_case {
	const char *fmt;
	const char *expected;
};

static void expect_cases_with(const struct text_case *cases, size_t count, unsigned value)
{
	for (size_t i = 0; i < count; i++)
		expect_format(cases[i].expected, cases[i].fmt, value);
}

static void test_plus_and_space_flags_ignored_for_unsigned(void **state)
{
	static const struct text_case cases[] = {
		{ "%+u", "5" }, { "% u", "5" }, { "%+x", "5" }, { "% X", "5" }, { "%+o", "5" },
		{ "%+5u", "    5" },
	};
	(void)state;

	expect_cases_with(cases, ARRAY_SIZE(cases), 5u);
}

static void test_alt_hex_of_zero_has_no_prefix(void **state)
{
	static const struct text_case cases[] = {
		{ "%#x", "0" }, { "%#X", "0" }, { "%#5x", "    0" }, { "%#05x", "00000" },
		{ "%#.3x", "000" }, { "%#.0x", "" },
	};
	(void)state;

	expect_cases_with(cases, ARRAY_SIZE(cases), 0u);
}

static void test_alt_octal_with_precision_adds_no_extra_zero(void **state)
{
	static const struct text_case cases[] = {
		{ "%#.3o", "010" },
		{ "%#6.3o", "   010" },
		{ "%#.2o", "010" },	/* precision met exactly: still one zero */
		{ "%#.1o", "010" },	/* precision too small: '#' adds the zero */
		{ "%#o", "010" },
	};
	(void)state;

	expect_cases_with(cases, ARRAY_SIZE(cases), 8u);
}

/* --- format_size ---------------------------------------------------------------------------- */

static void test_format_size_picks_unit_and_one_decimal(void **state)
{
	static const struct {
		u64 bytes;
		const char *expected;
	} cases[] = {
		{ 0, "0 B" },
		{ 1, "1 B" },
		{ 512, "512 B" },
		{ 1023, "1023 B" },
		{ KiB, "1 KiB" },
		{ 1536, "1.5 KiB" },
		{ 640 * KiB, "640 KiB" },
		{ MiB - KiB, "1023 KiB" },
		{ MiB, "1 MiB" },
		{ 255 * MiB, "255 MiB" },
		{ GiB + GiB / 2, "1.5 GiB" },
		{ 2 * GiB - 1, "1.9 GiB" },	/* the decimal is cut, not rounded */
		{ 4 * GiB, "4 GiB" },
		{ 1024 * GiB, "1 TiB" },
		{ 3 * 1024 * GiB + 256 * GiB, "3.2 TiB" },
		{ 1024 * 1024 * GiB, "1024 TiB" },	/* nothing above TiB */
		{ UINT64_MAX, "16777215.9 TiB" },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char buf[32];

		format_size(buf, sizeof(buf), cases[i].bytes);
		if (strcmp(buf, cases[i].expected) != 0)
			fail_msg("format_size(%llu) gave \"%s\", want \"%s\"", cases[i].bytes,
				 buf, cases[i].expected);
	}
}

static void test_format_size_truncates_within_buffer(void **state)
{
	char buf[8];
	(void)state;

	memset(buf, SENTINEL, sizeof(buf));
	format_size(buf, 4, 640 * KiB);
	assert_string_equal(buf, "640");
	for (size_t i = 4; i < sizeof(buf); i++)
		assert_int_equal((u8)buf[i], SENTINEL);

	memset(buf, SENTINEL, sizeof(buf));
	format_size(buf, 0, 640 * KiB);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal((u8)buf[i], SENTINEL);
}

/* --- format_hex_bytes ------------------------------------------------------------------------ */

static void test_hex_bytes_are_pairs_apart_and_fit_their_buffer(void **state)
{
	static const u8 bytes[15] = { 0x0f, 0x01, 0xd9, 0x00, 0xff, 0x48, 0x89, 0x02, 0x90, 0x90,
				      0x90, 0x90, 0x90, 0x90, 0xc3 };
	char buf[3 * 15], small[9];
	(void)state;

	format_hex_bytes(buf, sizeof(buf), bytes, 3);
	assert_string_equal(buf, "0f 01 d9");
	format_hex_bytes(buf, sizeof(buf), bytes, 0);
	assert_string_equal(buf, "");
	format_hex_bytes(buf, sizeof(buf), bytes, 15);	/* the longest instruction fits exactly */
	assert_string_equal(buf, "0f 01 d9 00 ff 48 89 02 90 90 90 90 90 90 c3");
	memset(small, SENTINEL, sizeof(small));
	format_hex_bytes(small, 6, bytes, 15);
	assert_string_equal(small, "0f 01");
	for (size_t i = 6; i < sizeof(small); i++)
		assert_int_equal((u8)small[i], SENTINEL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_conversion_prints_its_argument),
		cmocka_unit_test(test_pointer_prints_sixteen_hex_digits),
		cmocka_unit_test(test_flags_change_sign_padding_and_prefix),
		cmocka_unit_test(test_width_and_precision),
		cmocka_unit_test(test_star_takes_width_and_precision_from_arguments),
		cmocka_unit_test(test_length_modifiers_select_the_argument_type),
		cmocka_unit_test(test_negative_numbers_including_the_most_negative),
		cmocka_unit_test(test_zero_with_precision_zero_prints_no_digits),
		cmocka_unit_test(test_null_string_prints_null),
		cmocka_unit_test(test_overridden_flags_and_empty_format),
		cmocka_unit_test(test_unknown_conversion_is_copied_literally),
		cmocka_unit_test(test_truncation_reports_full_length),
		cmocka_unit_test(test_size_zero_writes_nothing),
		cmocka_unit_test(test_truncation_matches_snprintf_at_every_size),
		cmocka_unit_test(test_format_v_measures_then_fills_exact_buffer),
		cmocka_unit_test(test_integers_match_host_snprintf),
		cmocka_unit_test(test_strings_and_chars_match_host_snprintf),
		cmocka_unit_test(test_plus_and_space_flags_ignored_for_unsigned),
		cmocka_unit_test(test_alt_hex_of_zero_has_no_prefix),
		cmocka_unit_test(test_alt_octal_with_precision_adds_no_extra_zero),
		cmocka_unit_test(test_format_size_picks_unit_and_one_decimal),
		cmocka_unit_test(test_format_size_truncates_within_buffer),
		cmocka_unit_test(test_hex_bytes_are_pairs_apart_and_fit_their_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

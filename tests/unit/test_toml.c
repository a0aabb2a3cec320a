/* SPDX-License-Identifier: MIT */
/* Host unit tests of Vireo's TOML subset: what it reads, and what it refuses, by line. */
#include "tests/unit/unit.h"
#include "vmm/toml.h"

#include <stdio.h>

/* Everything the parser reported, one event a line: "1 [a.b]", "2 key = value", "3 ! message". */
static char events[8192];

static void add(const char *fmt, ...) __printf(1, 2);
static void add(const char *fmt, ...)
{
	size_t n = strlen(events);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(events + n, sizeof(events) - n, fmt, ap);
	va_end(ap);
}

static void add_value(const struct config_value *v)
{
	switch (v->kind) {
	case CONFIG_STRING:
		add("\"");
		for (size_t i = 0; i < v->len; i++)
			add(v->text[i] >= 0x20 ? "%c" : "\\x%02x", (unsigned char)v->text[i]);
		add("\"");
		break;
	case CONFIG_INTEGER:
		add("%llu", v->integer);
		break;
	case CONFIG_BOOL:
		add("%s", v->boolean ? "true" : "false");
		break;
	case CONFIG_LIST:
		add("[");
		for (u32 i = 0; i < v->count; i++) {
			add(i ? ", " : "");
			add_value(&v->items[i]);
		}
		add("]");
		break;
	case CONFIG_WORD:
		fail_msg("the parser never makes a word");
	}
}

static void on_table(void *ctx, const struct toml_key *parts, u32 count, u32 line)
{
	(void)ctx;
	add("%u [", line);
	for (u32 i = 0; i < count; i++)
		add("%s%.*s", i ? "." : "", (int)parts[i].len, parts[i].text);
	add("]\n");
}

static void on_pair(void *ctx, struct toml_key key, const struct config_value *v, u32 line)
{
	(void)ctx;
	add("%u %.*s = ", line, (int)key.len, key.text);
	add_value(v);
	add("\n");
}

static void on_error(void *ctx, u32 line, const char *message)
{
	(void)ctx;
	assert_true(strlen(message) < TOML_MESSAGE_MAX);
	add("%u ! %s\n", line, message);
}

static const struct toml_ops record_ops = { on_table, on_pair, on_error };

static const char *parse(const char *text)
{
	static struct toml_parser p;
	/* A copy on the heap of just its size: ASan catches any read past the end. */
	size_t len = strlen(text);
	char *copy = malloc(len + 1);

	memcpy(copy, text, len);
	events[0] = '\0';
	toml_parse(&p, copy, len, &record_ops, NULL);
	free(copy);
	return events;
}

static void test_the_subset_reads_as_toml_does(void **state)
{
	(void)state;
	assert_string_equal(parse(""), "");
	assert_string_equal(parse("# only a comment\n\n   \t\n"), "");
	assert_string_equal(parse("[vm.hello]\nimage = \"hello16.bin\" # the image\n"),
			    "1 [vm.hello]\n2 image = \"hello16.bin\"\n");
	assert_string_equal(parse("[ vm . a-b_2 ]\r\nx=1\r\n"), "1 [vm.a-b_2]\n2 x = 1\n");
	assert_string_equal(parse("a = 0\nb = 42\nc = 1_000_000\nd = 0xff\ne = 0xDEAD_beef\n"
				  "f = 9223372036854775807"),
			    "1 a = 0\n2 b = 42\n3 c = 1000000\n4 d = 255\n5 e = 3735928559\n"
			    "6 f = 9223372036854775807\n");
	assert_string_equal(parse("t = true\nf = false\n"), "1 t = true\n2 f = false\n");
	assert_string_equal(parse("s = \"q\\\" b\\\\ t\\t n\\n\"\ne = \"\"\ntab = \"a\tb\"\n"),
			    "1 s = \"q\" b\\ t\\x09 n\\x0a\"\n2 e = \"\"\n3 tab = \"a\\x09b\"\n");
	assert_string_equal(parse("l = [1, 2,3]\ne = []\ns = [ \"a\" , \"b\", ]\n"),
			    "1 l = [1, 2, 3]\n2 e = []\n3 s = [\"a\", \"b\"]\n");
	/* A list over lines, with comments: its line is the key's. */
	assert_string_equal(parse("cpus = [\n  0, # first\n  1,\n]\nnext = 2\n"),
			    "1 cpus = [0, 1]\n5 next = 2\n");
}

struct refusal {
	const char *text;
	const char *event;	/* the start of the error event: "LINE ! message" */
};

static void test_what_the_subset_lacks_is_named_with_its_line(void **state)
{
	static const struct refusal cases[] = {
		{ "x = 1.5", "1 ! Vireo's TOML subset does not have floating-point numbers" },
		{ "x = 1e3", "1 ! Vireo's TOML subset does not have floating-point numbers" },
		{ "x = inf", "1 ! Vireo's TOML subset does not have floating-point numbers" },
		{ "\nd = 1979-05-27", "2 ! Vireo's TOML subset does not have dates and times" },
		{ "x = 'lit'", "1 ! Vireo's TOML subset does not have literal strings" },
		{ "x = \"\"\"a\"\"\"", "1 ! Vireo's TOML subset does not have multi-line strings" },
		{ "x = { a = 1 }", "1 ! Vireo's TOML subset does not have inline tables" },
		{ "[[vm]]", "1 ! Vireo's TOML subset does not have arrays of tables" },
		{ "a.b = 1", "1 ! Vireo's TOML subset does not have dotted keys" },
		{ "\"k\" = 1", "1 ! Vireo's TOML subset does not have quoted keys" },
		{ "[vm.\"a b\"]", "1 ! Vireo's TOML subset does not have quoted keys" },
		{ "x = -1", "1 ! Vireo's TOML subset does not have signed numbers" },
		{ "x = +1", "1 ! Vireo's TOML subset does not have signed numbers" },
		{ "x = 0o17", "1 ! Vireo's TOML subset does not have 0o and 0b numbers" },
		{ "x = \"\\u0041\"", "1 ! Vireo's TOML subset does not have \\u escapes" },
		{ "x = [1, \"a\"]", "1 ! Vireo's TOML subset does not have lists of mixed kinds" },
		{ "x = [[1]]", "1 ! Vireo's TOML subset does not have lists in lists" },
		{ "x = \"caf\xc3\xa9\"", "1 ! Vireo's TOML subset does not have non-ASCII" },
		{ "# caf\xc3\xa9", "1 ! Vireo's TOML subset does not have non-ASCII" },
		{ "x = 012", "1 ! a number with a leading zero" },
		{ "x = 9223372036854775808", "1 ! a number larger than TOML's integers go" },
		{ "x = 1__0", "1 ! expected the end of the number, found '_'" },
		{ "x = 1_", "1 ! expected the end of the number, found '_'" },
		{ "x = 0x", "1 ! expected hex digits after 0x" },
		{ "memory = 64M", "1 ! expected the end of the number, found 'M' (a size such as 64M "
				  "is written \"64M\")" },
		{ "x = \"open", "1 ! a string must end on its line" },
		{ "x = \"\\q\"", "1 ! a bad escape in a string" },
		{ "x = \"a\x01\"", "1 ! a control character (0x01) in a string" },
		{ "# a\x7f", "1 ! a control character (0x7f) in a comment" },
		{ "x = 1 2", "1 ! expected the end of the line after the value, found '2'" },
		{ "x = \"a\"b", "1 ! expected the end of the string, found 'b'" },
		{ "x", "1 ! expected '=' after the key, found the end of the file" },
		{ "x =", "1 ! expected a value" },
		{ "x = yes", "1 ! expected a value: \"text\", a number, true, false or a [list], found 'y'" },
		{ "x = truly", "1 ! expected a value" },
		{ "= 1", "1 ! expected a key, found '='" },
		{ "x = [1 2]", "1 ! expected ',' or ']' in the list, found '2'" },
		{ "x = [1,,2]", "1 ! expected a value" },
		{ "x = [\n1,\n2", "3 ! expected ',' or ']' in the list, found the end of the file" },
		{ "[vm.a] x = 1", "1 ! expected the end of the line after the table name, found 'x'" },
		{ "[vm.a", "1 ! expected '.' or ']' in the table name, found the end of the file" },
		{ "[]", "1 ! expected a table name, found ']'" },
		{ "[a.b.c.d.e]", "1 ! a table name of more than 4 parts" },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *got = parse(cases[i].text);

		if (strncmp(got, cases[i].event, strlen(cases[i].event)) != 0)
			fail_msg("\"%s\": got \"%s\", want \"%s...\"", cases[i].text, got,
				 cases[i].event);
	}
}

static void test_a_bad_line_is_skipped_and_the_next_ones_are_read(void **state)
{
	(void)state;
	assert_string_equal(parse("[vm.a]\nx = 1.5\ny = 2\n[vm.b]]\nz = \"s\n[vm.c]\nw = true\n"),
			    "1 [vm.a]\n"
			    "2 ! Vireo's TOML subset does not have floating-point numbers\n"
			    "3 y = 2\n"
			    "4 ! expected the end of the line after the table name, found ']'\n"
			    "5 ! a string must end on its line (a closing \" is missing)\n"
			    "6 [vm.c]\n"
			    "7 w = true\n");
}

static void test_long_values_are_refused_not_overrun(void **state)
{
	static char text[TOML_TEXT_MAX + 64];
	char list[TOML_LIST_MAX * 3 + 16] = "x = [";
	(void)state;

	strcpy(text, "x = \"");
	memset(text + 5, 'a', TOML_TEXT_MAX + 1);
	strcat(text, "\"");
	assert_string_equal(parse(text), "1 ! more than 1024 bytes of text in one value\n");
	text[5 + TOML_TEXT_MAX] = '"';
	text[6 + TOML_TEXT_MAX] = '\0';
	assert_int_equal(strncmp(parse(text), "1 x = \"aaaa", 10), 0);
	for (u32 i = 0; i <= TOML_LIST_MAX; i++)
		strcat(list, "1,");
	strcat(list, "]");
	assert_string_equal(parse(list), "1 ! a list of more than 64 items\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_subset_reads_as_toml_does),
		cmocka_unit_test(test_what_the_subset_lacks_is_named_with_its_line),
		cmocka_unit_test(test_a_bad_line_is_skipped_and_the_next_ones_are_read),
		cmocka_unit_test(test_long_values_are_refused_not_overrun),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

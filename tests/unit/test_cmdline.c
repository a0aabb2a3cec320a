/* SPDX-License-Identifier: MIT */
/* Host unit tests of the hypervisor command line parser: defaults, options, and warnings. */
#include "tests/unit/unit.h"
#include "kernel/cmdline.h"

#include <stdio.h>

/* Options on the heap, so ASan sees any write past the end of the warnings array. */
static struct options *new_options(void)
{
	struct options *o = malloc(sizeof(*o));

	assert_non_null(o);
	memset(o, 0xa5, sizeof(*o));
	cmdline_defaults(o);
	return o;
}

static struct options *parse_fresh(const char *line)
{
	struct options *o = new_options();

	cmdline_parse(line, o);
	return o;
}

/* Everything but the warnings. */
static void assert_same_settings(const struct options *a, const struct options *b)
{
	assert_int_equal(a->loglevel, b->loglevel);
	assert_int_equal(a->smp, b->smp);
	assert_string_equal(a->selftest, b->selftest);
	assert_int_equal(a->on_panic, b->on_panic);
	assert_int_equal(a->on_done, b->on_done);
	assert_int_equal(a->x2apic, b->x2apic);
	assert_int_equal(a->tsc_deadline, b->tsc_deadline);
	assert_int_equal(a->color, b->color);
}

static void assert_contains(const char *haystack, const char *needle)
{
	if (!strstr(haystack, needle))
		fail_msg("\"%s\" does not mention \"%s\"", haystack, needle);
}

static void test_defaults(void **state)
{
	struct options *o = new_options();
	(void)state;

	assert_int_equal(o->loglevel, 3);
	assert_int_equal(o->smp, 0);
	assert_string_equal(o->selftest, "");
	assert_int_equal(o->on_panic, POWER_HALT);
	assert_int_equal(o->on_done, POWER_POWEROFF);
	assert_true(o->x2apic);
	assert_true(o->tsc_deadline);
	assert_true(o->color);
	assert_int_equal(o->warning_count, 0);
	for (u32 i = 0; i < CMDLINE_WARNINGS_MAX; i++)
		assert_string_equal(o->warnings[i], "");
	free(o);
}

static void test_empty_and_blank_lines_change_nothing(void **state)
{
	static const char *const lines[] = { "", " ", "   ", "\t", " \t \t " };
	struct options *defaults = new_options();
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(lines); i++) {
		struct options *o = parse_fresh(lines[i]);

		assert_memory_equal(o, defaults, sizeof(*o));
		free(o);
	}
	free(defaults);
}

struct valid_case {
	const char *line;
	int loglevel;
	u32 smp;
	const char *selftest;
	enum power_action on_panic;
	enum power_action on_done;
};

static void test_every_option_sets_its_value(void **state)
{
	static const struct valid_case cases[] = {
		{ "loglevel=0", 0, 0, "", POWER_HALT, POWER_POWEROFF },
		{ "loglevel=1", 1, 0, "", POWER_HALT, POWER_POWEROFF },
		{ "loglevel=2", 2, 0, "", POWER_HALT, POWER_POWEROFF },
		{ "loglevel=3", 3, 0, "", POWER_HALT, POWER_POWEROFF },
		{ "loglevel=4", 4, 0, "", POWER_HALT, POWER_POWEROFF },
		{ "smp=1", 3, 1, "", POWER_HALT, POWER_POWEROFF },
		{ "smp=2", 3, 2, "", POWER_HALT, POWER_POWEROFF },
		{ "smp=4096", 3, 4096, "", POWER_HALT, POWER_POWEROFF },
		{ "selftest=pf", 3, 0, "pf", POWER_HALT, POWER_POWEROFF },
		{ "selftest=fifteen-chars-x", 3, 0, "fifteen-chars-x",
		  POWER_HALT, POWER_POWEROFF },
		{ "selftest=a=b", 3, 0, "a=b", POWER_HALT, POWER_POWEROFF },
		{ "onpanic=halt", 3, 0, "", POWER_HALT, POWER_POWEROFF },
		{ "onpanic=reboot", 3, 0, "", POWER_REBOOT, POWER_POWEROFF },
		{ "onpanic=poweroff", 3, 0, "", POWER_POWEROFF, POWER_POWEROFF },
		{ "ondone=halt", 3, 0, "", POWER_HALT, POWER_HALT },
		{ "ondone=reboot", 3, 0, "", POWER_HALT, POWER_REBOOT },
		{ "ondone=poweroff", 3, 0, "", POWER_HALT, POWER_POWEROFF },
		{ "ondone=console", 3, 0, "", POWER_HALT, POWER_KEEP_RUNNING },
		{ "loglevel=4 smp=2 selftest=ud onpanic=reboot ondone=halt",
		  4, 2, "ud", POWER_REBOOT, POWER_HALT },
		/* Any run of spaces and tabs separates words, at either end too. */
		{ "  \tloglevel=1\t\tsmp=3   onpanic=poweroff\t ", 1, 3, "", POWER_POWEROFF,
		  POWER_POWEROFF },
		/* The last occurrence wins, and a shorter name leaves no tail behind. */
		{ "loglevel=1 loglevel=0", 0, 0, "", POWER_HALT, POWER_POWEROFF },
		{ "selftest=longername selftest=ab", 3, 0, "ab", POWER_HALT, POWER_POWEROFF },
		{ "ondone=halt ondone=reboot", 3, 0, "", POWER_HALT, POWER_REBOOT },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct valid_case *c = &cases[i];
		struct options *o = parse_fresh(c->line);

		if (o->warning_count)
			fail_msg("\"%s\": unexpected warning \"%s\"", c->line, o->warnings[0]);
		if (o->loglevel != c->loglevel || o->smp != c->smp ||
		    strcmp(o->selftest, c->selftest) != 0 || o->on_panic != c->on_panic ||
		    o->on_done != c->on_done)
			fail_msg("\"%s\": got loglevel=%d smp=%u selftest=%s onpanic=%d ondone=%d",
				 c->line, o->loglevel, o->smp, o->selftest, o->on_panic,
				 o->on_done);
		free(o);
	}
}

static void test_on_off_options_switch_apic_features(void **state)
{
	struct options *o = parse_fresh("x2apic=off tscdeadline=off");
	(void)state;

	assert_false(o->x2apic);
	assert_false(o->tsc_deadline);
	assert_int_equal(o->warning_count, 0);
	cmdline_parse("x2apic=on", o);
	assert_true(o->x2apic);
	assert_false(o->tsc_deadline);
	free(o);
}

static void test_color_off_turns_the_vms_colours_off(void **state)
{
	struct options *o = parse_fresh("color=off");
	(void)state;

	assert_false(o->color);
	assert_int_equal(o->warning_count, 0);
	cmdline_parse("color=blue", o);	/* refused: the setting stays */
	assert_false(o->color);
	assert_int_equal(o->warning_count, 1);
	assert_contains(o->warnings[0], "on or off");
	cmdline_parse("color=on", o);
	assert_true(o->color);
	free(o);
}

static void test_gdb_port_and_vm(void **state)
{
	struct options *o = new_options();
	(void)state;

	assert_int_equal(o->gdb_port, 0x2f8);	/* COM2 */
	assert_string_equal(o->gdb_vm, "");
	cmdline_parse("gdb=com1 gdbvm=hello64", o);
	assert_int_equal(o->gdb_port, 0x3f8);
	assert_string_equal(o->gdb_vm, "hello64");
	cmdline_parse("gdb=off", o);
	assert_int_equal(o->gdb_port, 0);
	cmdline_parse("gdb=com3 gdbvm=a-name-much-too-long-for-a-vm", o);
	assert_int_equal(o->gdb_port, 0);
	assert_string_equal(o->gdb_vm, "hello64");
	assert_int_equal(o->warning_count, 2);
	assert_contains(o->warnings[0], "com2, com1 or off");
	free(o);
}

static void test_unknown_option_warns_and_changes_nothing(void **state)
{
	static const char *const words[] = {
		"verbose", "foo=bar", "LOGLEVEL=1", "loglevelx=1", "loglev=1", "smp2=3", "=5",
		"quiet=", "onpanic_=halt",
	};
	struct options *defaults = new_options();
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
		struct options *o = parse_fresh(words[i]);
		char quoted[64];

		assert_same_settings(o, defaults);
		assert_int_equal(o->warning_count, 1);
		snprintf(quoted, sizeof(quoted), "'%s'", words[i]);
		assert_contains(o->warnings[0], "unknown option");
		assert_contains(o->warnings[0], quoted);
		free(o);
	}
	free(defaults);
}

struct bad_case {
	const char *before;	/* sets the value the bad word must not change */
	const char *word;
	const char *option;	/* the option name the warning must quote */
	const char *expected;	/* part of the expected form the warning must mention */
};

static void test_bad_value_warns_and_keeps_previous_value(void **state)
{
	static const struct bad_case cases[] = {
		{ "loglevel=1", "loglevel=9", "loglevel", "0-4" },
		{ "loglevel=1", "loglevel=5", "loglevel", "0-4" },
		{ "loglevel=1", "loglevel=x", "loglevel", "0-4" },
		{ "loglevel=1", "loglevel=-1", "loglevel", "0-4" },
		{ "loglevel=1", "loglevel=", "loglevel", "0-4" },
		{ "loglevel=1", "loglevel", "loglevel", "0-4" },
		{ "smp=2", "smp=0", "smp", "CPU count" },
		{ "smp=2", "smp=4097", "smp", "CPU count" },
		{ "smp=2", "smp=two", "smp", "CPU count" },
		{ "smp=2", "smp=99999999999999999999", "smp", "CPU count" },
		{ "selftest=pf", "selftest=", "selftest", "test name" },
		{ "selftest=pf", "selftest=sixteen-chars-xy", "selftest", "test name" },
		{ "onpanic=reboot", "onpanic=explode", "onpanic", "halt, reboot or poweroff" },
		{ "onpanic=reboot", "onpanic=HALT", "onpanic", "halt, reboot or poweroff" },
		{ "onpanic=reboot", "onpanic=", "onpanic", "halt, reboot or poweroff" },
		{ "ondone=halt", "ondone=power", "ondone", "halt, reboot, poweroff or console" },
		{ "ondone=halt", "ondone=poweroffx", "ondone", "halt, reboot, poweroff or console" },
		/* Keeping the console up makes no sense after a panic. */
		{ "onpanic=reboot", "onpanic=console", "onpanic", "halt, reboot or poweroff" },
		{ "x2apic=off", "x2apic=maybe", "x2apic", "on or off" },
		{ "tscdeadline=off", "tscdeadline=1", "tscdeadline", "on or off" },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct bad_case *c = &cases[i];
		struct options *o = parse_fresh(c->before);
		struct options before;
		const char *eq = strchr(c->word, '=');
		char quoted[64];

		assert_int_equal(o->warning_count, 0);
		before = *o;
		cmdline_parse(c->word, o);
		assert_same_settings(o, &before);
		if (o->warning_count != 1)
			fail_msg("\"%s\" gave %u warnings, want 1", c->word, o->warning_count);
		snprintf(quoted, sizeof(quoted), "'%s'", c->option);
		assert_contains(o->warnings[0], quoted);
		snprintf(quoted, sizeof(quoted), "'%s'", eq ? eq + 1 : "");
		assert_contains(o->warnings[0], quoted);
		assert_contains(o->warnings[0], "expected");
		assert_contains(o->warnings[0], c->expected);
		free(o);
	}
}

static void test_parsing_goes_on_after_bad_words(void **state)
{
	struct options *o = parse_fresh("loglevel=9 smp=2 bogus ondone=reboot onpanic=nope");
	(void)state;

	assert_int_equal(o->loglevel, 3);
	assert_int_equal(o->smp, 2);
	assert_int_equal(o->on_done, POWER_REBOOT);
	assert_int_equal(o->on_panic, POWER_HALT);
	assert_int_equal(o->warning_count, 3);
	assert_contains(o->warnings[0], "'loglevel'");
	assert_contains(o->warnings[1], "'bogus'");
	assert_contains(o->warnings[2], "'onpanic'");
	free(o);
}

static void test_warnings_cap_at_max_without_overflow(void **state)
{
	struct options *o = new_options();
	char line[256] = "";
	(void)state;

	for (u32 i = 0; i < CMDLINE_WARNINGS_MAX + 4; i++) {
		char word[16];

		snprintf(word, sizeof(word), "junk%u ", i);
		strcat(line, word);
	}
	strcat(line, "loglevel=1");
	cmdline_parse(line, o);

	assert_int_equal(o->warning_count, CMDLINE_WARNINGS_MAX);
	for (u32 i = 0; i < CMDLINE_WARNINGS_MAX; i++) {
		char quoted[16];

		snprintf(quoted, sizeof(quoted), "'junk%u'", i);
		assert_contains(o->warnings[i], quoted);
	}
	/* Options after the cap still apply, and a second parse adds no more. */
	assert_int_equal(o->loglevel, 1);
	cmdline_parse("more junk smp=5", o);
	assert_int_equal(o->warning_count, CMDLINE_WARNINGS_MAX);
	assert_int_equal(o->smp, 5);
	free(o);
}

static void test_warnings_accumulate_across_parses(void **state)
{
	struct options *o = parse_fresh("first");
	(void)state;

	cmdline_parse("second", o);
	assert_int_equal(o->warning_count, 2);
	assert_contains(o->warnings[0], "'first'");
	assert_contains(o->warnings[1], "'second'");
	free(o);
}

static void test_long_word_is_elided_in_a_complete_warning(void **state)
{
	char line[300];
	struct options *o;
	(void)state;

	memset(line, 'z', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	o = parse_fresh(line);
	assert_int_equal(o->warning_count, 1);
	assert_true(strlen(o->warnings[0]) < CMDLINE_WARNING_LEN - 1);
	assert_contains(o->warnings[0], "unknown option 'zzz");
	assert_contains(o->warnings[0], "zzz...' ignored");
	free(o);
}

static void test_long_bad_value_keeps_the_expected_form(void **state)
{
	struct options *o;
	(void)state;

	o = parse_fresh("loglevel=12345678901234567890123456789012345678901234567890");
	assert_int_equal(o->warning_count, 1);
	assert_contains(o->warnings[0], "option 'loglevel': bad value '123456789012345678901234...'");
	assert_contains(o->warnings[0], "(expected a number 0-4");
	free(o);
}

static void test_power_action_names_round_trip(void **state)
{
	static const struct {
		enum power_action action;
		const char *name;
	} cases[] = {
		{ POWER_HALT, "halt" },
		{ POWER_REBOOT, "reboot" },
		{ POWER_POWEROFF, "poweroff" },
		{ POWER_KEEP_RUNNING, "console" },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *name = cmdline_power_action_name(cases[i].action);
		char line[32];
		struct options *o;

		assert_string_equal(name, cases[i].name);
		/* The name is what the command line takes back (ondone takes them all). */
		snprintf(line, sizeof(line), "ondone=%s", name);
		o = parse_fresh(line);
		assert_int_equal(o->on_done, cases[i].action);
		assert_int_equal(o->warning_count, 0);
		free(o);
	}
}

static void test_power_action_name_of_unknown_value(void **state)
{
	(void)state;

	assert_string_equal(cmdline_power_action_name((enum power_action)4), "?");
	assert_string_equal(cmdline_power_action_name((enum power_action)99), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_empty_and_blank_lines_change_nothing),
		cmocka_unit_test(test_every_option_sets_its_value),
		cmocka_unit_test(test_on_off_options_switch_apic_features),
		cmocka_unit_test(test_color_off_turns_the_vms_colours_off),
		cmocka_unit_test(test_unknown_option_warns_and_changes_nothing),
		cmocka_unit_test(test_bad_value_warns_and_keeps_previous_value),
		cmocka_unit_test(test_parsing_goes_on_after_bad_words),
		cmocka_unit_test(test_warnings_cap_at_max_without_overflow),
		cmocka_unit_test(test_warnings_accumulate_across_parses),
		cmocka_unit_test(test_long_word_is_elided_in_a_complete_warning),
		cmocka_unit_test(test_long_bad_value_keeps_the_expected_form),
		cmocka_unit_test(test_power_action_names_round_trip),
		cmocka_unit_test(test_gdb_port_and_vm),
		cmocka_unit_test(test_power_action_name_of_unknown_value),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

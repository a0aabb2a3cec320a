/* SPDX-License-Identifier: MIT */
/* Host unit tests of the VM settings parser: names, options, guest arguments and errors. */
#include "tests/unit/unit.h"
#include "vmm/vm_config.h"
#include "kernel/errno.h"

#include <stdio.h>

/* A config on the heap, filled with junk, so ASan sees overruns and the parser must set all. */
static struct vm_config *new_config(void)
{
	struct vm_config *c = malloc(sizeof(*c));

	assert_non_null(c);
	memset(c, 0xa5, sizeof(*c));
	return c;
}

static void assert_contains(const char *haystack, const char *needle)
{
	if (!strstr(haystack, needle))
		fail_msg("\"%s\" does not mention \"%s\"", haystack, needle);
}

/* Parse a line that must be good: no error, and the error buffer left alone. */
static struct vm_config *parse_ok(const char *line)
{
	struct vm_config *c = new_config();
	char error[VM_CONFIG_ERROR_MAX] = "untouched";
	int ret = vm_config_parse(line, c, error, sizeof(error));

	if (ret != 0)
		fail_msg("\"%s\": got %d (%s), want 0", line, ret, error);
	assert_string_equal(error, "untouched");
	return c;
}

/*
 * Parse a line that must be bad, with the error in an exactly sized heap buffer: returns the
 * message, to be freed, after checking it is non-empty and NUL-terminated within the buffer.
 */
static char *parse_bad_into(const char *line, size_t error_size)
{
	struct vm_config *c = new_config();
	char *error = malloc(error_size);
	int ret;

	assert_non_null(error);
	memset(error, 'x', error_size);
	ret = vm_config_parse(line, c, error, error_size);
	if (ret != -EINVAL)
		fail_msg("\"%s\": got %d, want -EINVAL", line, ret);
	if (!memchr(error, '\0', error_size))
		fail_msg("\"%s\": error not NUL-terminated in %zu bytes", line, error_size);
	if (error[0] == '\0')
		fail_msg("\"%s\": empty error message", line);
	free(c);
	return error;
}

static char *parse_bad(const char *line)
{
	return parse_bad_into(line, VM_CONFIG_ERROR_MAX);
}

static void test_name_alone_gives_the_defaults(void **state)
{
	struct vm_config *c = parse_ok("hello");
	(void)state;

	assert_string_equal(c->name, "hello");
	assert_int_equal(c->mem_bytes, 16 * MiB);
	assert_int_equal(c->mem_bytes, VM_MEM_DEFAULT);
	assert_int_equal(c->cpus, VM_CPUS_ANY);
	assert_int_equal(c->cpus, 0);
	assert_int_equal(c->devices, VM_DEVICES_DEFAULT);
	assert_int_equal(c->color, VM_COLOR_AUTO);
	assert_true(c->autostart);
	assert_int_equal(c->format, VM_FORMAT_AUTO);
	assert_int_equal(c->load_address, 0x7c00);
	assert_int_equal(c->entry, 0x7c00);
	assert_int_equal(c->timeout_ms, 0);
	assert_int_equal(c->on_exit, VM_ON_EXIT_STOP);
	assert_int_equal(c->on_reset, VM_ON_RESET_STOP);
	assert_int_equal(c->priority, VM_PRIORITY_DEFAULT);
	assert_string_equal(c->args, "");
	free(c);
}

static void test_priority_takes_0_to_3(void **state)
{
	(void)state;
	for (u8 p = 0; p <= VM_PRIORITY_MAX; p++) {
		char line[32];
		struct vm_config *c;

		snprintf(line, sizeof(line), "vm priority=%u", p);
		c = parse_ok(line);
		assert_int_equal(c->priority, p);
		free(c);
	}
}

static void test_onexit_says_stop_or_restart(void **state)
{
	static const struct {
		const char *line;
		enum vm_on_exit want;
	} cases[] = {
		{ "vm onexit=restart", VM_ON_EXIT_RESTART },
		{ "vm onexit=stop", VM_ON_EXIT_STOP },
		{ "vm onexit=restart onexit=stop", VM_ON_EXIT_STOP },	/* the last one counts */
		{ "vm mem=2M onexit=restart -- onexit=stop", VM_ON_EXIT_RESTART },	/* an argument */
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vm_config *c = parse_ok(cases[i].line);

		if (c->on_exit != cases[i].want)
			fail_msg("\"%s\": on_exit %d", cases[i].line, c->on_exit);
		free(c);
	}
}

static void test_on_reset_says_stop_or_restart(void **state)
{
	static const struct {
		const char *line;
		enum vm_on_reset want;
	} cases[] = {
		{ "vm on_reset=restart", VM_ON_RESET_RESTART },
		{ "vm on_reset=stop", VM_ON_RESET_STOP },
		{ "vm on_reset=restart on_reset=stop", VM_ON_RESET_STOP },
		{ "vm onexit=restart", VM_ON_RESET_STOP },	/* the two are apart */
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vm_config *c = parse_ok(cases[i].line);

		if (c->on_reset != cases[i].want)
			fail_msg("\"%s\": on_reset %d", cases[i].line, c->on_reset);
		free(c);
	}
}

static void test_valid_names_are_kept(void **state)
{
	static const struct {
		const char *line;
		const char *name;
	} cases[] = {
		{ "a", "a" },
		{ "Hello-World_2.elf", "Hello-World_2.elf" },
		{ "   \t spaced  ", "spaced" },
		{ "tab\tmem=4M", "tab" },
		{ "---", "---" },
		{ "12345678901234567890123", "12345678901234567890123" },	/* 23: the most */
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vm_config *c = parse_ok(cases[i].line);

		assert_string_equal(c->name, cases[i].name);
		free(c);
	}
}

struct option_case {
	const char *line;
	u64 mem_bytes;
	u64 cpus;
	u64 timeout_ms;
	const char *args;
};

static void test_every_option_sets_its_value(void **state)
{
	static const struct option_case cases[] = {
		{ "vm mem=32M", 32 * MiB, VM_CPUS_ANY, 0, "" },
		{ "vm mem=2M", 2 * MiB, VM_CPUS_ANY, 0, "" },
		{ "vm mem=1G", 1 * GiB, VM_CPUS_ANY, 0, "" },
		{ "vm mem=64G", 64 * GiB, VM_CPUS_ANY, 0, "" },
		{ "vm mem=4096K", 4 * MiB, VM_CPUS_ANY, 0, "" },
		{ "vm mem=2048K", 2 * MiB, VM_CPUS_ANY, 0, "" },
		{ "vm mem=8m", 8 * MiB, VM_CPUS_ANY, 0, "" },
		{ "vm mem=2g", 2 * GiB, VM_CPUS_ANY, 0, "" },
		{ "vm mem=8388608", 8 * MiB, VM_CPUS_ANY, 0, "" },
		{ "vm mem=0x400000", 4 * MiB, VM_CPUS_ANY, 0, "" },
		{ "vm cpu=0", 16 * MiB, BIT(0), 0, "" },
		{ "vm cpu=3", 16 * MiB, BIT(3), 0, "" },
		{ "vm cpu=63", 16 * MiB, BIT(63), 0, "" },
		{ "vm timeout=100ms", 16 * MiB, VM_CPUS_ANY, 100, "" },
		{ "vm timeout=1ms", 16 * MiB, VM_CPUS_ANY, 1, "" },
		{ "vm timeout=5s", 16 * MiB, VM_CPUS_ANY, 5000, "" },
		{ "vm timeout=1s", 16 * MiB, VM_CPUS_ANY, 1000, "" },
		{ "vm timeout=3600s", 16 * MiB, VM_CPUS_ANY, 3600000, "" },
		{ "vm timeout=2592000s", 16 * MiB, VM_CPUS_ANY, VM_TIMEOUT_MAX_MS, "" },
		{ "vm timeout=2592000000ms", 16 * MiB, VM_CPUS_ANY, VM_TIMEOUT_MAX_MS, "" },
		{ "vm mem=64M cpu=2 timeout=250ms", 64 * MiB, BIT(2), 250, "" },
		{ "vm\ttimeout=2s\t\tcpu=1   mem=128M  ", 128 * MiB, BIT(1), 2000, "" },
		/* The last occurrence wins. */
		{ "vm mem=4M mem=8M", 8 * MiB, VM_CPUS_ANY, 0, "" },
		{ "vm cpu=1 cpu=0", 16 * MiB, BIT(0), 0, "" },
		{ "vm timeout=5s timeout=10ms", 16 * MiB, VM_CPUS_ANY, 10, "" },
		{ "vm mem=4M -- hello", 4 * MiB, VM_CPUS_ANY, 0, "hello" },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct option_case *oc = &cases[i];
		struct vm_config *c = parse_ok(oc->line);

		if (c->mem_bytes != oc->mem_bytes || c->cpus != oc->cpus ||
		    c->timeout_ms != oc->timeout_ms || strcmp(c->args, oc->args) != 0)
			fail_msg("\"%s\": got mem=%llu cpus=%#llx timeout=%llu args=\"%s\"", oc->line,
				 c->mem_bytes, c->cpus, c->timeout_ms, c->args);
		assert_string_equal(c->name, "vm");
		free(c);
	}
}

static void test_mem_is_rounded_up_to_2mib(void **state)
{
	static const struct {
		const char *line;
		u64 mem_bytes;
	} cases[] = {
		{ "vm mem=3M", 4 * MiB },
		{ "vm mem=5M", 6 * MiB },
		{ "vm mem=2049K", 4 * MiB },
		{ "vm mem=2097153", 4 * MiB },
		{ "vm mem=4194303", 4 * MiB },
		{ "vm mem=4194304", 4 * MiB },
		{ "vm mem=65535M", 64 * GiB },
		{ "vm mem=68719476735", 64 * GiB },	/* 64G - 1 */
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vm_config *c = parse_ok(cases[i].line);

		if (c->mem_bytes != cases[i].mem_bytes)
			fail_msg("\"%s\": got %llu bytes, want %llu", cases[i].line, c->mem_bytes,
				 cases[i].mem_bytes);
		assert_true(IS_ALIGNED(c->mem_bytes, 2 * MiB));
		free(c);
	}
}

static void test_guest_args_are_kept_verbatim(void **state)
{
	static const struct {
		const char *line;
		const char *args;
	} cases[] = {
		{ "vm -- hello", "hello" },
		{ "vm -- hello world", "hello world" },
		{ "vm --    lead  and  inner  ", "lead  and  inner  " },
		{ "vm --\t\targ\twith\ttabs", "arg\twith\ttabs" },
		{ "vm --", "" },
		{ "vm --   ", "" },
		{ "vm -- -- again", "-- again" },
		/* After "--" nothing is an option. */
		{ "vm -- mem=4M cpu=1 bogus", "mem=4M cpu=1 bogus" },
		{ "vm cpu=1 -- x=1 !@#$%^&*()", "x=1 !@#$%^&*()" },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct vm_config *c = parse_ok(cases[i].line);

		assert_string_equal(c->args, cases[i].args);
		assert_int_equal(c->mem_bytes, VM_MEM_DEFAULT);
		free(c);
	}
}

static void test_longest_args_fit_and_one_more_is_rejected(void **state)
{
	char line[VM_ARGS_MAX + 16];
	struct vm_config *c;
	char *error;
	(void)state;

	/* VM_ARGS_MAX - 1 bytes of arguments: the most that fit with their NUL. */
	strcpy(line, "vm -- ");
	memset(line + 6, 'a', VM_ARGS_MAX - 1);
	line[6 + VM_ARGS_MAX - 1] = '\0';
	c = parse_ok(line);
	assert_int_equal(strlen(c->args), VM_ARGS_MAX - 1);
	assert_memory_equal(c->args, line + 6, VM_ARGS_MAX);
	free(c);

	strcat(line, "b");
	error = parse_bad(line);
	assert_contains(error, "argument");
	free(error);
}

struct bad_case {
	const char *line;
	const char *mention;	/* what the message must quote */
};

static void test_bad_names_are_rejected(void **state)
{
	static const struct bad_case cases[] = {
		{ "", "name" },
		{ "   ", "name" },
		{ "\t", "name" },
		{ "--", "name" },
		{ "-- -- args", "name" },
		{ "  --  mem=4M", "name" },
		{ "vm!", "'vm!'" },
		{ "a/b", "'a/b'" },
		{ "bin/guest.elf mem=4M", "'bin/guest.elf'" },
		{ "mem=4M", "'mem=4M'" },
		{ "caf\xc3\xa9", "bad name" },
		{ "a:b", "'a:b'" },
		{ "123456789012345678901234", "'123456789012345678901234'" },	/* 24: too long */
		{ "a-rather-long-guest-name-indeed", "'a-rather-long-guest-name-indeed'" },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *error = parse_bad(cases[i].line);

		assert_contains(error, cases[i].mention);
		free(error);
	}
}

static void test_bad_option_values_are_rejected(void **state)
{
	static const struct bad_case cases[] = {
		{ "vm mem=1M", "'mem=1M'" },
		{ "vm mem=2047K", "'mem=2047K'" },
		{ "vm mem=2097151", "'mem=2097151'" },
		{ "vm mem=0", "'mem=0'" },
		{ "vm mem=65G", "'mem=65G'" },
		{ "vm mem=65537M", "'mem=65537M'" },
		{ "vm mem=68719476737", "'mem=68719476737'" },	/* 64G + 1 */
		{ "vm mem=99999999999999999999G", "'mem=99999999999999999999G'" },
		{ "vm mem=", "'mem='" },
		{ "vm mem=M", "'mem=M'" },
		{ "vm mem=16MB", "'mem=16MB'" },
		{ "vm mem=1T", "'mem=1T'" },
		{ "vm mem=-4M", "'mem=-4M'" },
		{ "vm mem=4.5M", "'mem=4.5M'" },
		{ "vm cpu=4096", "'cpu=4096'" },
		{ "vm cpu=64", "'cpu=64'" },
		{ "vm cpu=-1", "'cpu=-1'" },
		{ "vm cpu=", "'cpu='" },
		{ "vm cpu=one", "'cpu=one'" },
		{ "vm cpu=1x", "'cpu=1x'" },
		{ "vm timeout=5", "'timeout=5'" },
		{ "vm timeout=100", "'timeout=100'" },
		{ "vm timeout=0ms", "'timeout=0ms'" },
		{ "vm timeout=0s", "'timeout=0s'" },
		{ "vm timeout=ms", "'timeout=ms'" },
		{ "vm timeout=s", "'timeout=s'" },
		{ "vm timeout=", "'timeout='" },
		{ "vm timeout=5m", "'timeout=5m'" },
		{ "vm timeout=5min", "'timeout=5min'" },
		{ "vm timeout=1.5s", "'timeout=1.5s'" },
		{ "vm timeout=abc", "'timeout=abc'" },
		{ "vm timeout=5S", "'timeout=5S'" },
		{ "vm timeout=-5s", "'timeout=-5s'" },
		{ "vm timeout=5 s", "'timeout=5'" },	/* the unit is part of the word */
		{ "vm timeout=18446744073709551615s", "'timeout=18446744073709551615s'" },
		/* Past 30 days: these used to wrap into a timeout of 300 ms and of 68 s. */
		{ "vm timeout=18446744074s", "'timeout=18446744074s'" },
		{ "vm timeout=4000000000s", "'timeout=4000000000s'" },
		{ "vm timeout=2592001s", "'timeout=2592001s'" },
		{ "vm timeout=2592000001ms", "'timeout=2592000001ms'" },
		{ "vm onexit=reboot", "'onexit=reboot'" },
		{ "vm onexit=", "'onexit='" },
		{ "vm onexit=restarts", "'onexit=restarts'" },
		{ "vm onexit=Stop", "'onexit=Stop'" },
		{ "vm priority=4", "'priority=4'" },
		{ "vm priority=-1", "'priority=-1'" },
		{ "vm priority=", "'priority='" },
		{ "vm priority=high", "'priority=high'" },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *error = parse_bad(cases[i].line);

		assert_contains(error, cases[i].mention);
		assert_contains(error, "bad value");
		free(error);
	}
}

static void test_unknown_options_are_rejected_by_name(void **state)
{
	static const struct bad_case cases[] = {
		{ "vm memory=4M", "'memory=4M'" },
		{ "vm foo", "'foo'" },
		{ "vm mem", "'mem'" },
		{ "vm cpu", "'cpu'" },
		{ "vm MEM=4M", "'MEM=4M'" },
		{ "vm =5", "'=5'" },
		{ "vm --args", "'--args'" },
		{ "vm mem=4M verbose cpu=1", "'verbose'" },
		{ "vm colour=blue", "'colour=blue'" },
		{ "vm color=red", "'color=red'" },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *error = parse_bad(cases[i].line);

		assert_contains(error, "unknown option");
		assert_contains(error, cases[i].mention);
		free(error);
	}
}

/* Every bad line of the tests above, for the properties all errors share. */
static const char *const all_bad_lines[] = {
	"", "--", "vm!", "123456789012345678901234", "vm mem=1M", "vm mem=65G", "vm cpu=4096",
	"vm timeout=5", "vm timeout=0ms", "vm foo",
	"vm a-very-long-unknown-option-word-that-goes-on-and-on-and-on=1",
	"a-very-long-and-invalid-name!-that-goes-on-and-on-and-on",
	"vm mem=123456789012345678901234567890123456789012345678901234567890",
	"vm -- aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
};

static void test_every_message_fits_the_error_buffer_size(void **state)
{
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(all_bad_lines); i++) {
		/* With room to spare, the whole message is shorter than VM_CONFIG_ERROR_MAX. */
		char *error = parse_bad_into(all_bad_lines[i], 4 * VM_CONFIG_ERROR_MAX);

		if (strlen(error) >= VM_CONFIG_ERROR_MAX)
			fail_msg("\"%s\": %zu-byte message: \"%s\"", all_bad_lines[i],
				 strlen(error), error);
		free(error);
	}
}

static void test_tiny_error_buffers_are_truncated_safely(void **state)
{
	static const size_t sizes[] = { 2, 8, 16 };
	(void)state;

	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
		for (size_t i = 0; i < ARRAY_SIZE(all_bad_lines); i++) {
			char *full = parse_bad(all_bad_lines[i]);
			char *error = parse_bad_into(all_bad_lines[i], sizes[s]);

			/* The start of the same message, as much of it as fits. */
			assert_int_equal(strlen(error), MIN(strlen(full), sizes[s] - 1));
			assert_memory_equal(error, full, strlen(error));
			free(error);
			free(full);
		}
	}
}

static void test_errors_do_not_depend_on_earlier_good_options(void **state)
{
	/* A good option before the bad one does not make the line good. */
	static const char *const lines[] = {
		"vm mem=4M cpu=1 timeout=5",
		"vm cpu=1 mem=65G",
		"vm timeout=1s -x",
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(lines); i++)
		free(parse_bad(lines[i]));
}

static void test_reparse_leaves_nothing_of_the_previous_config(void **state)
{
	struct vm_config *c = new_config();
	char error[VM_CONFIG_ERROR_MAX];
	(void)state;

	assert_int_equal(vm_config_parse("a-long-name mem=64M cpu=2 timeout=5s -- some args", c,
					 error, sizeof(error)), 0);
	assert_int_equal(vm_config_parse("b", c, error, sizeof(error)), 0);
	assert_string_equal(c->name, "b");
	assert_int_equal(c->mem_bytes, VM_MEM_DEFAULT);
	assert_int_equal(c->cpus, VM_CPUS_ANY);
	assert_int_equal(c->timeout_ms, 0);
	assert_string_equal(c->args, "");
	/* No tail of the longer name survives past the terminator. */
	for (size_t i = 1; i < sizeof(c->name); i++)
		assert_int_equal(c->name[i], '\0');
	free(c);
}

/* Typed values, as the config file gives them. */
static struct config_value str(const char *s)
{
	return (struct config_value){ .kind = CONFIG_STRING, .text = s, .len = strlen(s) };
}

static struct config_value num(u64 n)
{
	return (struct config_value){ .kind = CONFIG_INTEGER, .integer = n };
}

static struct config_value list(const struct config_value *items, u32 count)
{
	return (struct config_value){ .kind = CONFIG_LIST, .items = items, .count = count };
}

static void set_ok(struct vm_config *c, const char *key, struct config_value v)
{
	const char *expected = NULL;
	int ret = vm_config_set(c, key, strlen(key), &v, &expected);

	if (ret != 0)
		fail_msg("%s: got %d (expected %s), want 0", key, ret, expected);
}

static void set_bad(const char *key, struct config_value v, const char *mention)
{
	struct vm_config *c = new_config();
	const char *expected = NULL;

	vm_config_defaults(c, "vm", 2);
	if (vm_config_set(c, key, strlen(key), &v, &expected) != -EINVAL)
		fail_msg("%s: a bad value was taken", key);
	assert_non_null(expected);
	assert_contains(expected, mention);
	free(c);
}

static void test_config_file_values_set_their_options(void **state)
{
	const struct config_value cpus[] = { num(0), num(2), num(63) };
	const struct config_value devices[] = { str("post"), str("minikvm") };
	struct vm_config *c = new_config();
	(void)state;

	vm_config_defaults(c, "vm", 2);
	set_ok(c, "memory", str("64M"));
	assert_int_equal(c->mem_bytes, 64 * MiB);
	set_ok(c, "memory", num(3 * MiB));	/* bytes, rounded up as mem= is */
	assert_int_equal(c->mem_bytes, 4 * MiB);
	set_ok(c, "cpus", list(cpus, 3));
	assert_int_equal(c->cpus, BIT(0) | BIT(2) | BIT(63));
	set_ok(c, "vcpus", num(16));
	assert_int_equal(c->vcpus, 16);
	set_ok(c, "devices", list(devices, 2));
	assert_int_equal(c->devices, VM_DEVICE_POST | VM_DEVICE_MINIKVM);
	set_ok(c, "devices", list(NULL, 0));
	assert_int_equal(c->devices, 0);
	set_ok(c, "devices", list((const struct config_value[]){ str("ioapic"), str("vga") }, 2));
	assert_int_equal(c->devices, VM_DEVICE_IOAPIC | VM_DEVICE_VGA);
	set_ok(c, "on_reset", str("restart"));
	assert_int_equal(c->on_reset, VM_ON_RESET_RESTART);
	set_ok(c, "color", str("magenta"));
	assert_int_equal(c->color, VM_COLOR_MAGENTA);
	set_ok(c, "autostart", (struct config_value){ .kind = CONFIG_BOOL, .boolean = false });
	assert_false(c->autostart);
	set_ok(c, "format", str("flat"));
	assert_int_equal(c->format, VM_FORMAT_FLAT);
	set_ok(c, "load_address", num(0x9ffff));
	set_ok(c, "entry", num(0xffff));
	assert_int_equal(c->load_address, 0x9ffff);
	assert_int_equal(c->entry, 0xffff);
	set_ok(c, "timeout", str("500ms"));
	assert_int_equal(c->timeout_ms, 500);
	set_ok(c, "onexit", str("restart"));
	assert_int_equal(c->on_exit, VM_ON_EXIT_RESTART);
	set_ok(c, "cmdline", str("-- words, with = signs"));
	assert_string_equal(c->args, "-- words, with = signs");
	assert_false(c->trace);
	assert_int_equal(c->trace_entries, 0);	/* the default: TRACE_ENTRIES_DEFAULT */
	set_ok(c, "trace", (struct config_value){ .kind = CONFIG_BOOL, .boolean = true });
	assert_true(c->trace);
	set_ok(c, "trace_entries", num(16));
	assert_int_equal(c->trace_entries, 16);
	set_ok(c, "trace_entries", num(65536));
	assert_int_equal(c->trace_entries, 65536);
	free(c);
}

static void test_config_file_values_of_the_wrong_kind_or_range_are_refused(void **state)
{
	const struct config_value too_far[] = { num(1), num(64) };
	const struct config_value words[] = { str("0") };
	const struct config_value unknown_device[] = { str("debugcon"), str("cga") };
	char long_args[VM_ARGS_MAX + 1];
	(void)state;

	memset(long_args, 'a', VM_ARGS_MAX);
	long_args[VM_ARGS_MAX] = '\0';
	set_bad("memory", str("1M"), "2M to 64G");
	set_bad("memory", num(65 * GiB), "2M to 64G");
	set_bad("memory", (struct config_value){ .kind = CONFIG_BOOL }, "\"64M\"");
	set_bad("vcpus", str("2"), "1 to 16");	/* a string is not a number in the file */
	set_bad("vcpus", num(0), "1 to 16");
	set_bad("cpus", num(1), "list");
	set_bad("cpus", list(NULL, 0), "list");
	set_bad("cpus", list(too_far, 2), "0 to 63");
	set_bad("cpus", list(words, 1), "0 to 63");
	set_bad("devices", list(unknown_device, 2), "minikvm");
	set_bad("devices", str("post"), "list");
	set_bad("color", str("pink"), "cyan");
	set_bad("autostart", str("true"), "true or false");
	set_bad("format", str("pe"), "multiboot");
	set_bad("load_address", num(0xa0000), "640 KiB");
	set_bad("entry", num(0x10000), "0x10000");
	set_bad("timeout", num(10), "\"10s\"");
	set_bad("priority", num(4), "0 to 3");
	set_bad("cmdline", str(long_args), "127 bytes");
	set_bad("onexit", str("Stop"), "\"stop\"");
	set_bad("trace", str("yes"), "true or false");
	set_bad("trace_entries", num(15), "16 to 65536");
	set_bad("trace_entries", num(65537), "16 to 65536");
	set_bad("trace_entries", str("64"), "16 to 65536");
}

static void test_unknown_config_file_keys_are_told_apart(void **state)
{
	struct vm_config *c = new_config();
	const char *expected = "untouched";
	struct config_value v = num(1);
	(void)state;

	vm_config_defaults(c, "vm", 2);
	/* Module-line words are not file keys, and the other way round. */
	assert_int_equal(vm_config_set(c, "mem", 3, &v, &expected), -ENOENT);
	assert_int_equal(vm_config_set(c, "cpu", 3, &v, &expected), -ENOENT);
	assert_int_equal(vm_config_set(c, "colour", 6, &v, &expected), -ENOENT);
	assert_string_equal(expected, "untouched");
	free(parse_bad("vm memory=4M"));
	free(parse_bad("vm cpus=1"));
	assert_string_equal(vm_config_keys(), "memory, vcpus, cpus, priority, timeout, onexit, "
			    "format, cmdline, devices, input, autostart, gdb, color, load_address, entry, "
			    "trace, trace_entries, on_reset");
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_alone_gives_the_defaults),
		cmocka_unit_test(test_onexit_says_stop_or_restart),
		cmocka_unit_test(test_on_reset_says_stop_or_restart),
		cmocka_unit_test(test_priority_takes_0_to_3),
		cmocka_unit_test(test_valid_names_are_kept),
		cmocka_unit_test(test_every_option_sets_its_value),
		cmocka_unit_test(test_mem_is_rounded_up_to_2mib),
		cmocka_unit_test(test_guest_args_are_kept_verbatim),
		cmocka_unit_test(test_longest_args_fit_and_one_more_is_rejected),
		cmocka_unit_test(test_bad_names_are_rejected),
		cmocka_unit_test(test_bad_option_values_are_rejected),
		cmocka_unit_test(test_unknown_options_are_rejected_by_name),
		cmocka_unit_test(test_every_message_fits_the_error_buffer_size),
		cmocka_unit_test(test_tiny_error_buffers_are_truncated_safely),
		cmocka_unit_test(test_errors_do_not_depend_on_earlier_good_options),
		cmocka_unit_test(test_reparse_leaves_nothing_of_the_previous_config),
		cmocka_unit_test(test_config_file_values_set_their_options),
		cmocka_unit_test(test_config_file_values_of_the_wrong_kind_or_range_are_refused),
		cmocka_unit_test(test_unknown_config_file_keys_are_told_apart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* The hypervisor command line parser: a table of options, each with its own value parser. Pure. */
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/format.h"
#include "kernel/string.h"

struct option_def {
	const char *name;
	/* Parse value[0..len) into o; returns 0, or -EINVAL with the expected form in *expected. */
	int (*parse)(struct options *o, const char *value, size_t len, const char **expected);
};

static const char *const power_action_names[] = {
	[POWER_HALT] = "halt",
	[POWER_REBOOT] = "reboot",
	[POWER_POWEROFF] = "poweroff",
	[POWER_KEEP_RUNNING] = "console",
};

const char *cmdline_power_action_name(enum power_action a)
{
	return a < ARRAY_SIZE(power_action_names) ? power_action_names[a] : "?";
}

static bool word_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && strncmp(s, word, len) == 0;
}

static int parse_power_action(const char *v, size_t len, enum power_action *out,
			      bool keep_running_allowed, const char **expected)
{
	for (u32 i = 0; i < ARRAY_SIZE(power_action_names); i++) {
		if (i == POWER_KEEP_RUNNING && !keep_running_allowed)
			continue;
		if (word_is(v, len, power_action_names[i])) {
			*out = (enum power_action)i;
			return 0;
		}
	}
	*expected = keep_running_allowed ? "halt, reboot, poweroff or console"
					 : "halt, reboot or poweroff";
	return -EINVAL;
}

static int parse_loglevel(struct options *o, const char *v, size_t len, const char **expected)
{
	u64 n;

	if (str_to_u64(v, len, &n) < 0 || n > 4) {
		*expected = "a number 0-4 (error, warning, notice, info, debug)";
		return -EINVAL;
	}
	o->loglevel = (int)n;
	return 0;
}

static int parse_smp(struct options *o, const char *v, size_t len, const char **expected)
{
	u64 n;

	if (str_to_u64(v, len, &n) < 0 || n == 0 || n > 4096) {
		*expected = "a CPU count from 1";
		return -EINVAL;
	}
	o->smp = (u32)n;
	return 0;
}

static int parse_selftest(struct options *o, const char *v, size_t len, const char **expected)
{
	if (len == 0 || len >= sizeof(o->selftest)) {
		*expected = "a test name";
		return -EINVAL;
	}
	memcpy(o->selftest, v, len);
	o->selftest[len] = '\0';
	return 0;
}

static int parse_onpanic(struct options *o, const char *v, size_t len, const char **expected)
{
	return parse_power_action(v, len, &o->on_panic, false, expected);
}

static int parse_ondone(struct options *o, const char *v, size_t len, const char **expected)
{
	return parse_power_action(v, len, &o->on_done, true, expected);
}

static int parse_on_off(const char *v, size_t len, bool *out, const char **expected)
{
	if (word_is(v, len, "on") || word_is(v, len, "off")) {
		*out = word_is(v, len, "on");
		return 0;
	}
	*expected = "on or off";
	return -EINVAL;
}

static int parse_x2apic(struct options *o, const char *v, size_t len, const char **expected)
{
	return parse_on_off(v, len, &o->x2apic, expected);
}

static int parse_tscdeadline(struct options *o, const char *v, size_t len, const char **expected)
{
	return parse_on_off(v, len, &o->tsc_deadline, expected);
}

static int parse_color(struct options *o, const char *v, size_t len, const char **expected)
{
	return parse_on_off(v, len, &o->color, expected);
}

static int parse_gdb(struct options *o, const char *v, size_t len, const char **expected)
{
	if (word_is(v, len, "com2"))
		o->gdb_port = CMDLINE_COM2_PORT;
	else if (word_is(v, len, "com1"))
		o->gdb_port = CMDLINE_COM1_PORT;
	else if (word_is(v, len, "off"))
		o->gdb_port = 0;
	else {
		*expected = "com2, com1 or off";
		return -EINVAL;
	}
	return 0;
}

static int parse_gdbvm(struct options *o, const char *v, size_t len, const char **expected)
{
	if (len == 0 || len >= sizeof(o->gdb_vm)) {
		*expected = "a VM name";
		return -EINVAL;
	}
	memcpy(o->gdb_vm, v, len);
	o->gdb_vm[len] = '\0';
	return 0;
}

static const struct option_def option_defs[] = {
	{ "loglevel", parse_loglevel },
	{ "smp", parse_smp },
	{ "selftest", parse_selftest },
	{ "onpanic", parse_onpanic },
	{ "ondone", parse_ondone },
	{ "x2apic", parse_x2apic },
	{ "tscdeadline", parse_tscdeadline },
	{ "color", parse_color },
	{ "gdb", parse_gdb },
	{ "gdbvm", parse_gdbvm },
};

static __printf(2, 3) void warn(struct options *o, const char *fmt, ...)
{
	va_list ap;

	if (o->warning_count == CMDLINE_WARNINGS_MAX)
		return;
	va_start(ap, fmt);
	format_v(o->warnings[o->warning_count++], CMDLINE_WARNING_LEN, fmt, ap);
	va_end(ap);
}

static void parse_word(struct options *o, const char *w, size_t len)
{
	const char *eq = memchr(w, '=', len);
	size_t key_len = eq ? (size_t)(eq - w) : len;
	const char *value = eq ? eq + 1 : w + len;
	size_t value_len = eq ? len - key_len - 1 : 0;

	for (u32 i = 0; i < ARRAY_SIZE(option_defs); i++) {
		const char *expected = "";

		if (!word_is(w, key_len, option_defs[i].name))
			continue;
		if (option_defs[i].parse(o, value, value_len, &expected) < 0)
			warn(o, "option '%.*s': bad value '%.*s%s' (expected %s); ignored",
			     (int)key_len, w, (int)MIN(value_len, 24u), value,
			     value_len > 24 ? "..." : "", expected);
		return;
	}
	warn(o, "unknown option '%.*s%s' ignored", (int)MIN(len, 48u), w, len > 48 ? "..." : "");
}

void cmdline_defaults(struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->loglevel = 3;
	o->on_panic = POWER_HALT;
	o->on_done = POWER_POWEROFF;
	o->x2apic = true;
	o->tsc_deadline = true;
	o->color = true;
	o->gdb_port = CMDLINE_COM2_PORT;
}

void cmdline_parse(const char *line, struct options *o)
{
	while (*line) {
		size_t len = 0;

		while (*line == ' ' || *line == '\t')
			line++;
		while (line[len] && line[len] != ' ' && line[len] != '\t')
			len++;
		if (len)
			parse_word(o, line, len);
		line += len;
	}
}

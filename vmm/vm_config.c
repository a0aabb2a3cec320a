/* SPDX-License-Identifier: MIT */
/*
 * VM settings: the table of options with their limits, read from a module line here and from
 * the config file by vmm/config_file.c. Pure: the unit tests feed it lines and values.
 */
#include "vmm/vm_config.h"
#include "kernel/errno.h"
#include "kernel/format.h"
#include "kernel/string.h"
#include "vmm/guest_abi.h"
#include "vmm/trace_ring.h"

struct vm_option {
	const char *key;	/* in a [vm.NAME] table of the config file, or NULL */
	const char *line_key;	/* on a guest module line, or NULL */
	const char *expected;	/* what a good value looks like, for messages */
	int (*set)(struct vm_config *c, const struct config_value *v);
};

static const char *const format_names[] = {
	[VM_FORMAT_AUTO] = "auto", [VM_FORMAT_FLAT] = "flat", [VM_FORMAT_ELF] = "elf",
	[VM_FORMAT_MULTIBOOT] = "multiboot", [VM_FORMAT_LINUX] = "linux",
};

static const char *const color_names[] = {
	[VM_COLOR_AUTO] = "auto", [VM_COLOR_OFF] = "off", [VM_COLOR_RED] = "red",
	[VM_COLOR_GREEN] = "green", [VM_COLOR_YELLOW] = "yellow", [VM_COLOR_BLUE] = "blue",
	[VM_COLOR_MAGENTA] = "magenta", [VM_COLOR_CYAN] = "cyan",
};

/* In bit order of VM_DEVICE_*. */
static const char *const device_names[] = {
	"debugcon", "post", "minikvm", "pic", "pit", "uart", "keyboard", "rtc",
	"ioapic", "vga", "lapic", "acpi", "mptable", "fwcfg", "pci", "kvmclock",
};
static const char *const input_names[] = { "auto", "hypercall", "uart", "keyboard" };
_Static_assert(VM_DEVICES_ALL == BIT(ARRAY_SIZE(device_names)) - 1, "a name for every device");

static bool text_is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && strncmp(s, word, len) == 0;
}

/* The index of s[0..len) in names, or -1. */
static int name_index(const char *const *names, size_t count, const char *s, size_t len)
{
	for (size_t i = 0; i < count; i++)
		if (text_is(s, len, names[i]))
			return (int)i;
	return -1;
}

static int value_integer(const struct config_value *v, u64 *n)
{
	if (v->kind == CONFIG_INTEGER) {
		*n = v->integer;
		return 0;
	}
	return v->kind == CONFIG_WORD ? str_to_u64(v->text, v->len, n) : -EINVAL;
}

static bool value_is_text(const struct config_value *v)
{
	return v->kind == CONFIG_WORD || v->kind == CONFIG_STRING;
}

static int value_name(const struct config_value *v, const char *const *names, size_t count)
{
	return value_is_text(v) ? name_index(names, count, v->text, v->len) : -1;
}

static int integer_in(const struct config_value *v, u64 low, u64 high, u64 *n)
{
	return value_integer(v, n) < 0 || *n < low || *n > high ? -EINVAL : 0;
}

static int set_memory(struct vm_config *c, const struct config_value *v)
{
	u64 n;

	if (value_is_text(v)) {
		if (str_to_size(v->text, v->len, &n) < 0)
			return -EINVAL;
	} else if (v->kind == CONFIG_INTEGER) {
		n = v->integer;
	} else {
		return -EINVAL;
	}
	if (n < VM_MEM_MIN || n > VM_MEM_MAX)
		return -EINVAL;
	c->mem_bytes = ALIGN_UP(n, 2 * MiB);
	return 0;
}

static int set_cpu(struct vm_config *c, const struct config_value *v)
{
	u64 n;

	if (integer_in(v, 0, VM_CPU_NUMBER_MAX, &n) < 0)
		return -EINVAL;
	c->cpus = BIT(n);
	return 0;
}

static int set_cpus(struct vm_config *c, const struct config_value *v)
{
	u64 set = 0;

	if (v->kind != CONFIG_LIST || v->count == 0)
		return -EINVAL;
	for (u32 i = 0; i < v->count; i++) {
		const struct config_value *item = &v->items[i];

		if (item->kind != CONFIG_INTEGER || item->integer > VM_CPU_NUMBER_MAX)
			return -EINVAL;
		set |= BIT(item->integer);
	}
	c->cpus = set;
	return 0;
}

static int set_vcpus(struct vm_config *c, const struct config_value *v)
{
	u64 n;

	if (integer_in(v, 1, VM_VCPUS_MAX, &n) < 0)
		return -EINVAL;
	c->vcpus = (u32)n;
	return 0;
}

static int set_priority(struct vm_config *c, const struct config_value *v)
{
	u64 n;

	if (integer_in(v, 0, VM_PRIORITY_MAX, &n) < 0)
		return -EINVAL;
	c->priority = (u8)n;
	return 0;
}

static int set_timeout(struct vm_config *c, const struct config_value *v)
{
	size_t len = v->len;
	u64 n, scale;

	if (!value_is_text(v))
		return -EINVAL;
	if (len > 2 && strncmp(v->text + len - 2, "ms", 2) == 0) {
		len -= 2;
		scale = 1;
	} else if (len > 1 && v->text[len - 1] == 's') {
		len -= 1;
		scale = 1000;
	} else {
		return -EINVAL;
	}
	if (str_to_u64(v->text, len, &n) < 0 || n == 0 || n > VM_TIMEOUT_MAX_MS / scale)
		return -EINVAL;
	c->timeout_ms = n * scale;
	return 0;
}

/* onexit's and on_reset's values, in the order of both enums. */
static const char *const stop_or_restart[] = { "stop", "restart" };
_Static_assert(VM_ON_EXIT_RESTART == 1 && VM_ON_RESET_RESTART == 1, "stop, then restart");

static int set_onexit(struct vm_config *c, const struct config_value *v)
{
	int i = value_name(v, stop_or_restart, ARRAY_SIZE(stop_or_restart));

	if (i < 0)
		return -EINVAL;
	c->on_exit = (enum vm_on_exit)i;
	return 0;
}

static int set_on_reset(struct vm_config *c, const struct config_value *v)
{
	int i = value_name(v, stop_or_restart, ARRAY_SIZE(stop_or_restart));

	if (i < 0)
		return -EINVAL;
	c->on_reset = (enum vm_on_reset)i;
	return 0;
}

static int set_format(struct vm_config *c, const struct config_value *v)
{
	int i = value_name(v, format_names, ARRAY_SIZE(format_names));

	if (i < 0)
		return -EINVAL;
	c->format = (enum vm_format)i;
	return 0;
}

static int set_color(struct vm_config *c, const struct config_value *v)
{
	int i = value_name(v, color_names, ARRAY_SIZE(color_names));

	if (i < 0)
		return -EINVAL;
	c->color = (enum vm_color)i;
	return 0;
}

static int set_input(struct vm_config *c, const struct config_value *v)
{
	int i = value_name(v, input_names, ARRAY_SIZE(input_names));

	if (i < 0)
		return -EINVAL;
	c->input = (enum vm_input)i;
	return 0;
}

static int set_cmdline(struct vm_config *c, const struct config_value *v)
{
	if (v->kind != CONFIG_STRING || v->len >= sizeof(c->args))
		return -EINVAL;
	memcpy(c->args, v->text, v->len);
	c->args[v->len] = '\0';
	return 0;
}

static int set_devices(struct vm_config *c, const struct config_value *v)
{
	u32 devices = 0;

	if (v->kind != CONFIG_LIST)
		return -EINVAL;
	for (u32 i = 0; i < v->count; i++) {
		int d = v->items[i].kind == CONFIG_STRING ?
			value_name(&v->items[i], device_names, ARRAY_SIZE(device_names)) : -1;

		if (d < 0)
			return -EINVAL;
		devices |= (u32)BIT(d);
	}
	c->devices = devices;
	return 0;
}

static int set_autostart(struct vm_config *c, const struct config_value *v)
{
	if (v->kind != CONFIG_BOOL)
		return -EINVAL;
	c->autostart = v->boolean;
	return 0;
}

static int set_gdb(struct vm_config *c, const struct config_value *v)
{
	if (v->kind != CONFIG_BOOL)
		return -EINVAL;
	c->gdb = v->boolean;
	return 0;
}

static int set_trace(struct vm_config *c, const struct config_value *v)
{
	if (v->kind != CONFIG_BOOL)
		return -EINVAL;
	c->trace = v->boolean;
	return 0;
}

static int set_trace_entries(struct vm_config *c, const struct config_value *v)
{
	u64 n;

	if (v->kind != CONFIG_INTEGER || integer_in(v, TRACE_ENTRIES_MIN, TRACE_ENTRIES_MAX, &n) < 0)
		return -EINVAL;
	c->trace_entries = (u32)n;
	return 0;
}

static int set_load_address(struct vm_config *c, const struct config_value *v)
{
	if (v->kind != CONFIG_INTEGER || v->integer >= VM_REAL_MODE_END)
		return -EINVAL;
	c->load_address = v->integer;
	return 0;
}

static int set_entry(struct vm_config *c, const struct config_value *v)
{
	if (v->kind != CONFIG_INTEGER || v->integer >= VM_REAL_MODE_IP_END)
		return -EINVAL;
	c->entry = v->integer;
	return 0;
}

_Static_assert(VM_VCPUS_MAX == 16 && VM_PRIORITY_MAX == 3 && VM_CPU_NUMBER_MAX == 63 &&
	       VM_ARGS_MAX == 128 && TRACE_ENTRIES_MIN == 16 && TRACE_ENTRIES_MAX == 65536,
	       "the expected values name the limits");

static const struct vm_option options[] = {
	{ "memory", "mem", "a size such as \"64M\" (2M to 64G)", set_memory },
	{ "vcpus", "vcpus", "a number 1 to 16", set_vcpus },
	{ "cpus", NULL, "a list of CPU numbers 0 to 63, such as [0, 1]", set_cpus },
	{ NULL, "cpu", "a CPU number 0 to 63", set_cpu },
	{ "priority", "priority", "a number 0 to 3", set_priority },
	{ "timeout", "timeout", "a duration such as \"10s\" or \"500ms\" (up to 30 days)",
	  set_timeout },
	{ "onexit", "onexit", "\"stop\" or \"restart\"", set_onexit },
	{ "format", "format", "\"auto\", \"flat\", \"elf\", \"multiboot\" or \"linux\"", set_format },
	{ "cmdline", NULL, "a string of up to 127 bytes", set_cmdline },
	{ "devices", NULL, "a list of \"debugcon\", \"post\", \"minikvm\", \"pic\", \"pit\", "
	  "\"uart\", \"keyboard\", \"rtc\", \"ioapic\", \"vga\", \"lapic\", \"acpi\", "
	  "\"mptable\", \"fwcfg\", \"pci\", \"kvmclock\" (or [])", set_devices },
	{ "input", NULL, "\"auto\", \"hypercall\", \"uart\" or \"keyboard\"", set_input },
	{ "autostart", NULL, "true or false", set_autostart },
	{ "gdb", NULL, "true or false", set_gdb },
	{ "color", NULL, "\"auto\", \"off\", \"red\", \"green\", \"yellow\", \"blue\", "
	  "\"magenta\" or \"cyan\"", set_color },
	{ "load_address", NULL, "an address below 0xa0000 (640 KiB)", set_load_address },
	{ "entry", NULL, "an address below 0x10000 (real mode, CS = 0)", set_entry },
	{ "trace", NULL, "true or false", set_trace },
	{ "trace_entries", NULL, "a number 16 to 65536", set_trace_entries },
	{ "on_reset", "on_reset", "\"stop\" or \"restart\"", set_on_reset },
};

void vm_config_defaults(struct vm_config *c, const char *name, size_t name_len)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->name, name, MIN(name_len, sizeof(c->name) - 1));
	c->mem_bytes = VM_MEM_DEFAULT;
	c->cpus = VM_CPUS_ANY;
	c->vcpus = 1;
	c->priority = VM_PRIORITY_DEFAULT;
	c->load_address = c->entry = VIREO_FLAT_LOAD_ADDRESS;
	c->devices = VM_DEVICES_DEFAULT;
	c->color = VM_COLOR_AUTO;
	c->autostart = true;
}

bool vm_config_name_ok(const char *name, size_t len)
{
	if (len == 0 || len >= VM_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char ch = name[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.'))
			return false;
	}
	return true;
}

int vm_config_set(struct vm_config *c, const char *key, size_t key_len,
		  const struct config_value *v, const char **expected)
{
	for (size_t i = 0; i < ARRAY_SIZE(options); i++) {
		if (!options[i].key || !text_is(key, key_len, options[i].key))
			continue;
		*expected = options[i].expected;
		return options[i].set(c, v);
	}
	return -ENOENT;
}

const char *vm_config_keys(void)
{
	static char keys[200];

	if (!keys[0]) {
		size_t n = 0;

		for (size_t i = 0; i < ARRAY_SIZE(options); i++)
			if (options[i].key)
				n += (size_t)format(keys + n, sizeof(keys) - MIN(n, sizeof(keys)),
						    "%s%s", n ? ", " : "", options[i].key);
	}
	return keys;
}

static size_t word_len(const char *s)
{
	size_t n = 0;

	while (s[n] && s[n] != ' ' && s[n] != '\t')
		n++;
	return n;
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* One key=value word of a module line; returns 0 or -EINVAL with the message written. */
static int parse_option(struct vm_config *c, const char *w, size_t len, char *error,
			size_t error_size)
{
	const char *eq = memchr(w, '=', len);
	size_t key_len = eq ? (size_t)(eq - w) : len;

	for (size_t i = 0; eq && i < ARRAY_SIZE(options); i++) {
		struct config_value v = { .kind = CONFIG_WORD, .text = eq + 1,
					  .len = len - key_len - 1 };

		if (!options[i].line_key || !text_is(w, key_len, options[i].line_key))
			continue;
		if (options[i].set(c, &v) == 0)
			return 0;
		format(error, error_size, "bad value in '%.*s' (expected %s)", (int)MIN(len, 32u),
		       w, options[i].expected);
		return -EINVAL;
	}
	format(error, error_size, "unknown option '%.*s' (known: mem=, cpu=, vcpus=, timeout=, "
	       "onexit=, priority=, format=, and --)", (int)MIN(len, 32u), w);
	return -EINVAL;
}

int vm_config_parse(const char *line, struct vm_config *c, char *error, size_t error_size)
{
	const char *s = skip_blanks(line);
	size_t n = word_len(s);

	vm_config_defaults(c, "", 0);
	if (n == 0 || (n == 2 && strncmp(s, "--", 2) == 0)) {
		format(error, error_size, "a guest needs a name: 'guest NAME [options]'");
		return -EINVAL;
	}
	if (!vm_config_name_ok(s, n)) {
		format(error, error_size, "bad name '%.*s' (up to %u letters, digits, '-', '_' or "
		       "'.')", (int)MIN(n, 32u), s, VM_NAME_MAX - 1);
		return -EINVAL;
	}
	memcpy(c->name, s, n);
	for (s = skip_blanks(s + n); *s; s = skip_blanks(s + n)) {
		n = word_len(s);
		if (n == 2 && strncmp(s, "--", 2) == 0) {
			s = skip_blanks(s + 2);
			if (strlen(s) >= sizeof(c->args)) {
				format(error, error_size, "guest arguments longer than %zu bytes",
				       sizeof(c->args) - 1);
				return -EINVAL;
			}
			str_copy(c->args, s, sizeof(c->args));
			break;
		}
		if (parse_option(c, s, n, error, error_size) < 0)
			return -EINVAL;
	}
	return 0;
}

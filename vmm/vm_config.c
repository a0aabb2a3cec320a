/* SPDX-License-Identifier: MIT */
/* The VM settings parser. Pure: the unit tests feed it module command lines. */
#include "vmm/vm_config.h"
#include "kernel/errno.h"
#include "kernel/format.h"
#include "kernel/string.h"

static bool name_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
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

static int parse_timeout(const char *v, size_t len, u64 *ms)
{
	u64 n, scale;

	if (len > 2 && strncmp(v + len - 2, "ms", 2) == 0) {
		len -= 2;
		scale = 1;
	} else if (len > 1 && v[len - 1] == 's') {
		len -= 1;
		scale = 1000;
	} else {
		return -EINVAL;
	}
	if (str_to_u64(v, len, &n) < 0 || n == 0 || n > VM_TIMEOUT_MAX_MS / scale)
		return -EINVAL;
	*ms = n * scale;
	return 0;
}

/* One key=value word; returns 0 or -EINVAL with the message written. */
static int parse_option(struct vm_config *c, const char *w, size_t len, char *error,
			size_t error_size)
{
	const char *eq = memchr(w, '=', len);
	size_t key_len = eq ? (size_t)(eq - w) : len;
	const char *v = eq ? eq + 1 : w + len;
	size_t vlen = eq ? len - key_len - 1 : 0;
	const char *hint;
	u64 n;

	if (key_len == 3 && strncmp(w, "mem", 3) == 0 && eq) {
		hint = "mem=SIZE from 2M to 64G";
		if (str_to_size(v, vlen, &n) < 0 || n < VM_MEM_MIN || n > VM_MEM_MAX)
			goto bad_value;
		c->mem_bytes = ALIGN_UP(n, 2 * MiB);
		return 0;
	}
	if (key_len == 3 && strncmp(w, "cpu", 3) == 0 && eq) {
		hint = "cpu=N, a host CPU number";
		if (str_to_u64(v, vlen, &n) < 0 || n > 4095)
			goto bad_value;
		c->cpu = (s32)n;
		return 0;
	}
	if (key_len == 5 && strncmp(w, "vcpus", 5) == 0 && eq) {
		hint = "vcpus=1 to 16";
		_Static_assert(VM_VCPUS_MAX == 16, "the hint names the limit");
		if (str_to_u64(v, vlen, &n) < 0 || n == 0 || n > VM_VCPUS_MAX)
			goto bad_value;
		c->vcpus = (u32)n;
		return 0;
	}
	if (key_len == 7 && strncmp(w, "timeout", 7) == 0 && eq) {
		hint = "timeout=N[ms|s] up to 30 days";
		if (parse_timeout(v, vlen, &c->timeout_ms) < 0)
			goto bad_value;
		return 0;
	}
	if (key_len == 8 && strncmp(w, "priority", 8) == 0 && eq) {
		hint = "priority=0 to 3";
		_Static_assert(VM_PRIORITY_MAX == 3, "the hint names the limit");
		if (str_to_u64(v, vlen, &n) < 0 || n > VM_PRIORITY_MAX)
			goto bad_value;
		c->priority = (u8)n;
		return 0;
	}
	if (key_len == 6 && strncmp(w, "onexit", 6) == 0 && eq) {
		hint = "onexit=stop or onexit=restart";
		if (vlen == 4 && strncmp(v, "stop", 4) == 0)
			c->on_exit = VM_ON_EXIT_STOP;
		else if (vlen == 7 && strncmp(v, "restart", 7) == 0)
			c->on_exit = VM_ON_EXIT_RESTART;
		else
			goto bad_value;
		return 0;
	}
	format(error, error_size, "unknown option '%.*s' (known: mem=, cpu=, vcpus=, timeout=, "
	       "onexit=, priority=, and --)", (int)MIN(len, 32u), w);
	return -EINVAL;
bad_value:
	format(error, error_size, "bad value in '%.*s' (%s)", (int)MIN(len, 32u), w, hint);
	return -EINVAL;
}

int vm_config_parse(const char *line, struct vm_config *c, char *error, size_t error_size)
{
	const char *s = skip_blanks(line);
	size_t n = word_len(s);

	memset(c, 0, sizeof(*c));
	c->mem_bytes = VM_MEM_DEFAULT;
	c->cpu = VM_CPU_ANY;
	c->vcpus = 1;
	c->priority = VM_PRIORITY_DEFAULT;
	if (n == 0 || (n == 2 && strncmp(s, "--", 2) == 0)) {
		format(error, error_size, "a guest needs a name: 'guest NAME [options]'");
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		if (!name_char_ok(s[i]) || n >= sizeof(c->name)) {
			format(error, error_size, "bad name '%.*s' (up to %zu letters, digits, '-', "
			       "'_' or '.')", (int)MIN(n, 32u), s, sizeof(c->name) - 1);
			return -EINVAL;
		}
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

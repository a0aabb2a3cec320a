// SPDX-License-Identifier: MIT
/*
 * libFuzzer: a VM's console (vmm/vm_console.c), what every guest byte written to the debug
 * port, the write hypercall or the mini-kvm port goes through, over a fake terminal that
 * records all it is given. The input: the colour byte (colours on or off, the VM's colour),
 * then 2-byte steps: a guest byte, a flush (a prompt shown), a time step, or the VM's stop.
 * Checked on the terminal, whatever the guest wrote: no control character but the line ends
 * and the SGR sequences of the VM's own marker reaches it; every line it shows starts with
 * the marker "vm7 name>" or is the host's notice of dropped lines, so no guest line reads as
 * the host's; no line's text is longer than the console's line; every guest line is shown
 * once or counted as dropped, and after the stop every drop has been told of.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tests/fuzz/fuzz_check.h"
#include "kernel/console.h"
#include "kernel/format.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "vmm/vm_console.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

#define VM_ID 7
#define TERMINAL_MAX (1 << 20)
/* The harness's own byte loops, kept out of the coverage that guides the fuzzer (and slows it). */
#define NOT_FUZZED __attribute__((no_sanitize("coverage")))

static char terminal[TERMINAL_MAX];
static size_t terminal_len;
static u64 now_ns;

/* The kernel's side of the console, faked: everything lands on the terminal. */
void console_write(const char *s, size_t n)
{
	fuzz_check(terminal_len + n < TERMINAL_MAX);
	memcpy(terminal + terminal_len, s, n);
	terminal_len += n;
}

static void terminal_printf(const char *fmt, va_list ap)
{
	char line[512];
	int n = format_v(line, sizeof(line), fmt, ap);

	fuzz_check(n >= 0 && (size_t)n < sizeof(line));
	console_write(line, (size_t)n);
}

void printk(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	(void)level;
	va_start(ap, fmt);
	terminal_printf(fmt, ap);
	va_end(ap);
}

void printk_line_start(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	(void)level;
	va_start(ap, fmt);
	terminal_printf(fmt, ap);
	va_end(ap);
}

u64 time_since_boot_ns(void)
{
	return now_ns;
}

enum step { GUEST_BYTE, GUEST_BYTE_TOO, FLUSH, TIME, STEPS };

/* The marker's text with its colour, as the VM's lines start, into buf. */
static size_t marker(const struct vm_console *c, char *buf, size_t size)
{
	return c->sgr ? (size_t)snprintf(buf, size, "\x1b[%sm" "vm%u %s>" "\x1b[0m", c->sgr,
					 VM_ID, c->vm_name)
		      : (size_t)snprintf(buf, size, "vm%u %s>", VM_ID, c->vm_name);
}

/* The terminal's lines: each the VM's record or the host's notice, counted; clean bytes. */
NOT_FUZZED static void check_terminal(const struct vm_console *c, u64 *records, u64 *told_dropped)
{
	char mark[64], notice[64];
	size_t mark_len = marker(c, mark, sizeof(mark)), at = 0;
	size_t notice_len = (size_t)snprintf(notice, sizeof(notice), "vm%u %s: ", VM_ID,
					     c->vm_name);

	*records = *told_dropped = 0;
	while (at < terminal_len) {
		const char *line = terminal + at, *end = memchr(line, '\n', terminal_len - at);
		size_t len = end ? (size_t)(end - line) : terminal_len - at, text = 0;
		unsigned long long n;

		if (len >= mark_len && !memcmp(line, mark, mark_len)) {
			(*records)++;
			text = mark_len;
			fuzz_check(len - text <= 1 + VM_CONSOLE_LINE_MAX);	/* the blank, the text */
		} else {
			fuzz_check(len > notice_len && !memcmp(line, notice, notice_len));
			fuzz_check(sscanf(line + notice_len, "%llu console lines dropped", &n) == 1);
			*told_dropped += n;
		}
		for (size_t i = text; i < len; i++)
			fuzz_check(line[i] >= 0x20 && line[i] < 0x7f);
		at += len + 1;
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct vm_console c;
	u64 records, told_dropped;

	if (size < 1)
		return 0;
	terminal_len = 0;
	now_ns = 0;
	vm_console_use_color(data[0] & 0x80);
	vm_console_init(&c, VM_ID, "fuzz.vm-1", (enum vm_color)(data[0] % 8));
	for (size_t i = 1; i + 2 <= size; i += 2) {
		switch (data[i] % STEPS) {
		case FLUSH:
			vm_console_flush(&c);
			break;
		case TIME:
			now_ns += (u64)data[i + 1] << 22;	/* up to a second */
			break;
		default:
			vm_console_putc(&c, data[i + 1]);
			break;
		}
		fuzz_check(c.dropped <= c.lines && c.len < sizeof(c.line));
	}
	vm_console_close(&c);
	check_terminal(&c, &records, &told_dropped);
	fuzz_check(records == c.lines - c.dropped);
	fuzz_check(told_dropped == c.dropped);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* Kernel log: format one record with its prefix, then hand it to the console whole. */
#include "kernel/printk.h"
#include "kernel/console.h"
#include "kernel/format.h"
#include "kernel/string.h"
#include "kernel/time.h"

static enum log_level current_level = LOG_LEVEL_DEFAULT;
static u32 (*cpu_id_source)(void);

static const char *const level_tags[] = {
	[LOG_ERR] = "ERROR: ",
	[LOG_WARN] = "WARNING: ",
	[LOG_NOTICE] = "",
	[LOG_INFO] = "",
	[LOG_DEBUG] = "debug: ",
};

void printk_set_level(enum log_level level)
{
	current_level = level;
}

void printk_set_cpu_id_source(u32 (*cpu_id)(void))
{
	cpu_id_source = cpu_id;
}

/* A record: time stamp, CPU, tag, text; ended with a newline unless it is a line's start. */
static void record(enum log_level level, bool whole, const char *fmt, va_list ap)
{
	char line[PRINTK_LINE_MAX];
	u64 ns = time_since_boot_ns();
	size_t n;
	int len;

	if (level > current_level)
		return;
	len = format(line, sizeof(line), "[%5llu.%06llu cpu%u] %s", ns / 1000000000ULL,
		     (ns / 1000ULL) % 1000000ULL, cpu_id_source ? cpu_id_source() : 0,
		     level_tags[level]);
	n = (size_t)len;
	len = format_v(line + n, sizeof(line) - n, fmt, ap);
	if (n + (size_t)len >= sizeof(line) - 1) {
		n = sizeof(line) - 5;
		line[n++] = '.';
		line[n++] = '.';
		line[n++] = '.';
	} else {
		n += (size_t)len;
	}
	if (whole && (n == 0 || line[n - 1] != '\n'))
		line[n++] = '\n';
	console_write_line(line, n);
}

void printk_v(enum log_level level, const char *fmt, va_list ap)
{
	record(level, true, fmt, ap);
}

void printk_line_start(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(level, false, fmt, ap);
	va_end(ap);
}

/* Room for the text in one record, beside the time stamp, tag, prefix and quotes. */
#define PRINTK_TEXT_CHUNK 384

void printk_text(enum log_level level, const char *prefix, const char *text, const char *suffix)
{
	size_t len = strlen(text), off = 0;

	do {
		size_t n = MIN(len - off, (size_t)PRINTK_TEXT_CHUNK);

		printk(level, "%s%s'%.*s'%s\n", prefix, off ? "(continued) " : "", (int)n,
		       text + off, off + n == len ? suffix : "");
		off += n;
	} while (off < len);
}

void printk(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printk_v(level, fmt, ap);
	va_end(ap);
}

/* SPDX-License-Identifier: MIT */
/* Kernel log: leveled, timestamped lines on the console. */
#ifndef VIREO_PRINTK_H
#define VIREO_PRINTK_H

#include "kernel/types.h"

enum log_level {
	LOG_ERR = 0,
	LOG_WARN = 1,
	LOG_NOTICE = 2,
	LOG_INFO = 3,
	LOG_DEBUG = 4,
};

#define LOG_LEVEL_DEFAULT LOG_INFO

/*
 * Print one record at the given level if the level is enabled. Each call yields whole lines,
 * each prefixed by "[seconds cpuN]" and, for warnings and errors, a tag; a missing final
 * newline is added. Records are at most PRINTK_LINE_MAX bytes and are cut, marked "...", if
 * longer. Safe from any context, interrupts included.
 */
void printk(enum log_level level, const char *fmt, ...) __printf(2, 3);
void printk_v(enum log_level level, const char *fmt, va_list ap);

/*
 * The start of a record whose rest comes later through console_write (a line being typed or
 * echoed): the time stamp and text, no newline. A record written meanwhile starts a new line.
 */
void printk_line_start(enum log_level level, const char *fmt, ...) __printf(2, 3);

#define PRINTK_LINE_MAX 512

/*
 * Print "prefix'text'suffix" however long text is: a text too long for one record is split
 * over several, each after the first starting with "prefix(continued) ", so nothing is cut.
 */
void printk_text(enum log_level level, const char *prefix, const char *text, const char *suffix);

#define pr_err(...) printk(LOG_ERR, __VA_ARGS__)
#define pr_warn(...) printk(LOG_WARN, __VA_ARGS__)
#define pr_notice(...) printk(LOG_NOTICE, __VA_ARGS__)
#define pr_info(...) printk(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) printk(LOG_DEBUG, __VA_ARGS__)

/* Show records of this level and more severe ones from now on. */
void printk_set_level(enum log_level level);

/* The CPU number printed in the prefix; set once per-CPU data exists (before: 0). */
void printk_set_cpu_id_source(u32 (*cpu_id)(void));

#endif

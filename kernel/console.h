/* SPDX-License-Identifier: MIT */
/* The console: every registered output device receives each line whole, one line at a time. */
#ifndef VIREO_CONSOLE_H
#define VIREO_CONSOLE_H

#include "kernel/types.h"

struct console {
	const char *name;
	/* Write n bytes; called with the console lock held and interrupts off. */
	void (*write)(struct console *con, const char *s, size_t n);
	/* Wait until everything written has left the device (may be NULL). */
	void (*flush)(struct console *con);
	struct console *next;
};

/* Add an output device; lines written from now on reach it too. */
void console_register(struct console *con);

/* Write s[0..n) to every console under the console lock, so concurrent lines never interleave. */
void console_write(const char *s, size_t n);

/*
 * The same for whole lines (log records): when the console is in the middle of a line (the
 * echo of something being typed), the record starts on a new one.
 */
void console_write_line(const char *s, size_t n);

/*
 * Stop honouring the console lock: the panic path calls this so that a CPU that died holding
 * the lock cannot silence the report.
 */
void console_force_unlock(void);

/* Wait until every console has sent what it holds (before a power-off or reset). */
void console_flush(void);

#endif

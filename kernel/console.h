/* SPDX-License-Identifier: MIT */
/*
 * The console: every registered output device receives each line whole, one line at a time.
 * A device may queue what it is given and send it later (a serial port sends 87 us a byte at
 * 115200 baud): once console_start_draining has run, a timer sends what the devices queued,
 * so that a CPU writing a line does not wait for the wire with its guest held up.
 */
#ifndef VIREO_CONSOLE_H
#define VIREO_CONSOLE_H

#include "kernel/types.h"

struct console {
	const char *name;
	/* Take n bytes, sending what the device can take at once; under the console lock. */
	void (*write)(struct console *con, const char *s, size_t n);
	/*
	 * Send more of what write queued, without waiting: true while bytes are still queued
	 * (may be NULL: write sent everything). Under the console lock.
	 */
	bool (*pump)(struct console *con);
	/* Send everything queued and wait until it has left the device (may be NULL). */
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
 * From now on what a device queued is sent by a timer, on the CPU that wrote it; until then
 * (timers not running yet) every write waits until it is sent. Once, when timers work.
 */
void console_start_draining(void);

/*
 * Stop honouring the console lock: the panic path calls this so that a CPU that died holding
 * the lock cannot silence the report. Every write waits until it is sent from then on.
 */
void console_force_unlock(void);

/* Send everything queued and wait until every console has sent it (before a power-off or reset). */
void console_flush(void);

#endif

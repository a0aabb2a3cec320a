/* SPDX-License-Identifier: MIT */
/* The console: a list of output devices fed whole lines under one lock. */
#include "kernel/console.h"
#include "kernel/spinlock.h"

static struct console *consoles;
static struct spinlock console_lock = SPINLOCK_INIT;
static bool lock_ignored;
static bool mid_line;	/* the last byte written was not a newline */

void console_register(struct console *con)
{
	u64 flags = spin_lock_irqsave(&console_lock);
	struct console **p = &consoles;

	while (*p)
		p = &(*p)->next;
	con->next = NULL;
	*p = con;
	spin_unlock_irqrestore(&console_lock, flags);
}

static void write_locked(const char *s, size_t n, bool whole_line)
{
	bool locked = !__atomic_load_n(&lock_ignored, __ATOMIC_RELAXED);
	u64 flags = locked ? spin_lock_irqsave(&console_lock) : irq_save();

	for (struct console *c = consoles; c; c = c->next) {
		if (whole_line && mid_line)
			c->write(c, "\n", 1);
		c->write(c, s, n);
	}
	if (n)
		mid_line = s[n - 1] != '\n';
	if (locked)
		spin_unlock_irqrestore(&console_lock, flags);
	else
		irq_restore(flags);
}

void console_write(const char *s, size_t n)
{
	write_locked(s, n, false);
}

void console_write_line(const char *s, size_t n)
{
	write_locked(s, n, true);
}

void console_force_unlock(void)
{
	__atomic_store_n(&lock_ignored, true, __ATOMIC_RELAXED);
}

void console_flush(void)
{
	for (struct console *c = consoles; c; c = c->next)
		if (c->flush)
			c->flush(c);
}

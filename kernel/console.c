/* SPDX-License-Identifier: MIT */
/* The console: a list of output devices fed whole lines under one lock. */
#include "kernel/console.h"
#include "kernel/spinlock.h"

static struct console *consoles;
static struct spinlock console_lock = SPINLOCK_INIT;
static bool lock_ignored;

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

void console_write(const char *s, size_t n)
{
	bool locked = !__atomic_load_n(&lock_ignored, __ATOMIC_RELAXED);
	u64 flags = locked ? spin_lock_irqsave(&console_lock) : irq_save();

	for (struct console *c = consoles; c; c = c->next)
		c->write(c, s, n);
	if (locked)
		spin_unlock_irqrestore(&console_lock, flags);
	else
		irq_restore(flags);
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

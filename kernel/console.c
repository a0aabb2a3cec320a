/* SPDX-License-Identifier: MIT */
/* The console: a list of output devices fed whole lines under one lock, drained by a timer. */
#include "kernel/console.h"
#include "kernel/percpu.h"
#include "arch/x86/cpu.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"
#include "kernel/timer.h"

/*
 * How often the drain timer sends more: a 16550's 16-byte FIFO empties in 1.39 ms at
 * 115200 baud, so the wire stays busy.
 */
#define DRAIN_PERIOD_NS 1000000
/* How long console_flush waits for a CPU stopped with the lock held before going ahead. */
#define FLUSH_LOCK_TRIES 1000000

static struct console *consoles;
static struct spinlock console_lock = SPINLOCK_INIT;
static bool lock_ignored;
static bool mid_line;	/* the last byte written was not a newline */
static bool draining;	/* console_start_draining has run */
static struct timer drain_timer;	/* armed while a device holds queued bytes */
static bool drain_armed;		/* under console_lock, as every arming of the timer */

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

/* Send what the devices can take now; true while one of them still holds bytes. */
static bool pump_all(void)
{
	bool queued = false;

	for (struct console *c = consoles; c; c = c->next)
		if (c->pump && c->pump(c))
			queued = true;
	return queued;
}

static void flush_all(void)
{
	for (struct console *c = consoles; c; c = c->next)
		if (c->flush)
			c->flush(c);
}

static void drain(struct timer *t)
{
	u64 flags = spin_lock_irqsave(&console_lock);

	if (pump_all())
		timer_arm_ns(t, DRAIN_PERIOD_NS);
	else
		drain_armed = false;
	spin_unlock_irqrestore(&console_lock, flags);
}

/*
 * A CPU that is not online yet (an AP starting) may not have its timer interrupt working, so
 * it arms nothing: it waits for its bytes to go out, as before draining started.
 */
static bool can_leave_queued(bool locked)
{
	return locked && __atomic_load_n(&draining, __ATOMIC_ACQUIRE) && this_cpu()->online &&
	       !this_cpu()->parked;
}

/*
 * The timer goes to the CPU that wrote last, keeping its deadline if it had one: the cost of
 * draining falls on the CPUs whose output it is, not on the one that happened to start it
 * (the boot CPU, which writes first).
 */
static void arm_drain_here(void)
{
	u64 deadline = rdtsc() + time_ns_to_tsc(DRAIN_PERIOD_NS);

	timer_arm(&drain_timer, drain_armed ? drain_timer.deadline : deadline);
	drain_armed = true;
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
	if (!can_leave_queued(locked))
		flush_all();
	else if (pump_all())
		arm_drain_here();
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

void console_start_draining(void)
{
	drain_timer.fn = drain;
	__atomic_store_n(&draining, true, __ATOMIC_RELEASE);
}

void console_force_unlock(void)
{
	__atomic_store_n(&lock_ignored, true, __ATOMIC_RELAXED);
}

/*
 * The caller has stopped the other CPUs (power-off, reset): one may have stopped holding the
 * lock, so the wait for it is bounded.
 */
void console_flush(void)
{
	u64 flags = irq_save();
	bool locked = false;

	for (u32 tries = 0; !locked && tries < FLUSH_LOCK_TRIES; tries++) {
		if (__atomic_load_n(&lock_ignored, __ATOMIC_RELAXED))
			break;
		locked = spin_trylock(&console_lock);
	}
	flush_all();
	if (locked)
		spin_unlock(&console_lock);
	irq_restore(flags);
}

/* SPDX-License-Identifier: MIT */
/* Per-CPU timers: a sorted list per CPU, the local APIC timer set to the soonest deadline. */
#include "kernel/timer.h"
#include "arch/x86/cpu.h"
#include "arch/x86/lapic.h"
#include "arch/x86/traps.h"
#include "arch/x86/vectors.h"
#include "kernel/percpu.h"
#include "kernel/time.h"

static void unlink(struct percpu *cpu, struct timer *t)
{
	for (struct timer **p = &cpu->timers; *p; p = &(*p)->next) {
		if (*p == t) {
			*p = t->next;
			break;
		}
	}
	t->armed = false;
}

/* Program the local APIC for the soonest timer: only the owning CPU can. */
static void program_next(struct percpu *cpu)
{
	if (cpu->timers)
		lapic_timer_arm(cpu->timers->deadline);
	else
		lapic_timer_stop();
}

/* Lock the list t is on (if any): its CPU may change until the lock is held. */
static struct percpu *lock_owner(struct timer *t, u64 *flags)
{
	for (;;) {
		struct percpu *cpu = percpu_of[__atomic_load_n(&t->cpu, __ATOMIC_ACQUIRE)];

		*flags = spin_lock_irqsave(&cpu->timer_lock);
		if (cpu->id == t->cpu)
			return cpu;
		spin_unlock_irqrestore(&cpu->timer_lock, *flags);
	}
}

void timer_arm(struct timer *t, u64 deadline)
{
	struct percpu *cpu, *old;
	struct timer **p;
	u64 flags;

	if (t->armed) {
		old = lock_owner(t, &flags);
		if (t->armed)
			unlink(old, t);
		spin_unlock_irqrestore(&old->timer_lock, flags);
	}
	flags = irq_save();
	cpu = this_cpu();
	spin_lock(&cpu->timer_lock);
	t->deadline = deadline;
	__atomic_store_n(&t->cpu, cpu->id, __ATOMIC_RELEASE);
	for (p = &cpu->timers; *p && (s64)((*p)->deadline - deadline) <= 0; p = &(*p)->next)
		;
	t->next = *p;
	*p = t;
	t->armed = true;
	if (cpu->timers == t)
		program_next(cpu);
	spin_unlock(&cpu->timer_lock);
	irq_restore(flags);
}

void timer_arm_ns(struct timer *t, u64 ns)
{
	timer_arm(t, rdtsc() + time_ns_to_tsc(ns));
}

/*
 * A timer left armed on another CPU's APIC costs that CPU one early interrupt at most: its
 * handler finds nothing due and programs the next.
 */
void timer_cancel(struct timer *t)
{
	struct percpu *cpu;
	u64 flags;

	if (!__atomic_load_n(&t->armed, __ATOMIC_ACQUIRE) &&
	    !__atomic_load_n(&t->running, __ATOMIC_ACQUIRE))
		return;
	cpu = lock_owner(t, &flags);
	if (t->armed) {
		bool was_first = cpu->timers == t;

		unlink(cpu, t);
		if (was_first && cpu == this_cpu())
			program_next(cpu);
	}
	spin_unlock_irqrestore(&cpu->timer_lock, flags);
	/* Wait out a callback running on its CPU, unless this is that callback. */
	if (cpu != this_cpu())
		while (__atomic_load_n(&t->running, __ATOMIC_ACQUIRE))
			cpu_relax();
}

static void timer_interrupt(struct trap_frame *f)
{
	struct percpu *cpu = this_cpu();

	(void)f;
	lapic_eoi();
	spin_lock(&cpu->timer_lock);
	while (cpu->timers && (s64)(rdtsc() - cpu->timers->deadline) >= 0) {
		struct timer *t = cpu->timers;

		cpu->timers = t->next;
		t->armed = false;
		__atomic_store_n(&t->running, true, __ATOMIC_RELEASE);
		spin_unlock(&cpu->timer_lock);
		t->fn(t);
		__atomic_store_n(&t->running, false, __ATOMIC_RELEASE);
		spin_lock(&cpu->timer_lock);
	}
	program_next(cpu);
	spin_unlock(&cpu->timer_lock);
}

void timer_init(void)
{
	trap_register(VECTOR_LAPIC_TIMER, timer_interrupt);
}

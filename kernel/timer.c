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

static void program_next(struct percpu *cpu)
{
	if (cpu->timers)
		lapic_timer_arm(cpu->timers->deadline);
	else
		lapic_timer_stop();
}

void timer_arm(struct timer *t, u64 deadline)
{
	u64 flags = irq_save();
	struct percpu *cpu = this_cpu();
	struct timer **p = &cpu->timers;

	if (t->armed)
		unlink(cpu, t);
	t->deadline = deadline;
	while (*p && (s64)((*p)->deadline - deadline) <= 0)
		p = &(*p)->next;
	t->next = *p;
	*p = t;
	t->armed = true;
	if (cpu->timers == t)
		program_next(cpu);
	irq_restore(flags);
}

void timer_arm_ns(struct timer *t, u64 ns)
{
	timer_arm(t, rdtsc() + time_ns_to_tsc(ns));
}

void timer_cancel(struct timer *t)
{
	u64 flags = irq_save();
	struct percpu *cpu = this_cpu();
	bool was_first = cpu->timers == t;

	if (t->armed)
		unlink(cpu, t);
	if (was_first)
		program_next(cpu);
	irq_restore(flags);
}

static void timer_interrupt(struct trap_frame *f)
{
	struct percpu *cpu = this_cpu();

	(void)f;
	lapic_eoi();
	while (cpu->timers && (s64)(rdtsc() - cpu->timers->deadline) >= 0) {
		struct timer *t = cpu->timers;

		cpu->timers = t->next;
		t->armed = false;
		t->fn(t);
	}
	program_next(cpu);
}

void timer_init(void)
{
	trap_register(VECTOR_LAPIC_TIMER, timer_interrupt);
}

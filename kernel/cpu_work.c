/* SPDX-License-Identifier: MIT */
/* The per-CPU work queue and idle loop. */
#include "kernel/cpu_work.h"
#include "arch/x86/lapic.h"
#include "arch/x86/traps.h"
#include "arch/x86/vectors.h"
#include "kernel/errno.h"
#include "kernel/percpu.h"

static void kick_interrupt(struct trap_frame *f)
{
	(void)f;
	lapic_eoi();	/* the interrupt itself was the point: the CPU left a guest or HLT */
}

void cpu_work_init(void)
{
	trap_register(VECTOR_RESCHEDULE, kick_interrupt);
}

void cpu_kick(u32 cpu)
{
	struct percpu *p = cpu < percpu_count ? percpu_of[cpu] : NULL;

	if (p && p != this_cpu())
		lapic_send_ipi(p->apic_id, VECTOR_RESCHEDULE);
}

int work_queue(u32 cpu, struct work *w)
{
	struct percpu *p = percpu_working(cpu);
	struct work **tail;
	u64 flags;

	if (!p)
		return -ENODEV;
	flags = spin_lock_irqsave(&p->work_lock);
	if (w->queued) {
		spin_unlock_irqrestore(&p->work_lock, flags);
		return -EBUSY;
	}
	for (tail = &p->work; *tail; tail = &(*tail)->next)
		;
	w->next = NULL;
	w->queued = true;
	*tail = w;
	spin_unlock_irqrestore(&p->work_lock, flags);
	__atomic_store_n(&p->need_resched, true, __ATOMIC_RELEASE);
	cpu_kick(cpu);
	return 0;
}

bool work_pending(void)
{
	return __atomic_load_n(&this_cpu()->work, __ATOMIC_ACQUIRE) != NULL;
}

/* The next work of this CPU, taken off its queue; NULL (with interrupts off) when none. */
static struct work *next_work(struct percpu *p)
{
	struct work *w;

	irq_disable();
	spin_lock(&p->work_lock);
	w = p->work;
	if (w) {
		p->work = w->next;
		w->queued = false;
	}
	spin_unlock(&p->work_lock);
	return w;
}

u64 cpu_idle_tsc(u32 cpu)
{
	struct percpu *p = percpu_of[cpu];
	u64 since, idle;
	bool asleep;

	do {	/* again if it woke and slept again meanwhile: that sleep would count twice */
		since = __atomic_load_n(&p->idle_since, __ATOMIC_ACQUIRE);
		idle = __atomic_load_n(&p->idle_tsc, __ATOMIC_ACQUIRE);
		asleep = __atomic_load_n(&p->idle, __ATOMIC_ACQUIRE);
	} while (since != __atomic_load_n(&p->idle_since, __ATOMIC_ACQUIRE));
	return asleep ? idle + (rdtsc() - since) : idle;
}

__noreturn void cpu_idle_loop(void)
{
	struct percpu *p = this_cpu();

	for (;;) {
		struct work *w = next_work(p);

		if (!w) {
			__atomic_store_n(&p->idle_since, rdtsc(), __ATOMIC_RELAXED);
			__atomic_store_n(&p->idle, true, __ATOMIC_RELEASE);
			cpu_wait_for_interrupt();	/* STI; HLT: a kick after the check still wakes us */
			__atomic_store_n(&p->idle, false, __ATOMIC_RELEASE);
			__atomic_add_fetch(&p->idle_tsc, rdtsc() - p->idle_since, __ATOMIC_RELAXED);
			continue;
		}
		irq_enable();
		w->fn(w);
	}
}

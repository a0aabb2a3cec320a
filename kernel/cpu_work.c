/* SPDX-License-Identifier: MIT */
/* The per-CPU idle loop and its one job slot. */
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

int cpu_start_job(u32 cpu, smp_call_fn fn, void *arg)
{
	struct percpu *p = cpu < percpu_count ? percpu_of[cpu] : NULL;
	u64 flags;

	if (!p || !__atomic_load_n(&p->online, __ATOMIC_ACQUIRE) || p->parked)
		return -ENODEV;
	flags = spin_lock_irqsave(&p->job_lock);
	if (p->job_fn) {
		spin_unlock_irqrestore(&p->job_lock, flags);
		return -EBUSY;
	}
	p->job_arg = arg;
	__atomic_store_n(&p->job_fn, fn, __ATOMIC_RELEASE);	/* publishes job_arg too */
	spin_unlock_irqrestore(&p->job_lock, flags);
	cpu_kick(cpu);
	return 0;
}

__noreturn void cpu_idle_loop(void)
{
	struct percpu *p = this_cpu();

	for (;;) {
		smp_call_fn fn;

		irq_disable();
		fn = __atomic_load_n(&p->job_fn, __ATOMIC_ACQUIRE);
		if (!fn) {
			cpu_wait_for_interrupt();	/* STI; HLT: a kick after the check still wakes us */
			continue;
		}
		irq_enable();
		fn(p->job_arg);
		__atomic_store_n(&p->job_fn, NULL, __ATOMIC_RELEASE);
	}
}

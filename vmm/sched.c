/* SPDX-License-Identifier: MIT */
/* Per-CPU run queues, and the work item that runs each CPU's vCPUs in turn. */
#include "vmm/sched.h"
#include "kernel/cpu_work.h"
#include "kernel/percpu.h"
#include "kernel/spinlock.h"
#include "kernel/timer.h"
#include "vmm/vcpu.h"
#include "vmm/vcpu_run.h"
#include "vmm/virt.h"
#include "vmm/vm.h"
#include "vmm/vm_config.h"

struct sched_cpu {
	struct spinlock lock;	/* the queue and runner_active */
	struct runq queue;
	struct work runner;	/* runs the queue; queued on this CPU while vCPUs wait */
	bool runner_active;	/* queued or running */
	struct timer slice;	/* ends a guest's run at its slice end, without a preemption timer */
	s8 running_priority;	/* of the vCPU in its slice here, -1 when none */
	u32 placed;		/* vCPUs whose CPU this is */
	u64 switches;		/* slices started */
};

static struct sched_cpu sched_cpus[MAX_CPUS];

_Static_assert(MAX_CPUS <= VM_CPU_NUMBER_MAX + 1, "a CPU set holds every CPU");

static bool cpu_allowed(u64 allowed, u32 cpu)
{
	return allowed == VM_CPUS_ANY || (allowed & BIT(cpu));
}

/* A vCPU's run-queue level: its VM's priority= (0 to VM_PRIORITY_MAX). */
static u8 vcpu_priority(const struct vcpu *v)
{
	_Static_assert(VM_PRIORITY_MAX < RUNQ_LEVELS, "a level for every priority");
	return v->vm->config.priority;
}

static struct sched_cpu *sched_of(u32 cpu)
{
	return &sched_cpus[cpu];
}

/* The next vCPU to run here; NULL (and the runner inactive) when the queue is empty. */
static struct vcpu *take_next(struct sched_cpu *sc)
{
	u64 flags = spin_lock_irqsave(&sc->lock);
	struct runq_node *n = runq_pop(&sc->queue);

	if (!n)
		sc->runner_active = false;
	spin_unlock_irqrestore(&sc->lock, flags);
	return n ? container_of(n, struct vcpu, node) : NULL;
}

static void run_queue(struct work *w)
{
	struct sched_cpu *sc = container_of(w, struct sched_cpu, runner);
	struct vcpu *v;

	while ((v = take_next(sc))) {
		sc->switches++;
		__atomic_store_n(&sc->running_priority, (s8)vcpu_priority(v), __ATOMIC_RELEASE);
		vcpu_run_slice(v);
		__atomic_store_n(&sc->running_priority, -1, __ATOMIC_RELEASE);
		/* Console commands and other host work come between slices. */
		if (work_pending()) {
			work_queue(this_cpu()->id, &sc->runner);
			return;
		}
	}
}

/*
 * The slice timer's interrupt ends the guest's run (or comes while the host handles an exit);
 * the vCPU's loop, told to look, does the rest.
 */
static void slice_over(struct timer *t)
{
	(void)t;
	__atomic_store_n(&this_cpu()->need_resched, true, __ATOMIC_RELEASE);
}

void sched_init(void)
{
	for (u32 cpu = 0; cpu < percpu_count; cpu++) {
		struct sched_cpu *sc = sched_of(cpu);

		runq_init(&sc->queue);
		sc->running_priority = -1;
		sc->runner.fn = run_queue;
		sc->slice.fn = slice_over;
	}
}

/*
 * Wake balancing: v, about to wait on a CPU busy with others, goes to an idle CPU instead when
 * its affinity allows (its VM's cpus, or the one CPU of a console move). The idle and queue
 * states read here are hints; a wrong one costs a wait of a slice, never correctness.
 */
static void balance(struct vcpu *v)
{
	struct sched_cpu *sc = sched_of(v->cpu);
	s8 running = __atomic_load_n(&sc->running_priority, __ATOMIC_ACQUIRE);
	bool busy = !runq_empty(&sc->queue) || (running >= 0 && v->cpu != this_cpu()->id);

	if (!busy)
		return;
	for (u32 cpu = 0; cpu < percpu_count; cpu++) {
		struct percpu *p = percpu_working(cpu);

		if (cpu == v->cpu || !cpu_allowed(v->allowed_cpus, cpu) || !p ||
		    !__atomic_load_n(&p->idle, __ATOMIC_ACQUIRE) ||
		    __atomic_load_n(&sched_of(cpu)->runner_active, __ATOMIC_ACQUIRE))
			continue;
		sched_unplace(v->cpu);
		v->cpu = sched_place(BIT(cpu));
		return;
	}
}

void sched_enqueue(struct vcpu *v)
{
	struct sched_cpu *sc;
	u8 priority = vcpu_priority(v);
	bool start_runner;
	s8 running;
	u64 flags;

	balance(v);
	sc = sched_of(v->cpu);
	flags = spin_lock_irqsave(&sc->lock);
	start_runner = !sc->runner_active;
	running = __atomic_load_n(&sc->running_priority, __ATOMIC_ACQUIRE);
	runq_push(&sc->queue, &v->node, priority);
	sc->runner_active = true;
	spin_unlock_irqrestore(&sc->lock, flags);
	if (start_runner) {
		work_queue(v->cpu, &sc->runner);
	} else if (running >= 0 && running <= (s8)priority) {
		/*
		 * A vCPU of a lower priority runs there: it gives way now. One of the same: it may
		 * have been alone, with a long deadline, which a slice from now replaces.
		 */
		__atomic_store_n(&percpu_of[v->cpu]->need_resched, true, __ATOMIC_RELEASE);
		if (v->cpu != this_cpu()->id)	/* here, the run loop looks before it enters again */
			cpu_kick(v->cpu);
	}
}

bool sched_dequeue(struct vcpu *v)
{
	struct sched_cpu *sc = sched_of(v->cpu);
	u64 flags = spin_lock_irqsave(&sc->lock);
	bool was_queued = runq_remove(&sc->queue, &v->node);

	spin_unlock_irqrestore(&sc->lock, flags);
	return was_queued;
}

u32 sched_place(u64 allowed)
{
	u32 best = CPU_NONE;

	for (u32 cpu = 0; cpu < percpu_count; cpu++)
		if (cpu_allowed(allowed, cpu) &&
		    (best == CPU_NONE || sched_of(cpu)->placed < sched_of(best)->placed))
			best = cpu;
	if (best == CPU_NONE)
		best = 0;	/* a set of CPUs none of which is online: vmm.c refuses those */
	__atomic_add_fetch(&sched_of(best)->placed, 1, __ATOMIC_RELAXED);
	return best;
}

void sched_unplace(u32 cpu)
{
	__atomic_sub_fetch(&sched_of(cpu)->placed, 1, __ATOMIC_RELAXED);
}

void sched_arm_slice(struct vcpu *v)
{
	if (!virt->preemption_timer)
		timer_arm(&sched_of(this_cpu()->id)->slice, v->run_until);
}

bool sched_others_waiting(const struct vcpu *v)
{
	return runq_waiting_at_or_above(&sched_of(this_cpu()->id)->queue, vcpu_priority(v));
}

bool sched_higher_waiting(const struct vcpu *v)
{
	u8 priority = vcpu_priority(v);

	return priority + 1 < RUNQ_LEVELS &&
	       runq_waiting_at_or_above(&sched_of(this_cpu()->id)->queue, (u8)(priority + 1));
}

void sched_cpu_counts(u32 cpu, u32 *placed, u32 *waiting, u64 *switches)
{
	struct sched_cpu *sc = sched_of(cpu);

	*placed = __atomic_load_n(&sc->placed, __ATOMIC_RELAXED);
	*waiting = sc->queue.count;
	*switches = sc->switches;
}

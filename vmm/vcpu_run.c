/* SPDX-License-Identifier: MIT */
/* The run state of a vCPU, changed from anywhere, and one slice of it on its CPU. */
#include "vmm/vcpu_run.h"
#include "arch/x86/cpu.h"
#include "kernel/cpu_work.h"
#include "kernel/errno.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "vmm/sched.h"
#include "vmm/trace.h"
#include "vmm/vcpu.h"
#include "vmm/vcpu_lapic.h"
#include "vmm/virt.h"
#include "vmm/vm.h"

/* Make the move e (v->lock held); false when it changes nothing. */
static bool move(struct vcpu *v, enum run_event e)
{
	bool changed;

	v->run = run_state_next(v->run, e, &changed);
	return changed;
}

void vcpu_start(struct vcpu *v)
{
	u64 flags = spin_lock_irqsave(&v->lock);

	if (move(v, RUN_START))
		sched_enqueue(v);
	spin_unlock_irqrestore(&v->lock, flags);
}

int vcpu_start_in(struct vcpu *v, const struct vcpu_state *s)
{
	u64 flags = spin_lock_irqsave(&v->lock);
	int err = -EBUSY;

	if (v->run == RUN_CREATED) {
		v->new_state = *s;
		v->new_state_due = true;
		move(v, RUN_START);
		/*
		 * Started while its VM is paused: it waits paused too. Read under v->lock, which
		 * vm_pause() and vm_resume() take after changing the VM's state, so that one of
		 * them, or this, sees the other.
		 */
		if (__atomic_load_n(&v->vm->state, __ATOMIC_ACQUIRE) == VM_PAUSED)
			move(v, RUN_PAUSE);
		else
			sched_enqueue(v);
		err = 0;
	}
	spin_unlock_irqrestore(&v->lock, flags);
	return err;
}

void vcpu_wake(struct vcpu *v)
{
	u64 flags = spin_lock_irqsave(&v->lock);

	if (v->run == RUN_BLOCKED && move(v, RUN_WAKE))
		sched_enqueue(v);
	spin_unlock_irqrestore(&v->lock, flags);
}

void vcpu_pause(struct vcpu *v)
{
	u64 flags = spin_lock_irqsave(&v->lock);

	if (v->run == RUN_RUNNING) {
		vcpu_request(v, VCPU_REQ_PAUSE);
		cpu_kick(v->cpu);
	} else {
		if (v->run == RUN_RUNNABLE)
			sched_dequeue(v);
		move(v, RUN_PAUSE);
	}
	spin_unlock_irqrestore(&v->lock, flags);
}

void vcpu_resume(struct vcpu *v)
{
	u64 flags = spin_lock_irqsave(&v->lock);

	__atomic_and_fetch(&v->requests, ~(u32)VCPU_REQ_PAUSE, __ATOMIC_RELEASE);
	if (v->run == RUN_PAUSED && move(v, RUN_RESUME))
		sched_enqueue(v);
	spin_unlock_irqrestore(&v->lock, flags);
}

bool vcpu_stop(struct vcpu *v)
{
	u64 flags = spin_lock_irqsave(&v->lock);
	bool stopped = false;

	vcpu_request(v, VCPU_REQ_STOP);
	if (v->run == RUN_RUNNING) {
		cpu_kick(v->cpu);
	} else {
		if (v->run == RUN_RUNNABLE)
			sched_dequeue(v);
		stopped = move(v, RUN_STOP);
	}
	spin_unlock_irqrestore(&v->lock, flags);
	if (stopped)
		vm_vcpu_stopped(v);
	return stopped;
}

int vcpu_move(struct vcpu *v, u32 cpu)
{
	u64 flags;

	if (!percpu_working(cpu))
		return -ENODEV;
	if (v->vm->config.cpus != VM_CPUS_ANY && !(v->vm->config.cpus & BIT(cpu)))
		return -EPERM;
	flags = spin_lock_irqsave(&v->lock);
	v->allowed_cpus = BIT(cpu);
	if (v->cpu != cpu) {
		bool was_queued = v->run == RUN_RUNNABLE && sched_dequeue(v);
		u32 from = v->cpu;

		sched_unplace(from);
		v->cpu = sched_place(BIT(cpu));
		if (was_queued)
			sched_enqueue(v);
		if (v->run == RUN_RUNNING) {
			vcpu_request(v, VCPU_REQ_MIGRATE);
			cpu_kick(from);
		}
	}
	spin_unlock_irqrestore(&v->lock, flags);
	return 0;
}

/* The first run of a vCPU, and every move to another CPU, are in the log. */
static void log_placement(struct vcpu *v, u32 cpu)
{
	struct vm *vm = v->vm;

	if (v->last_cpu == CPU_NONE && vm->vcpu_count == 1)
		pr_info("vm%u %s: running on CPU %u\n", vm->id, vm->config.name, cpu);
	else if (v->last_cpu == CPU_NONE)
		pr_info("vm%u %s: vCPU %u running on CPU %u\n", vm->id, vm->config.name, v->id, cpu);
	else if (v->last_cpu != cpu)
		pr_info("vm%u %s: vCPU %u moved from CPU %u to CPU %u\n", vm->id, vm->config.name,
			v->id, v->last_cpu, cpu);
}

/*
 * Load v on this CPU: the backend's state, then what no backend switches (the FPU and SSE
 * registers, DR0-DR3), which the CPU holds for the vCPU it runs. False when the backend
 * cannot (the VM is stopped).
 */
static bool load(struct vcpu *v, u32 cpu)
{
	if (virt->vcpu_load(v) < 0) {
		vm_stop(v->vm, "the %s backend could not load vCPU %u on CPU %u", virt->name, v->id,
			cpu);
		return false;
	}
	log_placement(v, cpu);
	fpu_restore(&v->fpu);
	write_dr0(v->dr[0]);
	write_dr1(v->dr[1]);
	write_dr2(v->dr[2]);
	write_dr3(v->dr[3]);
	v->stats.slices++;
	if (v->last_cpu != cpu && v->last_cpu != CPU_NONE)
		v->stats.migrations++;
	v->last_cpu = cpu;
	v->loaded_tsc = rdtsc();
	return true;
}

/*
 * An exit's time in the hypervisor, from the exit to the next entry (or to the put that ends
 * the slice), counted under its reason for the statistics and written into its trace record.
 */
static inline void count_exit_time(struct vcpu *v, u64 now)
{
	enum exit_reason r = v->exit.reason < EXIT_REASON_COUNT ? v->exit.reason : EXIT_UNSUPPORTED;
	u64 took = now - v->exited_tsc;

	if (!v->exited_tsc)
		return;
	v->stats.tsc_by_reason[r] += took;
	v->exited_tsc = 0;
	if (unlikely(v->trace != NULL))
		trace_exit_took(v, took);
}

static void put(struct vcpu *v)
{
	fpu_save(&v->fpu);
	v->dr[0] = read_dr0();
	v->dr[1] = read_dr1();
	v->dr[2] = read_dr2();
	v->dr[3] = read_dr3();
	virt->vcpu_put(v);
	count_exit_time(v, rdtsc());
	v->stats.run_tsc += rdtsc() - v->loaded_tsc;
}

/*
 * Is the slice over? Asked only after an exit that host interrupts caused (EXIT_RESCHED: a
 * timer, a kick, VT-x's preemption timer) or when this CPU's need_resched says to look (work
 * queued, the slice timer fired during an exit), so that other exits read no clock. Alone on
 * its CPU, a vCPU goes on for SCHED_ALONE_NS at a time; one queued beside it (which kicks this
 * CPU) cuts that to a slice from then.
 */
static bool slice_over(struct vcpu *v)
{
	bool others;
	u64 now;

	__atomic_store_n(&this_cpu()->need_resched, false, __ATOMIC_RELAXED);
	if (work_pending() || sched_higher_waiting(v))
		return true;
	others = sched_others_waiting(v);
	now = rdtsc();
	if ((s64)(now - v->run_until) < 0) {
		if (!others || v->run_until - now <= time_ns_to_tsc(SCHED_SLICE_NS))
			return false;
		v->run_until = now + time_ns_to_tsc(SCHED_SLICE_NS);	/* no longer alone */
		sched_arm_slice(v);
		return false;
	}
	if (others)
		return true;
	v->run_until = now + time_ns_to_tsc(SCHED_ALONE_NS);
	sched_arm_slice(v);
	return false;
}

/*
 * A vCPU in VIREO_HC_SLEEP sleeps until its timer fires; a halted one unless something it can
 * take is due; then it is awake.
 */
static bool stays_asleep(struct vcpu *v)
{
	if (v->lapic && vcpu_lapic_waits_for_sipi(v))
		return true;
	if (__atomic_load_n(&v->sleeping, __ATOMIC_ACQUIRE))
		return true;
	if (!v->halted)
		return false;
	if (!vcpu_has_wakeup(v))
		return true;
	v->halted = false;
	return false;
}

/* The entry/exit loop of one slice; returns why it ended. */
static enum run_event run_loop(struct vcpu *v)
{
	if (stays_asleep(v))
		return RUN_BLOCK;	/* woken by something it cannot take yet */
	for (;;) {
		enum exit_action action;

		if (!vcpu_prepare_entry(v))
			return v->leave;
		count_exit_time(v, rdtsc());
		virt->vcpu_run(v);
		v->exited_tsc = rdtsc();
		/*
		 * Tracing costs the untraced run this one test (make bench): a plain read, which
		 * the calls in the loop make it do again at each exit, two instructions where an
		 * atomic load is three. trace_exit() orders it before the ring's pointer.
		 */
		if (unlikely(v->tracing))
			action = trace_exit(v);
		else
			action = vcpu_handle_exit(v);
		if (unlikely(action != EXIT_RESUME)) {
			if (action == EXIT_STOP)
				return RUN_STOP;
			/*
			 * HLT set v->halted; a sleeping hypercall set v->sleeping, which its waker may
			 * have cleared already (a 1 ms timer during the exit): then it goes on.
			 */
			if (action == EXIT_BLOCK && stays_asleep(v))
				return RUN_BLOCK;
			if (action == EXIT_YIELD && sched_others_waiting(v))
				return RUN_PREEMPT;
			if (action == EXIT_RESCHED && slice_over(v))
				return RUN_PREEMPT;
		}
		if (unlikely(__atomic_load_n(&this_cpu()->need_resched, __ATOMIC_RELAXED)) &&
		    slice_over(v))
			return RUN_PREEMPT;
	}
}

static bool waits_for_sipi(const struct vcpu *v)
{
	u32 sipi = v->lapic ? __atomic_load_n(&v->lapic->sipi, __ATOMIC_ACQUIRE) : 0;

	return (sipi & (VCPU_SIPI_WAITING | VCPU_SIPI_RECEIVED)) == VCPU_SIPI_WAITING;
}

/*
 * Settle v's next state after its slice (v put). A vCPU going to sleep checks once more,
 * under its lock, for an interrupt or NMI raised meanwhile: a waker raises first and then
 * takes the lock, so one of the two sees the other. So for a stop or a pause asked after the
 * run loop last looked at the requests: vcpu_stop() and vcpu_pause() found it running and
 * left the request to it.
 */
static void settle(struct vcpu *v, enum run_event why)
{
	u64 flags = spin_lock_irqsave(&v->lock);
	bool stopped = false;

	if (why == RUN_BLOCK || why == RUN_PREEMPT) {
		u32 asked = __atomic_fetch_and(&v->requests, ~(u32)(VCPU_REQ_STOP | VCPU_REQ_PAUSE),
					       __ATOMIC_ACQ_REL);

		if (asked & VCPU_REQ_STOP)
			why = RUN_STOP;
		else if (asked & VCPU_REQ_PAUSE)
			why = RUN_PAUSE;
	}
	/*
	 * Likewise for the timer of a sleep (a block without HLT), which clears v->sleeping first,
	 * and for a startup IPI, which ends the wait of an INIT before it wakes the vCPU.
	 */
	if (why == RUN_BLOCK && !waits_for_sipi(v) &&
	    (v->halted ? vcpu_raised_wakeup(v) : !__atomic_load_n(&v->sleeping, __ATOMIC_ACQUIRE)))
		why = RUN_PREEMPT;
	if (why == RUN_STOP)
		stopped = move(v, RUN_STOP);
	else
		move(v, why);
	if (v->run == RUN_RUNNABLE)
		sched_enqueue(v);
	spin_unlock_irqrestore(&v->lock, flags);
	if (stopped)
		vm_vcpu_stopped(v);
}

void vcpu_run_slice(struct vcpu *v)
{
	u32 cpu = this_cpu()->id;
	enum run_event why;
	u64 flags = spin_lock_irqsave(&v->lock);

	if (v->run != RUN_RUNNABLE || v->cpu != cpu) {
		/* Paused, stopped or moved since it was queued here. */
		if (v->run == RUN_RUNNABLE)
			sched_enqueue(v);
		spin_unlock_irqrestore(&v->lock, flags);
		return;
	}
	move(v, RUN_SCHEDULE);
	spin_unlock_irqrestore(&v->lock, flags);
	if (!load(v, cpu)) {
		settle(v, RUN_STOP);
		return;
	}
	if (v->new_state_due) {
		virt->set_state(v, &v->new_state);
		v->new_state_due = false;
	}
	v->run_until = rdtsc() + time_ns_to_tsc(SCHED_SLICE_NS);
	sched_arm_slice(v);
	why = run_loop(v);
	/* Where it was when its VM stopped for a fault, whether or not the slice ended for it. */
	if (v->vm->fault && vcpu_is_stopping(v))
		vcpu_dump(v);
	put(v);
	settle(v, why);
}

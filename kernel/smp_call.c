/* SPDX-License-Identifier: MIT */
/* Cross-CPU calls through a per-CPU mailbox and the call-function IPI. */
#include "kernel/smp_call.h"
#include "arch/x86/lapic.h"
#include "arch/x86/traps.h"
#include "arch/x86/vectors.h"
#include "kernel/errno.h"
#include "kernel/percpu.h"
#include "kernel/time.h"

enum {
	SMP_CALL_IDLE,
	SMP_CALL_POSTED,
	SMP_CALL_RUNNING,
};

#define SMP_CALL_TIMEOUT_NS NSEC_PER_SEC

void smp_call_service(void)
{
	struct smp_call_slot *slot = &this_cpu()->call;
	u32 posted = SMP_CALL_POSTED;

	/* Whoever moves the slot from POSTED to RUNNING runs the call: exactly once. */
	if (!__atomic_compare_exchange_n(&slot->state, &posted, SMP_CALL_RUNNING, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	slot->fn(slot->arg);
	__atomic_store_n(&slot->state, SMP_CALL_IDLE, __ATOMIC_RELEASE);
}

static void call_function_interrupt(struct trap_frame *f)
{
	(void)f;
	lapic_eoi();
	smp_call_service();
}

void smp_call_init(void)
{
	trap_register(VECTOR_CALL_FUNCTION, call_function_interrupt);
}

/* Wait for the call to be taken and run; withdraw it when it is not taken in time. */
static int wait_for_call(struct smp_call_slot *slot)
{
	u64 give_up = rdtsc() + time_ns_to_tsc(SMP_CALL_TIMEOUT_NS);
	u32 posted = SMP_CALL_POSTED;

	while (__atomic_load_n(&slot->state, __ATOMIC_ACQUIRE) != SMP_CALL_IDLE) {
		smp_call_service();
		cpu_relax();
		if ((s64)(rdtsc() - give_up) > 0 &&
		    __atomic_compare_exchange_n(&slot->state, &posted, SMP_CALL_IDLE, false,
						__ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			return -ETIMEDOUT;
		posted = SMP_CALL_POSTED;
	}
	return 0;
}

int smp_call(u32 cpu, smp_call_fn fn, void *arg)
{
	struct percpu *target = percpu_working(cpu);
	struct smp_call_slot *slot;
	u64 flags;
	int err;

	if (!target)
		return -ENODEV;
	if (target == this_cpu()) {
		flags = irq_save();
		fn(arg);
		irq_restore(flags);
		return 0;
	}
	slot = &target->call;
	while (!spin_trylock(&slot->lock)) {
		smp_call_service();
		cpu_relax();
	}
	slot->fn = fn;
	slot->arg = arg;
	__atomic_store_n(&slot->state, SMP_CALL_POSTED, __ATOMIC_RELEASE);
	lapic_send_ipi(target->apic_id, VECTOR_CALL_FUNCTION);
	err = wait_for_call(slot);
	spin_unlock(&slot->lock);
	return err;
}

u32 smp_call_all(smp_call_fn fn, void *arg)
{
	u32 ran = 0;

	for (u32 cpu = 0; cpu < percpu_count; cpu++)
		if (smp_call(cpu, fn, arg) == 0)
			ran++;
	return ran;
}

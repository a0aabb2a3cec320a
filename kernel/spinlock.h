/* SPDX-License-Identifier: MIT */
/* Ticket spinlocks: FIFO-fair, so no core starves when all of them print or allocate at once. */
#ifndef VIREO_SPINLOCK_H
#define VIREO_SPINLOCK_H

#include "arch/x86/cpu.h"
#include "kernel/types.h"

struct spinlock {
	u32 next;	/* ticket handed to the next arrival */
	u32 owner;	/* ticket now allowed in */
};

#define SPINLOCK_INIT { 0, 0 }

static inline void spin_lock(struct spinlock *l)
{
	u32 ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		cpu_relax();
}

/* Take the lock only if it is free now; returns true when taken. */
static inline bool spin_trylock(struct spinlock *l)
{
	u32 owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	u32 expected = owner;

	return __atomic_compare_exchange_n(&l->next, &expected, owner + 1, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(struct spinlock *l)
{
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) !=
	       __atomic_load_n(&l->next, __ATOMIC_RELAXED);
}

/* Lock with interrupts off, for locks also taken from interrupt handlers. */
static inline u64 spin_lock_irqsave(struct spinlock *l)
{
	u64 flags = irq_save();

	spin_lock(l);
	return flags;
}

static inline void spin_unlock_irqrestore(struct spinlock *l, u64 flags)
{
	spin_unlock(l);
	irq_restore(flags);
}

#endif

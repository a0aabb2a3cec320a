/* SPDX-License-Identifier: MIT */
/* Cross-CPU calls: run a function on another CPU and wait until it has run. */
#ifndef VIREO_SMP_CALL_H
#define VIREO_SMP_CALL_H

#include "kernel/spinlock.h"
#include "kernel/types.h"

typedef void (*smp_call_fn)(void *arg);

/* Per-CPU mailbox (part of struct percpu). */
struct smp_call_slot {
	struct spinlock lock;	/* one caller at a time per target */
	smp_call_fn fn;
	void *arg;
	u32 state;		/* SMP_CALL_IDLE, _POSTED or _RUNNING */
};

/* Take the call-function IPI; once, on the boot CPU. */
void smp_call_init(void);

/*
 * Run fn(arg) on CPU cpu, with interrupts off there, and return when it has run: 0, -ENODEV
 * when that CPU is not online, or -ETIMEDOUT when it did not take the call within a second
 * (then fn has not run and never will). Calls to the calling CPU run directly. While waiting,
 * the caller runs calls made to it, so two CPUs calling each other cannot deadlock.
 */
int smp_call(u32 cpu, smp_call_fn fn, void *arg);

/* smp_call on every online CPU in turn, the caller included; returns how many ran fn. */
u32 smp_call_all(smp_call_fn fn, void *arg);

/* Run a call posted to this CPU, if any (the IPI handler and waiting loops use it). */
void smp_call_service(void);

#endif

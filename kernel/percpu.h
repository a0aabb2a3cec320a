/* SPDX-License-Identifier: MIT */
/* Per-CPU data, reached through the GS base: one struct percpu per core. */
#ifndef VIREO_PERCPU_H
#define VIREO_PERCPU_H

#include "arch/x86/gdt.h"
#include "kernel/smp_call.h"
#include "kernel/types.h"

struct timer;
struct work;

#define MAX_CPUS 64
#define KERNEL_STACK_SIZE (32 * KiB)
#define CPU_NONE 0xffffffffu

struct percpu {
	struct percpu *self;	/* first field: this_cpu() is a single load from %gs:0 */
	u32 id;			/* dense CPU number; 0 is the boot CPU */
	u32 apic_id;
	u64 stack_bottom, stack_top;	/* the CPU's kernel stack */
	u64 ist_bottom;		/* its IST stacks lie in [ist_bottom, ist_bottom + IST_SLOTS * size) */
	bool online;		/* set by the CPU itself once it runs kernel code on its own tables */
	bool parked;		/* stopped for good (panic or power-off) */
	struct spinlock timer_lock;
	struct timer *timers;	/* armed timers, soonest first, under timer_lock */
	struct smp_call_slot call;	/* a function another CPU asked this one to run */
	bool msr_probe_faulted;	/* set by the #GP fix-up of rdmsr_safe */
	void *virt_cpu;		/* the virtualization backend's per-CPU state */
	struct spinlock work_lock;
	struct work *work;	/* what its idle loop runs next (kernel/cpu_work.c) */
	/*
	 * Set when a long piece of work should look up: work was queued here, a time slice's
	 * timer fired. Checked once per guest exit, so that the common exit reads no clock.
	 */
	bool need_resched;
	bool idle;		/* in its idle loop's HLT, nothing to do */
	u64 idle_tsc;		/* TSC ticks spent there, up to its last wake-up */
	u64 idle_since;		/* the TSC when it last went idle */
	struct cpu_tables tables;
};

/* Number of CPUs with an id so far (online or not); ids are 0 .. percpu_count-1. */
extern u32 percpu_count;

/* Every CPU brought up so far, by id. */
extern struct percpu *percpu_of[MAX_CPUS];

/* CPU cpu if it exists, is online and is not parked, so that it takes work; else NULL. */
static inline struct percpu *percpu_working(u32 cpu)
{
	struct percpu *p = cpu < percpu_count ? percpu_of[cpu] : NULL;

	return p && __atomic_load_n(&p->online, __ATOMIC_ACQUIRE) && !p->parked ? p : NULL;
}

/* The boot CPU's data and stack, set up before memory management exists. */
extern struct percpu bsp_percpu;

/*
 * Make p the calling CPU's data: load its GDT, TSS and the IDT, and point GS base at it.
 * The stacks must already be set in p (stack_*, ist_bottom).
 */
void percpu_activate(struct percpu *p);

/* Set up the boot CPU with its static stacks. */
void percpu_init_bsp(void);

static inline struct percpu *this_cpu(void)
{
	struct percpu *p;

	__asm__ volatile("movq %%gs:0, %0" : "=r"(p));
	return p;
}

/* The calling CPU's id, also valid in the few instructions before percpu_init_bsp (0). */
u32 this_cpu_id(void);

#endif

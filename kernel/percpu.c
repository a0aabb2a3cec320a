/* SPDX-License-Identifier: MIT */
/* Per-CPU data: activation on a core, and the boot CPU's static instance. */
#include "kernel/percpu.h"
#include "arch/x86/cpu.h"
#include "arch/x86/idt.h"
#include "arch/x86/msr.h"

struct percpu *percpu_of[MAX_CPUS];
struct percpu bsp_percpu;
u32 percpu_count;

/* The boot CPU's stack is in boot/entry.asm, which switches to it; later CPUs use the heap. */
extern u8 bsp_stack[], bsp_stack_top[];
static u8 bsp_ist_stacks[IST_SLOTS * IST_STACK_SIZE] __aligned(16);

static bool gs_ready;

void percpu_activate(struct percpu *p)
{
	u64 ist_tops[IST_SLOTS];

	for (int i = 0; i < IST_SLOTS; i++)
		ist_tops[i] = p->ist_bottom + (u64)(i + 1) * IST_STACK_SIZE;
	p->self = p;
	gdt_load_cpu(&p->tables, ist_tops);
	idt_load();
	wrmsr(MSR_GS_BASE, (u64)p);
}

void percpu_init_bsp(void)
{
	bsp_percpu.id = 0;
	bsp_percpu.stack_bottom = (u64)bsp_stack;
	bsp_percpu.stack_top = (u64)bsp_stack_top;
	bsp_percpu.ist_bottom = (u64)bsp_ist_stacks;
	bsp_percpu.online = true;
	percpu_of[0] = &bsp_percpu;
	percpu_count = 1;
	idt_init();
	percpu_activate(&bsp_percpu);
	gs_ready = true;
}

u32 this_cpu_id(void)
{
	return gs_ready ? this_cpu()->id : 0;
}

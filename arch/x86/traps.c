/* SPDX-License-Identifier: MIT */
/* Interrupt and exception dispatch: exceptions in the hypervisor are fatal, IRQs go to handlers. */
#include "arch/x86/traps.h"
#include "arch/x86/cpu.h"
#include "arch/x86/smp.h"
#include "arch/x86/vectors.h"
#include "kernel/panic.h"
#include "kernel/printk.h"

static trap_handler_t handlers[256];
static u64 unhandled_count;

static const char *const exception_names[VECTOR_EXCEPTIONS][2] = {
	[0] = { "#DE", "divide error" },
	[1] = { "#DB", "debug exception" },
	[2] = { "NMI", "non-maskable interrupt" },
	[3] = { "#BP", "breakpoint" },
	[4] = { "#OF", "overflow" },
	[5] = { "#BR", "BOUND range exceeded" },
	[6] = { "#UD", "invalid opcode" },
	[7] = { "#NM", "device not available" },
	[8] = { "#DF", "double fault" },
	[9] = { "#MF9", "coprocessor segment overrun" },
	[10] = { "#TS", "invalid TSS" },
	[11] = { "#NP", "segment not present" },
	[12] = { "#SS", "stack-segment fault" },
	[13] = { "#GP", "general protection fault" },
	[14] = { "#PF", "page fault" },
	[15] = { "#15", "reserved vector 15" },
	[16] = { "#MF", "x87 floating-point error" },
	[17] = { "#AC", "alignment check" },
	[18] = { "#MC", "machine check" },
	[19] = { "#XM", "SIMD floating-point exception" },
	[20] = { "#VE", "virtualization exception" },
	[21] = { "#CP", "control protection exception" },
	[28] = { "#HV", "hypervisor injection exception" },
	[29] = { "#VC", "VMM communication exception" },
	[30] = { "#SX", "security exception" },
};

const char *trap_mnemonic(u64 vector)
{
	if (vector >= VECTOR_EXCEPTIONS)
		return "IRQ";
	return exception_names[vector][0] ? exception_names[vector][0] : "#??";
}

const char *trap_description(u64 vector)
{
	if (vector >= VECTOR_EXCEPTIONS)
		return "interrupt";
	return exception_names[vector][1] ? exception_names[vector][1] : "reserved exception";
}

void trap_register(u8 vector, trap_handler_t h)
{
	handlers[vector] = h;
}

static void handle_nmi(struct trap_frame *f)
{
	/* A panic or a power-off stops the other CPUs with NMIs (arch/x86/smp.c). */
	if (smp_stop_requested())
		smp_park_this_cpu();
	pr_warn("NMI on this CPU at RIP %#llx ignored\n", f->rip);
}

void trap_entry(struct trap_frame *f)
{
	if (f->vector == VECTOR_NMI) {
		handle_nmi(f);
		return;
	}
	if (f->vector == VECTOR_GENERAL_PROTECTION && rdmsr_safe_fixup(&f->rip))
		return;
	if (f->vector < VECTOR_EXCEPTIONS)
		panic_on_trap(f);
	if (handlers[f->vector]) {
		handlers[f->vector](f);
		return;
	}
	if (unhandled_count++ < 8)
		pr_warn("unexpected interrupt, vector %#llx, ignored\n",
			f->vector);
}

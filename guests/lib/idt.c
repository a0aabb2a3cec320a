/* SPDX-License-Identifier: MIT */
/*
 * The IDT of 64-bit guests: every vector enters one C dispatcher (the stubs are in
 * start64.asm), which runs the handler set for the vector or, by default, notes a fault and
 * resumes fault_skip bytes after the faulting instruction.
 */
#include "guests/lib/guest.h"

volatile u8 fault_vector;
volatile u32 fault_error;
volatile unsigned long fault_skip;

extern const u64 guest_vector_stubs[256];	/* start64.asm: the entry of each vector */

struct __packed idt_gate {
	u16 offset_low, selector;
	u8 ist, type;
	u16 offset_mid;
	u32 offset_high, reserved;
};

/* Present 64-bit interrupt gates (type 0xe) in the loader's code segment, 0x08. */
static struct idt_gate idt[256] __aligned(16);
static trap_handler_t handlers[256];

void guest_trap(struct guest_trap_frame *f);

void guest_trap(struct guest_trap_frame *f)
{
	if (handlers[f->vector]) {
		handlers[f->vector](f);
		return;
	}
	fault_vector = (u8)f->vector;
	fault_error = (u32)f->error_code;
	/* Traps (#DB, #BP, #OF) return past their instruction already; faults skip it. */
	if (f->vector < 32 && f->vector != 1 && f->vector != 3 && f->vector != 4)
		f->rip += fault_skip;
}

static void set_gate(u8 vector, u8 dpl, u8 ist)
{
	u64 fn = guest_vector_stubs[vector];

	idt[vector] = (struct idt_gate){ (u16)fn, 0x08, ist, (u8)(0x8e | dpl << 5),
					 (u16)(fn >> 16), (u32)(fn >> 32), 0 };
}

void guest_idt_install(void)
{
	struct __packed {
		u16 limit;
		u64 base;
	} idtr = { sizeof(idt) - 1, (u64)idt };

	for (u32 v = 0; v < 256; v++)
		set_gate((u8)v, 0, 0);
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

void guest_idt_set(u8 vector, trap_handler_t handler)
{
	handlers[vector] = handler;
}

void guest_idt_set_ist(u8 vector, u8 ist)
{
	idt[vector].ist = ist;
}

struct guest_tss64 *guest_tss(void)
{
	struct __packed {
		u16 limit;
		u64 base;
	} gdtr;
	u16 tr;
	const u8 *d;

	__asm__ volatile("sgdt %0; str %1" : "=m"(gdtr), "=r"(tr));
	d = (const u8 *)gdtr.base + (tr & ~7);	/* a 16-byte system descriptor */
	return (struct guest_tss64 *)((u64)d[2] | (u64)d[3] << 8 | (u64)d[4] << 16 |
				      (u64)d[7] << 24 | (u64)*(const u32 *)(d + 8) << 32);
}

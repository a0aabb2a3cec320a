/* SPDX-License-Identifier: MIT */
/* Catching #UD and #GP in 64-bit guests: an IDT with the handlers of start64.asm. */
#include "guests/lib/guest.h"

volatile u8 fault_vector;
volatile unsigned long fault_skip;

extern void guest_ud_handler(void);
extern void guest_gp_handler(void);

struct __packed idt_gate {
	u16 offset_low, selector;
	u8 ist, type;
	u16 offset_mid;
	u32 offset_high, reserved;
};

/* A present 64-bit interrupt gate (type 0xe, DPL 0) in the loader's code segment, 0x08. */
#define GATE(fn) { (u16)(u64)(fn), 0x08, 0, 0x8e, (u16)((u64)(fn) >> 16), (u32)((u64)(fn) >> 32), 0 }

static struct idt_gate idt[14] __aligned(16);

void guest_catch_faults(void)
{
	struct __packed {
		u16 limit;
		u64 base;
	} idtr = { sizeof(idt) - 1, (u64)idt };

	idt[6] = (struct idt_gate)GATE(guest_ud_handler);
	idt[13] = (struct idt_gate)GATE(guest_gp_handler);
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

/* SPDX-License-Identifier: MIT */
/* The interrupt descriptor table: 256 interrupt gates onto the stubs of isr.asm. */
#include "arch/x86/idt.h"
#include "arch/x86/cpu.h"
#include "arch/x86/gdt.h"
#include "arch/x86/vectors.h"

struct __packed idt_gate {
	u16 offset_low;
	u16 selector;
	u8 ist;
	u8 type_attr;
	u16 offset_mid;
	u32 offset_high;
	u32 reserved;
};

#define GATE_INTERRUPT_PRESENT 0x8e	/* P=1, DPL=0, 64-bit interrupt gate: IF cleared on entry */

extern const u64 isr_stub_table[256];
static struct idt_gate idt[256] __aligned(16);

static u8 ist_for_vector(unsigned v)
{
	switch (v) {
	case VECTOR_DOUBLE_FAULT: return IST_DOUBLE_FAULT;
	case VECTOR_NMI: return IST_NMI;
	case VECTOR_MACHINE_CHECK: return IST_MACHINE_CHECK;
	default: return 0;
	}
}

void idt_init(void)
{
	for (unsigned v = 0; v < 256; v++) {
		u64 off = isr_stub_table[v];

		idt[v] = (struct idt_gate){
			.offset_low = off & 0xffff,
			.selector = GDT_KERNEL_CS,
			.ist = ist_for_vector(v),
			.type_attr = GATE_INTERRUPT_PRESENT,
			.offset_mid = (off >> 16) & 0xffff,
			.offset_high = off >> 32,
		};
	}
}

void idt_load(void)
{
	struct descriptor_pointer p = { sizeof(idt) - 1, (u64)idt };

	lidt(&p);
}

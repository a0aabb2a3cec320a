/* SPDX-License-Identifier: MIT */
/* The architectural state of a virtual CPU in a vendor-neutral form. */
#ifndef VIREO_VMM_VCPU_STATE_H
#define VIREO_VMM_VCPU_STATE_H

#include "kernel/types.h"

/* General-purpose registers in the x86 encoding order, plus RIP and RFLAGS. */
struct vcpu_regs {
	u64 rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 rip, rflags;
};

/*
 * A segment register. attrib holds the descriptor's attribute bits packed into 12 bits, as
 * the AMD VMCB stores them: bits 0-7 are descriptor byte 5 (type, S, DPL, P) and bits 8-11
 * the high nibble of byte 6 (AVL, L, D/B, G). attrib 0 means an unusable segment.
 */
struct segment {
	u16 selector;
	u16 attrib;
	u32 limit;
	u64 base;
};

#define SEG_ATTR_TYPE_MASK 0x0f
#define SEG_ATTR_S BIT(4)
#define SEG_ATTR_DPL_SHIFT 5
#define SEG_ATTR_P BIT(7)
#define SEG_ATTR_L BIT(9)
#define SEG_ATTR_DB BIT(10)
#define SEG_ATTR_G BIT(11)

/* Common attributes: present code/data segments, a busy TSS, an LDT. */
#define SEG_ATTR_CODE16 0x09b
#define SEG_ATTR_DATA16 0x093
#define SEG_ATTR_CODE32 0xc9b
#define SEG_ATTR_DATA32 0xc93
#define SEG_ATTR_CODE64 0xa9b
#define SEG_ATTR_TSS_BUSY 0x08b
#define SEG_ATTR_LDT 0x082

struct descriptor_table {
	u64 base;
	u32 limit;
};

enum segment_reg {
	SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR, SEG_COUNT,
};

/* Everything needed to start a vCPU, or to show where it stopped. */
struct vcpu_state {
	struct vcpu_regs regs;
	struct segment seg[SEG_COUNT];
	struct descriptor_table gdtr, idtr;
	u64 cr0, cr2, cr3, cr4, efer;
};

/*
 * Real mode at cs:ip, as after RESET or a startup IPI (SDM Vol. 3A 10.1.4, table 10-1): every
 * segment a 64 KiB data segment at selector * 16 (CS a code one), the descriptor tables at 0,
 * CR0.ET only (caches on, paging and protection off), interrupts off; general registers zero.
 */
static inline void vcpu_state_real_mode(struct vcpu_state *s, u16 cs, u64 ip)
{
	*s = (struct vcpu_state){ .cr0 = BIT(4) };	/* CR0.ET */
	for (int i = 0; i < SEG_COUNT; i++)
		s->seg[i] = (struct segment){ 0, SEG_ATTR_DATA16, 0xffff, 0 };
	s->seg[SEG_CS] = (struct segment){ cs, SEG_ATTR_CODE16, 0xffff, (u64)cs << 4 };
	s->seg[SEG_TR].attrib = SEG_ATTR_TSS_BUSY;
	s->seg[SEG_LDTR].attrib = SEG_ATTR_LDT;
	s->gdtr = s->idtr = (struct descriptor_table){ 0, 0xffff };
	s->regs.rip = ip;
	s->regs.rflags = BIT(1);	/* the reserved bit that reads as one */
}

/* The name of a segment register ("CS"). */
const char *segment_reg_name(enum segment_reg s);

#endif

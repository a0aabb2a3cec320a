/* SPDX-License-Identifier: MIT */
/*
 * The registers gdb sees, in the order of its 'g' packet and numbered as its 'p'/'P' packets
 * number them: one table per layout, mapped onto the neutral struct vcpu_state. The target
 * description (vmm/gdb_tdesc.h) is written from the same tables. Pure.
 *
 * Two layouts, as gdb's own i386 and amd64 descriptions order them (GDB manual, appendix
 * "Standard Target Features", "i386 Features"):
 * - i386 (real and protected mode): eax ecx edx ebx esp ebp esi edi eip eflags, the selectors
 *   cs ss ds es fs gs (32 bits each), the x87 registers st0-st7 fctrl fstat ftag fiseg fioff
 *   foseg fooff fop, then cr0 cr2 cr3 cr4 efer (64 bits); no fs_base and gs_base, which
 *   gdb 13 cannot take in a 32-bit description;
 * - amd64 (long mode): rax rbx rcx rdx rsi rdi rbp rsp r8-r15 rip (64 bits), eflags and the
 *   selectors (32 bits), the same x87 registers, fs_base gs_base (64 bits), cr0 cr2 cr3 cr4
 *   efer.
 * gdb insists on the x87 registers in the core feature, but struct vcpu_state has no FPU
 * state: they are sent as unavailable ('x' digits) and writes to them are refused.
 */
#ifndef VIREO_VMM_GDB_REGS_H
#define VIREO_VMM_GDB_REGS_H

#include "kernel/types.h"
#include "vmm/vcpu_state.h"

enum gdb_reg_kind {
	GDB_REG_VALUE,		/* a u64 of struct vcpu_state, of which bits are shown */
	GDB_REG_SELECTOR,	/* a segment's selector */
	GDB_REG_UNAVAILABLE,	/* not held by struct vcpu_state (x87) */
};

/* The features a register belongs to: each is one <feature> of the description. */
enum gdb_feature {
	GDB_FEATURE_CORE,	/* org.gnu.gdb.i386.core */
	GDB_FEATURE_SEGMENTS,	/* org.gnu.gdb.i386.segments: fs_base, gs_base */
	GDB_FEATURE_SYSTEM,	/* Vireo's own: the control registers and EFER */
};

struct gdb_reg {
	const char *name;
	const char *type;	/* a target-description type: int32, code_ptr, i387_ext... */
	u16 bits;
	u8 kind;		/* enum gdb_reg_kind */
	u8 feature;		/* enum gdb_feature */
	u16 offset;		/* of the u64 (GDB_REG_VALUE) or the struct segment (SELECTOR) */
};

enum gdb_layout_id {
	GDB_LAYOUT_I8086,	/* real mode: the i386 registers, 16-bit disassembly */
	GDB_LAYOUT_I386,	/* protected mode */
	GDB_LAYOUT_AMD64,	/* long mode, 64-bit and compatibility submodes alike */
};

struct gdb_layout {
	const char *architecture;	/* the BFD name: "i8086", "i386", "i386:x86-64" */
	const struct gdb_reg *regs;
	u32 count;
};

/* The layout of a vCPU in the state st: by CR0.PE and EFER.LMA. */
enum gdb_layout_id gdb_layout_for(const struct vcpu_state *st);

const struct gdb_layout *gdb_layout_get(enum gdb_layout_id id);

/* The bytes of all registers of layout l: half the length of its 'g' reply. */
u32 gdb_layout_bytes(const struct gdb_layout *l);

/* The bytes register r takes in 'g' and 'p' packets. */
static inline u32 gdb_reg_bytes(const struct gdb_reg *r)
{
	return r->bits / 8;
}

/*
 * Write register r of st into out (gdb_reg_bytes(r) * 2 chars, no NUL), little-endian hex,
 * or 'x' digits when it is unavailable.
 */
void gdb_reg_format(const struct vcpu_state *st, const struct gdb_reg *r, char *out);

/*
 * Set register r of st from gdb_reg_bytes(r) * 2 hex digits at in. A value narrower than its
 * field replaces the low bits only. A selector written in real mode (CR0.PE clear) sets the
 * segment's base to selector * 16 as a real-mode load would; in other modes only the
 * selector changes (the descriptor cache stays). Returns 0, or -EINVAL for non-hex input or
 * an unavailable register (st unchanged).
 */
int gdb_reg_parse(struct vcpu_state *st, const struct gdb_reg *r, const char *in);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * A decoder for the few x86 instructions the VMM emulates: control- and debug-register moves,
 * MMIO and string I/O.
 */
#ifndef VIREO_VMM_X86_DECODE_H
#define VIREO_VMM_X86_DECODE_H

#include "kernel/types.h"

/* An instruction is at most 15 bytes, prefixes included (SDM Vol. 2, 2.3.11). */
#define X86_MAX_INSN_LEN 15

/* GPR numbers in the encoding's order, as ModRM, SIB and REX name them. */
enum {
	X86_REG_RAX, X86_REG_RCX, X86_REG_RDX, X86_REG_RBX,
	X86_REG_RSP, X86_REG_RBP, X86_REG_RSI, X86_REG_RDI,
	X86_REG_R8, X86_REG_R9, X86_REG_R10, X86_REG_R11,
	X86_REG_R12, X86_REG_R13, X86_REG_R14, X86_REG_R15,
	X86_REG_RIP = 16,	/* a memory operand's base only: RIP-relative */
	X86_REG_NONE = -1,	/* a memory operand without this base or index */
};

/* Segment registers in the encoding's order: the Sreg field's, and bits 4:3 of 26/2E/36/3E. */
enum x86_seg { X86_SEG_ES, X86_SEG_CS, X86_SEG_SS, X86_SEG_DS, X86_SEG_FS, X86_SEG_GS };

enum x86_op {
	X86_OP_NONE,
	X86_OP_MOV_FROM_CR,	/* 0F 20: rm = CR reg */
	X86_OP_MOV_TO_CR,	/* 0F 22: CR reg = rm */
	X86_OP_CLTS,		/* 0F 06 */
	X86_OP_LMSW,		/* 0F 01 /6: MSW = r/m16 */
	X86_OP_MOV_STORE,	/* 88, 89, C6 /0, C7 /0, A2, A3: r/m = reg or imm */
	X86_OP_MOV_LOAD,	/* 8A, 8B, A0, A1: reg = r/m */
	X86_OP_MOVZX,		/* 0F B6, 0F B7 */
	X86_OP_MOVSX,		/* 0F BE, 0F BF, and 63 (MOVSXD, srcsize 4) */
	X86_OP_MOVS,		/* A4, A5: ES:[rDI] (m2) = [rSI] (m) */
	X86_OP_STOS,		/* AA, AB: ES:[rDI] (m) = rAX */
	X86_OP_ALU,		/* 00-3B (two-operand forms), 80, 81, 83: see alu */
	X86_OP_TEST,		/* 84, 85, F6 /0, F7 /0 */
	X86_OP_XCHG,		/* 86, 87 */
	X86_OP_LODS,		/* AC, AD: rAX = [rSI] (m) */
	X86_OP_INS,		/* 6C, 6D: ES:[rDI] (m) = port DX */
	X86_OP_OUTS,		/* 6E, 6F: port DX = [rSI] (m) */
	X86_OP_MOV_FROM_DR,	/* 0F 21: rm = DR reg */
	X86_OP_MOV_TO_DR,	/* 0F 23: DR reg = rm */
};

/* The ModRM.reg order of group 1 (80, 81, 83), which is also opcode bits 5:3 of 00-3B. */
enum x86_alu {
	X86_ALU_ADD, X86_ALU_OR, X86_ALU_ADC, X86_ALU_SBB,
	X86_ALU_AND, X86_ALU_SUB, X86_ALU_XOR, X86_ALU_CMP,
};

/* A memory operand: segment:[base + index*scale + disp]. */
struct x86_operand_mem {
	u8 seg;			/* enum x86_seg: the default or the override */
	s8 base, index;		/* GPR numbers 0-15, X86_REG_NONE, or X86_REG_RIP as base */
	u8 scale;		/* 1, 2, 4, 8 */
	s64 disp;		/* sign-extended; a moffs offset, zero-extended */
};

/*
 * A decoded instruction. For CMP and TEST, which write nothing, "destination" means the first
 * operand. XCHG writes both and has reg_is_dest false.
 */
struct x86_insn {
	u8 len;			/* bytes, prefixes included */
	enum x86_op op;
	enum x86_alu alu;	/* for X86_OP_ALU; 0 otherwise */
	u8 opsize;		/* operand bytes: 1, 2, 4, 8 (MOVZX/MOVSX: the destination's) */
	u8 srcsize;		/* MOVZX/MOVSX: the source size (1, 2; 4 for MOVSXD); else opsize */
	u8 addrsize;		/* 2, 4, 8; for MOVS/STOS/LODS also the width of rSI, rDI, rCX */
	bool rep, repne, lock;	/* the F3, F2 and F0 prefixes (the last of F2/F3 counts) */
	bool rex_present;	/* a REX right before the opcode: byte regs 4-7 are SPL-DIL */
	bool has_modrm, mem;	/* mem: the r/m operand is memory (else register rm) */
	u8 reg;			/* ModRM.reg with REX.R: a GPR, or the CR number for MOV CR; 0 for
				 * the /digit groups (a digit is no operand) and for the rAX of
				 * A0-A3, STOS and LODS */
	u8 rm;			/* the register r/m operand with REX.B, when !mem */
	struct x86_operand_mem m;	/* the memory operand, when mem (MOVS: the source) */
	struct x86_operand_mem m2;	/* MOVS: the destination ES:[rDI]; unused otherwise */
	bool has_imm;
	u64 imm;		/* sign- or zero-extended to opsize, as the instruction uses it */
	bool reg_is_dest;	/* two-operand forms: the ModRM.reg operand is the destination */
};

/*
 * Decode the instruction at bytes[0..avail) in a code segment of default_bits (16: real mode or
 * CS.D=0; 32: CS.D=1; 64: long mode with CS.L=1). Returns 0 and fills *out; -EAGAIN when the
 * instruction runs past avail (fetch more and decode again); -EINVAL for an encoding this
 * decoder does not know or the CPU would refuse (#UD, or longer than X86_MAX_INSN_LEN), or a
 * default_bits other than 16, 32, 64. Never reads bytes[avail] or past 15 bytes; on error *out
 * is left untouched.
 */
int x86_decode(const u8 *bytes, u32 avail, u32 default_bits, struct x86_insn *out);

/*
 * The offset (before the segment base) that the memory operand m of i names, wrapped to i's
 * address size; gprs in the encoding order (X86_REG_RAX...), next_rip the address after the
 * instruction, for RIP-relative operands.
 */
u64 x86_operand_address(const struct x86_insn *i, const struct x86_operand_mem *m,
			const u64 gprs[16], u64 next_rip);

/* x86_operand_address() of i's memory operand i->m. */
u64 x86_effective_address(const struct x86_insn *i, const u64 gprs[16], u64 next_rip);

/*
 * Read and write GPR reg (0-15) as an operand of size bytes (1, 2, 4, 8): without a REX prefix,
 * byte registers 4-7 are AH, CH, DH, BH; 32-bit writes zero-extend to 64 bits, 8- and 16-bit
 * writes keep the rest (SDM Vol. 1, 3.4.1.1). Reads return the value zero-extended.
 */
u64 x86_reg_read(const u64 gprs[16], u8 reg, u8 size, bool rex_present);
void x86_reg_write(u64 gprs[16], u8 reg, u8 size, bool rex_present, u64 value);

#endif

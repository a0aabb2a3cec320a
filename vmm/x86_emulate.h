/* SPDX-License-Identifier: MIT */
/*
 * The semantics of the decoded instructions that touch memory (vmm/x86_decode.h): moves,
 * string moves and stores, ALU operations with their arithmetic flags, TEST and XCHG, on a
 * register file and through memory callbacks. Pure: the VMM's MMIO emulation gives it the
 * vCPU's registers and callbacks that reach devices and guest RAM.
 */
#ifndef VIREO_VMM_X86_EMULATE_H
#define VIREO_VMM_X86_EMULATE_H

#include "kernel/types.h"
#include "vmm/x86_decode.h"

/* The arithmetic flags (SDM Vol. 1, 3.4.3.1): those ALU operations and TEST write. */
#define X86_FLAG_CF BIT(0)
#define X86_FLAG_PF BIT(2)
#define X86_FLAG_AF BIT(4)
#define X86_FLAG_ZF BIT(6)
#define X86_FLAG_SF BIT(7)
#define X86_FLAG_DF BIT(10)
#define X86_FLAG_OF BIT(11)
#define X86_FLAGS_ARITH (X86_FLAG_CF | X86_FLAG_PF | X86_FLAG_AF | X86_FLAG_ZF | X86_FLAG_SF | \
			 X86_FLAG_OF)

/*
 * How the emulator reaches memory: memory operand m (the instruction's m or, for MOVS's
 * destination, m2) at offset ea in its segment, size bytes. Each returns 0, or a negative
 * value that ends the emulation at once (the guest takes a fault, or the VM stops): the
 * elements a string instruction moved before stay moved, with its registers stepped past
 * them.
 */
struct x86_emulate_ops {
	int (*read)(void *ctx, const struct x86_operand_mem *m, u64 ea, u8 size, u64 *value);
	int (*write)(void *ctx, const struct x86_operand_mem *m, u64 ea, u8 size, u64 value);
};

struct x86_emulate_cpu {
	u64 *gprs;		/* 16 GPRs in the encoding's order */
	u64 *rflags;
	u64 next_rip;		/* the address after the instruction, for RIP-relative operands */
	u32 max_elements;	/* a REP instruction moves at most this many per call (>= 1) */
};

enum x86_emulate_result {
	X86_EMULATE_DONE,	/* executed: the caller steps RIP past it */
	X86_EMULATE_AGAIN,	/* a REP instruction has elements left: run it again, RIP unchanged */
	X86_EMULATE_ABORTED,	/* a callback failed: RIP stays (a fault) or the VM stops */
	X86_EMULATE_UNSUPPORTED,	/* not an instruction with a memory operand this file executes */
};

/*
 * Execute i on cpu, its memory operands through ops with ctx: MOV, MOVZX, MOVSX, ALU
 * (ADD/OR/ADC/SBB/AND/SUB/XOR/CMP), TEST, XCHG with a memory operand, and MOVS, STOS, LODS
 * with or without REP (F2 or F3 alike, as the CPU takes either on these). Memory is read
 * before any write, so an aborted instruction has changed nothing but the elements a string
 * instruction completed.
 */
enum x86_emulate_result x86_emulate(const struct x86_insn *i, struct x86_emulate_cpu *cpu,
				    const struct x86_emulate_ops *ops, void *ctx);

/*
 * The ALU operation op of size bytes on dst and src, with the carry in from *rflags for ADC
 * and SBB: returns the result (masked to size) and sets the arithmetic flags in *rflags as
 * the CPU does (AF for the logical operations, which the SDM leaves undefined, cleared).
 */
u64 x86_alu(enum x86_alu op, u8 size, u64 dst, u64 src, u64 *rflags);

#endif

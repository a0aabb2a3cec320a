/* SPDX-License-Identifier: MIT */
/* The registers of an interrupted context, as arch/x86/isr.asm pushes them. */
#ifndef VIREO_ARCH_X86_TRAP_FRAME_H
#define VIREO_ARCH_X86_TRAP_FRAME_H

#include "kernel/types.h"

struct trap_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector;
	u64 error_code;	/* the CPU's, or 0 for vectors that push none */
	/* Pushed by the CPU (SDM Vol. 3A 7.14.2). */
	u64 rip, cs, rflags, rsp, ss;
};

#endif

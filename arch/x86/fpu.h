/* SPDX-License-Identifier: MIT */
/*
 * The x87, MMX and SSE state of a guest, saved and restored with FXSAVE64/FXRSTOR64 when a CPU
 * switches between vCPUs (SDM Vol. 1 10.5). Vireo itself is built without floating point or
 * SIMD code (-mgeneral-regs-only), so a guest's registers stay in the CPU across its exits.
 * Guests get no AVX (CPUID hides XSAVE), so this is all of their state.
 */
#ifndef VIREO_ARCH_X86_FPU_H
#define VIREO_ARCH_X86_FPU_H

#include "kernel/string.h"
#include "kernel/types.h"

struct fpu_area {
	u8 bytes[512];
} __aligned(16);

/* The state after reset and FNINIT: x87 control word 0x37f, all exceptions masked (MXCSR). */
static inline void fpu_init(struct fpu_area *f)
{
	memset(f, 0, sizeof(*f));
	f->bytes[0] = 0x7f;	/* FCW */
	f->bytes[1] = 0x03;
	f->bytes[24] = 0x80;	/* MXCSR 0x1f80 */
	f->bytes[25] = 0x1f;
}

static inline void fpu_save(struct fpu_area *f)
{
	__asm__ volatile("fxsave64 %0" : "=m"(*f));
}

static inline void fpu_restore(const struct fpu_area *f)
{
	__asm__ volatile("fxrstor64 %0" : : "m"(*f));
}

#endif

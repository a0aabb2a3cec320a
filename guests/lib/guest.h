/* SPDX-License-Identifier: MIT */
/* The guest library: what a C guest of Vireo needs to talk to it (vmm/guest_abi.h). */
#ifndef VIREO_GUEST_H
#define VIREO_GUEST_H

#include "kernel/types.h"
#include "vmm/guest_abi.h"

/* Filled in by the start code before main runs. */
extern const struct vireo_boot_info *boot_info;

/* The guest's entry point, called by start*.asm with the boot information. */
int main(const struct vireo_boot_info *bi);

/* Whether CPUID leaf 0 says GenuineIntel: VT-x, VMCALL. Otherwise AMD-V, VMMCALL. */
bool guest_cpu_is_intel(void);

/* VMCALL or VMMCALL, whichever this CPU has. */
long hypercall(long nr, long arg1, long arg2);

/* A string to the VM's console, through the write hypercall. */
long guest_puts(const char *s);

/* printf to the VM's console (64-bit guests only: guests/lib/printf.c). */
int guest_printf(const char *fmt, ...) __printf(1, 2);

/* One byte on the debug console port. */
void debug_putc(char c);

/* Stop the VM with an exit code. */
__noreturn void guest_exit(long code);

static inline void guest_cpuid(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}

static inline u64 guest_rdtsc(void)
{
	u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (u64)hi << 32 | lo;
}

/*
 * Catching faults, in 64-bit guests (guests/lib/faults.c): once guest_catch_faults() has
 * installed its IDT, a #UD or #GP sets fault_vector and resumes fault_skip bytes after the
 * faulting instruction.
 */
#define GUEST_NO_FAULT 0
extern volatile u8 fault_vector;
extern volatile unsigned long fault_skip;
void guest_catch_faults(void);

#endif

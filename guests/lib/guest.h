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

/* Whether the arguments of the VM's module line (after "--") are exactly want. */
bool guest_arg_is(const char *want);

/* The decimal number at *s (0 when there is none); *s moves past it and the blanks after it. */
u32 guest_next_number(const char **s);

/* Whether CPUID leaf 0 says GenuineIntel: VT-x, VMCALL. Otherwise AMD-V, VMMCALL. */
bool guest_cpu_is_intel(void);

/* VMCALL or VMMCALL, whichever this CPU has: arguments in RBX, RCX (RDX, RSI), result in RAX. */
long hypercall(long nr, long arg1, long arg2);
long hypercall4(long nr, long arg1, long arg2, long arg3, long arg4);

/* A string to the VM's console, through the write hypercall. */
long guest_puts(const char *s);

/* value as 0x and eight hex digits, through the write hypercall: for guests without printf. */
long guest_puts_hex(u32 value);

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

/* RDMSR and WRMSR (ring 0; an MSR the VM does not have raises #GP). */
static inline u64 guest_rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (u64)hi << 32 | lo;
}

static inline void guest_wrmsr(u32 msr, u64 value)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((u32)value), "d"((u32)(value >> 32)));
}

static inline u64 guest_rdtsc(void)
{
	u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (u64)hi << 32 | lo;
}

/*
 * The IDT of 64-bit guests (guests/lib/idt.c). Once guest_idt_install() has run, every vector
 * goes to its handler if one is set, else a fault sets fault_vector and fault_error and
 * resumes fault_skip bytes after the faulting instruction (a trap, #DB or #BP, just returns).
 */
#define GUEST_NO_FAULT 0xff
extern volatile u8 fault_vector;
extern volatile u32 fault_error;
extern volatile unsigned long fault_skip;

/* What the entry stubs save: the GPRs, the vector, then the CPU's frame. */
struct guest_trap_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8, rdi, rsi, rbp, rbx, rdx, rcx, rax;
	u64 vector, error_code;
	u64 rip, cs, rflags, rsp, ss;
};

typedef void (*trap_handler_t)(struct guest_trap_frame *f);

void guest_idt_install(void);
void guest_idt_set(u8 vector, trap_handler_t handler);
/* Deliver vector on the stack in the TSS's IST slot ist (1-7; 0: the current stack). */
void guest_idt_set_ist(u8 vector, u8 ist);

/*
 * The legacy timer path (guests/lib/legacy_timer.c). guest_pic_init programs the 8259 pair
 * with IRQ 0-7 at vectors GUEST_PIC_VECTOR_BASE.. and 8-15 above, then sets the masks (a set
 * bit masks the IRQ); guest_pit_start makes the 8254's channel 0 interrupt every divisor
 * ticks of its 1.193182 MHz clock.
 */
#define GUEST_PIC_VECTOR_BASE 0x20
void guest_pic_init(u8 master_mask, u8 slave_mask);
void guest_pit_start(u16 divisor);

/* The 64-bit TSS the loader made (found through TR): IST stacks are set here. */
struct __packed guest_tss64 {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];	/* IST1 to IST7 */
	u64 reserved2;
	u16 reserved3, iomap_base;
};
struct guest_tss64 *guest_tss(void);

#endif

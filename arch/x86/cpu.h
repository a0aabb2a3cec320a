/* SPDX-License-Identifier: MIT */
/* Inline wrappers for the x86 instructions the kernel uses, and the CPU feature report. */
#ifndef VIREO_ARCH_X86_CPU_H
#define VIREO_ARCH_X86_CPU_H

#include "arch/x86/cr_bits.h"
#include "kernel/types.h"

#define X86_RFLAGS_TF BIT(8)
#define X86_RFLAGS_IF BIT(9)
#define X86_DR6_BS BIT(14)	/* the #DB was a single step (SDM Vol. 3B 18.2.3) */
#define X86_DR6_BD BIT(13)	/* the #DB was DR7.GD's, before a MOV DR */
#define X86_DR7_GD BIT(13)	/* general detect: a MOV DR raises #DB first */
#define X86_RFLAGS_RF BIT(16)	/* the next instruction's instruction breakpoints are off */
#define X86_RFLAGS_FIXED BIT(1)

struct cpuid_regs {
	u32 eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(u32 leaf, u32 subleaf)
{
	struct cpuid_regs r;

	__asm__ volatile("cpuid"
			 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf));
	return r;
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)) : "memory");
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

#define DEFINE_CR_ACCESSORS(n)                                                   \
	static inline u64 read_cr##n(void)                                       \
	{                                                                        \
		u64 v;                                                           \
		__asm__ volatile("mov %%cr" #n ", %0" : "=r"(v));                \
		return v;                                                        \
	}                                                                        \
	static inline void write_cr##n(u64 v)                                    \
	{                                                                        \
		__asm__ volatile("mov %0, %%cr" #n : : "r"(v) : "memory");       \
	}
DEFINE_CR_ACCESSORS(0)
DEFINE_CR_ACCESSORS(2)
DEFINE_CR_ACCESSORS(3)
DEFINE_CR_ACCESSORS(4)
#undef DEFINE_CR_ACCESSORS

#define DEFINE_DR_ACCESSORS(n)                                                   \
	static inline u64 read_dr##n(void)                                       \
	{                                                                        \
		u64 v;                                                           \
		__asm__ volatile("mov %%dr" #n ", %0" : "=r"(v));                \
		return v;                                                        \
	}                                                                        \
	static inline void write_dr##n(u64 v)                                    \
	{                                                                        \
		__asm__ volatile("mov %0, %%dr" #n : : "r"(v));                  \
	}
DEFINE_DR_ACCESSORS(0)
DEFINE_DR_ACCESSORS(1)
DEFINE_DR_ACCESSORS(2)
DEFINE_DR_ACCESSORS(3)
DEFINE_DR_ACCESSORS(6)
DEFINE_DR_ACCESSORS(7)
#undef DEFINE_DR_ACCESSORS

static inline u64 read_rflags(void)
{
	u64 f;

	__asm__ volatile("pushfq; popq %0" : "=r"(f));
	return f;
}

static inline void irq_disable(void)
{
	__asm__ volatile("cli" : : : "memory");
}

static inline void irq_enable(void)
{
	__asm__ volatile("sti" : : : "memory");
}

/* Disable interrupts and return the previous RFLAGS for irq_restore(). */
static inline u64 irq_save(void)
{
	u64 f = read_rflags();

	irq_disable();
	return f;
}

static inline void irq_restore(u64 flags)
{
	if (flags & X86_RFLAGS_IF)
		irq_enable();
}

static inline bool irq_enabled(void)
{
	return read_rflags() & X86_RFLAGS_IF;
}

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" : : : "memory");
}

static inline void cpu_halt(void)
{
	__asm__ volatile("hlt" : : : "memory");
}

/* Enable interrupts and halt in one step: STI's one-instruction shadow closes the wake-up race. */
static inline void cpu_wait_for_interrupt(void)
{
	__asm__ volatile("sti; hlt" : : : "memory");
}

static inline void invlpg(u64 va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}

static inline u16 read_cs(void)
{
	u16 v;

	__asm__ volatile("mov %%cs, %0" : "=r"(v));
	return v;
}

struct __packed descriptor_pointer {
	u16 limit;
	u64 base;
};

static inline void lgdt(const struct descriptor_pointer *p)
{
	__asm__ volatile("lgdt %0" : : "m"(*p));
}

static inline void lidt(const struct descriptor_pointer *p)
{
	__asm__ volatile("lidt %0" : : "m"(*p));
}

static inline void sgdt(struct descriptor_pointer *p)
{
	__asm__ volatile("sgdt %0" : "=m"(*p));
}

static inline void sidt(struct descriptor_pointer *p)
{
	__asm__ volatile("sidt %0" : "=m"(*p));
}

static inline void ltr(u16 sel)
{
	__asm__ volatile("ltr %0" : : "r"(sel));
}

/*
 * RDMSR that survives an MSR the CPU does not have: returns false instead of taking the #GP
 * (arch/x86/traps.c resumes after the instruction).
 */
bool rdmsr_safe(u32 msr, u64 *value);

/* The #GP fix-up of rdmsr_safe: true when the fault at rip was such a probe, now skipped. */
bool rdmsr_safe_fixup(u64 *rip);

/* Feature bits read once at boot on the boot CPU (all CPUs of a system are assumed alike). */
struct cpu_features {
	char vendor[13];
	char brand[49];
	u32 family, model, stepping;
	u32 max_leaf, max_ext_leaf;
	bool intel, amd;
	bool x2apic, tsc_deadline, apic;
	bool nx, pdpe1gb, pge;
	bool invariant_tsc;
	bool vmx, svm;
	bool hypervisor;	/* running under another hypervisor or emulator (CPUID.1:ECX[31]) */
	u32 phys_addr_bits;
};

extern struct cpu_features cpu_features;

/* Fill cpu_features from CPUID. */
void cpu_features_init(void);

/*
 * What every CPU sets for itself at start-up: CR4.OSFXSR and OSXMMEXCPT, so that FXSAVE keeps
 * a guest's SSE registers too (SDM Vol. 1 10.5.1: without OSFXSR it may leave them out).
 */
void cpu_init_this(void);

#endif

/* SPDX-License-Identifier: MIT */
/* The guest library: hypercalls, console output, fault catching. */
#include "guests/lib/guest.h"

const struct vireo_boot_info *boot_info;
volatile u8 fault_vector;
volatile unsigned long fault_skip;

static int cpu_is_intel = -1;

static bool is_intel(void)
{
	u32 a, b, c, d;

	if (cpu_is_intel < 0) {
		guest_cpuid(0, 0, &a, &b, &c, &d);
		cpu_is_intel = b == 0x756e6547;	/* "Genu" */
	}
	return cpu_is_intel;
}

long hypercall(long nr, long arg1, long arg2)
{
	long ret;

	if (is_intel())
		__asm__ volatile("vmcall" : "=a"(ret) : "a"(nr), "b"(arg1), "c"(arg2) : "memory");
	else
		__asm__ volatile("vmmcall" : "=a"(ret) : "a"(nr), "b"(arg1), "c"(arg2) : "memory");
	return ret;
}

long guest_puts(const char *s)
{
	long n = 0;

	while (s[n])
		n++;
	return hypercall(VIREO_HC_WRITE, (long)(unsigned long)s, n);
}

void debug_putc(char c)
{
	__asm__ volatile("outb %0, %1" : : "a"(c), "Nd"((u16)VIREO_DEBUG_PORT));
}

__noreturn void guest_exit(long code)
{
	hypercall(VIREO_HC_EXIT, code, 0);
	for (;;)
		__asm__ volatile("hlt");
}

/* Gate descriptors for the handlers in start*.asm, in either mode. */
extern void guest_ud_handler(void);
extern void guest_gp_handler(void);

#if defined(__x86_64__)
struct __packed idt_gate {
	u16 offset_low, selector;
	u8 ist, type;
	u16 offset_mid;
	u32 offset_high, reserved;
};
#define GATE(fn) { (u16)(u64)(fn), 0x08, 0, 0x8e, (u16)((u64)(fn) >> 16), (u32)((u64)(fn) >> 32), 0 }
#else
struct __packed idt_gate {
	u16 offset_low, selector;
	u8 zero, type;
	u16 offset_high;
};
#define GATE(fn) { (u16)(u32)(fn), 0x08, 0, 0x8e, (u16)((u32)(fn) >> 16) }
#endif

static struct idt_gate idt[14] __aligned(16);

void guest_catch_faults(void)
{
	struct __packed {
		u16 limit;
		unsigned long base;
	} idtr = { sizeof(idt) - 1, (unsigned long)idt };

	idt[6] = (struct idt_gate)GATE(guest_ud_handler);
	idt[13] = (struct idt_gate)GATE(guest_gp_handler);
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

/* SPDX-License-Identifier: MIT */
/* The guest library: hypercalls and console output. */
#include "guests/lib/guest.h"

const struct vireo_boot_info *boot_info;

static int cpu_is_intel = -1;

bool guest_arg_is(const char *want)
{
	const char *a = boot_info->args;

	while (*a && *a == *want)
		a++, want++;
	return *a == *want;
}

u32 guest_next_number(const char **s)
{
	u32 n = 0;

	while (**s >= '0' && **s <= '9')
		n = n * 10 + (u32)(*(*s)++ - '0');
	while (**s == ' ')
		(*s)++;
	return n;
}

bool guest_cpu_is_intel(void)
{
	u32 a, b, c, d;

	if (cpu_is_intel < 0) {
		guest_cpuid(0, 0, &a, &b, &c, &d);
		cpu_is_intel = b == 0x756e6547;	/* "Genu" */
	}
	return cpu_is_intel;
}

long hypercall4(long nr, long arg1, long arg2, long arg3, long arg4)
{
	long ret;

	if (guest_cpu_is_intel())
		__asm__ volatile("vmcall" : "=a"(ret)
				 : "a"(nr), "b"(arg1), "c"(arg2), "d"(arg3), "S"(arg4) : "memory");
	else
		__asm__ volatile("vmmcall" : "=a"(ret)
				 : "a"(nr), "b"(arg1), "c"(arg2), "d"(arg3), "S"(arg4) : "memory");
	return ret;
}

long hypercall(long nr, long arg1, long arg2)
{
	return hypercall4(nr, arg1, arg2, 0, 0);
}

long guest_puts(const char *s)
{
	long n = 0;

	while (s[n])
		n++;
	return hypercall(VIREO_HC_WRITE, (long)(unsigned long)s, n);
}

long guest_puts_hex(u32 value)
{
	char text[] = "0x........";

	for (int i = 9; i >= 2; i--, value >>= 4)
		text[i] = "0123456789abcdef"[value & 0xf];
	return guest_puts(text);
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

// SPDX-License-Identifier: MIT
/*
 * hello64: a 64-bit guest in C. It reports what Vireo told it (boot information, CPUID),
 * checks the MSR policy by touching an MSR that does not exist, computes a little, and
 * exits with code 0.
 */
#include "guests/lib/guest.h"

#define UNKNOWN_MSR 0x12345678u

static void hypervisor_name(char sig[13])
{
	u32 a, b, c, d;

	guest_cpuid(VIREO_CPUID_BASE, 0, &a, &b, &c, &d);
	__builtin_memcpy(sig, &b, 4);
	__builtin_memcpy(sig + 4, &c, 4);
	__builtin_memcpy(sig + 8, &d, 4);
	sig[12] = '\0';
}

static u8 read_unknown_msr(void)
{
	u32 lo, hi;

	fault_vector = GUEST_NO_FAULT;
	fault_skip = 2;	/* RDMSR */
	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(UNKNOWN_MSR));
	return fault_vector;
}

static u32 count_primes(u32 below)
{
	u32 count = 0;

	for (u32 n = 2; n < below; n++) {
		bool prime = true;

		for (u32 d = 2; d * d <= n && prime; d++)
			prime = n % d != 0;
		count += prime;
	}
	return count;
}

int main(const struct vireo_boot_info *bi)
{
	char sig[13];
	u32 a, b, c, d;

	guest_printf("Hello from 64-bit C! I am '%s' (VM %u) with %llu MiB of RAM\n", bi->name,
		     bi->vm_id, (unsigned long long)(bi->mem_bytes >> 20));
	if (bi->args[0])
		guest_printf("my arguments: %s\n", bi->args);
	hypervisor_name(sig);
	guest_cpuid(VIREO_CPUID_INFO, 0, &a, &b, &c, &d);
	guest_printf("hypervisor: %s, ABI version %u, vCPU %u\n", sig, a, b);
	guest_cpuid(1, 0, &a, &b, &c, &d);
	guest_printf("CPUID.1: hypervisor bit %s, VMX %s\n", c & (1u << 31) ? "set" : "clear",
		     c & (1u << 5) ? "visible" : "hidden");
	guest_cpuid(0x80000001, 0, &a, &b, &c, &d);
	guest_printf("CPUID.80000001: SVM %s, long mode %s\n", c & (1u << 2) ? "visible" : "hidden",
		     d & (1u << 29) ? "yes" : "no");
	guest_idt_install();
	guest_printf("RDMSR %#x: %s\n", UNKNOWN_MSR,
		     read_unknown_msr() == 13 ? "#GP, as the MSR policy says" : "no #GP (wrong)");
	guest_printf("there are %u primes below 10000\n", count_primes(10000));
	return 0;
}

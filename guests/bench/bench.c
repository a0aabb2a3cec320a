// SPDX-License-Identifier: MIT
/*
 * bench: the exit-cost benchmark guest (make bench). Each exit is bracketed with RDTSC; under
 * QEMU -icount shift=0 and Bochs with one CPU the TSC counts instructions, so
 * (delta - delta around a NOP) + 1 is the hypervisor's path length for that exit
 * (DESIGN.md section 5). It prints the smallest delta of many runs of each.
 *
 * With the argument "yield" it times VIREO_HC_YIELD instead: alone on its CPU that is one
 * more hypercall, with a second bench VM yielding on the same CPU it is two switches between
 * VMs and the other's yield. With "compute" it only computes for COMPUTE_TICKS of TSC, so that
 * the exits the hypervisor causes meanwhile can be counted.
 */
#include "guests/lib/guest.h"

#define RUNS 200
#define COMPUTE_TICKS 100000000ULL

enum measured { NOP, HYPERCALL, CPUID, PORT_WRITE, MEASURED_COUNT };

static const char *const names[MEASURED_COUNT] = { "nop", "hypercall", "cpuid", "pio" };
static bool intel;

static inline u64 one_run(enum measured what)
{
	u64 start, end;
	u32 a = what == HYPERCALL ? VIREO_HC_NOP : VIREO_CPUID_BASE, b, c = 0, d;

	start = guest_rdtsc();
	switch (what) {
	case NOP:
		__asm__ volatile("nop");
		break;
	case HYPERCALL:
		if (intel)
			__asm__ volatile("vmcall" : "+a"(a) : : "memory");
		else
			__asm__ volatile("vmmcall" : "+a"(a) : : "memory");
		break;
	case CPUID:
		__asm__ volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
		break;
	case PORT_WRITE:
		__asm__ volatile("outb %%al, %0" : : "i"(VIREO_POST_PORT), "a"(0x42));
		break;
	default:
		break;
	}
	end = guest_rdtsc();
	return end - start;
}

static void time_yield(void)
{
	u64 best = ~0ULL;

	for (int i = 0; i < RUNS; i++) {
		u64 start = guest_rdtsc(), took;

		hypercall(VIREO_HC_YIELD, 0, 0);
		took = guest_rdtsc() - start;
		if (took < best)
			best = took;
	}
	guest_printf("bench: yield %llu\n", (unsigned long long)best);
}

static void compute(void)
{
	u64 start = guest_rdtsc(), now;
	volatile u64 sum = 0;

	while ((now = guest_rdtsc()) - start < COMPUTE_TICKS)
		for (int i = 0; i < 1000; i++)
			sum += (u64)i * i;
	guest_printf("bench: compute %llu\n", (unsigned long long)(now - start));
}

int main(const struct vireo_boot_info *bi)
{
	u64 best[MEASURED_COUNT];
	u32 a, b, c, d;

	(void)bi;
	guest_cpuid(0, 0, &a, &b, &c, &d);
	intel = b == 0x756e6547;
	if (guest_arg_is("yield")) {
		time_yield();
		return 0;
	}
	if (guest_arg_is("compute")) {
		compute();
		return 0;
	}
	for (int m = 0; m < MEASURED_COUNT; m++) {
		best[m] = ~0ULL;
		for (int i = 0; i < RUNS; i++) {
			u64 t = one_run((enum measured)m);
			if (t < best[m])
				best[m] = t;
		}
	}
	for (int m = 0; m < MEASURED_COUNT; m++)
		guest_printf("bench: %s %llu\n", names[m], (unsigned long long)best[m]);
	return 0;
}

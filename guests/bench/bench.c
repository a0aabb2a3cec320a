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
 * the exits the hypervisor causes meanwhile can be counted. With "irq" (and the PIC and PIT
 * in its devices) it takes IRQ_TICKS timer interrupts at 1 kHz, sleeping in HLT, and times the
 * EOI each handler writes; Vireo's log times the rest (host timer to injection). With "hold"
 * it measures as without arguments and then halts with interrupts off instead of exiting: its
 * VM stays, with a known set of exits, for the tests of the monitor's trace and stats.
 */
#include "guests/lib/guest.h"

#define RUNS 200
#define COMPUTE_TICKS 100000000ULL
#define IRQ_TICKS 200
#define PIC_MASTER 0x20
#define PIT_CHANNEL0 0x40
#define PIT_CONTROL 0x43
#define PIT_1KHZ_DIVISOR 1193
#define TIMER_VECTOR 0x20

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

static volatile u32 irq_ticks;
static u64 best_eoi = ~0ULL;

static inline void outb(u16 port, u8 value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

/* The handler's EOI, timed: a port write the PIC model takes in the hypervisor. */
static void timer_interrupt(struct guest_trap_frame *f)
{
	u64 start, end;

	(void)f;
	irq_ticks++;
	start = guest_rdtsc();
	outb(PIC_MASTER, 0x20);
	end = guest_rdtsc();
	if (end - start < best_eoi)
		best_eoi = end - start;
}

/* The 8259 pair at 0x20/0x28 with only IRQ 0 open, the 8254 at 1 kHz (as pctimer does). */
static void take_timer_interrupts(void)
{
	static const u8 pic_init[][2] = {
		{ 0x20, 0x11 }, { 0xa0, 0x11 }, { 0x21, TIMER_VECTOR }, { 0xa1, TIMER_VECTOR + 8 },
		{ 0x21, 0x04 }, { 0xa1, 0x02 }, { 0x21, 0x01 }, { 0xa1, 0x01 }, { 0x21, 0xfe },
		{ 0xa1, 0xff },
	};

	guest_idt_install();
	guest_idt_set(TIMER_VECTOR, timer_interrupt);
	for (u32 i = 0; i < ARRAY_SIZE(pic_init); i++)
		outb(pic_init[i][0], pic_init[i][1]);
	outb(PIT_CONTROL, 0x34);
	outb(PIT_CHANNEL0, (u8)PIT_1KHZ_DIVISOR);
	outb(PIT_CHANNEL0, (u8)(PIT_1KHZ_DIVISOR >> 8));
	while (irq_ticks < IRQ_TICKS)
		__asm__ volatile("sti; hlt; cli");
	outb(PIC_MASTER + 1, 0xff);
	guest_printf("bench: eoi %llu\n", (unsigned long long)best_eoi);
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
	if (guest_arg_is("irq")) {
		take_timer_interrupts();
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
	while (guest_arg_is("hold"))
		__asm__ volatile("cli; hlt");
	return 0;
}

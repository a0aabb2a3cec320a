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
 * VM stays, with a known set of exits, for the tests of the monitor's trace and stats. With
 * "lapic" (and vcpus = 2, the "lapic" device) it does the same with its x2APIC's timer, timing
 * the EOI MSR write, then starts vCPU 1 and times an IPI to it: the ICR write, and the round
 * trip of a ping whose handler on vCPU 1 sends a pong back.
 */
#include "guests/lib/guest.h"
#include "guests/tinyos/io.h"	/* outb */

#define RUNS 200
#define COMPUTE_TICKS 100000000ULL
#define IRQ_TICKS 200
#define PIC_MASTER 0x20
#define PIT_1KHZ_DIVISOR 1193
#define TIMER_VECTOR GUEST_PIC_VECTOR_BASE	/* IRQ 0 */

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
	guest_idt_install();
	guest_idt_set(TIMER_VECTOR, timer_interrupt);
	guest_pic_init(0xfe, 0xff);
	guest_pit_start(PIT_1KHZ_DIVISOR);
	while (irq_ticks < IRQ_TICKS)
		__asm__ volatile("sti; hlt; cli");
	outb(PIC_MASTER + 1, 0xff);
	guest_printf("bench: eoi %llu\n", (unsigned long long)best_eoi);
}

#define MSR_APIC_BASE 0x1b
#define X2APIC_EOI 0x80b
#define X2APIC_SVR 0x80f
#define X2APIC_ICR 0x830
#define X2APIC_LVT_TIMER 0x832
#define X2APIC_TIMER_INITIAL 0x838
#define X2APIC_TIMER_DIVIDE 0x83e
#define LAPIC_TIMER_VECTOR 0x40
#define PING_VECTOR 0x50
#define PONG_VECTOR 0x51
#define ICR_FIXED 0x4000
#define LAPIC_1KHZ_COUNT 100000	/* the timer's 100 MHz input, divided by 1 */
#define IPI_RUNS 100

/* x2APIC mode, software-enabled, spurious vector 0xff. */
static void x2apic_on(void)
{
	guest_wrmsr(MSR_APIC_BASE, guest_rdmsr(MSR_APIC_BASE) | (3u << 10));
	guest_wrmsr(X2APIC_SVR, 0x1ff);
}

static volatile u32 lapic_ticks, pongs;
static volatile bool ap_ready;
static u64 best_lapic_eoi = ~0ULL;
static u8 ap_stack[4096] __attribute__((aligned(16)));

/* The handler's EOI, timed: an x2APIC MSR write the APIC model takes in the hypervisor. */
static void lapic_timer_interrupt(struct guest_trap_frame *f)
{
	u64 start, end;

	(void)f;
	lapic_ticks++;
	start = guest_rdtsc();
	guest_wrmsr(X2APIC_EOI, 0);
	end = guest_rdtsc();
	if (end - start < best_lapic_eoi)
		best_lapic_eoi = end - start;
}

/* On vCPU 1: a ping is answered with a pong to vCPU 0. */
static void ping_interrupt(struct guest_trap_frame *f)
{
	(void)f;
	guest_wrmsr(X2APIC_ICR, ICR_FIXED | PONG_VECTOR);
	guest_wrmsr(X2APIC_EOI, 0);
}

static void pong_interrupt(struct guest_trap_frame *f)
{
	(void)f;
	pongs++;
	guest_wrmsr(X2APIC_EOI, 0);
}

static void __noreturn ap_main(void)
{
	x2apic_on();
	ap_ready = true;	/* a software-disabled APIC drops fixed IPIs */
	for (;;)
		__asm__ volatile("sti; hlt");
}

static void take_lapic_interrupts(void)
{
	u64 best_send = ~0ULL, best_round_trip = ~0ULL;

	guest_idt_install();
	guest_idt_set(LAPIC_TIMER_VECTOR, lapic_timer_interrupt);
	guest_idt_set(PING_VECTOR, ping_interrupt);
	guest_idt_set(PONG_VECTOR, pong_interrupt);
	x2apic_on();
	guest_wrmsr(X2APIC_TIMER_DIVIDE, 0xb);
	guest_wrmsr(X2APIC_LVT_TIMER, (1u << 17) | LAPIC_TIMER_VECTOR);	/* periodic */
	guest_wrmsr(X2APIC_TIMER_INITIAL, LAPIC_1KHZ_COUNT);
	while (lapic_ticks < IRQ_TICKS)
		__asm__ volatile("sti; hlt; cli");
	guest_wrmsr(X2APIC_LVT_TIMER, 1u << 16);	/* masked: the IPIs alone from here */
	guest_printf("bench: lapic_eoi %llu\n", (unsigned long long)best_lapic_eoi);
	if (hypercall4(VIREO_HC_START_VCPU, 1, (long)ap_main, (long)(ap_stack + sizeof(ap_stack) - 8),
		       0) != 0) {
		guest_printf("bench: no vCPU 1\n");
		return;
	}
	while (!ap_ready)
		hypercall(VIREO_HC_YIELD, 0, 0);
	for (u32 i = 0; i < IPI_RUNS; i++) {
		u64 start = guest_rdtsc(), sent, back;

		guest_wrmsr(X2APIC_ICR, (1ULL << 32) | ICR_FIXED | PING_VECTOR);
		sent = guest_rdtsc();
		while (pongs == i)
			__asm__ volatile("sti; hlt; cli");
		back = guest_rdtsc();
		best_send = MIN(best_send, sent - start);
		best_round_trip = MIN(best_round_trip, back - start);
	}
	guest_printf("bench: ipi_send %llu\n", (unsigned long long)best_send);
	guest_printf("bench: ipi_round_trip %llu\n", (unsigned long long)best_round_trip);
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
	if (guest_arg_is("lapic")) {
		take_lapic_interrupts();
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

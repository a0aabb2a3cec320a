// SPDX-License-Identifier: MIT
/*
 * haltwake: a 64-bit guest that halts for local APIC timer interrupts that came due while its
 * interrupts were off, as an idle Linux does. Each round arms the TSC-deadline timer a few
 * microseconds ahead, right after the last one fired, spins past the deadline with interrupts
 * off, then halts with STI; HLT. On a CPU the interrupt ends the HLT and its handler runs
 * before the instruction after HLT (SDM Vol. 2A, HLT): HLT coming back
 * without it is a spurious wake. Vireo's host timer for the APIC fires no sooner than 50 us
 * after it last did (vmm/vcpu_lapic.c), so here the deadline passes before it does: the HLT
 * exit itself finds the interrupt due, and must deliver it. Give it the "lapic" device.
 */
#include "guests/lib/guest.h"

#define MSR_APIC_BASE 0x1b
#define MSR_TSC_DEADLINE 0x6e0
#define X2APIC_EOI 0x80b
#define X2APIC_SVR 0x80f
#define X2APIC_LVT_TIMER 0x832
#define LVT_TSC_DEADLINE (2u << 17)
#define TIMER_VECTOR 0x40
#define ROUNDS 100
#define AHEAD_TICKS 2000	/* 2 us at QEMU's 1 GHz of -icount shift=0 */
#define SPURIOUS_MAX 10000	/* then the interrupt is lost: give up */

static volatile u32 interrupts;

static void timer_interrupt(struct guest_trap_frame *f)
{
	(void)f;
	interrupts++;
	guest_wrmsr(X2APIC_EOI, 0);
}

/* Halt until the next timer interrupt; the number of times HLT came back without it. */
static u32 halt_for_interrupt(void)
{
	u32 before = interrupts, spurious = 0;

	while (interrupts == before && spurious < SPURIOUS_MAX) {
		__asm__ volatile("sti; hlt; cli" ::: "memory");
		spurious += interrupts == before;
	}
	return spurious;
}

int main(const struct vireo_boot_info *bi)
{
	u32 spurious = 0, lost = 0;

	(void)bi;
	guest_idt_install();
	guest_idt_set(TIMER_VECTOR, timer_interrupt);
	guest_wrmsr(MSR_APIC_BASE, guest_rdmsr(MSR_APIC_BASE) | (3u << 10));	/* x2APIC on */
	guest_wrmsr(X2APIC_SVR, 0x1ff);
	guest_wrmsr(X2APIC_LVT_TIMER, LVT_TSC_DEADLINE | TIMER_VECTOR);
	for (u32 round = 0; round < ROUNDS; round++) {
		u64 deadline = guest_rdtsc() + AHEAD_TICKS;
		u32 wakes;

		guest_wrmsr(MSR_TSC_DEADLINE, deadline);
		while (guest_rdtsc() < deadline + AHEAD_TICKS)
			__asm__ volatile("pause");
		wakes = halt_for_interrupt();
		spurious += wakes;
		lost += wakes == SPURIOUS_MAX;
	}
	guest_printf("haltwake: %u rounds, %u timer interrupts, %u spurious wakes from HLT, "
		     "%u interrupts lost\n", ROUNDS, interrupts, spurious, lost);
	return spurious != 0;
}

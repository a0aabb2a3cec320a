// SPDX-License-Identifier: MIT
/*
 * pctimer: a 64-bit guest that takes the PC's timer interrupt the way an OS does, with no
 * hypercall in the loop: it initialises the 8259 pair (IRQ 0 at vector 0x20), programs the
 * 8254's channel 0 for HZ interrupts a second (mode 2, rate generator), and sleeps in HLT
 * between them, acknowledging each with an EOI. It counts SECONDS seconds' worth of ticks and
 * says how long they took by the VM's clock (VIREO_HC_TIME), and how many TSC cycles a tick
 * took. Arguments: HZ (default 100) and SECONDS (default 2).
 */
#include "guests/lib/guest.h"
#include "guests/tinyos/io.h"	/* outb */

#define PIC_MASTER 0x20
#define PIC_EOI 0x20
#define PIT_HZ 1193182u
#define TIMER_VECTOR GUEST_PIC_VECTOR_BASE	/* IRQ 0 */
#define NSEC_PER_USEC 1000ull

static volatile u32 ticks;

static void timer_interrupt(struct guest_trap_frame *f)
{
	(void)f;
	ticks++;
	outb(PIC_MASTER, PIC_EOI);	/* non-specific EOI: IRQ 0 leaves the ISR */
}

static void wait_for_tick(u32 n)
{
	while (ticks < n)
		__asm__ volatile("sti; hlt; cli");
}

int main(const struct vireo_boot_info *bi)
{
	const char *args = bi->args;
	u32 hz = guest_next_number(&args), seconds = guest_next_number(&args), count, divisor;
	u64 t0, t1, tsc0, tsc1, us;

	hz = hz ? hz : 100;
	seconds = seconds ? seconds : 2;
	divisor = (PIT_HZ + hz / 2) / hz;
	count = hz * seconds;
	guest_idt_install();
	guest_idt_set(TIMER_VECTOR, timer_interrupt);
	guest_pic_init(0xfe, 0xff);	/* only IRQ 0 */
	guest_pit_start((u16)divisor);
	guest_printf("pctimer: PIT at %u Hz (divisor %u), counting %u ticks\n", hz, divisor, count);
	wait_for_tick(1);
	t0 = (u64)hypercall(VIREO_HC_TIME, 0, 0);
	tsc0 = guest_rdtsc();
	wait_for_tick(1 + count);
	t1 = (u64)hypercall(VIREO_HC_TIME, 0, 0);
	tsc1 = guest_rdtsc();
	us = (t1 - t0) / NSEC_PER_USEC;
	guest_printf("pctimer: %u ticks in %llu us: %llu.%03llu Hz; %llu TSC cycles a tick\n", count,
		     (unsigned long long)us, (unsigned long long)(count * 1000000000ull / us / 1000),
		     (unsigned long long)(count * 1000000000ull / us % 1000),
		     (unsigned long long)((tsc1 - tsc0) / count));
	return 0;
}

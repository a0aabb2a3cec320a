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

#define PIC_MASTER 0x20
#define PIC_SLAVE 0xa0
#define PIC_EOI 0x20
#define PIT_CHANNEL0 0x40
#define PIT_CONTROL 0x43
#define PIT_HZ 1193182u
#define TIMER_VECTOR 0x20
#define NSEC_PER_USEC 1000ull

static volatile u32 ticks;

static inline void outb(u16 port, u8 value)
{
	__asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

static void timer_interrupt(struct guest_trap_frame *f)
{
	(void)f;
	ticks++;
	outb(PIC_MASTER, PIC_EOI);	/* non-specific EOI: IRQ 0 leaves the ISR */
}

/* ICW1-ICW4 (8259A datasheet, "Initialization command words"): edge-triggered, cascaded,
 * vector bases 0x20 and 0x28, the slave on IRQ 2, 8086 mode; then only IRQ 0 unmasked. */
static void pic_init(void)
{
	outb(PIC_MASTER, 0x11);
	outb(PIC_SLAVE, 0x11);
	outb(PIC_MASTER + 1, TIMER_VECTOR);
	outb(PIC_SLAVE + 1, TIMER_VECTOR + 8);
	outb(PIC_MASTER + 1, 1 << 2);
	outb(PIC_SLAVE + 1, 2);
	outb(PIC_MASTER + 1, 0x01);
	outb(PIC_SLAVE + 1, 0x01);
	outb(PIC_MASTER + 1, 0xfe);
	outb(PIC_SLAVE + 1, 0xff);
}

/* Channel 0, low then high byte, mode 2: OUT0 pulses every divisor input clocks. */
static void pit_start(u32 divisor)
{
	outb(PIT_CONTROL, 0x34);
	outb(PIT_CHANNEL0, (u8)divisor);
	outb(PIT_CHANNEL0, (u8)(divisor >> 8));
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
	pic_init();
	pit_start(divisor);
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

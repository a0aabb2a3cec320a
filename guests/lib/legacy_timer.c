/* SPDX-License-Identifier: MIT */
/*
 * The PC's legacy timer interrupt path for guests: the 8259 pair and the 8254's channel 0,
 * programmed as a BIOS-less OS does it.
 */
#include "guests/lib/guest.h"
#include "guests/tinyos/io.h"

#define PIC_MASTER 0x20
#define PIC_SLAVE 0xa0
#define PIT_CHANNEL0 0x40
#define PIT_CONTROL 0x43

/*
 * ICW1-ICW4 (8259A datasheet, "Initialization command words"): edge-triggered, cascaded,
 * vector bases GUEST_PIC_VECTOR_BASE and +8, the slave on IRQ 2, 8086 mode; then the masks
 * (OCW1: a set bit masks that IRQ).
 */
void guest_pic_init(u8 master_mask, u8 slave_mask)
{
	outb(PIC_MASTER, 0x11);
	outb(PIC_SLAVE, 0x11);
	outb(PIC_MASTER + 1, GUEST_PIC_VECTOR_BASE);
	outb(PIC_SLAVE + 1, GUEST_PIC_VECTOR_BASE + 8);
	outb(PIC_MASTER + 1, 1 << 2);
	outb(PIC_SLAVE + 1, 2);
	outb(PIC_MASTER + 1, 0x01);
	outb(PIC_SLAVE + 1, 0x01);
	outb(PIC_MASTER + 1, master_mask);
	outb(PIC_SLAVE + 1, slave_mask);
}

/* Channel 0, low then high byte, mode 2 (rate generator): OUT0 pulses every divisor clocks. */
void guest_pit_start(u16 divisor)
{
	outb(PIT_CONTROL, 0x34);
	outb(PIT_CHANNEL0, (u8)divisor);
	outb(PIT_CHANNEL0, (u8)(divisor >> 8));
}

// SPDX-License-Identifier: MIT
/*
 * The two 8259A programmable interrupt controllers of the PC (Intel 8259A datasheet). The
 * master takes IRQ 0-7 and passes the CPU the vector for the highest one pending; the slave
 * takes IRQ 8-15 and reaches the CPU through the master's IRQ 2, "the cascade".
 *
 * At power-on the BIOS points the master at vectors 8-15, which are the CPU's own exceptions
 * in protected mode (IRQ0, the timer, would look like a double fault): the first job is to
 * move them, here to 0x20-0x2F.
 */
#include "guests/tinyos/tinyos.h"
#include "guests/tinyos/io.h"

#define PIC1_COMMAND 0x20
#define PIC1_DATA 0x21		/* the interrupt mask register (IMR) between initializations */
#define PIC2_COMMAND 0xa0
#define PIC2_DATA 0xa1

#define ICW1_INIT 0x10		/* "this is ICW1": start the initialization sequence */
#define ICW1_ICW4 0x01		/* an ICW4 will follow */
#define ICW4_8086 0x01		/* 8086 mode (not the 8080's call instructions) */
#define OCW2_EOI 0x20		/* non-specific end of interrupt */
#define OCW3_READ_ISR 0x0b	/* the next read of the command port returns the ISR */

static irq_handler_t handlers[16];
volatile bool in_irq;

void pic_init(void)
{
	/*
	 * The initialization sequence (datasheet, "Initialization Command Words"): ICW1 on the
	 * command port, then ICW2, ICW3 and ICW4 on the data port, in that order. ICW1 says
	 * edge-triggered and cascaded (bits 1 and 3 clear); ICW2 is the vector of the first
	 * IRQ; ICW3 tells the master which of its inputs has a slave (a bit mask: IRQ 2) and
	 * the slave which input it is on (a number: 2).
	 */
	outb(PIC1_COMMAND, ICW1_INIT | ICW1_ICW4);
	outb(PIC2_COMMAND, ICW1_INIT | ICW1_ICW4);
	outb(PIC1_DATA, IRQ_BASE);
	outb(PIC2_DATA, IRQ_BASE + 8);
	outb(PIC1_DATA, 1u << IRQ_CASCADE);
	outb(PIC2_DATA, IRQ_CASCADE);
	outb(PIC1_DATA, ICW4_8086);
	outb(PIC2_DATA, ICW4_8086);
	/* Everything masked until a driver asks for its line. */
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
}

/* Unmask an IRQ (a 0 bit in the IMR lets it through) and name who serves it. */
void pic_enable(unsigned irq, irq_handler_t handler)
{
	u16 port = irq < 8 ? PIC1_DATA : PIC2_DATA;

	handlers[irq] = handler;
	outb(port, inb(port) & ~(1u << (irq & 7)));
	if (irq >= 8)		/* the slave's requests pass through the master's IRQ 2 */
		outb(PIC1_DATA, inb(PIC1_DATA) & ~(1u << IRQ_CASCADE));
}

static bool in_service(u16 command_port, unsigned line)
{
	outb(command_port, OCW3_READ_ISR);
	return inb(command_port) & (1u << line);
}

void pic_dispatch(unsigned irq)
{
	/*
	 * A spurious interrupt: when a request goes away before the CPU acknowledges it, the
	 * 8259A still has to give a vector and gives its lowest-priority one, IRQ 7 (IRQ 15 on
	 * the slave), without setting its bit in the in-service register (datasheet, "Interrupt
	 * Sequence"). Nothing is in service then, so there is nothing to end, except that the
	 * master did serve the cascade for a spurious IRQ 15.
	 */
	if ((irq == 7 || irq == 15) && !in_service(irq == 7 ? PIC1_COMMAND : PIC2_COMMAND, 7)) {
		if (irq == 15)
			outb(PIC1_COMMAND, OCW2_EOI);
		return;
	}
	in_irq = true;
	if (handlers[irq])
		handlers[irq]();
	in_irq = false;
	/*
	 * End of interrupt: clear the in-service bit, or the PIC never passes this IRQ (or any
	 * of lower priority) again. An IRQ of the slave is in service in both chips.
	 */
	if (irq >= 8)
		outb(PIC2_COMMAND, OCW2_EOI);
	outb(PIC1_COMMAND, OCW2_EOI);
}

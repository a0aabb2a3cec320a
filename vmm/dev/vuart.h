/* SPDX-License-Identifier: MIT */
/*
 * A 16550A UART (the PC's COM ports): its eight registers at a base port, 16-byte FIFOs, and
 * an interrupt line gated by MCR.OUT2. Transmission is instant: each byte the guest writes
 * goes straight to the VM's console. Pure: the VM glue brings the console and the line.
 */
#ifndef VIREO_VMM_DEV_VUART_H
#define VIREO_VMM_DEV_VUART_H

#include "vmm/pio.h"
#include "vmm/input_ring.h"
#include "vmm/dev/irq_line.h"

#define VUART_COM1_BASE 0x3f8
#define VUART_COM1_IRQ 4
#define VUART_COM2_BASE 0x2f8
#define VUART_COM2_IRQ 3
#define VUART_PORTS 8
#define VUART_FIFO_SIZE 16

/* Register offsets from the base (TI PC16550D, table 2); DLL and DLM when LCR.DLAB is set. */
enum vuart_reg {
	VUART_RBR_THR_DLL = 0,
	VUART_IER_DLM = 1,
	VUART_IIR_FCR = 2,
	VUART_LCR = 3,
	VUART_MCR = 4,
	VUART_LSR = 5,
	VUART_MSR = 6,
	VUART_SCR = 7,
};

#define VUART_IER_RDA		0x01	/* received data available (and character timeout) */
#define VUART_IER_THRE		0x02
#define VUART_IER_RLS		0x04	/* receiver line status */
#define VUART_IER_MSI		0x08	/* modem status */

#define VUART_IIR_NONE		0x01	/* bit 0 is 0 while an interrupt is pending */
#define VUART_IIR_MSI		0x00
#define VUART_IIR_THRE		0x02
#define VUART_IIR_RDA		0x04
#define VUART_IIR_RLS		0x06
#define VUART_IIR_TIMEOUT	0x0c
#define VUART_IIR_FIFO_ON	0xc0

#define VUART_FCR_ENABLE	0x01
#define VUART_FCR_CLEAR_RX	0x02
#define VUART_FCR_CLEAR_TX	0x04
#define VUART_FCR_TRIGGER	0xc0

#define VUART_LCR_DLAB		0x80

#define VUART_MCR_DTR		0x01
#define VUART_MCR_RTS		0x02
#define VUART_MCR_OUT1		0x04
#define VUART_MCR_OUT2		0x08
#define VUART_MCR_LOOP		0x10

#define VUART_LSR_DR		0x01
#define VUART_LSR_OE		0x02
#define VUART_LSR_THRE		0x20
#define VUART_LSR_TEMT		0x40

#define VUART_MSR_DCTS		0x01
#define VUART_MSR_DDSR		0x02
#define VUART_MSR_TERI		0x04
#define VUART_MSR_DDCD		0x08
#define VUART_MSR_CTS		0x10
#define VUART_MSR_DSR		0x20
#define VUART_MSR_RI		0x40
#define VUART_MSR_DCD		0x80

/* Where transmitted bytes go: the VM's console. */
struct vuart_output {
	void (*put)(void *ctx, u8 byte);
	void *ctx;
};

struct vuart {
	u16 base;
	struct irq_line irq;
	struct vuart_output output;
	struct input_ring rx;		/* the receive FIFO; it holds one byte with FIFOs off */
	u8 ier, lcr, mcr, scr, dll, dlm;
	u8 fcr;				/* the enable bit and the trigger level written */
	u8 line_errors;			/* LSR.OE until LSR is read */
	u8 msr_deltas;			/* MSR bits 0-3 until MSR is read */
	bool thre_pending;		/* a THR-empty interrupt not yet taken by an IIR read */
	bool irq_high;			/* the level last given to the line */
};

/*
 * Reset the UART at ports [base, base + VUART_PORTS) with interrupt line irq; each byte the
 * guest transmits is given to output.put. The glue then registers the range with &vuart_ops.
 */
void vuart_init(struct vuart *u, u16 base, const struct irq_line *irq,
		const struct vuart_output *output);

/*
 * A byte from the console for the guest to receive. False when the receive FIFO is full (or
 * the UART is in loopback, when its input is cut off): the glue keeps the byte and offers it
 * again later, say at its next console poll.
 */
bool vuart_receive(struct vuart *u, u8 byte);

/* The device is a struct vuart; one-byte accesses (wider ones act on their first port). */
extern const struct pio_ops vuart_ops;

#endif

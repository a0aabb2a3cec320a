// SPDX-License-Identifier: MIT
/*
 * The serial port COM1, a 16550A UART at ports 0x3F8-0x3FF on IRQ 4 (National Semiconductor
 * PC16550D datasheet). Eight registers, some sharing a port: which one you reach depends on
 * reading or writing, and on the DLAB bit of the line control register. Output waits for the
 * transmitter to be ready (it takes a byte in about 87 us at 115200 bit/s); input comes by
 * interrupt, so that nobody has to watch the port.
 */
#include "guests/tinyos/tinyos.h"
#include "guests/tinyos/io.h"

#define COM1 0x3f8
#define UART_DATA (COM1 + 0)	/* read: receiver buffer (RBR); write: transmitter (THR) */
#define UART_IER (COM1 + 1)	/* interrupt enable */
#define UART_DLL (COM1 + 0)	/* with DLAB = 1: the baud-rate divisor, low byte */
#define UART_DLM (COM1 + 1)	/* and high byte */
#define UART_IIR (COM1 + 2)	/* read: interrupt identification */
#define UART_FCR (COM1 + 2)	/* write: FIFO control */
#define UART_LCR (COM1 + 3)	/* line control */
#define UART_MCR (COM1 + 4)	/* modem control */
#define UART_LSR (COM1 + 5)	/* line status */
#define UART_MSR (COM1 + 6)	/* modem status */

#define LCR_8N1 0x03		/* 8 data bits, no parity, 1 stop bit */
#define LCR_DLAB 0x80		/* the divisor latch replaces RBR/THR and IER */
#define FCR_ENABLE_AND_CLEAR 0x07	/* FIFOs on, both emptied, an interrupt per byte */
#define MCR_DTR_RTS_OUT2 0x0b
#define IER_RX_DATA 0x01	/* interrupt when a received byte is waiting */
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20
#define IIR_NONE_PENDING 0x01
#define IIR_CAUSE 0x0e
#define IIR_LINE_STATUS 0x06
#define IIR_RX_DATA 0x04
#define IIR_RX_TIMEOUT 0x0c
#define IIR_MODEM_STATUS 0x00

/* The UART's clock is 1.8432 MHz and it samples each bit 16 times: 115200 bit/s at most. */
#define UART_BAUD_DIVISOR (1843200 / 16 / 115200)

/*
 * Serve every cause the IIR reports until it says none is pending. The 8259A sees the UART's
 * interrupt as an edge (pic.c): leave one cause standing and the line stays high, no new edge
 * comes, and the port falls silent for good. Reading RBR ends a receive interrupt, reading
 * LSR a line-status one, MSR a modem-status one; a THR-empty one ends when IIR is read.
 */
static void uart_interrupt(void)
{
	u8 iir;

	while (!((iir = inb(UART_IIR)) & IIR_NONE_PENDING)) {
		switch (iir & IIR_CAUSE) {
		case IIR_RX_DATA:
		case IIR_RX_TIMEOUT:
			while (inb(UART_LSR) & LSR_DATA_READY)
				console_input((char)inb(UART_DATA));
			break;
		case IIR_LINE_STATUS:
			inb(UART_LSR);
			break;
		case IIR_MODEM_STATUS:
			inb(UART_MSR);
			break;
		}
	}
}

void uart_init(void)
{
	outb(UART_IER, 0);
	outb(UART_LCR, LCR_DLAB);
	outb(UART_DLL, (u8)UART_BAUD_DIVISOR);
	outb(UART_DLM, (u8)(UART_BAUD_DIVISOR >> 8));
	outb(UART_LCR, LCR_8N1);	/* and DLAB off again */
	outb(UART_FCR, FCR_ENABLE_AND_CLEAR);
	/*
	 * OUT2 is a general-purpose output pin, but on the PC it gates the UART's interrupt
	 * line on its way to the 8259A (IBM PC/AT technical reference, serial adapter): without
	 * it, no IRQ 4 ever arrives, whatever IER says. (QEMU's 16550A does not model the
	 * gate: there, forgetting OUT2 goes unnoticed.)
	 */
	outb(UART_MCR, MCR_DTR_RTS_OUT2);
	/* Nothing left over from before us: no byte waiting, no status change pending. */
	inb(UART_LSR);
	inb(UART_DATA);
	inb(UART_MSR);
	pic_enable(IRQ_COM1, uart_interrupt);
	outb(UART_IER, IER_RX_DATA);
}

/* An absent UART reads as all ones, "ready", so this never hangs. */
void uart_putc(char c)
{
	while (!(inb(UART_LSR) & LSR_THR_EMPTY))
		;
	outb(UART_DATA, (u8)c);
}

/* SPDX-License-Identifier: MIT */
/* The host's 16550 serial port: the main console of Vireo. */
#ifndef VIREO_DRIVERS_UART16550_H
#define VIREO_DRIVERS_UART16550_H

#include "kernel/console.h"
#include "kernel/types.h"

#define COM1_PORT 0x3f8

struct uart16550 {
	struct console console;
	u16 port;
	bool present;
	u32 overruns;	/* times the receiver said it lost a byte (LSR.OE), read by getc */
	u32 fifo_depth;	/* bytes the transmitter takes once it says empty: 16, or 1 without FIFO */
	/* As a console: the bytes given and not sent yet, a ring of queue_size. */
	char *queue;
	u32 queue_size, queue_head, queued;
};

/*
 * Probe the UART at port (scratch-register test), program it for 115200 8N1 with FIFOs, and
 * register it as a console, which queues what it is given (kernel/console.h). Once only.
 * Returns false, registering nothing, when no UART answers.
 */
bool uart16550_init(struct uart16550 *u, u16 port);

/*
 * The same for a port that is no console (the GDB stub's): probed and programmed only.
 * Returns false when no UART answers.
 */
bool uart16550_open(struct uart16550 *u, u16 port);

/* Send one byte, waiting for room in the transmitter. */
void uart16550_putc(struct uart16550 *u, char c);

/*
 * What a waiting putc runs, each time it finds the transmitter full (NULL: nothing). The
 * console waits for the wire with interrupts off when its queue is full, at a flush and in a
 * panic, 87 us a byte at 115200 baud, and the GDB server's 1 ms timer cannot read COM2
 * meanwhile: vmm/gdb_server.c sets a hook that reads COM2 from this wait.
 */
void uart16550_set_wait_hook(void (*hook)(void));

/* Return the next received byte, or -1 when none is waiting (counting overruns). */
int uart16550_getc(struct uart16550 *u);

/* The host console UART (COM1), valid once uart16550_init succeeded on it. */
extern struct uart16550 host_uart;

#endif

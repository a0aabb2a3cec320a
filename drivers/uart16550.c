/* SPDX-License-Identifier: MIT */
/*
 * The host's 16550 serial port, polled: the console must work before interrupts do. As a
 * console it queues what it is given and sends from the queue as the transmitter takes it, a
 * FIFO's worth at a time (kernel/console.c's timer asks for more).
 */
#include "drivers/uart16550.h"
#include "arch/x86/cpu.h"
#include "arch/x86/io.h"

enum {
	UART_THR = 0,	/* transmit holding (write), receive buffer (read) */
	UART_IER = 1,
	UART_FCR = 2,	/* write; reads as the interrupt identification register */
	UART_IIR = 2,
	UART_LCR = 3,
	UART_MCR = 4,
	UART_LSR = 5,
	UART_SCR = 7,
	UART_DLL = 0,	/* with LCR.DLAB */
	UART_DLM = 1,
};

#define LSR_DATA_READY BIT(0)
#define LSR_OVERRUN BIT(1)	/* a byte came with the FIFO full: lost */
#define LSR_THR_EMPTY BIT(5)
#define LSR_TX_EMPTY BIT(6)	/* TEMT: holding register and shift register both empty */
#define LCR_DLAB BIT(7)
#define LCR_8N1 0x03
/*
 * FIFOs on and cleared, receive trigger level 1. Vireo polls, so the level matters for the
 * data-ready bit only where an emulator ties LSR.DR to it: Bochs sets DR when the FIFO reaches
 * the trigger level (or after a character timeout, which a steady stream never lets run out),
 * so at level 14 a poll could see DR only with 2 bytes of room left, and lost gdb's bytes.
 */
#define FCR_ENABLE_CLEAR_TRIGGER_1 0x07
#define IIR_FIFOS_ON 0xc0	/* a 16550A with its FIFOs enabled: 16 bytes to send */
#define MCR_DTR_RTS_OUT2 0x0b
#define UART_CLOCK 115200
#define FIFO_DEPTH 16
/* The console's queue: 1.4 s of the wire at 115200 baud, a Linux boot's burst of lines. */
#define CONSOLE_QUEUE_SIZE 16384

struct uart16550 host_uart;
static char console_queue[CONSOLE_QUEUE_SIZE];
static void (*wait_hook)(void);

void uart16550_set_wait_hook(void (*hook)(void))
{
	__atomic_store_n(&wait_hook, hook, __ATOMIC_RELEASE);
}

static bool uart_probe(u16 port)
{
	outb(port + UART_SCR, 0x5a);
	if (inb(port + UART_SCR) != 0x5a)
		return false;
	outb(port + UART_SCR, 0xa5);
	return inb(port + UART_SCR) == 0xa5;
}

void uart16550_putc(struct uart16550 *u, char c)
{
	/* Bounded wait: a wedged UART must not hang the kernel. */
	for (u32 spins = 0; spins < 1000000; spins++) {
		void (*hook)(void) = __atomic_load_n(&wait_hook, __ATOMIC_ACQUIRE);

		if (inb(u->port + UART_LSR) & LSR_THR_EMPTY)
			break;
		if (hook)
			hook();
		cpu_relax();
	}
	outb(u->port + UART_THR, (u8)c);
}

int uart16550_getc(struct uart16550 *u)
{
	u8 lsr = inb(u->port + UART_LSR);

	if (lsr & LSR_OVERRUN)
		u->overruns++;
	if (!(lsr & LSR_DATA_READY))
		return -1;
	return inb(u->port + UART_THR);
}

static char dequeue(struct uart16550 *u)
{
	char c = u->queue[u->queue_head];

	u->queue_head = (u->queue_head + 1) % u->queue_size;
	u->queued--;
	return c;
}

/* Queue a byte; with the queue full, the oldest is sent first, waiting for the transmitter. */
static void enqueue(struct uart16550 *u, char c)
{
	if (u->queued == u->queue_size)
		uart16550_putc(u, dequeue(u));
	u->queue[(u->queue_head + u->queued) % u->queue_size] = c;
	u->queued++;
}

/* As many queued bytes as the transmitter takes now (THRE: its FIFO is empty). */
static bool uart_console_pump(struct console *con)
{
	struct uart16550 *u = container_of(con, struct uart16550, console);

	while (u->queued && (inb(u->port + UART_LSR) & LSR_THR_EMPTY))
		for (u32 i = 0; i < u->fifo_depth && u->queued; i++)
			outb(u->port + UART_THR, (u8)dequeue(u));
	return u->queued != 0;
}

static void uart_console_write(struct console *con, const char *s, size_t n)
{
	struct uart16550 *u = container_of(con, struct uart16550, console);

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			enqueue(u, '\r');
		enqueue(u, s[i]);
	}
	uart_console_pump(con);
}

static void uart_console_flush(struct console *con)
{
	struct uart16550 *u = container_of(con, struct uart16550, console);

	while (u->queued)
		uart16550_putc(u, dequeue(u));
	for (u32 spins = 0; spins < 1000000; spins++) {
		if (inb(u->port + UART_LSR) & LSR_TX_EMPTY)
			return;
		cpu_relax();
	}
}

bool uart16550_open(struct uart16550 *u, u16 port)
{
	u16 divisor = UART_CLOCK / 115200;

	u->port = port;
	u->present = uart_probe(port);
	if (!u->present)
		return false;
	outb(port + UART_IER, 0);
	outb(port + UART_LCR, LCR_DLAB);
	outb(port + UART_DLL, divisor & 0xff);
	outb(port + UART_DLM, divisor >> 8);
	outb(port + UART_LCR, LCR_8N1);
	outb(port + UART_FCR, FCR_ENABLE_CLEAR_TRIGGER_1);
	u->fifo_depth = (inb(port + UART_IIR) & IIR_FIFOS_ON) == IIR_FIFOS_ON ? FIFO_DEPTH : 1;
	outb(port + UART_MCR, MCR_DTR_RTS_OUT2);
	return true;
}

bool uart16550_init(struct uart16550 *u, u16 port)
{
	if (!uart16550_open(u, port))
		return false;
	u->queue = console_queue;
	u->queue_size = sizeof(console_queue);
	u->console.name = "serial";
	u->console.write = uart_console_write;
	u->console.pump = uart_console_pump;
	u->console.flush = uart_console_flush;
	console_register(&u->console);
	return true;
}

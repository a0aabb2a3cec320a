// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the 16550A (vmm/dev/vuart.c) driven by 3-byte steps: a register write, a
 * register read, or a byte from the console. After every step the receive FIFO holds no more
 * than the mode allows, LSR.DR says whether it holds anything, the interrupt line is high
 * exactly when an enabled interrupt is pending with OUT2 set outside loopback, and every
 * byte the guest transmits outside loopback reached the console, one for one.
 */
#include "tests/fuzz/fuzz_dev.h"
#include "vmm/dev/vuart.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

enum step { STEP_WRITE, STEP_READ, STEP_RECEIVE, STEP_COUNT };

static void count_output(void *ctx, u8 byte)
{
	(void)byte;
	(*(u64 *)ctx)++;
}

/* What IIR reports, from the state alone (the read itself would clear THRE). */
static bool interrupt_pending(const struct vuart *u)
{
	return ((u->ier & VUART_IER_RLS) && u->line_errors) ||
	       ((u->ier & VUART_IER_RDA) && u->rx.count) ||
	       ((u->ier & VUART_IER_THRE) && u->thre_pending) ||
	       ((u->ier & VUART_IER_MSI) && u->msr_deltas);
}

static void check(const struct vuart *u, const struct fuzz_dev *d)
{
	bool fifo = u->fcr & VUART_FCR_ENABLE;
	bool wired = (u->mcr & VUART_MCR_OUT2) && !(u->mcr & VUART_MCR_LOOP);

	fuzz_check(u->rx.count <= (fifo ? VUART_FIFO_SIZE : 1u));
	fuzz_check(d->line == u->irq_high);
	fuzz_check(d->line == (interrupt_pending(u) && wired));
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_dev d = { 0 };
	struct irq_line line = fuzz_dev_irq_line(&d, VUART_COM1_IRQ);
	u64 sent = 0, expected_sent = 0;
	struct vuart_output output = { .put = count_output, .ctx = &sent };
	struct vuart u;

	vuart_init(&u, VUART_COM1_BASE, &line, &output);
	for (size_t i = 0; i + 3 <= size; i += 3) {
		u16 port = VUART_COM1_BASE + data[i + 1] % VUART_PORTS;
		u8 value = data[i + 2];
		u32 before = u.rx.count;

		switch (data[i] % STEP_COUNT) {
		case STEP_WRITE:
			if (port == VUART_COM1_BASE && !(u.lcr & VUART_LCR_DLAB) &&
			    !(u.mcr & VUART_MCR_LOOP))
				expected_sent++;
			vuart_ops.write(&u, port, 1, value);
			break;
		case STEP_READ:
			if (port == VUART_COM1_BASE + VUART_LSR) {
				u8 lsr = (u8)vuart_ops.read(&u, port, 1);

				fuzz_check(!(lsr & VUART_LSR_DR) == !before);
			} else {
				(void)vuart_ops.read(&u, port, 1);
			}
			break;
		default:
			/* Taken exactly when there is room and no loopback; then it is queued. */
			if (vuart_receive(&u, value))
				fuzz_check(u.rx.count == before + 1);
			else
				fuzz_check((u.mcr & VUART_MCR_LOOP) || u.rx.count == before);
			break;
		}
		fuzz_check(sent == expected_sent);
		check(&u, &d);
	}
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* The 16550A UART model. Register behaviour follows the TI PC16550D datasheet. */
#include "vmm/dev/vuart.h"

static bool vuart_fifo_on(const struct vuart *u)
{
	return u->fcr & VUART_FCR_ENABLE;
}

/* With FIFOs off the receiver holds one byte, as a 16450's RBR. */
static u32 vuart_rx_capacity(const struct vuart *u)
{
	return vuart_fifo_on(u) ? VUART_FIFO_SIZE : 1;
}

/* The receive FIFO's trigger level, FCR bits 7-6 (datasheet 8.5). */
static u32 vuart_rx_trigger(const struct vuart *u)
{
	static const u8 levels[] = { 1, 4, 8, 14 };

	return levels[u->fcr >> 6];
}

/*
 * The pending interrupt of highest priority, as IIR bits 3-0 (datasheet table 4). Character
 * timeout is modelled without a timer: data below the trigger level reports it at once.
 * Console input comes in a byte at a time, far slower than the guest reads, so waiting four
 * character times would only delay every key.
 */
static u8 vuart_pending(const struct vuart *u)
{
	if ((u->ier & VUART_IER_RLS) && u->line_errors)
		return VUART_IIR_RLS;
	if ((u->ier & VUART_IER_RDA) && u->rx.count) {
		if (!vuart_fifo_on(u) || u->rx.count >= vuart_rx_trigger(u))
			return VUART_IIR_RDA;
		return VUART_IIR_TIMEOUT;
	}
	if ((u->ier & VUART_IER_THRE) && u->thre_pending)
		return VUART_IIR_THRE;
	if ((u->ier & VUART_IER_MSI) && u->msr_deltas)
		return VUART_IIR_MSI;
	return VUART_IIR_NONE;
}

/*
 * On a PC the UART's INTR pin reaches the PIC only while MCR.OUT2 is set. In loopback the
 * OUT pins are forced inactive (datasheet 8.6), so the line stays low there too.
 */
static void vuart_update_irq(struct vuart *u)
{
	bool high = vuart_pending(u) != VUART_IIR_NONE && (u->mcr & VUART_MCR_OUT2) &&
		    !(u->mcr & VUART_MCR_LOOP);

	if (high != u->irq_high) {
		u->irq_high = high;
		irq_line_set(&u->irq, high);
	}
}

/*
 * The modem inputs (MSR bits 7-4). Outside loopback the console is a null-modem cable that
 * is always ready: CTS, DSR and DCD asserted. In loopback they are MCR's outputs: RTS to
 * CTS, DTR to DSR, OUT1 to RI, OUT2 to DCD (datasheet 8.6).
 */
static u8 vuart_modem_lines(u8 mcr)
{
	if (!(mcr & VUART_MCR_LOOP))
		return VUART_MSR_CTS | VUART_MSR_DSR | VUART_MSR_DCD;
	return ((mcr & VUART_MCR_RTS) ? VUART_MSR_CTS : 0) |
	       ((mcr & VUART_MCR_DTR) ? VUART_MSR_DSR : 0) |
	       ((mcr & VUART_MCR_OUT1) ? VUART_MSR_RI : 0) |
	       ((mcr & VUART_MCR_OUT2) ? VUART_MSR_DCD : 0);
}

static void vuart_write_mcr(struct vuart *u, u8 value)
{
	u8 old = vuart_modem_lines(u->mcr), new;

	u->mcr = value & 0x1f;
	new = vuart_modem_lines(u->mcr);
	/* Each delta bit sits four below its line; RI's flags only its trailing edge. */
	u->msr_deltas |= ((old ^ new) >> 4) & ~VUART_MSR_TERI;
	if ((old & VUART_MSR_RI) && !(new & VUART_MSR_RI))
		u->msr_deltas |= VUART_MSR_TERI;
}

static void vuart_clear_rx(struct vuart *u)
{
	input_ring_init(&u->rx);
}

/*
 * A byte the transmitter loops back. When the receiver is full it is an overrun: in FIFO
 * mode the new byte is lost, in 16450 mode it replaces the unread one (datasheet, LSR bit 1).
 */
static void vuart_loop_byte(struct vuart *u, u8 byte)
{
	if (u->rx.count < vuart_rx_capacity(u)) {
		input_ring_push(&u->rx, byte);
		return;
	}
	u->line_errors |= VUART_LSR_OE;
	if (!vuart_fifo_on(u)) {
		input_ring_pop(&u->rx);
		input_ring_push(&u->rx, byte);
	}
}

static void vuart_transmit(struct vuart *u, u8 byte)
{
	if (u->mcr & VUART_MCR_LOOP)
		vuart_loop_byte(u, byte);
	else if (u->output.put)
		u->output.put(u->output.ctx, byte);
	/* Sent at once: THR is empty again, which is itself an interrupt. */
	u->thre_pending = true;
}

static void vuart_write_ier(struct vuart *u, u8 value)
{
	/* THR is always empty, so enabling its interrupt raises it at once. */
	if (!(u->ier & VUART_IER_THRE) && (value & VUART_IER_THRE))
		u->thre_pending = true;
	u->ier = value & 0x0f;
}

/* FCR bits other than bit 0 are programmed only when bit 0 is written as 1 (datasheet 8.5). */
static void vuart_write_fcr(struct vuart *u, u8 value)
{
	/* Switching between FIFO and 16450 mode empties the FIFOs. */
	if ((value ^ u->fcr) & VUART_FCR_ENABLE)
		vuart_clear_rx(u);
	if (!(value & VUART_FCR_ENABLE)) {
		u->fcr = 0;
		return;
	}
	if (value & VUART_FCR_CLEAR_RX)
		vuart_clear_rx(u);
	/* VUART_FCR_CLEAR_TX has nothing to clear: the transmitter never holds a byte. */
	u->fcr = value & (VUART_FCR_ENABLE | VUART_FCR_TRIGGER);
}

static u8 vuart_read_iir(struct vuart *u)
{
	u8 pending = vuart_pending(u);

	/* Reading IIR while it reports THR empty clears that interrupt (datasheet table 4). */
	if (pending == VUART_IIR_THRE)
		u->thre_pending = false;
	return pending | (vuart_fifo_on(u) ? VUART_IIR_FIFO_ON : 0);
}

static u8 vuart_read_lsr(struct vuart *u)
{
	u8 lsr = VUART_LSR_THRE | VUART_LSR_TEMT | u->line_errors;

	if (u->rx.count)
		lsr |= VUART_LSR_DR;
	u->line_errors = 0;
	return lsr;
}

static u8 vuart_read_msr(struct vuart *u)
{
	u8 msr = vuart_modem_lines(u->mcr) | u->msr_deltas;

	u->msr_deltas = 0;
	return msr;
}

static u8 vuart_read_reg(struct vuart *u, enum vuart_reg reg)
{
	bool dlab = u->lcr & VUART_LCR_DLAB;
	int byte;

	switch (reg) {
	case VUART_RBR_THR_DLL:
		if (dlab)
			return u->dll;
		byte = input_ring_pop(&u->rx);
		return byte < 0 ? 0 : (u8)byte;
	case VUART_IER_DLM:
		return dlab ? u->dlm : u->ier;
	case VUART_IIR_FCR:
		return vuart_read_iir(u);
	case VUART_LCR:
		return u->lcr;
	case VUART_MCR:
		return u->mcr;
	case VUART_LSR:
		return vuart_read_lsr(u);
	case VUART_MSR:
		return vuart_read_msr(u);
	default:	/* VUART_SCR */
		return u->scr;
	}
}

static void vuart_write_reg(struct vuart *u, enum vuart_reg reg, u8 value)
{
	bool dlab = u->lcr & VUART_LCR_DLAB;

	switch (reg) {
	case VUART_RBR_THR_DLL:
		if (dlab)
			u->dll = value;
		else
			vuart_transmit(u, value);
		break;
	case VUART_IER_DLM:
		if (dlab)
			u->dlm = value;
		else
			vuart_write_ier(u, value);
		break;
	case VUART_IIR_FCR:
		vuart_write_fcr(u, value);
		break;
	case VUART_LCR:
		u->lcr = value;
		break;
	case VUART_MCR:
		vuart_write_mcr(u, value);
		break;
	case VUART_LSR:
	case VUART_MSR:
		break;	/* read-only: factory test use on the real part */
	default:	/* VUART_SCR */
		u->scr = value;
		break;
	}
}

static u32 vuart_read(void *dev, u16 port, u8 size)
{
	struct vuart *u = dev;
	u8 value;

	(void)size;
	value = vuart_read_reg(u, (enum vuart_reg)((port - u->base) & 7));
	vuart_update_irq(u);
	return value;
}

static void vuart_write(void *dev, u16 port, u8 size, u32 value)
{
	struct vuart *u = dev;

	(void)size;
	vuart_write_reg(u, (enum vuart_reg)((port - u->base) & 7), (u8)value);
	vuart_update_irq(u);
}

const struct pio_ops vuart_ops = {
	.read = vuart_read,
	.write = vuart_write,
};

void vuart_init(struct vuart *u, u16 base, const struct irq_line *irq,
		const struct vuart_output *output)
{
	*u = (struct vuart){ .base = base, .irq = *irq, .output = *output };
	vuart_clear_rx(u);
}

bool vuart_receive(struct vuart *u, u8 byte)
{
	/* In loopback the serial input is cut off from the receiver (datasheet 8.6). */
	if ((u->mcr & VUART_MCR_LOOP) || u->rx.count >= vuart_rx_capacity(u))
		return false;
	input_ring_push(&u->rx, byte);
	vuart_update_irq(u);
	return true;
}

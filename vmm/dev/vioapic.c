/* SPDX-License-Identifier: MIT */
/* The I/O APIC model (Intel 82093AA datasheet). Pure: pins in, messages out through a callback. */
#include "vmm/dev/vioapic.h"

/* The bits of an entry the guest may write: all but delivery status and remote IRR. */
#define REDIR_WRITABLE (~(u64)(VIOAPIC_DELIVERY_PENDING | VIOAPIC_REMOTE_IRR) & \
			(0xff00000000000000ULL | 0x1ffffULL))
#define ID_SHIFT 24
#define ID_MASK 0x0f

void vioapic_init(struct vioapic *io)
{
	io->id = 0;
	io->ioregsel = 0;
	io->lines = 0;
	io->messages = 0;
	for (u32 i = 0; i < VIOAPIC_PINS; i++)
		io->redir[i] = VIOAPIC_MASKED;
}

static bool asserted(const struct vioapic *io, u8 pin)
{
	bool high = io->lines & BIT(pin);

	return io->redir[pin] & VIOAPIC_ACTIVE_LOW ? !high : high;
}

static void send(struct vioapic *io, u8 pin)
{
	u64 e = io->redir[pin];
	struct vioapic_message m = {
		.pin = pin,
		.vector = (u8)(e & VIOAPIC_VECTOR_MASK),
		.delivery = (u8)((e >> VIOAPIC_DELIVERY_SHIFT) & 7),
		.logical = e & VIOAPIC_DEST_LOGICAL,
		.destination = (u8)(e >> VIOAPIC_DEST_SHIFT),
		.level = e & VIOAPIC_LEVEL,
	};

	if (m.level)
		io->redir[pin] |= VIOAPIC_REMOTE_IRR;
	io->messages++;
	if (io->deliver)
		io->deliver(io->deliver_ctx, &m);
}

/* A level-triggered entry sends while its pin is asserted, unmasked, and not awaiting an EOI. */
static void level_check(struct vioapic *io, u8 pin)
{
	u64 e = io->redir[pin];

	if ((e & VIOAPIC_LEVEL) && !(e & (VIOAPIC_MASKED | VIOAPIC_REMOTE_IRR)) &&
	    asserted(io, pin))
		send(io, pin);
}

void vioapic_set_irq(struct vioapic *io, u8 pin, bool high)
{
	bool was;

	if (pin >= VIOAPIC_PINS)
		return;
	was = asserted(io, pin);
	io->lines = high ? io->lines | BIT(pin) : io->lines & ~BIT(pin);
	if (io->redir[pin] & VIOAPIC_LEVEL)
		level_check(io, pin);
	else if (!was && asserted(io, pin) && !(io->redir[pin] & VIOAPIC_MASKED))
		send(io, pin);
}

void vioapic_eoi(struct vioapic *io, u8 vector)
{
	for (u8 pin = 0; pin < VIOAPIC_PINS; pin++) {
		u64 e = io->redir[pin];

		if ((e & VIOAPIC_LEVEL) && (e & VIOAPIC_REMOTE_IRR) &&
		    (e & VIOAPIC_VECTOR_MASK) == vector) {
			io->redir[pin] &= ~(u64)VIOAPIC_REMOTE_IRR;
			level_check(io, pin);
		}
	}
}

static u32 read_register(const struct vioapic *io, u8 index)
{
	u8 pin = (u8)((index - VIOAPIC_REG_REDIR) / 2);

	switch (index) {
	case VIOAPIC_REG_ID:
		return (u32)io->id << ID_SHIFT;
	case VIOAPIC_REG_VERSION:
		return (u32)(VIOAPIC_PINS - 1) << 16 | VIOAPIC_VERSION;
	case VIOAPIC_REG_ARBITRATION:
		return (u32)io->id << ID_SHIFT;	/* the ID, as the 82093AA loads it at reset */
	}
	if (index < VIOAPIC_REG_REDIR || pin >= VIOAPIC_PINS)
		return 0;
	return (u32)(index & 1 ? io->redir[pin] >> 32 : io->redir[pin]);
}

static void write_register(struct vioapic *io, u8 index, u32 value)
{
	u8 pin = (u8)((index - VIOAPIC_REG_REDIR) / 2);
	u64 e;

	if (index == VIOAPIC_REG_ID) {
		io->id = (value >> ID_SHIFT) & ID_MASK;
		return;
	}
	if (index < VIOAPIC_REG_REDIR || pin >= VIOAPIC_PINS)
		return;	/* version and arbitration are read only */
	e = io->redir[pin];
	if (index & 1)
		e = (e & 0xffffffffULL) | (u64)value << 32;
	else
		e = (e & ~0xffffffffULL) | value;
	io->redir[pin] = (e & REDIR_WRITABLE) | (io->redir[pin] & VIOAPIC_REMOTE_IRR);
	/* an entry made edge-triggered no longer waits for an EOI */
	if (!(io->redir[pin] & VIOAPIC_LEVEL))
		io->redir[pin] &= ~(u64)VIOAPIC_REMOTE_IRR;
	level_check(io, pin);
}

/* The bytes [shift/8, shift/8 + size) of IOWIN's 32 bits. */
static u32 window_mask(u8 size, u32 shift)
{
	return (size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1) << shift;
}

static u64 window_read(void *dev, u64 offset, u8 size)
{
	struct vioapic *io = dev;

	(void)size;	/* the bus masks the value to it */
	if (offset == VIOAPIC_IOREGSEL)
		return io->ioregsel;
	if (offset >= VIOAPIC_IOWIN && offset < VIOAPIC_IOWIN + 4)
		return read_register(io, io->ioregsel) >> (8 * (offset - VIOAPIC_IOWIN));
	return 0;
}

static void window_write(void *dev, u64 offset, u8 size, u64 value)
{
	struct vioapic *io = dev;
	u32 shift, mask, old;

	if (offset == VIOAPIC_IOREGSEL) {
		io->ioregsel = (u8)value;
		return;
	}
	if (offset < VIOAPIC_IOWIN || offset >= VIOAPIC_IOWIN + 4)
		return;
	shift = 8 * (u32)(offset - VIOAPIC_IOWIN);
	mask = window_mask(size, shift);
	old = read_register(io, io->ioregsel);
	write_register(io, io->ioregsel, (old & ~mask) | ((u32)(value << shift) & mask));
}

const struct mmio_ops vioapic_ops = { .read = window_read, .write = window_write };

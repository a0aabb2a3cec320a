/* SPDX-License-Identifier: MIT */
/* The cascaded 8259A pair and its ELCR, after the Intel 8259A datasheet and the PIIX's ELCR. */
#include "vmm/dev/vpic.h"

/*
 * The 8259A's command words, told apart by A0 and bits 4-3 (8259A datasheet, "Initialization
 * Command Word Format" and "Operation Command Word Format").
 */
#define ICW1_IC4 0x01
#define ICW1_SNGL 0x02
#define ICW1_LTIM 0x08
#define ICW1_SELECT 0x10	/* on the command port: this is ICW1 */
#define ICW4_AEOI 0x02
#define ICW4_SFNM 0x10
#define OCW3_SELECT 0x08	/* on the command port with bit 4 clear: OCW3, else OCW2 */
#define OCW3_RIS 0x01
#define OCW3_RR 0x02
#define OCW3_P 0x04
#define OCW3_SMM 0x20
#define OCW3_ESMM 0x40
#define OCW2_LEVEL 0x07
#define OCW2_EOI 0x20
#define OCW2_SL 0x40		/* the level in L2-L0 is meant */
#define OCW2_R 0x80		/* rotate */
#define POLL_INTERRUPT 0x80	/* poll word: a request is pending; L2-L0 say which */
#define SPURIOUS_IR 7

enum { INIT_READY, INIT_ICW2, INIT_ICW3, INIT_ICW4 };

/* PIIX: IRQ 0-2 (timer, keyboard, cascade), 8 (RTC) and 13 (FPU) are always edge-triggered. */
#define ELCR_MASTER_WRITABLE 0xf8
#define ELCR_SLAVE_WRITABLE 0xde

static bool chip_is_level(const struct vpic_chip *c, u8 ir)
{
	return c->level_triggered || (c->elcr & BIT(ir));
}

/* 0 for the highest priority, 7 for the lowest. */
static u8 chip_rank(const struct vpic_chip *c, u8 ir)
{
	return (u8)((ir - c->lowest_priority - 1) & 7);
}

/* The IR of the highest priority among mask, or -1. */
static int chip_highest(const struct vpic_chip *c, u8 mask)
{
	for (u8 i = 1; i <= 8; i++) {
		u8 ir = (u8)((c->lowest_priority + i) & 7);

		if (mask & BIT(ir))
			return ir;
	}
	return -1;
}

/*
 * The request the chip's INT would signal, or -1: the highest unmasked one, if it outranks
 * everything in service. In special mask mode the in-service levels inhibit only themselves
 * (8259A datasheet, "Special Mask Mode"); in special fully nested mode a cascade input in
 * service does not inhibit a new request from its slave ("Special Fully Nest Mode").
 */
static int chip_deliverable(const struct vpic_chip *c, u8 cascade_irs)
{
	u8 requests = c->irr & ~c->imr;
	u8 blocking = c->isr;
	int req, svc;

	if (c->special_mask)
		return chip_highest(c, requests & ~c->isr);
	if (c->special_fully_nested)
		blocking &= ~cascade_irs;
	req = chip_highest(c, requests);
	if (req < 0)
		return -1;
	svc = chip_highest(c, blocking);
	if (svc >= 0 && chip_rank(c, (u8)svc) <= chip_rank(c, (u8)req))
		return -1;
	return req;
}

/* The master's IRs that have a slave on them (only IR2 is wired to one). */
static u8 master_cascade_irs(const struct vpic_chip *m)
{
	return m->single ? 0 : (m->icw3 & BIT(VPIC_CASCADE_IR));
}

/*
 * An edge latches the request until INTA takes it: the line may fall at once, as a pulse
 * does. A level-triggered input requests exactly while it is high.
 */
static void chip_set_line(struct vpic_chip *c, u8 ir, bool high)
{
	u8 bit = (u8)BIT(ir);

	if (chip_is_level(c, ir))
		c->irr = high ? c->irr | bit : c->irr & ~bit;
	else if (high && !(c->lines & bit))
		c->irr |= bit;
	c->lines = high ? c->lines | bit : c->lines & ~bit;
}

/* INTA on one chip for request ir: in service (or, in AEOI mode, at once done with). */
static void chip_acknowledge(struct vpic_chip *c, u8 ir)
{
	if (!chip_is_level(c, ir))
		c->irr &= ~BIT(ir);
	if (!c->auto_eoi)
		c->isr |= BIT(ir);
	else if (c->rotate_on_auto_eoi)
		c->lowest_priority = ir;
}

/* The slave's INT drives master IR2; the master's INT is the CPU's INTR. */
static void vpic_update(struct vpic *pic)
{
	bool intr;

	chip_set_line(&pic->master, VPIC_CASCADE_IR,
		      chip_deliverable(&pic->slave, 0) >= 0);
	intr = chip_deliverable(&pic->master, master_cascade_irs(&pic->master)) >= 0;
	if (intr == pic->intr)
		return;
	pic->intr = intr;
	if (pic->intr_changed)
		pic->intr_changed(pic->intr_ctx, intr);
}

static void chip_reset(struct vpic_chip *c, u8 elcr_writable)
{
	*c = (struct vpic_chip){ .lowest_priority = 7, .elcr_writable = elcr_writable };
}

void vpic_init(struct vpic *pic)
{
	chip_reset(&pic->master, ELCR_MASTER_WRITABLE);
	chip_reset(&pic->slave, ELCR_SLAVE_WRITABLE);
	pic->intr = false;
}

void vpic_set_irq(struct vpic *pic, u8 irq, bool high)
{
	if (irq == VPIC_CASCADE_IR)
		irq = 9;
	if (irq >= 16)
		return;
	if (irq < 8)
		chip_set_line(&pic->master, irq, high);
	else
		chip_set_line(&pic->slave, (u8)(irq - 8), high);
	vpic_update(pic);
}

static void vpic_line_set(void *ctx, u8 irq, bool high)
{
	vpic_set_irq(ctx, irq, high);
}

struct irq_line vpic_irq_line(struct vpic *pic, u8 irq)
{
	return (struct irq_line){ .set = vpic_line_set, .ctx = pic, .irq = irq };
}

/* The vector the slave gives an INTA through the cascade, and its request (-1: spurious). */
static u8 slave_vector(const struct vpic_chip *s, int *ir)
{
	*ir = chip_deliverable(s, 0);
	return (u8)(s->vector_base + (*ir < 0 ? SPURIOUS_IR : *ir));
}

int vpic_pending_vector(const struct vpic *pic)
{
	const struct vpic_chip *m = &pic->master;
	u8 cascade = master_cascade_irs(m);
	int ir = chip_deliverable(m, cascade), slave_ir;

	if (ir < 0)
		return -1;
	if (cascade & BIT(ir))
		return slave_vector(&pic->slave, &slave_ir);
	return m->vector_base + ir;
}

/*
 * A request gone before INTA leaves the chip nothing to put in service: it answers with IR7's
 * vector (8259A datasheet, "Interrupt Sequence"). A slave doing so has still been selected
 * through the master's IR2, which goes in service as usual. The slave's INT falls during its
 * INTA cycle, as Bochs models it: what the slave still requests afterwards (in AEOI mode
 * nothing in service holds it back) is a new edge on IR2, not lost behind a line held high.
 */
u8 vpic_acknowledge(struct vpic *pic)
{
	struct vpic_chip *m = &pic->master;
	u8 cascade = master_cascade_irs(m);
	int ir = chip_deliverable(m, cascade), slave_ir;
	u8 vector;

	if (ir < 0)
		return (u8)(m->vector_base + SPURIOUS_IR);
	chip_acknowledge(m, (u8)ir);
	if (cascade & BIT(ir)) {
		vector = slave_vector(&pic->slave, &slave_ir);
		if (slave_ir >= 0)
			chip_acknowledge(&pic->slave, (u8)slave_ir);
		chip_set_line(m, VPIC_CASCADE_IR, false);
	} else {
		vector = (u8)(m->vector_base + ir);
	}
	vpic_update(pic);
	return vector;
}

/*
 * ICW1 starts the initialization: IMR cleared, IR7 lowest, special mask mode off, the IRR to
 * be read, the ICW4 functions off, and the edge sense reset, so a line already high must fall
 * and rise again to request (8259A datasheet, "Initialization Command Words").
 */
static void chip_write_icw1(struct vpic_chip *c, u8 value)
{
	u8 elcr = c->elcr, elcr_writable = c->elcr_writable, lines = c->lines;

	chip_reset(c, elcr_writable);
	c->elcr = elcr;
	c->lines = lines;
	c->icw4_needed = value & ICW1_IC4;
	c->single = value & ICW1_SNGL;
	c->level_triggered = value & ICW1_LTIM;
	for (u8 ir = 0; ir < 8; ir++)
		if (chip_is_level(c, ir) && (lines & BIT(ir)))
			c->irr |= BIT(ir);
	c->init_step = INIT_ICW2;
}

static void chip_write_init(struct vpic_chip *c, u8 value)
{
	switch (c->init_step) {
	case INIT_ICW2:
		/* In 8086 mode T7-T3 are the vector's upper bits, the IR its lower three. */
		c->vector_base = value & 0xf8;
		c->init_step = !c->single ? INIT_ICW3 : c->icw4_needed ? INIT_ICW4 : INIT_READY;
		break;
	case INIT_ICW3:
		c->icw3 = value;
		c->init_step = c->icw4_needed ? INIT_ICW4 : INIT_READY;
		break;
	case INIT_ICW4:
		c->auto_eoi = value & ICW4_AEOI;
		c->special_fully_nested = value & ICW4_SFNM;
		c->init_step = INIT_READY;
		break;
	}
}

static void chip_end_of_interrupt(struct vpic_chip *c, int ir, bool rotate)
{
	if (ir < 0)
		return;
	c->isr &= ~BIT(ir);
	if (rotate)
		c->lowest_priority = (u8)ir;
}

/* OCW2: R, SL and EOI select the operation. */
static void chip_write_ocw2(struct vpic_chip *c, u8 value)
{
	u8 level = value & OCW2_LEVEL;
	bool rotate = value & OCW2_R;

	switch (value & (OCW2_R | OCW2_SL | OCW2_EOI)) {
	case OCW2_EOI:
	case OCW2_EOI | OCW2_R:
		chip_end_of_interrupt(c, chip_highest(c, c->isr), rotate);
		break;
	case OCW2_EOI | OCW2_SL:
	case OCW2_EOI | OCW2_SL | OCW2_R:
		chip_end_of_interrupt(c, level, rotate);
		break;
	case OCW2_R:
	case 0:
		c->rotate_on_auto_eoi = rotate;
		break;
	case OCW2_R | OCW2_SL:
		c->lowest_priority = level;
		break;
	}
}

static void chip_write_ocw3(struct vpic_chip *c, u8 value)
{
	if (value & OCW3_ESMM)
		c->special_mask = value & OCW3_SMM;
	if (value & OCW3_RR)
		c->read_isr = value & OCW3_RIS;
	c->poll = value & OCW3_P;
}

static void chip_write(struct vpic_chip *c, bool data_port, u8 value)
{
	if (data_port) {
		if (c->init_step != INIT_READY)
			chip_write_init(c, value);
		else
			c->imr = value;
	} else if (value & ICW1_SELECT) {
		chip_write_icw1(c, value);
	} else if (value & OCW3_SELECT) {
		chip_write_ocw3(c, value);
	} else {
		chip_write_ocw2(c, value);
	}
}

/* A poll is an INTA without the vector: the word says whether and which IR requests. */
static u8 chip_poll(struct vpic_chip *c, u8 cascade_irs)
{
	int ir = chip_deliverable(c, cascade_irs);

	c->poll = false;
	if (ir < 0)
		return 0;
	chip_acknowledge(c, (u8)ir);
	return (u8)(POLL_INTERRUPT | ir);
}

static u8 chip_read(struct vpic_chip *c, bool data_port, u8 cascade_irs)
{
	if (data_port)
		return c->imr;
	if (c->poll)
		return chip_poll(c, cascade_irs);
	return c->read_isr ? c->isr : c->irr;
}

/* A chip's ELCR: an input turned level-triggered requests at once if its line is high. */
static void chip_write_elcr(struct vpic_chip *c, u8 value)
{
	c->elcr = value & c->elcr_writable;
	for (u8 ir = 0; ir < 8; ir++)
		if (chip_is_level(c, ir))
			chip_set_line(c, ir, c->lines & BIT(ir));
}

/* The chip a port belongs to, and whether it is the chip's odd (data, slave ELCR) port. */
static struct vpic_chip *vpic_chip_of(struct vpic *pic, u16 port)
{
	if (port == VPIC_ELCR_PORT + 1 || (port & ~1) == VPIC_SLAVE_PORT)
		return &pic->slave;
	return &pic->master;
}

static bool vpic_is_elcr(u16 port)
{
	return (port & ~1) == VPIC_ELCR_PORT;
}

static u32 vpic_read(void *dev, u16 port, u8 size)
{
	struct vpic *pic = dev;
	struct vpic_chip *c = vpic_chip_of(pic, port);
	u8 value;

	(void)size;
	if (vpic_is_elcr(port))
		return c->elcr;
	value = chip_read(c, port & 1, c == &pic->master ? master_cascade_irs(c) : 0);
	vpic_update(pic);
	return value;
}

static void vpic_write(void *dev, u16 port, u8 size, u32 value)
{
	struct vpic *pic = dev;
	struct vpic_chip *c = vpic_chip_of(pic, port);

	(void)size;
	if (vpic_is_elcr(port))
		chip_write_elcr(c, (u8)value);
	else
		chip_write(c, port & 1, (u8)value);
	vpic_update(pic);
}

const struct pio_ops vpic_ops = {
	.read = vpic_read,
	.write = vpic_write,
};

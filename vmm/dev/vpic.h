/* SPDX-License-Identifier: MIT */
/*
 * The PC/AT's pair of 8259A interrupt controllers (a slave cascaded on IR2 of the master) and
 * the PIIX edge/level control registers (ELCR) at 0x4D0/0x4D1. Pure: the VM glue feeds it
 * interrupt lines and takes vectors from it for the vCPU.
 */
#ifndef VIREO_VMM_DEV_VPIC_H
#define VIREO_VMM_DEV_VPIC_H

#include "vmm/dev/irq_line.h"
#include "vmm/pio.h"

#define VPIC_MASTER_PORT 0x20	/* command, data at +1 */
#define VPIC_SLAVE_PORT 0xa0
#define VPIC_ELCR_PORT 0x4d0	/* master's ELCR, slave's at +1 */
#define VPIC_CASCADE_IR 2	/* the master input the slave's INT drives */

/* One 8259A. */
struct vpic_chip {
	u8 irr, isr, imr;
	u8 lines;		/* the IR input levels */
	u8 elcr;		/* level-triggered inputs (PIIX ELCR) */
	u8 elcr_writable;	/* the ELCR bits that are not fixed to 0 */
	u8 vector_base;		/* ICW2: T7-T3 */
	u8 lowest_priority;	/* the IR with the lowest priority; rotation moves it */
	u8 icw3;		/* master: the IRs with a slave; slave: its ID */
	u8 init_step;		/* which ICW the data port expects next, 0 when initialized */
	bool icw4_needed, single, level_triggered;	/* ICW1: IC4, SNGL, LTIM */
	bool auto_eoi, special_fully_nested;	/* ICW4: AEOI, SFNM (uPM: always 8086 here) */
	bool rotate_on_auto_eoi;
	bool read_isr;		/* OCW3 RR/RIS: the command port reads the ISR, else the IRR */
	bool poll;		/* OCW3 P: the next command port read is a poll */
	bool special_mask;	/* OCW3 ESMM/SMM */
};

struct vpic {
	struct vpic_chip master, slave;
	bool intr;		/* the master's INT output, as last notified */
	/* Called whenever INT changes, with its new level: the glue kicks the vCPU on a rise. */
	void (*intr_changed)(void *ctx, bool high);
	void *intr_ctx;
};

/*
 * The state after power-on: both chips uninitialized (IMR clear, vector base 0, IR0 highest
 * priority), every line low, every input edge-triggered. Keeps intr_changed and intr_ctx,
 * which the caller may set before or after.
 */
void vpic_init(struct vpic *pic);

/*
 * Drive ISA interrupt line irq (0-15; 8-15 reach the slave) to a level. An edge-triggered
 * input latches its request on a rising edge, so a pulse (irq_line_pulse) is enough; a
 * level-triggered one requests while high. IRQ 2 is the cascade: on the AT the bus's IRQ 2
 * pin is wired to IRQ 9, and so it is here.
 */
void vpic_set_irq(struct vpic *pic, u8 irq, bool high);

/* The interrupt line a device model drives into irq of this PIC (vpic_set_irq). */
struct irq_line vpic_irq_line(struct vpic *pic, u8 irq);

/*
 * The vector an INTA cycle would give now, or -1 when INT is low: the vCPU's interrupt
 * source's highest deliverable vector (struct event_gate.interrupt_vector).
 */
int vpic_pending_vector(const struct vpic *pic);

/*
 * The INTA cycle, once the vector vpic_pending_vector gave was injected (event_decide's
 * took_interrupt): moves the request to in-service (or not, in AEOI mode) on the master and,
 * through IR2, on the slave. Returns the vector, which matches vpic_pending_vector's when
 * nothing changed in between; when the request vanished before it, the spurious vector of
 * IR7 (base + 7) of the chip that lost it, with nothing put in service on that chip.
 */
u8 vpic_acknowledge(struct vpic *pic);

/*
 * Ports 0x20-0x21 and 0xA0-0xA1 (command, data) and 0x4D0-0x4D1 (ELCR), all on one struct
 * vpic: register the three ranges with the same dev. Accesses wider than a byte use the low
 * byte at the first port.
 */
extern const struct pio_ops vpic_ops;

#endif

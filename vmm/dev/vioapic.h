/* SPDX-License-Identifier: MIT */
/*
 * An 82093AA I/O APIC (version 0x11, 24 pins) at 0xFEC00000: the IOREGSEL/IOWIN window, its
 * ID, version and arbitration registers and the redirection table. Pure: its pins are driven
 * by the VM glue, and each interrupt it sends leaves through a callback as the message a
 * local APIC receives (destination, vector, delivery mode, trigger mode).
 */
#ifndef VIREO_VMM_DEV_VIOAPIC_H
#define VIREO_VMM_DEV_VIOAPIC_H

#include "kernel/types.h"
#include "vmm/mmio.h"

#define VIOAPIC_BASE 0xfec00000ULL
#define VIOAPIC_SIZE 0x1000		/* its page: registers at 0x00 and 0x10, the rest reads 0 */
#define VIOAPIC_PINS 24
#define VIOAPIC_VERSION 0x11

/* The window's two registers (82093AA datasheet, 3.0) and the indirect registers. */
#define VIOAPIC_IOREGSEL 0x00
#define VIOAPIC_IOWIN 0x10
#define VIOAPIC_REG_ID 0x00
#define VIOAPIC_REG_VERSION 0x01
#define VIOAPIC_REG_ARBITRATION 0x02
#define VIOAPIC_REG_REDIR 0x10		/* pin n: low dword at 0x10 + 2n, high at 0x11 + 2n */

/* A redirection entry's fields (datasheet 3.2.4). */
#define VIOAPIC_VECTOR_MASK 0xffULL
#define VIOAPIC_DELIVERY_SHIFT 8	/* bits 10:8: the delivery mode */
#define VIOAPIC_DEST_LOGICAL BIT(11)
#define VIOAPIC_DELIVERY_PENDING BIT(12)	/* read only */
#define VIOAPIC_ACTIVE_LOW BIT(13)
#define VIOAPIC_REMOTE_IRR BIT(14)		/* read only */
#define VIOAPIC_LEVEL BIT(15)
#define VIOAPIC_MASKED BIT(16)
#define VIOAPIC_DEST_SHIFT 56

enum vioapic_delivery {
	VIOAPIC_FIXED = 0,
	VIOAPIC_LOWEST_PRIORITY = 1,
	VIOAPIC_SMI = 2,
	VIOAPIC_NMI = 4,
	VIOAPIC_INIT = 5,
	VIOAPIC_EXTINT = 7,
};

/* One interrupt message, as the I/O APIC sends it to the local APICs. */
struct vioapic_message {
	u8 pin;
	u8 vector;
	u8 delivery;		/* enum vioapic_delivery */
	bool logical;		/* destination is a logical set, else a physical APIC ID */
	u8 destination;
	bool level;		/* level-triggered: the receiver owes an EOI (vioapic_eoi) */
};

struct vioapic {
	u8 id;			/* bits 27:24 of the ID register */
	u8 ioregsel;
	u32 lines;		/* pin levels as driven, bit n for pin n */
	u64 redir[VIOAPIC_PINS];
	u64 messages;		/* interrupts sent */
	void (*deliver)(void *ctx, const struct vioapic_message *m);
	void *deliver_ctx;
};

/*
 * The state after reset: ID 0, every entry masked with its other fields 0, every pin low.
 * Keeps deliver and deliver_ctx, which the caller may set before or after.
 */
void vioapic_init(struct vioapic *io);

/*
 * Drive pin (0-23; others ignored) to a level. An unmasked edge-triggered entry sends on the
 * edge that asserts it (rising, or falling when active low); a masked one loses that edge. An
 * unmasked level-triggered entry sends while asserted and remote IRR is clear, and sets remote
 * IRR until the EOI.
 */
void vioapic_set_irq(struct vioapic *io, u8 pin, bool high);

/*
 * A local APIC's EOI broadcast for vector: clears remote IRR of the level-triggered entries
 * with that vector, and sends again for those whose pin is still asserted.
 */
void vioapic_eoi(struct vioapic *io, u8 vector);

/*
 * The register window for the MMIO bus, dev a struct vioapic: IOREGSEL at 0x00 (its low byte),
 * IOWIN at 0x10 (a narrower access reaches its bytes of the selected register). An unmasking
 * write to a level-triggered entry whose pin is asserted sends at once.
 */
extern const struct mmio_ops vioapic_ops;

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The 8254 programmable interval timer (ports 0x40-0x43) and the PC's system control port B
 * (0x61: channel 2's gate, the speaker, the refresh toggle, OUT2). Nothing is ticked: counts
 * and OUT levels are computed from the clock when asked, so the guest sees exact time.
 */
#ifndef VIREO_VMM_DEV_VPIT_H
#define VIREO_VMM_DEV_VPIT_H

#include "vmm/dev/irq_line.h"
#include "vmm/pio.h"

#define VPIT_PORT 0x40		/* channels 0-2, the control word at +3 */
#define VPIT_PORT_B 0x61	/* system control port B */
/* The input clock: the rate Linux (PIT_TICK_RATE) and every PC emulator count with. */
#define VPIT_HZ 1193182ULL

/* One counter. Ticks are whole input clocks since clock time 0. */
struct vpit_channel {
	/* The control word. */
	u8 mode_bits;		/* M2-M0 as written: 6 and 7 act as 2 and 3 */
	u8 access;		/* RW1-RW0: which bytes of the count go through the port */
	bool bcd;
	bool gate;
	/* The count register and the accesses to it. */
	u32 count;		/* in binary, 0 written stored as the modulus */
	bool count_written;	/* a whole count since the control word */
	bool null_count;	/* the count written is not yet in the counting element */
	bool write_msb_next, read_msb_next;	/* the byte flip-flops of a two-byte access */
	u8 write_lsb;
	u8 latched_bytes;	/* bytes of the latched count still to read */
	u16 latched;
	bool status_latched;
	u8 status;
	/* The counting element. */
	bool running;
	u64 origin;		/* the tick at which it held start */
	u32 start;		/* modes 2 and 3: the period */
	bool tc_passed;		/* modes 0 and 4: the terminal count came before origin */
	u32 held;		/* its value while stopped */
	bool reload_due;	/* modes 2 and 3: count becomes the period at reload_tick */
	u64 reload_tick;
	u64 synced;		/* the tick the state above describes */
};

struct vpit {
	struct vpit_channel channel[3];
	struct dev_clock clock;
	struct irq_line irq0;	/* OUT0's rising edges, as pulses */
	u64 irq0_missed;	/* rising edges of OUT0 folded into a later one */
	u8 port_b;		/* the stored bits of port 0x61: gate 2, speaker, parity checks */
};

/*
 * Power-on: every channel in mode 0 with lobyte/hibyte access and no count (OUT low, nothing
 * due), channels 0 and 1 gated on, channel 2 gated off. Keeps clock and irq0, which the
 * caller sets.
 */
void vpit_init(struct vpit *pit);

/*
 * Raise the OUT0 rising edges due by now: the glue calls it when the timer it armed for
 * vpit_next_irq_ns fires (any other time does no harm). Policy for late calls: however many
 * edges are due, IRQ 0 gets one pulse and the rest are counted in irq0_missed, so a guest
 * that lost host time sees a longer tick, never a burst of ticks.
 */
void vpit_update(struct vpit *pit);

/*
 * The clock time (ns) of the next OUT0 rising edge, or 0 when none is due (no count, mode 0
 * or 1 past its terminal count, gate low): the glue arms its timer for it after every access
 * and every vpit_update. A time in the past means edges are due: call vpit_update.
 */
u64 vpit_next_irq_ns(const struct vpit *pit);

/* Ports 0x40-0x43, on a struct vpit. The control port reads as all ones. */
extern const struct pio_ops vpit_ops;

/*
 * Port 0x61, on the same struct vpit: bit 0 gate 2, bit 1 speaker data, bits 2-3 stored,
 * bit 4 the refresh toggle, bit 5 OUT2; bits 6-7 (parity and I/O channel check) read 0.
 */
extern const struct pio_ops vpit_port_b_ops;

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The PC's two reset ports besides the 8042's: the reset control register at 0xCF9 (PIIX and
 * ICH chipsets) and System Control Port A at 0x92 (fast reset, and the A20 gate, which reads
 * back). Pure: a reset leaves through a callback, with what asked for it.
 */
#ifndef VIREO_VMM_DEV_VRESET_H
#define VIREO_VMM_DEV_VRESET_H

#include "kernel/types.h"
#include "vmm/pio.h"

#define VRESET_CONTROL_PORT 0xcf9
#define VRESET_PORT_A 0x92

#define VRESET_CONTROL_SYS_RST BIT(1)	/* 0xCF9: a hard reset, not a soft one */
#define VRESET_CONTROL_RST_CPU BIT(2)	/* 0xCF9: writing 1 resets (0x06 hard, 0x0E full) */
#define VRESET_CONTROL_FULL_RST BIT(3)
#define VRESET_PORT_A_FAST_RESET BIT(0)
#define VRESET_PORT_A_A20 BIT(1)

struct vreset {
	u8 control;		/* 0xCF9's SYS_RST and FULL_RST, as written */
	u8 port_a;		/* 0x92's A20 bit (and the others but fast reset), as written */
	void (*reset)(void *ctx, const char *how);
	void *reset_ctx;
};

/* After power-on: both registers 0, A20 off. Keeps reset and reset_ctx. */
void vreset_init(struct vreset *r);

/*
 * Ports 0xCF9 and 0x92 (register both with this dev, one port each). Writing 1 to 0xCF9's
 * RST_CPU, or to port A's fast reset bit, calls reset once per write; RST_CPU and fast reset
 * read as 0, the other bits as written.
 */
extern const struct pio_ops vreset_ops;

#endif

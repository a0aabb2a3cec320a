/* SPDX-License-Identifier: MIT */
/* The reset ports 0xCF9 (Intel 82371 PIIX4 datasheet, 4.1.17) and 0x92 (IBM PS/2 port A). Pure. */
#include "vmm/dev/vreset.h"

void vreset_init(struct vreset *r)
{
	r->control = 0;
	r->port_a = 0;
}

static u32 reset_read(void *dev, u16 port, u8 size)
{
	struct vreset *r = dev;

	(void)size;
	return port == VRESET_CONTROL_PORT ? r->control : r->port_a;
}

static void reset_write(void *dev, u16 port, u8 size, u32 value)
{
	struct vreset *r = dev;
	bool reset;

	(void)size;
	if (port == VRESET_CONTROL_PORT) {
		r->control = (u8)value & (VRESET_CONTROL_SYS_RST | VRESET_CONTROL_FULL_RST);
		reset = value & VRESET_CONTROL_RST_CPU;
	} else {
		r->port_a = (u8)value & ~VRESET_PORT_A_FAST_RESET;
		reset = value & VRESET_PORT_A_FAST_RESET;
	}
	if (reset && r->reset)
		r->reset(r->reset_ctx, port == VRESET_CONTROL_PORT ?
			 "reset through the reset control register (port 0xcf9)" :
			 "reset through port 0x92 (fast reset)");
}

const struct pio_ops vreset_ops = { .read = reset_read, .write = reset_write };

// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the 8259A pair (vmm/dev/vpic.c) driven by the input as a stream of 3-byte steps:
 * what to do, which port or IRQ, and the value: a port write, a port read, an IRQ line level,
 * or an INTA cycle. After every step the INT output agrees with the pending vector and with
 * what intr_changed last said, and an INTA right away gives the vector that was pending.
 */
#include <stdlib.h>

#include "vmm/dev/vpic.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

enum step { STEP_WRITE, STEP_READ, STEP_IRQ, STEP_ACKNOWLEDGE, STEP_COUNT };

static const u16 ports[] = {
	VPIC_MASTER_PORT, VPIC_MASTER_PORT + 1, VPIC_SLAVE_PORT, VPIC_SLAVE_PORT + 1,
	VPIC_ELCR_PORT, VPIC_ELCR_PORT + 1,
};

static void record_intr(void *ctx, bool high)
{
	*(bool *)ctx = high;
}

static void step(struct vpic *pic, enum step what, u8 which, u8 value)
{
	u16 port = ports[which % ARRAY_SIZE(ports)];
	int pending;

	switch (what) {
	case STEP_WRITE:
		vpic_ops.write(pic, port, 1, value);
		break;
	case STEP_READ:
		(void)vpic_ops.read(pic, port, 1);
		break;
	case STEP_IRQ:
		vpic_set_irq(pic, which % 16, value & 1);
		break;
	case STEP_ACKNOWLEDGE:
		pending = vpic_pending_vector(pic);
		if (pending >= 0 && vpic_acknowledge(pic) != pending)
			abort();
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct vpic pic;
	bool notified = false;

	pic.intr_changed = record_intr;
	pic.intr_ctx = &notified;
	vpic_init(&pic);
	for (size_t i = 0; i + 3 <= size; i += 3) {
		step(&pic, data[i] % STEP_COUNT, data[i + 1], data[i + 2]);
		if ((vpic_pending_vector(&pic) >= 0) != pic.intr || notified != pic.intr)
			abort();
	}
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the 8254 and port 0x61 (vmm/dev/vpit.c) driven by 3-byte steps: a write or read
 * of ports 0x40-0x43 or 0x61, a time step, or the glue's timer callback. After every step
 * IRQ 0 is low again (OUT0's edges come as pulses), no channel's time runs back or past the
 * clock, a running periodic counter has a period, a count read in BCD mode has digits 0-9, port 0x61
 * reads 0 in bits 6-7, and after the timer callback the next edge the glue would arm its
 * timer for lies in the future.
 */
#include "tests/fuzz/fuzz_dev.h"
#include "vmm/dev/vpit.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

enum step { STEP_WRITE, STEP_READ, STEP_PORT_B_WRITE, STEP_PORT_B_READ, STEP_TIME,
	    STEP_TIMER, STEP_COUNT };

static void check_read(const struct vpit_channel *ch, u8 value)
{
	if (!ch->status_latched && ch->bcd)
		fuzz_check((value >> 4) <= 9 && (value & 0x0f) <= 9);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct fuzz_dev d = { 0 };
	struct vpit pit;
	u64 synced[3] = { 0 };

	pit.clock = fuzz_dev_clock(&d);
	pit.irq0 = fuzz_dev_irq_line(&d, 0);
	vpit_init(&pit);
	for (size_t i = 0; i + 3 <= size; i += 3) {
		u8 arg = data[i + 1], value = data[i + 2];
		u16 port = VPIT_PORT + arg % 4;
		u64 next;

		switch (data[i] % STEP_COUNT) {
		case STEP_WRITE:
			vpit_ops.write(&pit, port, 1, value);
			break;
		case STEP_READ:
			if (arg % 4 < 3) {
				/* What is read comes from the state before the read. */
				struct vpit_channel before = pit.channel[arg % 4];
				u8 byte = (u8)vpit_ops.read(&pit, port, 1);

				check_read(&before, byte);
			} else {
				fuzz_check(vpit_ops.read(&pit, port, 1) == 0xff);
			}
			break;
		case STEP_PORT_B_WRITE:
			vpit_port_b_ops.write(&pit, VPIT_PORT_B, 1, value);
			break;
		case STEP_PORT_B_READ:
			fuzz_check(!(vpit_port_b_ops.read(&pit, VPIT_PORT_B, 1) & 0xc0));
			break;
		case STEP_TIME:
			fuzz_dev_advance(&d, arg, value);
			break;
		default:
			vpit_update(&pit);
			next = vpit_next_irq_ns(&pit);
			fuzz_check(next == 0 || next > d.now);
			break;
		}
		fuzz_check(!d.line);
		for (unsigned n = 0; n < 3; n++) {
			const struct vpit_channel *ch = &pit.channel[n];

			fuzz_check(ch->synced >= synced[n]);
			fuzz_check(ch->synced <= d.now / 1000 * 2 + 2);	/* 1.19 MHz < 2 ticks/us */
			/*
			 * Modes 2 and 3 (and 6, 7) divide by the period; the one-shot modes
			 * may resume from a count of 0, which wraps as the 8254's does.
			 */
			fuzz_check(!ch->running || !(ch->mode_bits & 2) || ch->start > 0);
			synced[n] = ch->synced;
		}
	}
	return 0;
}

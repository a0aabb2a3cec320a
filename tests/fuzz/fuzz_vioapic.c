// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the I/O APIC (vmm/dev/vioapic.c) driven by the input as a stream of 7-byte steps:
 * what to do, an offset or pin, an access size, and a 32-bit value: a window write or read at
 * any offset and size, a pin level, or a local APIC's EOI broadcast. Every message it sends
 * must come from an unmasked entry and carry that entry's vector, trigger mode and
 * destination; remote IRR is set only on a pin that has sent a level-triggered message; the
 * version register always reads the same.
 */
#include <string.h>

#include "tests/fuzz/fuzz_check.h"
#include "vmm/dev/vioapic.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

enum step { STEP_WRITE, STEP_READ, STEP_PIN, STEP_EOI, STEP_COUNT };

#define VERSION_VALUE ((VIOAPIC_PINS - 1) << 16 | VIOAPIC_VERSION)

struct watch {
	const struct vioapic *io;
	u64 sent;
	u32 level_sent;		/* pins that have sent a level-triggered message */
};

static void check_message(void *ctx, const struct vioapic_message *m)
{
	struct watch *w = ctx;
	u64 entry;

	fuzz_check(m->pin < VIOAPIC_PINS);
	entry = w->io->redir[m->pin];
	fuzz_check(!(entry & VIOAPIC_MASKED));
	fuzz_check(m->vector == (entry & VIOAPIC_VECTOR_MASK));
	fuzz_check(m->level == !!(entry & VIOAPIC_LEVEL));
	fuzz_check(m->logical == !!(entry & VIOAPIC_DEST_LOGICAL));
	fuzz_check(m->destination == (u8)(entry >> VIOAPIC_DEST_SHIFT));
	if (m->level)
		w->level_sent |= 1u << m->pin;
	w->sent++;
}

static u32 version(struct vioapic *io)
{
	vioapic_ops.write(io, VIOAPIC_IOREGSEL, 4, VIOAPIC_REG_VERSION);
	return (u32)vioapic_ops.read(io, VIOAPIC_IOWIN, 4);
}

static void step(struct vioapic *io, const u8 *s)
{
	static const u8 sizes[] = { 1, 2, 4, 8 };
	u64 offset = s[1] & 0x1f;	/* both registers, their bytes and what lies between */
	u8 access = sizes[s[2] % ARRAY_SIZE(sizes)];
	u32 value;

	memcpy(&value, s + 3, sizeof(value));
	switch (s[0] % STEP_COUNT) {
	case STEP_WRITE:
		vioapic_ops.write(io, offset, access, value);
		break;
	case STEP_READ:
		(void)vioapic_ops.read(io, offset, access);
		break;
	case STEP_PIN:
		vioapic_set_irq(io, s[1], value & 1);	/* pins past 23 too: ignored */
		break;
	default:
		vioapic_eoi(io, (u8)value);
		break;
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct vioapic io;
	struct watch w = { .io = &io };

	io.deliver = check_message;
	io.deliver_ctx = &w;
	vioapic_init(&io);
	for (size_t i = 0; i + 7 <= size; i += 7) {
		step(&io, data + i);
		fuzz_check(io.messages == w.sent);
		for (u32 pin = 0; pin < VIOAPIC_PINS; pin++)
			fuzz_check(!(io.redir[pin] & VIOAPIC_REMOTE_IRR) ||
				   (w.level_sent & (1u << pin)));
	}
	fuzz_check(version(&io) == VERSION_VALUE);
	return 0;
}

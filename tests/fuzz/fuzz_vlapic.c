// SPDX-License-Identifier: MIT
/*
 * libFuzzer: a local APIC (vmm/dev/vlapic.c) driven by the input as a stream of 7-byte steps:
 * what to do, two selector bytes and a 32-bit value: an xAPIC window write or read, an x2APIC
 * MSR write or read, an IA32_APIC_BASE write, an interrupt arriving, the core taking the
 * pending one, time passing, or an IA32_TSC_DEADLINE write. After every step: the pending
 * vector is in IRR, 16 or above, and of a higher class than the PPR; the PPR is no lower than
 * the TPR's class; vectors 0-15 are never in IRR or ISR; a taken vector is in ISR; every IPI
 * sent has a valid delivery mode and shorthand.
 */
#include <string.h>

#include "tests/fuzz/fuzz_check.h"
#include "vmm/dev/vlapic.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

enum step {
	STEP_MMIO_WRITE, STEP_MMIO_READ, STEP_MSR_WRITE, STEP_MSR_READ, STEP_APIC_BASE,
	STEP_ACCEPT, STEP_ACK, STEP_TIME, STEP_DEADLINE, STEP_COUNT,
};

#define TSC_PER_TICK 8
#define PHYS_MASK 0xfffffffffULL	/* 36 physical-address bits */

static void check_ipi(void *ctx, const struct vlapic_ipi *ipi)
{
	(void)ctx;
	fuzz_check(ipi->mode <= VLAPIC_DM_EXTINT);
	fuzz_check(ipi->shorthand <= VLAPIC_DEST_OTHERS);
}

static void check_eoi(void *ctx, u8 vector)
{
	(void)ctx;
	fuzz_check(vector >= 16);
}

static bool in(const u32 *bits, int vector)
{
	return bits[vector / 32] & (1u << (vector % 32));
}

static void step(struct vlapic *l, const u8 *s, u64 *now)
{
	u32 value;
	u64 wide;
	int pending;

	memcpy(&value, s + 3, sizeof(value));
	wide = (u64)s[2] << 32 | value;
	switch (s[0] % STEP_COUNT) {
	case STEP_MMIO_WRITE:
		vlapic_mmio_write(l, (u32)s[1] << 4 | (s[2] & 0xf), value, *now);
		break;
	case STEP_MMIO_READ:
		(void)vlapic_mmio_read(l, (u32)s[1] << 4 | (s[2] & 0xf), *now);
		break;
	case STEP_MSR_WRITE:
		(void)vlapic_msr_write(l, VLAPIC_X2APIC_MSR_FIRST + s[1], wide, *now);
		break;
	case STEP_MSR_READ:
		(void)vlapic_msr_read(l, VLAPIC_X2APIC_MSR_FIRST + s[1], *now, &wide);
		break;
	case STEP_APIC_BASE:
		(void)vlapic_set_apic_base(l, (u64)s[1] << 32 | value, PHYS_MASK);
		break;
	case STEP_ACCEPT:
		(void)vlapic_accept(l, s[1], s[2] & 1);
		break;
	case STEP_ACK:
		pending = vlapic_pending_vector(l);
		if (pending >= 0) {
			vlapic_ack(l, (u8)pending);
			fuzz_check(in(l->isr, pending));
		}
		break;
	case STEP_TIME:
		*now += value;
		vlapic_update(l, *now);
		break;
	default:
		vlapic_set_tsc_deadline(l, *now + value, *now);
		break;
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct vlapic l;
	const struct vlapic_hooks hooks = { .send_ipi = check_ipi, .eoi_level = check_eoi };
	u64 now = 1000;

	vlapic_init(&l, 0, true, TSC_PER_TICK, &hooks);
	for (size_t i = 0; i + 7 <= size; i += 7) {
		int pending;

		step(&l, data + i, &now);
		pending = vlapic_pending_vector(&l);
		fuzz_check(pending < 0 || (pending >= 16 && in(l.irr, pending) &&
					   (pending >> 4) > (vlapic_ppr(&l) >> 4)));
		fuzz_check((vlapic_ppr(&l) & 0xf0) >= (l.tpr & 0xf0));
		fuzz_check(!(l.irr[0] & 0xffff) && !(l.isr[0] & 0xffff));
	}
	return 0;
}

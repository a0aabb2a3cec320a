/* SPDX-License-Identifier: MIT */
/* The MP table of a VM (MP spec 1.4, chapter 4). Pure. */
#include "vmm/mptable.h"
#include "kernel/string.h"
#include "vmm/table_bytes.h"
#include "vmm/pc_layout.h"

#define SPEC_REV_1_4 4
#define LAPIC_VERSION 0x14
#define CPU_ENABLED BIT(0)
#define CPU_BSP BIT(1)
#define IOAPIC_ENABLED BIT(0)
#define ALL_LAPICS 0xff
#define CASCADE_IRQ 2

/* ISA IRQs with an assignment entry: all but the cascade. */
#define ISA_ENTRIES (MPTABLE_ISA_IRQS - 1)
#define LOCAL_ENTRIES 2

u32 mptable_size(const struct mptable_config *c)
{
	return MPTABLE_FLOATING_LEN + MPTABLE_HEADER_LEN + c->cpu_count * MPTABLE_PROCESSOR_LEN +
	       (2 + ISA_ENTRIES + LOCAL_ENTRIES) * MPTABLE_OTHER_LEN;
}

static u8 *put_processors(const struct mptable_config *c, u8 *e)
{
	for (u32 i = 0; i < c->cpu_count; i++, e += MPTABLE_PROCESSOR_LEN) {
		e[0] = MPTABLE_PROCESSOR;
		e[1] = (u8)i;
		e[2] = LAPIC_VERSION;
		e[3] = (u8)(CPU_ENABLED | (i == 0 ? CPU_BSP : 0));
		put32(e + 4, c->cpu_signature);
		put32(e + 8, c->cpu_features);
	}
	return e;
}

/* An assignment entry: io for an I/O APIC pin, else a local APIC's LINT pin. */
static u8 *put_interrupt(u8 *e, bool io, u8 type, u16 flags, u8 irq, u8 dest, u8 pin)
{
	e[0] = io ? MPTABLE_IO_INTERRUPT : MPTABLE_LOCAL_INTERRUPT;
	e[1] = type;
	put16(e + 2, flags);
	e[4] = MPTABLE_ISA_BUS_ID;
	e[5] = irq;
	e[6] = dest;
	e[7] = pin;
	return e + MPTABLE_OTHER_LEN;
}

static u8 *put_isa_interrupts(const struct mptable_config *c, u8 *e, u8 ioapic_id)
{
	for (u8 irq = 0; irq < MPTABLE_ISA_IRQS; irq++) {
		u16 flags = c->level_irq && irq == c->level_irq ?
			    MPTABLE_ACTIVE_HIGH | MPTABLE_LEVEL : 0;	/* 0: as the bus says */

		if (irq != CASCADE_IRQ)
			e = put_interrupt(e, true, MPTABLE_INT, flags, irq, ioapic_id,
					  irq == 0 ? CASCADE_IRQ : irq);
	}
	return e;
}

u32 mptable_write(const struct mptable_config *c, u8 *buf, u64 gpa)
{
	u32 size = mptable_size(c);
	u8 *fp = buf, *t = buf + MPTABLE_FLOATING_LEN, *e = t + MPTABLE_HEADER_LEN;
	u8 ioapic_id = (u8)c->cpu_count;

	memset(buf, 0, size);
	memcpy(fp, "_MP_", 4);
	put32(fp + 4, (u32)(gpa + MPTABLE_FLOATING_LEN));
	fp[8] = MPTABLE_FLOATING_LEN / 16;
	fp[9] = SPEC_REV_1_4;
	/* Feature bytes 0: the table is there (no default configuration), no IMCR (4.1). */
	fp[10] = table_checksum(fp, MPTABLE_FLOATING_LEN);

	e = put_processors(c, e);
	e[0] = MPTABLE_BUS;
	e[1] = MPTABLE_ISA_BUS_ID;
	memcpy(e + 2, "ISA   ", 6);
	e += MPTABLE_OTHER_LEN;
	e[0] = MPTABLE_IOAPIC;
	e[1] = ioapic_id;
	e[2] = PC_IOAPIC_VERSION;
	e[3] = IOAPIC_ENABLED;
	put32(e + 4, c->ioapic_address);
	e += MPTABLE_OTHER_LEN;
	e = put_isa_interrupts(c, e, ioapic_id);
	e = put_interrupt(e, false, MPTABLE_EXTINT, 0, 0, ALL_LAPICS, 0);
	e = put_interrupt(e, false, MPTABLE_NMI, 0, 0, ALL_LAPICS, 1);

	memcpy(t, "PCMP", 4);
	put16(t + 4, (u16)(e - t));
	t[6] = SPEC_REV_1_4;
	memcpy(t + 8, "VIREO   ", 8);
	memcpy(t + 16, "VIREO PC    ", 12);
	put16(t + 34, (u16)(c->cpu_count + 2 + ISA_ENTRIES + LOCAL_ENTRIES));
	put32(t + 36, c->lapic_address);
	t[7] = table_checksum(t, (u32)(e - t));
	return size;
}

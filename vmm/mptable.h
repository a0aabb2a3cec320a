/* SPDX-License-Identifier: MIT */
/*
 * The Intel MultiProcessor Specification 1.4 table of a VM: the floating pointer and the
 * configuration table with its processors, the ISA bus, the I/O APIC and the interrupt
 * assignments (MP spec chapter 4). Pure: it lays out bytes for the caller to copy into guest
 * RAM.
 */
#ifndef VIREO_VMM_MPTABLE_H
#define VIREO_VMM_MPTABLE_H

#include "kernel/types.h"

#define MPTABLE_FLOATING_LEN 16
#define MPTABLE_HEADER_LEN 44

/* Entry types and lengths (MP spec 4.3). */
#define MPTABLE_PROCESSOR 0
#define MPTABLE_BUS 1
#define MPTABLE_IOAPIC 2
#define MPTABLE_IO_INTERRUPT 3
#define MPTABLE_LOCAL_INTERRUPT 4
#define MPTABLE_PROCESSOR_LEN 20
#define MPTABLE_OTHER_LEN 8

/* Interrupt types of the assignment entries (MP spec table 4-8). */
#define MPTABLE_INT 0
#define MPTABLE_NMI 1
#define MPTABLE_EXTINT 3

/* The flags of an assignment: polarity in bits 1:0, trigger mode in bits 3:2. */
#define MPTABLE_ACTIVE_HIGH 1
#define MPTABLE_LEVEL (3u << 2)

#define MPTABLE_ISA_BUS_ID 0
#define MPTABLE_ISA_IRQS 16

struct mptable_config {
	u32 cpu_count;		/* processors 0..cpu_count-1, LAPIC id = index, 0 the BSP */
	u32 cpu_signature;	/* CPUID leaf 1 EAX and EDX, as each processor entry has them */
	u32 cpu_features;
	u32 lapic_address;
	u32 ioapic_address;
	u8 level_irq;		/* an ISA IRQ level-triggered, active high (the SCI); 0: none */
};

/* The bytes the pointer and the table of c take. */
u32 mptable_size(const struct mptable_config *c);

/*
 * Write the floating pointer, then the configuration table right after it, into buf
 * (mptable_size bytes), which the guest will see at gpa (16-byte aligned, below 4 GiB). The
 * I/O APIC's id is cpu_count. ISA IRQ 0 goes to pin 2, as on PCs whose 8254 the MADT
 * overrides the same way; IRQ 2 (the 8259s' cascade) has no entry; the others go to their
 * own pins. LINT0 of every LAPIC is ExtINT, LINT1 NMI. Returns the bytes written.
 */
u32 mptable_write(const struct mptable_config *c, u8 *buf, u64 gpa);

#endif

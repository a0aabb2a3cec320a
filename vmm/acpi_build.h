/* SPDX-License-Identifier: MIT */
/*
 * The ACPI tables of a VM (ACPI 6.5, chapter 5): an RSDP (revision 2) pointing at an RSDT and
 * an XSDT, which list a MADT and a FADT; the FADT points at a FACS and a DSDT whose only object
 * is \_S5. Pure: it lays out bytes for the caller to copy into guest RAM.
 */
#ifndef VIREO_VMM_ACPI_BUILD_H
#define VIREO_VMM_ACPI_BUILD_H

#include "kernel/types.h"

/* The \_S5 sleep type the DSDT gives, which a PM1 control write carries to power off. */
#define ACPI_BUILD_S5_SLP_TYP 5

struct acpi_build_config {
	u32 cpu_count;		/* LAPIC id and processor UID = index */
	u32 lapic_address;
	u32 ioapic_address;	/* the I/O APIC's id is cpu_count, its GSIs start at 0 */
	bool pcat_compat;	/* the VM has the 8259 pair */
	bool has_8042;
	u16 sci_irq;		/* the SCI's ISA IRQ: an override makes it level, active high */
	u16 pm1_evt_port, pm1_cnt_port, pm_tmr_port;
	u16 reset_port;
	u8 reset_value;
};

/* The bytes the tables of c take, RSDP included. */
u32 acpi_build_size(const struct acpi_build_config *c);

/*
 * Write the tables into buf (acpi_build_size bytes), which the guest will see at gpa (16-byte
 * aligned, below 4 GiB), the RSDP first so that a search of the BIOS area finds it at gpa.
 * Every table is checksummed. Returns the bytes written.
 */
u32 acpi_build_write(const struct acpi_build_config *c, u8 *buf, u64 gpa);

#endif

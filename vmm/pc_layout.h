/* SPDX-License-Identifier: MIT */
/*
 * Where a VM's PC firmware data lives in its guest-physical memory (docs/PLATFORM.md): the BIOS
 * data area, the EBDA below 640 KiB, the firmware tables in the BIOS area below 1 MiB, and the
 * interrupt controllers in the device hole. Constants only.
 */
#ifndef VIREO_VMM_PC_LAYOUT_H
#define VIREO_VMM_PC_LAYOUT_H

#include "kernel/types.h"

/* The BIOS data area (segment 0x40) and the EBDA it points at, the last KiB of base memory. */
#define PC_BDA_BASE 0x400ULL
#define PC_BDA_SIZE 0x100ULL
#define PC_EBDA_BASE 0x9fc00ULL
#define PC_EBDA_SIZE (1 * KiB)

/* What a PC keeps between conventional memory and 1 MiB: the EBDA, video memory, ROMs. */
#define PC_RESERVED_START PC_EBDA_BASE
#define PC_RESERVED_END 0x100000ULL

/*
 * The BIOS area an OS scans for the RSDP (ACPI 6.5, 5.2.5.1) and the MP floating pointer
 * (MP spec 1.4, 4.0): the ACPI tables fill its first 64 KiB, the MP table the next.
 */
#define PC_BIOS_AREA_BASE 0xe0000ULL
#define PC_ACPI_BASE PC_BIOS_AREA_BASE
#define PC_ACPI_SIZE (64 * KiB)
#define PC_MPTABLE_BASE 0xf0000ULL
#define PC_MPTABLE_SIZE (4 * KiB)

/* The interrupt controllers' registers, at their reset addresses (SDM Vol. 3A 11.4.1). */
#define PC_IOAPIC_BASE 0xfec00000ULL
#define PC_IOAPIC_SIZE (4 * KiB)
#define PC_LAPIC_BASE 0xfee00000ULL
#define PC_LAPIC_SIZE (4 * KiB)
#define PC_IOAPIC_VERSION 0x11
#define PC_IOAPIC_PINS 24

/* The ACPI PM block in port space, where QEMU's PIIX4 puts it; the SCI is ISA IRQ 9. */
#define PC_ACPI_PM_PORT 0xb000
#define PC_ACPI_PM1_EVT_PORT PC_ACPI_PM_PORT
#define PC_ACPI_PM1_CNT_PORT (PC_ACPI_PM_PORT + 4)
#define PC_ACPI_PM_TMR_PORT (PC_ACPI_PM_PORT + 8)
#define PC_ACPI_SCI_IRQ 9
/* The reset control register (Intel's PCH datasheets: 0xCF9, 6 is a hard reset). */
#define PC_RESET_PORT 0xcf9
#define PC_RESET_VALUE 6

/* The COM1 UART's ports, as the BDA lists them. */
#define PC_COM1_PORT 0x3f8

#endif

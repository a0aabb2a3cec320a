/* SPDX-License-Identifier: MIT */
/* This machine's ACPI tables: found, parsed and reported once at boot. */
#ifndef VIREO_ARCH_X86_ACPI_BOOT_H
#define VIREO_ARCH_X86_ACPI_BOOT_H

#include "arch/x86/acpi.h"
#include "kernel/boot_info.h"

/* The parsed tables (all-zero when the machine has no usable ACPI). */
extern struct acpi_info acpi;

/*
 * Find the RSDP (the Multiboot2 tag first, then the BIOS areas), parse the tables, apply the
 * "acpi-table" modules as replacements for the firmware's tables of the same signature, and
 * print what was found and every problem.
 */
void acpi_boot_init(const struct boot_info *bi);

#endif

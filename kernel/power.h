/* SPDX-License-Identifier: MIT */
/* Ending a run: power off, reboot or halt the machine. */
#ifndef VIREO_POWER_H
#define VIREO_POWER_H

#include "arch/x86/acpi.h"
#include "kernel/cmdline.h"

/* Remember how this machine powers off and resets (from the FADT and the DSDT's \_S5). */
void power_init(const struct acpi_info *acpi);

/*
 * Stop the other CPUs, flush the console, then: power off (ACPI S5), reboot (FADT reset
 * register, then the 8042, then a triple fault) or halt. A power-off that does not take effect
 * ends in a halt, with a message.
 */
__noreturn void power_act(enum power_action a);

/* Stop this CPU for good, interrupts off. */
__noreturn void power_halt(void);

#endif

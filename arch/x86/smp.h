/* SPDX-License-Identifier: MIT */
/* Multiprocessor bring-up and control: start the application processors, stop them. */
#ifndef VIREO_ARCH_X86_SMP_H
#define VIREO_ARCH_X86_SMP_H

#include "arch/x86/acpi.h"
#include "kernel/types.h"

/*
 * Start every CPU the MADT lists, up to max_cpus in all (0: no limit), one at a time with
 * INIT-SIPI-SIPI. A CPU that does not come online in time is reported, put back to sleep with
 * INIT, and skipped. Prints each CPU as it comes online and the time from the first Start-up
 * IPI to the last CPU online. Needs the local APIC, the heap and the kernel's page tables.
 */
void smp_boot(const struct acpi_info *acpi, u32 max_cpus);

/* CPUs online now. */
u32 smp_online_count(void);

/* True once smp_stop_others() has begun: a CPU receiving an NMI then parks. */
bool smp_stop_requested(void);

/* Stop the calling CPU for good (after a panic elsewhere, or at power-off). */
__noreturn void smp_park_this_cpu(void);

/* Stop every other online CPU with an NMI and wait up to 100 ms until they are parked. */
void smp_stop_others(void);

#endif

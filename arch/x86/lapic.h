/* SPDX-License-Identifier: MIT */
/*
 * The local APIC of each CPU, in xAPIC mode (MMIO) or x2APIC mode (MSRs): identification,
 * end of interrupt, inter-processor interrupts and the timer (one-shot or TSC-deadline).
 */
#ifndef VIREO_ARCH_X86_LAPIC_H
#define VIREO_ARCH_X86_LAPIC_H

#include "kernel/types.h"

struct lapic_options {
	bool allow_x2apic;		/* use x2APIC mode when the CPU has it */
	bool allow_tsc_deadline;	/* use the TSC-deadline timer when the CPU has it */
};

/*
 * On the boot CPU: choose the mode (x2APIC when present and allowed), enable the local APIC,
 * and measure its timer against the PIT. Prints what it chose.
 */
void lapic_init_bsp(const struct lapic_options *opt);

/* On an application processor: the same mode and settings as the boot CPU. */
void lapic_init_ap(void);

/* This CPU's APIC ID (the full 32 bits in x2APIC mode). */
u32 lapic_id(void);

/* True in x2APIC mode. */
bool lapic_x2apic_mode(void);

/* Acknowledge the interrupt being handled. */
void lapic_eoi(void);

/* Fixed interrupt with vector to one CPU. */
void lapic_send_ipi(u32 apic_id, u8 vector);

/* NMI to one CPU, or to every CPU but the sender. */
void lapic_send_nmi(u32 apic_id);
void lapic_send_nmi_to_others(void);

/* The INIT and Start-up IPIs of the MP start-up protocol (SDM Vol. 3A 9.4.4.1). */
void lapic_send_init(u32 apic_id);
void lapic_send_startup(u32 apic_id, u32 trampoline_phys);

/*
 * Make the timer interrupt fire at TSC value deadline (or at once if it has passed), with the
 * TSC-deadline mode when in use, else a one-shot count computed from the measured rate.
 */
void lapic_timer_arm(u64 deadline_tsc);

/* Cancel a pending timer interrupt. */
void lapic_timer_stop(void);

/* "TSC-deadline" or "one-shot". */
const char *lapic_timer_mode_name(void);

#endif

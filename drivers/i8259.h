/* SPDX-License-Identifier: MIT */
/* The host's legacy 8259 interrupt controllers, which Vireo does not use. */
#ifndef VIREO_DRIVERS_I8259_H
#define VIREO_DRIVERS_I8259_H

/*
 * Move the two PICs' vectors to 0x20-0x2f, away from the CPU exceptions, and mask every line:
 * interrupts reach the hypervisor through the local APIC only.
 */
void i8259_disable(void);

#endif

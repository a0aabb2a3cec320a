/* SPDX-License-Identifier: MIT */
/* The hypervisor console: a small command line on the serial port, alive with or without VMs. */
#ifndef VIREO_VMM_MONITOR_H
#define VIREO_VMM_MONITOR_H

/* Start polling the serial port for commands (from the boot CPU's timer). */
void monitor_start(void);

#endif

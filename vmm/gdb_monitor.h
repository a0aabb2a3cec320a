/* SPDX-License-Identifier: MIT */
/*
 * The GDB stub's monitor commands, gdb's "monitor CMD" (a qRcmd packet, GDB manual, "General
 * Query Packets"):
 *   help          the commands
 *   phys on|off   memory packets (x, print, watch...) use guest-physical addresses, or
 *                 guest-virtual ones through the selected vCPU's page tables (the default);
 *   phys          which of them is in use
 *   mode          the selected vCPU's CPU mode and the register layout of this connection
 * Pure.
 */
#ifndef VIREO_VMM_GDB_MONITOR_H
#define VIREO_VMM_GDB_MONITOR_H

#include "kernel/types.h"

struct gdb_stub;

/* Run command line cmd on s; write its output text to out[0..size). Returns its length. */
u32 gdb_monitor_run(struct gdb_stub *s, const char *cmd, char *out, u32 size);

#endif

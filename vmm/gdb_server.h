/* SPDX-License-Identifier: MIT */
/*
 * The GDB stub served on a host UART (COM2 unless gdb= says otherwise) for one VM at a time:
 * gdbvm= or the console's "gdb NAME" choose it, else a VM config's gdb = true, else it is the
 * first live VM when gdb's first byte comes. A timer on the boot CPU drains the UART every millisecond and queues the work
 * that feeds the stub, in process context, under one lock (the stub's operations load held
 * vCPUs there).
 */
#ifndef VIREO_VMM_GDB_SERVER_H
#define VIREO_VMM_GDB_SERVER_H

#include "kernel/types.h"

struct vm;

/* Serve gdb on the UART at port (0: none), for the VM named vm_name ("" for the first). */
void gdb_server_start(u16 port, const char *vm_name);

/*
 * From now on debug the VM named name: a VM debugged so far runs freely again (its gdb
 * session is over). False when there is no GDB port.
 */
bool gdb_server_choose(const char *name);

/* The VM gdb debugs has ended (vm.c, before it is freed): gdb is told, the session ends. */
void gdb_server_vm_ended(struct vm *vm);

#endif

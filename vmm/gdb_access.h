/* SPDX-License-Identifier: MIT */
/*
 * The GDB stub's packets that read and write the VM's state: registers ('g', 'G', 'p', 'P')
 * in the connection's layout (vmm/gdb_regs.h) and memory ('m', 'M', 'X') of the selected
 * vCPU, guest-virtual or, after "monitor phys on", guest-physical. Each sets the reply.
 * p points after the packet's letter. Pure.
 */
#ifndef VIREO_VMM_GDB_ACCESS_H
#define VIREO_VMM_GDB_ACCESS_H

#include "vmm/gdb_stub.h"

/* "g": every register of the layout, x87 ones as unavailable. */
void gdb_access_read_registers(struct gdb_stub *s);

/* "G hex": every register of the layout at once. */
void gdb_access_write_registers(struct gdb_stub *s, const char *p);

/* "p n" (write false) and "P n=value" (write true). */
void gdb_access_register(struct gdb_stub *s, const char *p, bool write);

/* "m addr,len": the bytes up to the first one that cannot be read; E14 if that is the first. */
void gdb_access_read_memory(struct gdb_stub *s, const char *p);

/* "M addr,len:hex" and, binary, "X addr,len:bytes": every byte written, or an error. */
void gdb_access_write_memory(struct gdb_stub *s, const char *p, bool binary);

#endif

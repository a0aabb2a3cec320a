/* SPDX-License-Identifier: MIT */
/*
 * The GDB stub's packets about threads and running: 'H' and 'T', the resume packets (c, s,
 * C, S, vCont) and breakpoints (Z, z). p points after the packet's letter for 'H', 'T', 'Z'
 * and 'z', at it for the others. Pure.
 */
#ifndef VIREO_VMM_GDB_RUN_H
#define VIREO_VMM_GDB_RUN_H

#include "vmm/gdb_stub.h"

/* "Hg thread" selects the thread of registers and memory, "Hc thread" that of c and s. */
void gdb_run_set_thread(struct gdb_stub *s, const char *p);

/* "T thread": OK when it exists. */
void gdb_run_thread_alive(struct gdb_stub *s, const char *p);

/*
 * "c [addr]", "s [addr]", "C sig[;addr]", "S sig[;addr]". Resumes the VM and returns false
 * (the stop will be the reply), or sets an error reply and returns true.
 */
bool gdb_run_legacy(struct gdb_stub *s, const char *p);

/* The 'v' packets: "vCont?", "vCont;...", the rest unsupported. Returns whether to reply now. */
bool gdb_run_v(struct gdb_stub *s, const char *p);

/* "Z type,addr,kind" (insert true) and "z type,addr,kind". */
void gdb_run_breakpoint(struct gdb_stub *s, const char *p, bool insert);

#endif

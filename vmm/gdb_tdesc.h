/* SPDX-License-Identifier: MIT */
/*
 * The target description gdb reads as qXfer:features:read:target.xml (GDB manual, appendix
 * "Target Descriptions"): the architecture and, feature by feature, the registers of a
 * layout (vmm/gdb_regs.h) in the order of its 'g' packet. Pure.
 */
#ifndef VIREO_VMM_GDB_TDESC_H
#define VIREO_VMM_GDB_TDESC_H

#include "kernel/types.h"
#include "vmm/gdb_regs.h"

/* Room enough for the description of any layout. */
#define GDB_TDESC_MAX 6144

/*
 * Write the description of layout l into buf[0..size), NUL-terminated. Returns its length,
 * or 0 when it does not fit.
 */
u32 gdb_tdesc_write(char *buf, u32 size, const struct gdb_layout *l);

#endif

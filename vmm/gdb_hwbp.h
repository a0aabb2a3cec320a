/* SPDX-License-Identifier: MIT */
/*
 * A debugger's hardware breakpoints and watchpoints in the four x86 debug registers: which
 * register holds which, the DR7 value that arms them (SDM Vol. 3B 17.2.4-17.2.5; APM Vol. 2
 * 13.1.1), and which one the B0-B3 bits of a #DB's DR6 name. Pure.
 */
#ifndef VIREO_VMM_GDB_HWBP_H
#define VIREO_VMM_GDB_HWBP_H

#include "kernel/types.h"
#include "vmm/gdb_target.h"

#define GDB_HWBP_SLOTS 4

struct gdb_hwbp {
	u8 used;			/* bit N: DRN holds one */
	struct {
		enum gdb_breakpoint_type type;	/* GDB_BP_HARDWARE, _WRITE or _ACCESS */
		u64 addr;
		u32 len;		/* 1 for an instruction; 1, 2, 4 or 8 for data */
	} slot[GDB_HWBP_SLOTS];
};

/*
 * Take a free debug register for a breakpoint of type (GDB_BP_HARDWARE, GDB_BP_WRITE or
 * GDB_BP_ACCESS) at addr. len is 1 for an instruction (0 is taken as 1), else 1, 2, 4 or 8
 * with addr aligned to it. Returns 0, -ENOSPC when all four are taken, -EINVAL otherwise.
 */
int gdb_hwbp_insert(struct gdb_hwbp *h, enum gdb_breakpoint_type type, u64 addr, u32 len);

/* Free the register holding exactly that breakpoint: 0, or -EINVAL when none does. */
int gdb_hwbp_remove(struct gdb_hwbp *h, enum gdb_breakpoint_type type, u64 addr, u32 len);

/* DR7 arming the registers in use (local enables, R/W and LEN fields, LE, bit 10 set). */
u64 gdb_hwbp_dr7(const struct gdb_hwbp *h);

/* The addresses for DR0-DR3 (0 for the free ones). */
void gdb_hwbp_addresses(const struct gdb_hwbp *h, u64 dr[GDB_HWBP_SLOTS]);

/*
 * Whether DR6's B0-B3 name one of the registers in use (DR6 may name others too: a B bit is
 * set for a matching register even when DR7 does not enable it, SDM 17.2.3), and if so
 * stop's reason, watch_type and watch_addr for the lowest of them. Returns the B bits of the
 * registers in use that DR6 names.
 */
u32 gdb_hwbp_hit(const struct gdb_hwbp *h, u64 dr6, struct gdb_stop *stop);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * A GDB remote-serial-protocol stub for one VM: the command layer over the packet layer
 * (vmm/gdb_packet.h) and a target (vmm/gdb_target.h). Pure: the caller feeds it the bytes gdb
 * sends and tells it when the VM stops; it answers through the target's send. The caller
 * serialises calls into one stub (one lock, or one CPU).
 *
 * A session: the VM runs freely until gdb's first packet, which stops it (request_stop);
 * the packet is answered once the stop is reported. gdb then sees one thread per vCPU (ids
 * 1..N, vCPU = id - 1), all-stop: c, s, vCont resume, and the next report_stop answers them.
 * 'D' (and 'k', which never kills a guest: "destroy" on the console does) lets the VM run
 * freely again. Memory is guest-virtual through the selected thread's page tables, or
 * guest-physical after "monitor phys on".
 *
 * Register layout: gdb reads the target description once per connection, so the stub fixes
 * the layout when gdb asks for it (qSupported, target.xml): i8086 in real mode, i386 in
 * protected mode, x86-64 in long mode, from the selected vCPU's mode at that moment. A guest
 * that changes mode afterwards keeps the layout of the connection: in the i386 layout a
 * long-mode guest shows the low halves of its registers. "monitor mode" tells, and
 * reconnecting ("disconnect", "target remote ...") picks up the new mode.
 */
#ifndef VIREO_VMM_GDB_STUB_H
#define VIREO_VMM_GDB_STUB_H

#include "kernel/types.h"
#include "vmm/gdb_packet.h"
#include "vmm/gdb_regs.h"
#include "vmm/gdb_target.h"
#include "vmm/gdb_tdesc.h"

enum gdb_vm_state {
	GDB_VM_FREE,		/* runs without gdb: no session */
	GDB_VM_ATTACHING,	/* stop requested for gdb's first packet, which waits in rx */
	GDB_VM_STOPPED,		/* held for gdb */
	GDB_VM_RUNNING,		/* resumed by gdb: a stop reply is owed */
};

struct gdb_stub {
	const struct gdb_target_ops *ops;
	void *ctx;
	enum gdb_vm_state vm;
	enum gdb_layout_id layout;	/* fixed per connection, see above */
	u32 thread;			/* Hg: the vCPU for registers and memory */
	s32 step_thread;		/* Hc: the vCPU legacy c/s act on, -1 for any */
	bool phys;			/* memory packets use guest-physical addresses */
	bool swbreak;			/* gdb understands "swbreak:" and "hwbreak:" stop reasons */
	struct gdb_stop last_stop;	/* for '?' */
	bool attach_stop;		/* last_stop is the stop for attaching: '?' gives SIGTRAP */
	struct gdb_rx rx;
	u32 reply_len;
	char reply[GDB_PACKET_MAX + 1];
	u32 tx_len;			/* the last packet sent, for a '-' */
	u8 tx[GDB_PACKET_ENCODED_MAX];
	union {
		u8 mem[GDB_PACKET_MAX / 2];
		char text[GDB_TDESC_MAX];
	} scratch;
};

/* Start with the VM running freely and no session. ops and ctx outlive the stub. */
void gdb_stub_init(struct gdb_stub *s, const struct gdb_target_ops *ops, void *ctx);

/* A byte from gdb. */
void gdb_stub_feed(struct gdb_stub *s, u8 byte);

/* The target's report that the VM stopped (every vCPU held), after resume or request_stop. */
void gdb_stub_report_stop(struct gdb_stub *s, const struct gdb_stop *stop);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * A fake VM behind the GDB stub, for the host tests and tools/gdb_fake_target: vCPUs with
 * plain state, 64 KiB of guest RAM at guest-physical 0, seen at guest-virtual
 * FAKE_VIRT_BASE except for one unmapped page (the hole), a breakpoint list with four debug
 * registers, and everything the stub sends kept in a buffer.
 */
#ifndef VIREO_TESTS_GDB_FAKE_TARGET_H
#define VIREO_TESTS_GDB_FAKE_TARGET_H

#include "vmm/gdb_stub.h"

#define FAKE_RAM_SIZE 0x10000
#define FAKE_VIRT_BASE 0x400000ULL
#define FAKE_HOLE (FAKE_VIRT_BASE + 0x2000)	/* one page with no mapping */
#define FAKE_MAX_BREAKPOINTS 16
#define FAKE_DEBUG_REGS 4

struct fake_breakpoint {
	enum gdb_breakpoint_type type;
	u64 addr;
	u32 len;
};

struct fake_target {
	struct gdb_stub stub;
	u32 vcpus;
	struct vcpu_state state[4];
	u8 ram[FAKE_RAM_SIZE];
	struct fake_breakpoint bp[FAKE_MAX_BREAKPOINTS];
	u32 bp_count;
	bool running;			/* the vCPUs run (before attach, after resume or detach) */
	enum gdb_resume_action actions[4];	/* of the last resume */
	u32 resumes, stop_requests, detaches;
	u32 out_len;			/* what the stub sent */
	char out[2 * GDB_PACKET_ENCODED_MAX];
};

/* A VM of vcpus vCPUs (1..4) in long mode, running, with a stub attached to it. */
void fake_target_init(struct fake_target *t, u32 vcpus);

/* Put vCPU v in real, protected (paging off) or long mode. */
void fake_target_set_mode(struct fake_target *t, u32 v, enum gdb_layout_id mode);

/* The VM stops for reason on vCPU v: the target's report to the stub. */
void fake_target_stop(struct fake_target *t, enum gdb_stop_reason reason, u32 v);

/* Whether a breakpoint of type covers addr. */
bool fake_target_breakpoint_at(const struct fake_target *t, enum gdb_breakpoint_type type,
			       u64 addr);

#endif

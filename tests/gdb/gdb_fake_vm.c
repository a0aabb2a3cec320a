/* SPDX-License-Identifier: MIT */
/*
 * The GDB stub over standard input and output, in front of the fake VM of the unit tests,
 * so that a stock gdb can talk to it: gdb -ex 'target remote | build/gdb-fake-vm'.
 * The VM executes one byte per step; a continue runs vCPU 0 until a breakpoint (at most a
 * page on) or until gdb's Ctrl-C, or, with a watchpoint set, one instruction that adds one to
 * the watched byte. Options: --i386 or --real starts the vCPUs in protected
 * or real mode instead of long mode.
 */
#include "tests/unit/gdb_fake_target.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define NOP 0x90
#define CONTINUE_LIMIT PAGE_SIZE

static void flush(struct fake_target *t)
{
	const char *p = t->out;
	u32 left = t->out_len;

	while (left) {
		ssize_t n = write(STDOUT_FILENO, p, left);

		if (n <= 0)
			return;
		p += n;
		left -= (u32)n;
	}
	t->out_len = 0;
}

/* Run vCPU 0 from its RIP until a breakpoint; false if none is near (it runs on). */
static bool run_to_breakpoint(struct fake_target *t)
{
	u64 *rip = &t->state[0].regs.rip;

	for (u32 i = 1; i <= CONTINUE_LIMIT; i++) {
		u64 at = *rip + i;

		if (fake_target_breakpoint_at(t, GDB_BP_SOFTWARE, at) ||
		    fake_target_breakpoint_at(t, GDB_BP_HARDWARE, at)) {
			*rip = at;
			fake_target_stop(t, fake_target_breakpoint_at(t, GDB_BP_SOFTWARE, at) ?
				GDB_STOP_SW_BREAKPOINT : GDB_STOP_HW_BREAKPOINT, 0);
			return true;
		}
	}
	return false;
}

/* With a watchpoint set, vCPU 0's next instruction adds one to the watched byte. */
static bool write_watched_byte(struct fake_target *t)
{
	for (u32 i = 0; i < t->bp_count; i++) {
		const struct fake_breakpoint *bp = &t->bp[i];
		u64 gpa = bp->addr - FAKE_VIRT_BASE;

		if ((bp->type != GDB_BP_WRITE && bp->type != GDB_BP_ACCESS) || gpa >= FAKE_RAM_SIZE)
			continue;
		t->ram[gpa]++;
		t->state[0].regs.rip++;
		t->running = false;
		gdb_stub_report_stop(&t->stub, &(struct gdb_stop){ .reason = GDB_STOP_WATCHPOINT,
			.thread = 0, .watch_type = bp->type, .watch_addr = bp->addr });
		return true;
	}
	return false;
}

/* What the VM does after gdb resumed it: steps at once, a continue to a breakpoint. */
static void simulate(struct fake_target *t)
{
	for (u32 v = 0; v < t->vcpus; v++) {
		if (t->actions[v] == GDB_RESUME_STEP) {
			t->state[v].regs.rip++;
			fake_target_stop(t, GDB_STOP_STEP, v);
			return;
		}
	}
	if (!write_watched_byte(t))
		run_to_breakpoint(t);
}

int main(int argc, char **argv)
{
	static struct fake_target t;
	enum gdb_layout_id mode = GDB_LAYOUT_AMD64;
	u32 resumes = 0, stop_requests = 0;
	u8 byte;

	if (argc > 1 && strcmp(argv[1], "--i386") == 0)
		mode = GDB_LAYOUT_I386;
	else if (argc > 1 && strcmp(argv[1], "--real") == 0)
		mode = GDB_LAYOUT_I8086;
	fake_target_init(&t, 2);
	for (u32 v = 0; v < t.vcpus; v++)
		fake_target_set_mode(&t, v, mode);
	memset(t.ram + 0x1000, NOP, PAGE_SIZE);	/* the code the vCPUs start in */
	while (read(STDIN_FILENO, &byte, 1) == 1) {
		gdb_stub_feed(&t.stub, byte);
		if (t.resumes != resumes) {
			resumes = t.resumes;
			simulate(&t);
		}
		/* A stop asked for while the VM runs: it stops now. */
		if (t.stop_requests != stop_requests) {
			stop_requests = t.stop_requests;
			if (t.running)
				fake_target_stop(&t, GDB_STOP_INTERRUPTED, 0);
		}
		flush(&t);
	}
	return 0;
}

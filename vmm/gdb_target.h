/* SPDX-License-Identifier: MIT */
/*
 * What the GDB stub (vmm/gdb_stub.h) needs from the hypervisor: one VM seen as a program whose
 * threads are its vCPUs. gdb's thread id N is vCPU N - 1. Every operation is called from
 * gdb_stub_feed or gdb_stub_report_stop, never from elsewhere, and only while the VM is
 * stopped (all its vCPUs held), except send and request_stop.
 */
#ifndef VIREO_VMM_GDB_TARGET_H
#define VIREO_VMM_GDB_TARGET_H

#include "kernel/types.h"
#include "vmm/vcpu_state.h"

/* The most vCPUs a debugged VM may have (the stub keeps one resume action per vCPU). */
#define GDB_MAX_THREADS 64

/* What one vCPU does when the VM is resumed. */
enum gdb_resume_action {
	GDB_RESUME_STAY,	/* stays stopped */
	GDB_RESUME_CONTINUE,	/* runs until the VM stops */
	GDB_RESUME_STEP,	/* executes one instruction, then the VM stops (RFLAGS.TF or MTF) */
};

/* The Z/z packet types (GDB manual, "Packets", 'Z type,addr,kind'). */
enum gdb_breakpoint_type {
	GDB_BP_SOFTWARE = 0,	/* int3 at addr (len 1) */
	GDB_BP_HARDWARE = 1,	/* instruction breakpoint in a debug register */
	GDB_BP_WRITE = 2,	/* data watchpoints of len 1, 2, 4 or 8: DR7 R/W 01 */
	/* type 3, read watchpoints, x86 has not: the stub answers Z3 as unsupported */
	GDB_BP_ACCESS = 4,	/* read or write: DR7 R/W 11 */
};

/* Why the VM stopped, as the target tells gdb_stub_report_stop. */
enum gdb_stop_reason {
	GDB_STOP_STEP,		/* a step finished */
	GDB_STOP_SW_BREAKPOINT,	/* int3 executed (gdb's or the guest's own): RIP is the int3's */
	GDB_STOP_HW_BREAKPOINT,	/* an instruction breakpoint of type 1 */
	GDB_STOP_WATCHPOINT,	/* a data breakpoint of type 2 or 4 */
	GDB_STOP_INTERRUPTED,	/* after request_stop */
	GDB_STOP_EXITED,	/* the VM ended: the session is over */
};

struct gdb_stop {
	enum gdb_stop_reason reason;
	u32 thread;			/* the vCPU that stopped (0-based); others were stopped too */
	enum gdb_breakpoint_type watch_type;	/* GDB_STOP_WATCHPOINT: which kind hit */
	u64 watch_addr;			/* GDB_STOP_WATCHPOINT: the watched address that hit */
	u8 exit_code;			/* GDB_STOP_EXITED */
};

/*
 * The operations. ctx is the pointer given to gdb_stub_init. vcpu is 0-based and always below
 * thread_count(). Errors are negative errno values from kernel/errno.h.
 */
struct gdb_target_ops {
	/* The number of vCPUs, at least 1 (gdb sees at most GDB_MAX_THREADS of them). */
	u32 (*thread_count)(void *ctx);

	/* Copy out the vCPU's architectural state. 0 or -errno. */
	int (*get_state)(void *ctx, u32 vcpu, struct vcpu_state *st);

	/*
	 * Make st the vCPU's state (gdb changed registers; the stub starts from get_state, so
	 * fields gdb cannot see are unchanged). -EINVAL for a state the CPU would not enter
	 * (reserved CR bits, say): the vCPU keeps its old state.
	 */
	int (*set_state)(void *ctx, u32 vcpu, const struct vcpu_state *st);

	/*
	 * Read or write guest-virtual memory as the vCPU sees it now: through its page tables
	 * (vmm/guest_walk.h) when paging is on, supervisor access, ignoring write protection
	 * (gdb plants breakpoints in read-only code). Returns the bytes done, from the start, up
	 * to the first address that does not translate to guest RAM, or -EFAULT if that is addr.
	 * Reads show the original bytes under the software breakpoints planted for gdb, as gdb
	 * expects of a stub that takes Z0 (it reads code to disassemble and to step over them).
	 */
	int (*read_virt)(void *ctx, u32 vcpu, u64 addr, void *buf, u32 len);
	int (*write_virt)(void *ctx, u32 vcpu, u64 addr, const void *buf, u32 len);

	/* The same on guest-physical addresses ("monitor phys on"): bytes done or -EFAULT. */
	int (*read_phys)(void *ctx, u64 gpa, void *buf, u32 len);
	int (*write_phys)(void *ctx, u64 gpa, const void *buf, u32 len);

	/*
	 * Let the VM run: actions[i] says what vCPU i does (count = thread_count()). Returns at
	 * once; when the VM stops again (a step done, a breakpoint, request_stop), every vCPU is
	 * held and the target calls gdb_stub_report_stop. A step of one vCPU while others
	 * continue stops the VM as soon as the step is done.
	 */
	void (*resume)(void *ctx, const enum gdb_resume_action *actions, u32 count);

	/*
	 * Stop every vCPU and then call gdb_stub_report_stop with GDB_STOP_INTERRUPTED: later,
	 * or from within this call when the VM is stopped already. The stub asks on Ctrl-C, and
	 * when gdb sends a packet while the VM runs freely (a new session): the VM runs until
	 * a gdb attaches, and again after it detaches.
	 */
	void (*request_stop)(void *ctx);

	/*
	 * Plant or remove a breakpoint for the whole VM. Software ones (int3, len 1) are the
	 * target's so that it can hide them from reads and intercept #BP; hardware
	 * ones go into the vCPUs' virtualised DR0-DR3/DR7 (SDM Vol. 3B 18.2; APM Vol. 2 13.1),
	 * the guest's own debug-register use kept apart. len is 1, 2, 4 or 8 for watchpoints
	 * (addr aligned to it, SDM 18.2.5). Returns 0, -ENOSPC (all four debug registers in
	 * use), or -EINVAL (a type, length or alignment it cannot do, or removing what was
	 * never planted). -ENOSYS for software breakpoints makes gdb plant int3 itself with
	 * memory writes.
	 */
	int (*insert_breakpoint)(void *ctx, enum gdb_breakpoint_type type, u64 addr, u32 len);
	int (*remove_breakpoint)(void *ctx, enum gdb_breakpoint_type type, u64 addr, u32 len);

	/*
	 * Remove every breakpoint gdb planted. The stub calls it when gdb leaves and when a
	 * new gdb connects, as one that went away without 'D' leaves its breakpoints behind.
	 */
	void (*remove_all_breakpoints)(void *ctx);

	/* gdb left (its breakpoints are out already): let every vCPU run freely, as without gdb. */
	void (*detach)(void *ctx);

	/* Send bytes to gdb (COM2). Must take them all; the stub does not retry. */
	void (*send)(void *ctx, const u8 *bytes, u32 len);
};

#endif

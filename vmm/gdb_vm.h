/* SPDX-License-Identifier: MIT */
/*
 * One VM as the GDB stub's target (vmm/gdb_target.h): its vCPUs held with vm_pause and read
 * and changed through the backend while they are loaded nowhere, its memory through the
 * guest's page tables, its resumption with the backend's debug controls (set_guest_debug:
 * single step, INT3 intercepted). Software breakpoints are gdb's own INT3s (insert_breakpoint
 * says -ENOSYS, so gdb writes them into memory); hardware breakpoints and watchpoints go into
 * every vCPU's debug registers, lent by the guest while any is set (vmm/debug_regs.h). The
 * exit handlers report an INT3, a finished step or a debug-register hit here, on the vCPU's
 * CPU and without a lock; the VM stops, and gdb_vm_poll tells the stub once every vCPU is
 * held.
 */
#ifndef VIREO_VMM_GDB_VM_H
#define VIREO_VMM_GDB_VM_H

#include "kernel/types.h"
#include "vmm/exit.h"
#include "vmm/gdb_hwbp.h"
#include "vmm/gdb_target.h"

struct vm;
struct vcpu;

struct gdb_vm {
	struct vm *vm;		/* NULL when none is attached */
	void (*send)(const u8 *bytes, u32 len);	/* to gdb */
	bool stop_wanted;	/* request_stop: report an interrupt once the VM is held */
	/* from an exit handler: GDB_STOP_* + 1, the debug register hit << 4, vCPU << 8; or 0 */
	u32 hit;
	struct gdb_hwbp hw;	/* gdb's hardware breakpoints, in every vCPU while it runs */
};

/* The target operations; their ctx is a struct gdb_vm. */
extern const struct gdb_target_ops gdb_vm_ops;

/* Attach g to vm (running or not): vm->gdb points to g until gdb_vm_release. */
void gdb_vm_attach(struct gdb_vm *g, struct vm *vm);
void gdb_vm_release(struct gdb_vm *g);

/*
 * A stop asked for (request_stop) or met (a breakpoint, a step), once every vCPU is held:
 * fills *stop, forgets it and returns true. False while nothing is due, or the VM still runs.
 */
bool gdb_vm_poll(struct gdb_vm *g, struct gdb_stop *stop);

/*
 * The exit handlers: an INT3 the backend intercepted (RIP at it), and a finished single step.
 * The VM stops for gdb; an INT3 met with no debugger attached goes to the guest.
 */
enum exit_action gdb_vm_breakpoint(struct vcpu *v);
enum exit_action gdb_vm_step_done(struct vcpu *v);

/*
 * A #DB while v's debug registers are lent to gdb: true if it was one of gdb's breakpoints
 * (the VM stops for gdb, the guest never sees it), false if it is the guest's to take.
 */
bool gdb_vm_debug_trap(struct vcpu *v, const struct event *db);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * A guest's debug registers lent to a debugger: while gdb's hardware breakpoints are set,
 * DR0-DR3 and DR7 hold gdb's, the guest's own are kept aside, and every guest MOV DR exits
 * and works on those (virt_ops intercept_dr_access), so the guest reads back what it wrote.
 * The guest's breakpoints do not fire meanwhile; DR6 stays the CPU's, minus the B bits of
 * gdb's hits (vmm/gdb_vm.c).
 */
#ifndef VIREO_VMM_DEBUG_REGS_H
#define VIREO_VMM_DEBUG_REGS_H

#include "kernel/types.h"
#include "vmm/exit.h"

struct vcpu;

/*
 * On a held vCPU loaded on this CPU: DR0-DR3 become dr[0..3] and DR7 dr7, the guest's saved
 * the first time. debug_regs_return gives the guest its own back (nothing when not lent).
 */
void debug_regs_lend(struct vcpu *v, const u64 dr[4], u64 dr7);
void debug_regs_return(struct vcpu *v);

/* The EXIT_DR_ACCESS handler (vmm/exit.c's table): the guest's MOV DR on its own values. */
enum exit_action handle_dr_access(struct vcpu *v, const struct vm_exit *e);

#endif

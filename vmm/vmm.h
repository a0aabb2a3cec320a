/* SPDX-License-Identifier: MIT */
/* The VMM at boot: choose the backend, enable it on every CPU, create and start the VMs. */
#ifndef VIREO_VMM_VMM_H
#define VIREO_VMM_VMM_H

#include "kernel/boot_info.h"
#include "kernel/cmdline.h"

struct vm;

/*
 * Pick VT-x or AMD-V, enable it on every online CPU, create a VM for every "guest" module and
 * every good [vm.NAME] of a "vmconfig" module (in module order), and start them all but those
 * with autostart = false, sharing the CPUs (vmm/sched.c). Returns the number of VMs started;
 * 0 when none could be (no virtualization, no guests, or none valid), every reason logged.
 */
u32 vmm_start(const struct boot_info *bi, enum power_action on_done);

/* True when guests can run here (a backend was chosen and enabled). */
bool vmm_available(void);

/* Called when a VM has ended (before it is freed); after the last one, the ondone action runs. */
void vmm_vm_stopped(struct vm *vm);

/*
 * The console's destroy: the VM named name ends for good, also one between two lives of
 * onexit=restart. The console's restart: it ends and is made again from its module and
 * configuration, with the same number. False when there is no such VM.
 */
bool vmm_destroy(const char *name);
bool vmm_restart(const char *name);

/*
 * The guest reset its PC (how says through what). With on_reset = restart the VM is made
 * again, a life counted like onexit=restart's, so a guest that resets in a loop stops after
 * 200 lives within a minute; else it stops, how its reason. From process context, no lock held.
 */
void vmm_reset(struct vm *vm, const char *how);

/*
 * The console's start: a VM that has ended, or waits (autostart = false), is made from its
 * modules and configuration, with its number. False when there is no such VM, or it runs.
 */
bool vmm_start_again(const char *name);

/*
 * Console focus: the live VM numbered after id (0: the first), logged as the one keys go to
 * now; 0, the monitor, after the last. And a key typed for VM id: false when it has ended.
 */
u32 vmm_focus_after(u32 id);
bool vmm_type_key(u32 id, u8 key);

/* Log every VM created: where its vCPUs run and in what state, or why it stopped. */
void vmm_report(void);

/*
 * Run fn(vm, arg) on the live VM named name, under the VM table's lock (so the VM cannot end
 * meanwhile): fn must be short and must not wait. Returns false when there is no such VM.
 */
bool vmm_with_vm(const char *name, void (*fn)(struct vm *vm, void *arg), void *arg);

/*
 * The same for the GDB stub's VM when none is named: the first live one with gdb = true, else
 * the first live one.
 */
bool vmm_with_gdb_vm(void (*fn)(struct vm *vm, void *arg), void *arg);

#endif

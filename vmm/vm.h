/* SPDX-License-Identifier: MIT */
/* Virtual machines and their virtual CPUs: creation, running, stopping. */
#ifndef VIREO_VMM_VM_H
#define VIREO_VMM_VM_H

#include "kernel/spinlock.h"
#include "kernel/timer.h"
#include "kernel/types.h"
#include "vmm/dev/vpost.h"
#include "vmm/exit.h"
#include "vmm/guest_memory.h"
#include "vmm/pio.h"
#include "vmm/vcpu.h"
#include "vmm/vcpu_state.h"
#include "vmm/vm_config.h"
#include "vmm/vm_console.h"

#define VM_STOP_REASON_MAX 160

enum vm_state {
	VM_READY,	/* created, not started */
	VM_RUNNING,
	VM_STOPPED,
};

struct vm {
	u32 id;
	struct vm_config config;
	enum vm_state state;
	struct guest_memory mem;
	struct pio_bus pio;
	struct vm_console console;	/* also the debug-port device */
	struct vpost post;
	struct vcpu vcpu;	/* one vCPU per VM for now */
	void *arch;		/* the backend's per-VM state (ASID, VPID) */
	struct timer timeout;	/* armed when config.timeout_ms is set */
	bool exited;		/* stopped by its own request (exit hypercall), not by a fault */
	u64 exit_code;
	char stop_reason[VM_STOP_REASON_MAX];
	u64 started_tsc, stopped_tsc;
	u64 exits_by_reason[EXIT_REASON_COUNT];
	struct spinlock lock;
};

/*
 * Build a VM from a configuration and a guest image: RAM and second-level tables, the image
 * loaded, its devices, the backend's VM and vCPU state. Returns NULL after logging why.
 */
struct vm *vm_create(u32 id, const struct vm_config *config, const void *image, size_t size);

/* Run the VM's vCPU on CPU cpu (which must have nothing else to do). */
int vm_start(struct vm *vm, u32 cpu);

/*
 * Stop the VM for good with a reason. From the vCPU's own CPU (an exit handler) the stop is
 * immediate; from elsewhere it is requested and happens at the vCPU's next exit, which an IPI
 * forces. The first reason given wins.
 */
void vm_stop(struct vm *vm, const char *fmt, ...) __printf(2, 3);

/* Stop the VM because its guest asked to, with an exit code. */
void vm_exit_normally(struct vm *vm, u64 code);

/* Stop the VM because its guest halted with nothing to wake it: its normal end, for now. */
void vm_halted(struct vm *vm);

/* Ask for a stop from any CPU. */
void vm_request_stop(struct vm *vm, const char *why);

/* Free a VM that is not running (never started, or its loop has ended), whatever was built. */
void vm_destroy(struct vm *vm);

#endif

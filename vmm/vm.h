/* SPDX-License-Identifier: MIT */
/*
 * Virtual machines: creation, start, pause and resume, stop with a reason, and the end of a
 * VM once its last vCPU has stopped. Every operation here works from any CPU.
 */
#ifndef VIREO_VMM_VM_H
#define VIREO_VMM_VM_H

#include "kernel/cpu_work.h"
#include "kernel/spinlock.h"
#include "kernel/timer.h"
#include "kernel/types.h"
#include "vmm/dev/vpost.h"
#include "vmm/dev/vpci.h"
#include "vmm/dev/vvga.h"
#include "vmm/exit.h"
#include "vmm/guest_memory.h"
#include "vmm/input_ring.h"
#include "vmm/mmio.h"
#include "vmm/pio.h"
#include "vmm/vcpu.h"
#include "vmm/vcpu_state.h"
#include "vmm/vm_config.h"
#include "vmm/vm_console.h"

struct firmware;
struct gdb_vm;

#define VM_STOP_REASON_MAX 160

enum vm_state {
	VM_READY,	/* created, not started */
	VM_RUNNING,
	VM_PAUSED,	/* its vCPUs are held (the monitor's "pause") */
	VM_STOPPED,	/* stopping or stopped: it ends once its last vCPU has */
};

struct vm {
	u32 id;
	struct vm_config config;
	struct guest_memory mem;
	/* The devices, one access at a time from any of the VM's vCPUs: under devices_lock. */
	struct spinlock devices_lock;
	struct pio_bus pio;
	struct mmio_bus mmio;	/* filled at creation, fixed after (vmm/mmio_emulate.h) */
	struct vm_console console;	/* also the debug-port device */
	/* Keys typed for it at the console (its focus), and the vCPUs waiting for one (bits). */
	struct spinlock input_lock;	/* taken in the console's timer interrupt: irqsave */
	struct input_ring input;
	u32 input_waiters;
	struct vpost post;
	struct vvga vga;	/* its registers; the text is RAM at 0xb8000 */
	struct vpci pci;	/* PCI configuration space: the host bridge */
	struct pc_platform *pc;	/* the PIC and PIT (vmm/pc_platform.h) */
	u32 vcpu_count;
	struct vcpu *vcpus[VM_VCPUS_MAX];
	struct vcpu_state initial;	/* vCPU 0's first state: the others start from it */
	void *arch;		/* the backend's per-VM state (EPTP) */
	struct timer timeout;	/* armed when config.timeout_ms is set */
	struct work finish;	/* the VM's end, queued when its last vCPU has stopped */
	u32 vcpus_live;		/* vCPUs not stopped yet */

	struct spinlock lock;	/* state, and the stop's reason and kind */
	enum vm_state state;
	bool fault;		/* stopped for something it did wrong: its registers are logged */
	char stop_reason[VM_STOP_REASON_MAX];
	u64 started_tsc, stopped_tsc;
	u64 kvmclock_wall_clock;	/* MSR_KVM_WALL_CLOCK_NEW as written (vmm/kvmclock.h) */
	bool told_unknown_hypercall;	/* the log has said so once */
	bool has_focus;		/* the console's keys go to it (vmm_focus_after) */
	struct gdb_vm *gdb;	/* the debugger's, while one is attached (vmm/gdb_vm.h) */
	u64 boot_data_start;	/* the loader's boot data, to the end of low RAM (0: none) */
	struct firmware *firmware;	/* fw_cfg and its files (vmm/firmware.h), or NULL */
};

/*
 * Build a VM from a configuration and its boot modules (a kernel, and modules handed to it):
 * RAM and second-level tables, the image loaded, its devices, the backend's VM and vCPU
 * state, each vCPU placed on a CPU. Returns NULL after logging why.
 */
struct vm *vm_create(u32 id, const struct vm_config *config, const struct vm_images *images);

/* Start the VM: its vCPU 0 becomes runnable (the others wait for a start hypercall). */
void vm_start(struct vm *vm);

/* The VM's time at TSC value tsc: ns since it started (VIREO_HC_TIME, kvmclock's records). */
u64 vm_time_ns(const struct vm *vm, u64 tsc);

/*
 * Stop the VM for good with a reason, from any CPU and any context: its vCPUs stop at once or
 * at their next exit, and when the last has, the VM ends (its summary is logged, vmm.c is told,
 * everything it held is freed). The first reason given wins.
 */
void vm_stop(struct vm *vm, const char *fmt, ...) __printf(2, 3);

/*
 * A vCPU of the VM went idle: when the VM has the console's keys, what it printed of a line
 * so far (a shell's prompt) is logged now, since the person typing waits for it.
 */
void vm_console_idle(struct vm *vm);

/* Stop the VM because its guest asked to, with an exit code. */
void vm_exit_normally(struct vm *vm, u64 code);

/*
 * Log what the VM has done so far, or in all once stopped: exits by reason, its time, its
 * console lines, and per vCPU its run time, slices, last CPU and moves.
 */
void vm_log_stats(const struct vm *vm);

/*
 * Log each vCPU's exits by reason, with the time in the hypervisor of those traced (the
 * monitor's stats).
 */
void vm_log_vcpu_exits(const struct vm *vm);

/*
 * Stop the VM for a reason outside it (the console): no fault, so no register dump. False
 * when it was stopping already, for a reason of its own (which the log has given).
 */
bool vm_shut_down(struct vm *vm, const char *reason);

/*
 * Hold every vCPU of the VM, and let them go on; from any CPU. vm_resume_vcpus lets only the
 * vCPUs of the mask (bit N for vCPU N) go on, the others staying held (a debugger's step).
 */
void vm_pause(struct vm *vm);
void vm_resume(struct vm *vm);
void vm_resume_vcpus(struct vm *vm, u64 vcpus);

/* Called by vmm/vcpu_run.c when a vCPU of vm has stopped; the last one ends the VM. */
void vm_vcpu_stopped(struct vcpu *v);

/*
 * A guest's port access, and its console output, under the VM's devices lock. Only exit
 * handlers take it, never an interrupt handler: interrupts may stay on.
 */
static inline u32 vm_port_read(struct vm *vm, u16 port, u8 size)
{
	u32 value;

	spin_lock(&vm->devices_lock);
	value = pio_read(&vm->pio, port, size);
	spin_unlock(&vm->devices_lock);
	return value;
}

static inline void vm_port_write(struct vm *vm, u16 port, u8 size, u32 value)
{
	spin_lock(&vm->devices_lock);
	pio_write(&vm->pio, port, size, value);
	spin_unlock(&vm->devices_lock);
}

void vm_console_output(struct vm *vm, const u8 *buf, u64 len);

/* A key typed for the VM (from any context): kept for it, and its waiting vCPU woken. */
void vm_console_input(struct vm *vm, u8 key);

/*
 * The next key typed for the VM, or -1 when none is waiting; with wait, v then sleeps until
 * one comes (v->sleeping: the caller returns EXIT_BLOCK and the instruction runs again).
 */
int vm_console_getchar(struct vcpu *v, bool wait);

/* Free a VM that was never started, whatever was built of it. */
void vm_destroy(struct vm *vm);

#endif

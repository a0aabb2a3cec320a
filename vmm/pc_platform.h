/* SPDX-License-Identifier: MIT */
/*
 * The PC around a VM: its 8259 pair, wired to vCPU 0's INTR line (as the PIC reaches the BSP
 * through LINT0's ExtINT on a PC), and the 8254 timer on IRQ 0 with a host timer behind it.
 * The models in vmm/dev/ are pure; this file wires them to each other, to the host's timers
 * and to the event model (vmm/vcpu.c asks it for vCPU 0's external interrupt).
 *
 * Every model is touched under the VM's devices lock, in process context only: the host
 * timer's callback does not run a model, it marks the devices due and pokes vCPU 0, which
 * brings them up to date before it decides what to inject.
 */
#ifndef VIREO_VMM_PC_PLATFORM_H
#define VIREO_VMM_PC_PLATFORM_H

#include "kernel/timer.h"
#include "kernel/types.h"
#include "vmm/dev/vpic.h"
#include "vmm/dev/vpit.h"

struct vm;

struct pc_platform {
	struct vm *vm;
	struct vpic pic;
	struct vpit pit;
	struct timer pit_timer;
	u64 pit_deadline_ns;	/* what pit_timer is armed for (0: not armed) */
	bool due;		/* a timer fired: the models have edges to raise */
	bool intr;		/* the PIC's INT output, for waking vCPU 0 without the lock */
	u64 interrupts;		/* vectors the PIC has given vCPU 0 */
};

/* Give the VM its PC devices and their ports. Returns 0 or a negative errno. */
int pc_platform_attach(struct vm *vm);

/* Stop its host timers and free it, once no vCPU of the VM runs. */
void pc_platform_detach(struct vm *vm);

/*
 * On vCPU 0 before it decides what to inject: bring the devices up to date with the time (and
 * what else is due), and return the vector the PIC's INT would give now, or -1.
 */
int pc_platform_pending_vector(struct pc_platform *pc);

/*
 * The interrupt-acknowledge cycle, once vCPU 0 takes the PIC's interrupt: the vector to
 * deliver, the pending one, or the PIC's spurious vector if the request went away meanwhile.
 */
u8 pc_platform_acknowledge(struct pc_platform *pc);

/* Whether vCPU 0 may have an interrupt from the PIC (a hint read without the lock). */
static inline bool pc_platform_may_interrupt(const struct pc_platform *pc)
{
	return __atomic_load_n(&pc->intr, __ATOMIC_ACQUIRE) ||
	       __atomic_load_n(&pc->due, __ATOMIC_ACQUIRE);
}

#endif

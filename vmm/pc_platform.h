/* SPDX-License-Identifier: MIT */
/*
 * The PC around a VM: its 8259 pair, wired to vCPU 0's INTR line (as the PIC reaches the BSP
 * through LINT0's ExtINT on a PC); the 8254 timer on IRQ 0 and the MC146818 clock on IRQ 8,
 * each with a host timer behind it; a 16550A as COM1 on IRQ 4 and the 8042 keyboard
 * controller on IRQ 1, both on the VM's console; an I/O APIC whose pins see the same lines
 * (IRQ 0 on pin 2, the others on the pin of their number); the reset ports 0xCF9 and 0x92. The models in vmm/dev/ are pure; this file
 * wires them to each other, to the host's timers and console, and to the event model
 * (vmm/vcpu.c asks it for vCPU 0's external interrupt).
 *
 * Every model is touched under the VM's devices lock, in process context only: the host
 * timer's callback does not run a model, it marks the devices due and pokes vCPU 0, which
 * brings them up to date before it decides what to inject.
 */
#ifndef VIREO_VMM_PC_PLATFORM_H
#define VIREO_VMM_PC_PLATFORM_H

#include "kernel/cpu_work.h"
#include "kernel/timer.h"
#include "kernel/types.h"
#include "vmm/dev/vi8042.h"
#include "vmm/dev/vioapic.h"
#include "vmm/dev/vpic.h"
#include "vmm/dev/vpit.h"
#include "vmm/dev/vreset.h"
#include "vmm/dev/vrtc.h"
#include "vmm/dev/vuart.h"

struct vm;

struct pc_platform {
	struct vm *vm;
	struct vpic pic;
	struct vpit pit;
	struct vuart com1;
	struct vi8042 keyboard;
	struct vrtc rtc;
	struct vioapic ioapic;	/* beside the PIC, when the config names "ioapic" */
	struct vreset resets;	/* ports 0xcf9 and 0x92 */
	struct timer pit_timer, rtc_timer;
	u64 pit_deadline_ns, rtc_deadline_ns;	/* what the timers are armed for (0: not) */
	u64 pit_fired_ns;	/* the deadline the PIT's timer last fired for */
	bool due;		/* a timer fired or a key came: the models have work */
	int held_key;		/* a key its device could not take yet, or -1 */
	struct work reset_work;	/* the guest reset the machine (8042, 0xcf9, 0x92) */
	bool reset_asked;	/* reset_work is queued: once is enough */
	const char *reset_how;	/* through what, for the log and the stop's reason */
	bool intr;		/* the PIC's INT output, for waking vCPU 0 without the lock */
	u64 interrupts;		/* vectors the PIC has given vCPU 0 */
	/* The PIT's host timer to vCPU 0's entry with the interrupt, in TSC ticks (make bench). */
	u64 timer_fired_tsc;	/* when the PIT's timer last fired, 0 once it was delivered */
	u64 timer_to_entry_min, timer_to_entry_sum, timer_deliveries;
};

/* Give the VM its PC devices and their ports. Returns 0 or a negative errno. */
int pc_platform_attach(struct vm *vm);

/* Stop its host timers and free it, once no vCPU of the VM runs. */
void pc_platform_detach(struct vm *vm);

/*
 * A key was typed for the VM (any context): when its input goes to the UART or the keyboard,
 * vCPU 0 is poked to hand it over. False when the VM takes keys through GETCHAR instead.
 */
bool pc_platform_key_typed(struct vm *vm);

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

/*
 * A local APIC's EOI of a level-triggered vector (from an exit handler, no APIC lock held):
 * the I/O APIC clears the remote IRR of the pins with that vector, and sends again those still
 * asserted.
 */
void pc_platform_eoi(struct vm *vm, u8 vector);

/* What the VM's log says of its PC devices when it stops (after its exit counts). */
void pc_platform_log_stats(const struct vm *vm);

/* Whether vCPU 0 may have an interrupt from the PIC (a hint read without the lock). */
static inline bool pc_platform_may_interrupt(const struct pc_platform *pc)
{
	return __atomic_load_n(&pc->intr, __ATOMIC_ACQUIRE) ||
	       __atomic_load_n(&pc->due, __ATOMIC_ACQUIRE);
}

#endif

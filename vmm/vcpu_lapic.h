/* SPDX-License-Identifier: MIT */
/*
 * A vCPU's local APIC (config device "lapic"): the model of vmm/dev/vlapic.h wired to the
 * host. Its registers are reached through its xAPIC window on the vCPU's own MMIO bus
 * (v->mmio, vmm/mmio_emulate.h), the x2APIC MSRs and IA32_APIC_BASE / IA32_TSC_DEADLINE
 * (vmm/msr.c); its timer is a host timer armed for the next expiry only,
 * whose callback pokes the vCPU; its ICR writes go to the other vCPUs' APICs (fixed, lowest
 * priority, NMI, INIT, startup); its pending vector is the vCPU's external interrupt
 * (vmm/vcpu.c), with the 8259's INTR reaching vCPU 0 through LINT0 in ExtINT mode.
 *
 * The model is touched under its lock: by its own vCPU on its exits, and by the vCPUs that
 * send it IPIs, from any CPU. The host timer's callback only marks it due.
 */
#ifndef VIREO_VMM_VCPU_LAPIC_H
#define VIREO_VMM_VCPU_LAPIC_H

#include "kernel/spinlock.h"
#include "kernel/timer.h"
#include "kernel/types.h"
#include "vmm/dev/vlapic.h"

struct vcpu;
struct vm;

/*
 * A vCPU after an INIT waits for a startup IPI (SDM Vol. 3A 9.4.4): VCPU_SIPI_WAITING, with
 * VCPU_SIPI_INIT while its own CPU has still to reset it, then VCPU_SIPI_RECEIVED | the
 * vector until it takes that (vcpu_lapic_waits_for_sipi()).
 */
enum { VCPU_SIPI_NONE = 0, VCPU_SIPI_WAITING = 0x100, VCPU_SIPI_RECEIVED = 0x200,
       VCPU_SIPI_INIT = 0x400 };

struct vcpu_lapic {
	struct spinlock lock;	/* apic, and the fields below but the atomics */
	struct vlapic apic;
	struct vcpu *vcpu;
	struct timer timer;
	u64 deadline;		/* TSC value the host timer is armed for, 0: not armed */
	u64 fired;		/* TSC value the host timer last fired for */
	bool due;		/* the host timer fired: the model's timer is to be brought up (atomic) */
	u32 sipi;		/* VCPU_SIPI_*: what an INIT left it waiting for (atomic) */
	/* The IPI an access made, sent once the lock is dropped (two APICs' locks never nest). */
	bool ipi_out;
	struct vlapic_ipi ipi;
	/* And the EOI of a level-triggered vector, for the I/O APIC (under the devices lock). */
	bool eoi_out;
	u8 eoi_vector;
	u64 ipis_sent, timer_fired_tsc;
	u64 timer_to_entry_min, timer_to_entry_sum, timer_deliveries;	/* TSC ticks (make bench) */
};

/*
 * On v's CPU, before it runs: an INIT sent to it resets it here; then true while it waits for
 * a startup IPI, and once one came, v takes it (real mode at the vector's page) and runs.
 */
bool vcpu_lapic_waits_for_sipi(struct vcpu *v);

/* Give v a local APIC (its VM has the device). Returns 0 or -ENOMEM. */
int vcpu_lapic_create(struct vcpu *v);

/* Stop its timer and free it (the vCPU runs nowhere). */
void vcpu_lapic_destroy(struct vcpu *v);

/*
 * RDMSR and WRMSR of IA32_APIC_BASE, IA32_TSC_DEADLINE and the x2APIC range 0x800-0x8FF:
 * false when index is none of those or the access raises #GP.
 */
bool vcpu_lapic_msr_read(struct vcpu *v, u32 index, u64 *value);
bool vcpu_lapic_msr_write(struct vcpu *v, u32 index, u64 value);

/*
 * On v's CPU before it decides what to inject: bring the timer up to date and return the
 * vector the APIC would give the core now, or -1.
 */
int vcpu_lapic_pending_vector(struct vcpu *v);

/* The core takes vector (the one vcpu_lapic_pending_vector() gave): IRR to ISR. */
void vcpu_lapic_ack(struct vcpu *v, u8 vector);

/* v's CR8, which is its APIC's task-priority class (vlapic_cr8), and a MOV to it. */
u8 vcpu_lapic_cr8(struct vcpu *v);
void vcpu_lapic_set_cr8(struct vcpu *v, u8 cr8);

/* Whether the 8259's INTR reaches v through its APIC (disabled, or LINT0 in ExtINT mode). */
bool vcpu_lapic_accepts_extint(struct vcpu *v);

/* A hint for a vCPU going to sleep, without the lock: its timer fired, or IRR is not empty. */
bool vcpu_lapic_may_interrupt(const struct vcpu *v);

/*
 * An interrupt message from outside the vCPUs (the I/O APIC's: fixed, lowest priority or NMI,
 * to a physical or logical destination) to the APICs it names, from any CPU. A level-triggered
 * vector's EOI goes back through pc_platform_eoi().
 */
void vcpu_lapic_deliver(struct vm *vm, const struct vlapic_ipi *message);

/* What the VM's log says of its APICs when it stops. */
void vcpu_lapic_log_stats(const struct vcpu *v);

#endif

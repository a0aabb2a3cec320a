/* SPDX-License-Identifier: MIT */
/*
 * KVM's paravirtual clock ABI (Linux's Documentation/virt/kvm/x86/msr.rst, "kvmclock"), as
 * Vireo offers it: the records a guest's MSR writes point at, and the scale that turns TSC
 * ticks into nanoseconds. Pure: the caller writes the records into guest memory.
 */
#ifndef VIREO_VMM_PVCLOCK_H
#define VIREO_VMM_PVCLOCK_H

#include "kernel/types.h"

/* Per vCPU: the guest's time is system_time + scale(TSC - tsc_timestamp). */
struct pvclock_vcpu_time_info {
	u32 version;		/* odd while the host writes it */
	u32 pad0;
	u64 tsc_timestamp;
	u64 system_time;	/* ns */
	u32 tsc_to_system_mul;
	s8 tsc_shift;
	u8 flags;
	u8 pad[2];
} __attribute__((packed));
_Static_assert(sizeof(struct pvclock_vcpu_time_info) == 32, "the ABI's 32 bytes");

/* Per VM: the date at system_time 0. */
struct pvclock_wall_clock {
	u32 version;
	u32 sec;
	u32 nsec;
} __attribute__((packed));
_Static_assert(sizeof(struct pvclock_wall_clock) == 12, "the ABI's 12 bytes");

/* The TSC runs at one rate on every vCPU: the guest may take its reads as one clock. */
#define PVCLOCK_TSC_STABLE_BIT BIT(0)

struct pvclock_scale {
	u32 mul;	/* ns = ((ticks << shift, or >> -shift) * mul) >> 32 */
	s8 shift;
};

/* The scale for a TSC of tsc_hz (not 0): mul in [2^31, 2^32), as precise as it gets. */
struct pvclock_scale pvclock_scale_for(u64 tsc_hz);

/* The record for a vCPU: system_time ns at TSC tsc, at scale s, stable. */
void pvclock_fill_time(struct pvclock_vcpu_time_info *t, const struct pvclock_scale *s, u64 tsc,
		       u64 system_time);

/* The record of the date at system time 0, from that date in ns since 1970. */
void pvclock_fill_wall_clock(struct pvclock_wall_clock *w, u64 epoch_ns);

#endif

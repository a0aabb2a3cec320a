/* SPDX-License-Identifier: MIT */
/* KVM's paravirtual clock records and their TSC scale (vmm/pvclock.h). Pure. */
#include "vmm/pvclock.h"

#define NS_PER_S 1000000000ULL
#define MUL_TOP (1ULL << 32)

struct pvclock_scale pvclock_scale_for(u64 tsc_hz)
{
	/* ns per tick, times 2^32: 10^9 << 32 fits 64 bits. */
	u64 mul = (NS_PER_S << 32) / tsc_hz;
	s8 shift = 0;

	while (mul >= MUL_TOP) {
		mul >>= 1;
		shift++;
	}
	while (mul < MUL_TOP / 2) {
		mul <<= 1;
		shift--;
	}
	return (struct pvclock_scale){ .mul = (u32)mul, .shift = shift };
}

void pvclock_fill_time(struct pvclock_vcpu_time_info *t, const struct pvclock_scale *s, u64 tsc,
		       u64 system_time)
{
	*t = (struct pvclock_vcpu_time_info){
		.version = 2, .tsc_timestamp = tsc, .system_time = system_time,
		.tsc_to_system_mul = s->mul, .tsc_shift = s->shift, .flags = PVCLOCK_TSC_STABLE_BIT,
	};
}

void pvclock_fill_wall_clock(struct pvclock_wall_clock *w, u64 epoch_ns)
{
	*w = (struct pvclock_wall_clock){
		.version = 2, .sec = (u32)(epoch_ns / NS_PER_S), .nsec = (u32)(epoch_ns % NS_PER_S),
	};
}

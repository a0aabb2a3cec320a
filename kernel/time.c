/* SPDX-License-Identifier: MIT */
/* Time since boot from the TSC. */
#include "kernel/time.h"
#include "arch/x86/cpu.h"

u64 boot_tsc;
static u64 tsc_hz;
static u64 wall_clock_at_boot;

void time_init(u64 hz)
{
	tsc_hz = hz;
}

u64 time_tsc_hz(void)
{
	return tsc_hz;
}

/* Split the product so that ticks * 10^9 cannot overflow 64 bits. */
u64 time_tsc_to_ns(u64 ticks)
{
	if (!tsc_hz)
		return 0;
	return ticks / tsc_hz * NSEC_PER_SEC + ticks % tsc_hz * NSEC_PER_SEC / tsc_hz;
}

u64 time_ns_to_tsc(u64 ns)
{
	return ns / NSEC_PER_SEC * tsc_hz + ns % NSEC_PER_SEC * tsc_hz / NSEC_PER_SEC;
}

u64 time_since_boot_ns(void)
{
	return time_tsc_to_ns(rdtsc() - boot_tsc);
}

void time_delay_ns(u64 ns)
{
	u64 end = rdtsc() + time_ns_to_tsc(ns);

	while ((s64)(rdtsc() - end) < 0)
		cpu_relax();
}

void time_set_wall_clock(u64 epoch_seconds_at_boot)
{
	wall_clock_at_boot = epoch_seconds_at_boot;
}

u64 time_wall_clock_ns(void)
{
	return wall_clock_at_boot * NSEC_PER_SEC + time_since_boot_ns();
}

u64 time_wall_clock_s(void)
{
	return time_wall_clock_ns() / NSEC_PER_SEC;
}

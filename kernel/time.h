/* SPDX-License-Identifier: MIT */
/* Time since boot from the TSC, once its frequency is known. */
#ifndef VIREO_TIME_H
#define VIREO_TIME_H

#include "kernel/types.h"

#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_USEC 1000ULL

/* Record the TSC frequency; time counts from boot_tsc, the TSC value at kernel entry. */
void time_init(u64 tsc_hz);

/* TSC ticks per second (0 until time_init). */
u64 time_tsc_hz(void);

/* Nanoseconds since boot (0 until time_init). */
u64 time_since_boot_ns(void);

/* Convert between TSC ticks and nanoseconds at the calibrated rate. */
u64 time_ns_to_tsc(u64 ns);
u64 time_tsc_to_ns(u64 ticks);

/*
 * The date and time: set once at boot from the host's clock (seconds since 1970, 0 when it
 * could not be read), then the time since boot added.
 */
void time_set_wall_clock(u64 epoch_seconds_at_boot);
u64 time_wall_clock_s(void);
u64 time_wall_clock_ns(void);

/* Busy-wait for at least ns nanoseconds (needs time_init). */
void time_delay_ns(u64 ns);

/* TSC value taken as early in boot as possible. */
extern u64 boot_tsc;

#endif

/* SPDX-License-Identifier: MIT */
/* The host's 8254 PIT, used only as a known clock to calibrate the TSC and the LAPIC timer. */
#ifndef VIREO_DRIVERS_PIT_H
#define VIREO_DRIVERS_PIT_H

#include "kernel/types.h"

#define PIT_HZ 1193182ULL

/*
 * Run PIT channel 2 for ms milliseconds (at most 50) and call sample() at the start and at the
 * end; returns the elapsed PIT ticks, so the caller can scale what its sample() measured.
 */
u64 pit_measure(u32 ms, void (*sample)(void *ctx, bool end), void *ctx);

/* TSC frequency in Hz measured against the PIT over ms milliseconds. */
u64 pit_calibrate_tsc(u32 ms);

#endif

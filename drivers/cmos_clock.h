/* SPDX-License-Identifier: MIT */
/* The host's MC146818 clock (CMOS RTC), read once at boot for the date and time guests see. */
#ifndef VIREO_DRIVERS_CMOS_CLOCK_H
#define VIREO_DRIVERS_CMOS_CLOCK_H

#include "kernel/types.h"

/*
 * The host's date and time, in seconds since 1970 (the clock is taken to keep UTC, as
 * QEMU's and Bochs' do by default), or 0 when the clock never leaves its update cycle.
 */
u64 cmos_clock_read_epoch(void);

#endif

/* SPDX-License-Identifier: MIT */
/* Multiprocessor bring-up and control: start the application processors, stop them. */
#ifndef VIREO_ARCH_X86_SMP_H
#define VIREO_ARCH_X86_SMP_H

#include "kernel/types.h"

/* Stop the calling CPU for good (after a panic elsewhere, or at power-off). */
__noreturn void smp_park_this_cpu(void);

/* Stop every other online CPU with an NMI and wait briefly until they are parked. */
void smp_stop_others(void);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * A set of pending interrupt vectors: raised from any CPU, taken by the vCPU's own CPU,
 * highest vector first (as a local APIC's IRR gives them). Vireo's paravirtual interrupts
 * (VIREO_HC_SEND_INTERRUPT, the console's "irq") go through one per vCPU. Pure: atomics only.
 */
#ifndef VIREO_VMM_VECTOR_SET_H
#define VIREO_VMM_VECTOR_SET_H

#include "kernel/types.h"

struct vector_set {
	u64 bits[4];
};

/* Add vector (from any CPU). */
void vector_set_raise(struct vector_set *s, u8 vector);

/*
 * The highest vector in the set whose priority class (vector / 16) is above the task
 * priority class tpr (CR8), or -1 (SDM Vol. 3A 11.8.3.1).
 */
int vector_set_highest(const struct vector_set *s, u8 tpr);

/* Take vector out; false when it was not in. */
bool vector_set_take(struct vector_set *s, u8 vector);

/* True when the set holds anything, whatever the priority. */
bool vector_set_any(const struct vector_set *s);

#endif

/* SPDX-License-Identifier: MIT */
/* The MSR policy: which guest RDMSR/WRMSR Vireo emulates; everything else raises #GP. */
#ifndef VIREO_VMM_MSR_H
#define VIREO_VMM_MSR_H

#include "kernel/types.h"

struct vcpu;

/*
 * MSRs the guest reads and writes directly, without an exit: each backend keeps their guest
 * values apart from the host's (AMD-V: VMLOAD/VMSAVE; VT-x: the VMCS and a swap).
 */
extern const u32 msr_passthrough[];
extern const u32 msr_passthrough_count;

/* An intercepted RDMSR: true and *value when emulated; false: the guest gets #GP. */
bool msr_read(struct vcpu *v, u32 index, u64 *value);

/* An intercepted WRMSR: true when emulated (applied or ignored); false: #GP. */
bool msr_write(struct vcpu *v, u32 index, u64 value);

#endif

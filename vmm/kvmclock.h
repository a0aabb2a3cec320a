/* SPDX-License-Identifier: MIT */
/*
 * The "kvmclock" device: KVM's paravirtual clock, which Linux (and other guests written for
 * KVM) read on either vendor. CPUID leaf 0x40000100 says "KVMKVMKVM" with the clock's two
 * feature bits (Vireo's own leaves stay at 0x40000000); a vCPU's write of MSR_KVM_SYSTEM_TIME_NEW
 * gets it a record of its time and the TSC's frequency, MSR_KVM_WALL_CLOCK_NEW the date. Linux
 * then takes the TSC's frequency from it rather than calibrating against the PIT, which an
 * emulator's slow exits can defeat (docs/LINUX.md).
 */
#ifndef VIREO_VMM_KVMCLOCK_H
#define VIREO_VMM_KVMCLOCK_H

#include "kernel/types.h"

struct vcpu;

#define MSR_KVM_WALL_CLOCK_NEW 0x4b564d00u
#define MSR_KVM_SYSTEM_TIME_NEW 0x4b564d01u

/* Whether index is one of the clock's MSRs (which #GP in a VM without the device). */
bool kvmclock_is_msr(u32 index);

/* The guest's access to one of them (with the device); false for #GP. */
bool kvmclock_msr_read(struct vcpu *v, u32 index, u64 *value);
bool kvmclock_msr_write(struct vcpu *v, u32 index, u64 value);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * What a guest sees through CPUID: the host's answer, filtered to the features Vireo
 * virtualizes, plus the hypervisor leaves. docs/ARCHITECTURE.md lists the policy.
 */
#ifndef VIREO_VMM_CPUID_H
#define VIREO_VMM_CPUID_H

#include "kernel/types.h"

struct cpuid_result {
	u32 eax, ebx, ecx, edx;
};

struct cpuid_guest {
	u32 vcpu_id;
	u32 vm_id;
	bool lapic;	/* the VM has local APICs: APIC, x2APIC and TSC-deadline are offered */
	bool kvmclock;	/* the VM has KVM's paravirtual clock: leaves 0x40000100-0x40000101 */
};

/* Highest basic and extended leaves guests are told about (at most; the host may offer fewer). */
#define CPUID_GUEST_MAX_BASIC 7u
#define CPUID_GUEST_MAX_EXTENDED 0x80000008u

/*
 * The guest's answer for (leaf, subleaf), given the host's answer for the same. Pure: the
 * caller executes the host CPUID.
 */
void cpuid_guest_view(u32 leaf, u32 subleaf, const struct cpuid_guest *g,
		      const struct cpuid_result *host, struct cpuid_result *out);

#endif

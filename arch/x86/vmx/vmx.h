/* SPDX-License-Identifier: MIT */
/* State shared by the files of the VT-x backend (not seen outside arch/x86/vmx). */
#ifndef VIREO_ARCH_X86_VMX_VMX_H
#define VIREO_ARCH_X86_VMX_VMX_H

#include "arch/x86/pgtable.h"
#include "kernel/types.h"
#include "vmm/vcpu_state.h"

struct vcpu;

/* What the CPU offers and the controls chosen from it, found once at boot. */
struct vmx_caps {
	u32 revision;
	bool true_controls;
	u32 pin, proc, proc2, exit, entry;	/* controls after the allowed-0/1 adjustment */
	u64 cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	u64 cr0_host_owned, cr4_host_owned;	/* bits the guest may not change (masked) */
	u64 ept_vpid;
	bool vpid, pat;
	bool invept_single, invvpid_single;
	bool preemption_timer;			/* guests run at most a time slice */
	u32 preemption_timer_shift;		/* it counts down once per 2^shift TSC ticks */
	u32 slice_ticks;			/* a time slice in preemption-timer ticks */
	u64 msr_bitmap_pa;
	struct pt_format ept;			/* ept_format with the leaf sizes this CPU has */
};

extern struct vmx_caps vmx;

/* The VMCS of a vCPU and what the backend keeps beside it. */
struct vmx_vcpu {
	u64 vmcs_pa;
	bool set_up;		/* the VMCS has been filled in, on the CPU that runs it */
	bool launched;		/* VMLAUNCH done: use VMRESUME */
	struct vcpu_state initial;
	u64 syscall_msrs[5];	/* KERNEL_GS_BASE, STAR, LSTAR, CSTAR, SFMASK: not in the VMCS */
	char diagnosis[160];	/* why VM entry refused the guest state, when it did */
};

struct vmx_vm {
	u16 vpid;
	u64 eptp;
};

/*
 * Fill the current VMCS for v from its initial state: controls, host state of the calling
 * CPU, guest state. Returns false, logging the field, if the CPU rejected a VMWRITE.
 */
bool vmx_vmcs_setup(struct vcpu *v);

/* Convert between the neutral segment attributes and the VMX access-rights format. */
u32 vmx_access_rights(u16 attrib);
u16 vmx_attrib(u32 access_rights);

/* Write guest CR0/CR4 as the guest wants them: the real value keeps the host-owned bits. */
void vmx_write_guest_cr0(u64 value);
void vmx_write_guest_cr4(u64 value);

/* Read the guest state back from the current VMCS into the neutral form. */
void vmx_read_guest_state(struct vcpu *v, struct vcpu_state *s);

#endif

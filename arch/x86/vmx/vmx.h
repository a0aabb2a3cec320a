/* SPDX-License-Identifier: MIT */
/* State shared by the files of the VT-x backend (not seen outside arch/x86/vmx). */
#ifndef VIREO_ARCH_X86_VMX_VMX_H
#define VIREO_ARCH_X86_VMX_VMX_H

#include "arch/x86/pgtable.h"
#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "kernel/types.h"
#include "vmm/event.h"
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
	u64 cr8;		/* the guest's task priority: CR8 accesses exit, it never is the host's */
	u32 proc;		/* the primary controls now in the VMCS (window exits come and go) */
	u8 event_work;		/* VMX_WORK_*: what the next entry must look after */
	u64 exit_rip;		/* RIP at the last exit: the VMM moved it if it differs now */
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

/* struct vmx_vcpu's event_work: one byte, so that an entry with none of it costs one test. */
#define VMX_WORK_IRQ_WINDOW BIT(0)	/* requested for the next entry */
#define VMX_WORK_NMI_WINDOW BIT(1)	/* requested for the next entry */
#define VMX_WORK_IMMEDIATE_EXIT BIT(2)	/* requested for the next entry */
#define VMX_WORK_WINDOWS_SET BIT(3)	/* window controls are in the VMCS: clear them if unasked */

/*
 * Before an entry, on the current VMCS: the window and immediate-exit requests go into the
 * controls and the preemption timer (arch/x86/vmx/vmx_events.c), or the timer gets a time
 * slice.
 */
void vmx_events_before_entry_slow(struct vmx_vcpu *xv);

static inline void vmx_events_before_entry(struct vmx_vcpu *xv)
{
	if (xv->event_work)
		vmx_events_before_entry_slow(xv);
	else
		vmwrite(VMCS_PREEMPTION_TIMER_VALUE, vmx.slice_ticks);
}

/* The guest verbs of virt_ops, on the current VMCS (vmx_events.c and vmx_guest.c). */
void vmx_inject_event(struct vcpu *v, const struct event *e);
bool vmx_interrupt_allowed(struct vcpu *v);
bool vmx_nmi_allowed(struct vcpu *v);
void vmx_request_irq_window(struct vcpu *v);
void vmx_request_nmi_window(struct vcpu *v);
void vmx_request_immediate_exit(struct vcpu *v);
void vmx_flush_guest_tlb(struct vcpu *v);
void vmx_get_state(struct vcpu *v, struct vcpu_state *s);
u32 vmx_guest_cpl(struct vcpu *v);
void vmx_get_segment(struct vcpu *v, enum segment_reg seg, struct segment *out);
u64 vmx_get_cr(struct vcpu *v, u32 cr);
bool vmx_set_cr(struct vcpu *v, u32 cr, u64 value);
u64 vmx_get_efer(struct vcpu *v);
void vmx_set_efer(struct vcpu *v, u64 efer);

#endif

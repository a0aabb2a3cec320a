/* SPDX-License-Identifier: MIT */
/* State shared by the files of the VT-x backend (not seen outside arch/x86/vmx). */
#ifndef VIREO_ARCH_X86_VMX_VMX_H
#define VIREO_ARCH_X86_VMX_VMX_H

#include "arch/x86/pgtable.h"
#include "arch/x86/cpu.h"
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
	bool monitor_trap_flag;			/* may be set: a debugger's single step */
	bool invept_single, invvpid_single;
	u32 preemption_timer_shift;		/* it counts down once per 2^shift TSC ticks */
	u64 msr_bitmap_pa;
	struct pt_format ept;			/* ept_format with the leaf sizes this CPU has */
};

extern struct vmx_caps vmx;

/* The VMCS of a vCPU and what the backend keeps beside it. */
struct vmx_vcpu {
	u64 vmcs_pa;
	u16 vpid;		/* its own, so that no flush is needed when another vCPU runs */
	bool set_up;		/* the VMCS has been filled in (its fields survive VMCLEAR) */
	bool launched;		/* VMLAUNCH done since the last VMCLEAR: use VMRESUME */
	u32 active_cpu;		/* the CPU whose VMCS cache holds it (VMPTRLD), or CPU_NONE */
	struct vcpu_state initial;
	/* What the VMCS does not switch, kept here while another vCPU runs (vmx_vcpu.c). */
	u64 syscall_msrs[5];	/* KERNEL_GS_BASE, STAR, LSTAR, CSTAR, SFMASK */
	u64 cr2, dr6;
	u64 cr8;		/* the task priority of a vCPU without a local APIC (vcpu_cr8) */
	u32 proc;		/* the primary controls now in the VMCS (window exits come and go) */
	u32 debug_proc;		/* the controls a debugger added: monitor trap flag, MOV-DR exiting */
	bool guest_tf;		/* RFLAGS.TF of the guest's own under a debugger's TF step */
	u8 event_work;		/* VMX_WORK_*: what the next entry must look after */
	u64 exit_rip;		/* RIP at the last exit: the VMM moved it if it differs now */
	char diagnosis[160];	/* why VM entry refused the guest state, when it did */
};

struct vmx_vm {
	u64 eptp;
};

/* Per CPU: its VMXON region, and whose VMCS is current there. */
struct vmx_cpu {
	u64 vmxon_pa;
	struct vcpu *current;
};

/*
 * Fill the current VMCS for v from its initial state: controls, host state of the calling
 * CPU, guest state. Returns false, logging the field, if the CPU rejected a VMWRITE.
 */
bool vmx_vmcs_setup(struct vcpu *v);

/* Write what s holds into the current VMCS's guest state (EFER without the entry control). */
void vmx_write_guest_state(const struct vcpu_state *s);

/* Write the host state of the calling CPU (its GDT, TSS, GS base) into the current VMCS. */
void vmx_vmcs_set_host(void);

/* The vCPU verbs of virt_ops (arch/x86/vmx/vmx_vcpu.c). */
int vmx_vcpu_init(struct vcpu *v, const struct vcpu_state *s);
void vmx_vcpu_destroy(struct vcpu *v);
/* How many VPIDs vCPUs hold. */
u32 vmx_tags_in_use(void);
int vmx_vcpu_load(struct vcpu *v);
void vmx_vcpu_put(struct vcpu *v);

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
#define VMX_WORK_DEBUG_TF BIT(4)	/* a debugger's step with RFLAGS.TF (no MTF): until unset */

/*
 * #DB and #AC always exit and are reflected: a #DB raised by delivering a #DB, or an #AC by
 * delivering an #AC, would otherwise loop inside the CPU for ever, the host never getting its
 * CPU back (CVE-2015-8104, CVE-2015-5307). A debugger adds #BP (vmx_set_guest_debug).
 */
#define VMX_CONTAINED_EXCEPTIONS (BIT(1) | BIT(17))

/* The preemption timer's count for the time left until the TSC reaches deadline (0: past). */
static inline u32 vmx_timer_until(u64 deadline)
{
	s64 left = (s64)(deadline - rdtsc());

	if (left <= 0)
		return 0;
	return (u64)left >> vmx.preemption_timer_shift > 0xffffffffULL
		       ? 0xffffffffu : (u32)((u64)left >> vmx.preemption_timer_shift);
}

/*
 * Before an entry, on the current VMCS: the window and immediate-exit requests go into the
 * controls and the preemption timer (arch/x86/vmx/vmx_events.c); otherwise the timer ends the
 * guest's run at the end of its time slice, run_until. Host interrupts end a guest's run
 * anyway, except under Bochs 2.7, which does not exit a guest running with IF clear on an
 * external interrupt (SDM 26.2 says it must): the timer makes the slice hold there too.
 */
void vmx_events_before_entry_slow(struct vmx_vcpu *xv, u64 run_until);

/*
 * After an exit of an entry with a debugger's TF step (VMX_WORK_DEBUG_TF): the guest gets its
 * own TF back, and the single-step #DB becomes EXIT_DEBUG_STEP unless the guest stepped itself.
 */
void vmx_debug_step_after_exit(struct vcpu *v);

static inline void vmx_events_before_entry(struct vmx_vcpu *xv, u64 run_until)
{
	if (xv->event_work)
		vmx_events_before_entry_slow(xv, run_until);
	else
		vmwrite(VMCS_PREEMPTION_TIMER_VALUE, vmx_timer_until(run_until));
}

/* The guest verbs of virt_ops, on the current VMCS (vmx_events.c and vmx_guest.c). */
void vmx_inject_event(struct vcpu *v, const struct event *e);
bool vmx_interrupt_allowed(struct vcpu *v);
bool vmx_nmi_allowed(struct vcpu *v);
void vmx_request_irq_window(struct vcpu *v);
void vmx_request_nmi_window(struct vcpu *v);
void vmx_request_immediate_exit(struct vcpu *v);
void vmx_flush_guest_tlb(struct vcpu *v);
void vmx_set_guest_debug(struct vcpu *v, bool single_step, bool intercept_breakpoints);
u64 vmx_get_dr(struct vcpu *v, u32 dr);
void vmx_set_dr(struct vcpu *v, u32 dr, u64 value);
void vmx_intercept_dr_access(struct vcpu *v, bool on);
void vmx_get_state(struct vcpu *v, struct vcpu_state *s);
void vmx_set_state(struct vcpu *v, const struct vcpu_state *s);
u32 vmx_guest_cpl(struct vcpu *v);
void vmx_get_segment(struct vcpu *v, enum segment_reg seg, struct segment *out);
u64 vmx_get_cr(struct vcpu *v, u32 cr);
bool vmx_set_cr(struct vcpu *v, u32 cr, u64 value);
u64 vmx_get_efer(struct vcpu *v);
void vmx_set_efer(struct vcpu *v, u64 efer);

#endif

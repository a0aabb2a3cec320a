/* SPDX-License-Identifier: MIT */
/* State shared by the files of the AMD-V backend (not seen outside arch/x86/svm). */
#ifndef VIREO_ARCH_X86_SVM_SVM_H
#define VIREO_ARCH_X86_SVM_SVM_H

#include "arch/x86/pgtable.h"
#include "arch/x86/svm/vmcb.h"
#include "kernel/id_pool.h"
#include "kernel/types.h"
#include "vmm/event.h"
#include "vmm/vcpu_state.h"

struct vcpu;

/* What the CPU offers, found once at boot, and what all CPUs share. */
struct svm_caps {
	u32 revision, asids;
	bool nrip_save, vmcb_clean, flush_by_asid, decode_assists;
	bool qemu_tcg;		/* the host is QEMU's TCG: see svm_inject_event */
	u64 iopm_pa, msrpm_pa;
	struct id_pool asids_free;	/* ASID 0 is the host's */
	struct pt_format npt;		/* npt_format with the leaf sizes this CPU has */
};

extern struct svm_caps svm;

/* The VMCB of a vCPU and what the backend keeps beside it. */
struct svm_vcpu {
	struct vmcb *vmcb;
	u64 vmcb_pa;
	u32 asid;
	u32 last_cpu;		/* where it was loaded last: another CPU flushes its ASID */
	u64 host_vmcb_pa;	/* the host save area of the CPU it is loaded on */
	/*
	 * EFER as the guest sees it. The VMCB's differs: SVME is always set (APM 15.5.1), and
	 * LME is left out until the guest turns paging on, because QEMU 7.2 restores the host's
	 * CR0 before its EFER on #VMEXIT and hangs when the guest had LME with paging off.
	 */
	u64 efer;
	/*
	 * NMIs: AMD-V does not say whether the guest is inside its NMI handler, so the backend
	 * tracks it: blocked from the NMI's injection until the IRET that ends its handler has
	 * run. That IRET is found through the IRET intercept, and "has run" through a single
	 * step over it (the #DB it causes is the backend's, not the guest's).
	 */
	bool nmi_blocked;
	u64 iret_rip;
	u8 event_work;		/* SVM_WORK_*: what the next entry and exit must look after */
	bool guest_tf;		/* SVM_WORK_DEBUG_STEP: the guest's own RFLAGS.TF at the entry */
	u64 exit_rip;		/* RIP at the last exit: the VMM moved it if it differs now */
};

/* struct svm_vcpu's event_work: one byte, so that an exit with none of it costs one test. */
#define SVM_WORK_IMMEDIATE_EXIT BIT(0)	/* requested for the next entry */
#define SVM_WORK_IRQ_WINDOW BIT(1)	/* requested for the next entry: V_IRQ and VINTR set */
#define SVM_WORK_IRET_INTERCEPT BIT(2)	/* waiting for the NMI handler's IRET */
#define SVM_WORK_STEPPING BIT(3)	/* single-stepping over that IRET */
#define SVM_WORK_INJECTED BIT(4)	/* EVENTINJ was set for this entry: clear it after */
#define SVM_WORK_DEBUG_STEP BIT(5)	/* a debugger's single step: TF set around each entry */
#define SVM_WORK_DEBUG_REGS BIT(6)	/* a debugger's DR7: also the CPU's around each entry */

/*
 * Before an entry: the immediate-exit request and a debugger's TF. After an exit: clear the requests, follow the
 * NMI handler's IRET; returns true when the exit was the backend's own business (its single
 * step), for the VMM to ignore. The common case inline, the rest in arch/x86/svm/svm_events.c.
 */
void svm_events_before_entry_slow(struct svm_vcpu *sv);
bool svm_events_after_exit_slow(struct vcpu *v, struct svm_vcpu *sv);

static inline void svm_events_before_entry(struct svm_vcpu *sv)
{
	if (sv->event_work & (SVM_WORK_IMMEDIATE_EXIT | SVM_WORK_DEBUG_STEP | SVM_WORK_DEBUG_REGS))
		svm_events_before_entry_slow(sv);
}

static inline bool svm_events_after_exit(struct vcpu *v, struct svm_vcpu *sv, u64 rip)
{
	sv->exit_rip = rip;
	return sv->event_work && svm_events_after_exit_slow(v, sv);
}

/* The guest verbs of virt_ops (svm_events.c and svm_guest.c). */
void svm_inject_event(struct vcpu *v, const struct event *e);
bool svm_interrupt_allowed(struct vcpu *v);
bool svm_nmi_allowed(struct vcpu *v);
void svm_request_irq_window(struct vcpu *v);
void svm_request_nmi_window(struct vcpu *v);
void svm_request_immediate_exit(struct vcpu *v);
void svm_flush_guest_tlb(struct vcpu *v);
void svm_set_guest_debug(struct vcpu *v, bool single_step, bool intercept_breakpoints);
u64 svm_get_dr(struct vcpu *v, u32 dr);
void svm_set_dr(struct vcpu *v, u32 dr, u64 value);
void svm_intercept_dr_access(struct vcpu *v, bool on);
void svm_get_state(struct vcpu *v, struct vcpu_state *s);
void svm_set_state(struct vcpu *v, const struct vcpu_state *s);
u32 svm_guest_cpl(struct vcpu *v);
void svm_get_segment(struct vcpu *v, enum segment_reg seg, struct segment *out);
u64 svm_get_cr(struct vcpu *v, u32 cr);
bool svm_set_cr(struct vcpu *v, u32 cr, u64 value);
u64 svm_get_efer(struct vcpu *v);
void svm_set_efer(struct vcpu *v, u64 efer);

/* Put st into the VMCB's save area (and the guest's EFER into sv->efer). */
void svm_write_state(struct svm_vcpu *sv, const struct vcpu_state *st);

/* The VMCB's EFER for the guest's efer under cr0 (see struct svm_vcpu). */
u64 svm_hardware_efer(u64 efer, u64 cr0);

/* Between the neutral segment form and the VMCB's (the same attribute packing). */
struct vmcb_segment svm_to_vmcb_segment(const struct segment *s);
struct segment svm_from_vmcb_segment(const struct vmcb_segment *s);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The vendor interface: everything the VMM asks of VT-x or AMD-V goes through one
 * struct virt_ops. Generic code includes this header, never a vmx/ or svm/ one.
 */
#ifndef VIREO_VMM_VIRT_H
#define VIREO_VMM_VIRT_H

#include "arch/x86/pgtable.h"
#include "kernel/types.h"
#include "vmm/event.h"
#include "vmm/vcpu_state.h"

struct vm;
struct vcpu;

/* What the VMM lets guests do that the backend enforces in hardware: the same for every VM. */
struct guest_policy {
	const u32 *msr_passthrough;	/* MSRs read and written without exits */
	u32 msr_passthrough_count;
	u64 cr4_allowed;		/* CR4 bits a guest may set: writes of the others exit */
};

struct virt_ops {
	const char *name;		/* "AMD-V" or "VT-x" */
	const char *slat_name;		/* "NPT" or "EPT" */
	/*
	 * vcpu_run ends the guest's run at v->run_until by itself (VT-x's preemption timer);
	 * otherwise the scheduler arms a host timer whose interrupt does.
	 */
	bool preemption_timer;

	/*
	 * On the boot CPU: can this CPU run guests with this backend? When not, write the
	 * reason, for the boot log, into why.
	 */
	bool (*probe)(char *why, size_t size);

	/*
	 * On the boot CPU, after a successful probe: log the capabilities found and set up what
	 * all CPUs share (I/O and MSR bitmaps) for the policy. Returns 0 or -errno.
	 */
	int (*init)(const struct guest_policy *policy);

	/* The second-level page-table format (valid after probe). */
	const struct pt_format *(*slat_format)(void);

	/*
	 * Turn virtualization on for the calling CPU (EFER.SVME and the host save area, or
	 * VMXON). Runs on every CPU, interrupts off. Returns 0 or -errno after logging why.
	 */
	int (*cpu_enable)(void);

	/*
	 * Per-VM hardware state (VT-x: the EPTP), with vm->mem already built. 0 or -errno.
	 * Optional (NULL): AMD-V keeps everything per vCPU.
	 */
	int (*vm_init)(struct vm *vm);
	void (*vm_destroy)(struct vm *vm);

	/*
	 * Per-vCPU hardware state (a VMCB or VMCS, an ASID or VPID) starting from s. 0 or -errno.
	 * vcpu_destroy works from any CPU, the vCPU not loaded anywhere.
	 */
	int (*vcpu_init)(struct vcpu *v, const struct vcpu_state *s);
	void (*vcpu_destroy)(struct vcpu *v);
	/* How many vCPU tags (ASIDs, VPIDs) vCPUs hold: each comes back when its vCPU goes. */
	u32 (*tags_in_use)(void);

	/*
	 * Make v the vCPU of the calling CPU (VMPTRLD, host state of this CPU, the state the
	 * hardware does not switch; a TLB flush when v ran elsewhere last), and take it off
	 * again. Between the two, the CPU runs v and only v; any CPU may load any vCPU that is
	 * loaded nowhere. vcpu_load returns 0 or -errno (the vCPU cannot run).
	 */
	int (*vcpu_load)(struct vcpu *v);
	void (*vcpu_put)(struct vcpu *v);

	/*
	 * Run the guest on the calling CPU until its next exit, and decode that exit into
	 * v->exit. v->regs is loaded before the entry and saved after the exit; when the VMM has
	 * moved RIP since the exit (it emulated the instruction), the guest's STI/MOV SS
	 * interrupt shadow is over (interrupt_allowed and nmi_allowed know it). Host interrupts
	 * that caused the exit have been handled when this returns. The event and window
	 * requests made since the last exit apply to this entry only.
	 */
	void (*vcpu_run)(struct vcpu *v);

	/*
	 * The verbs below act on a vCPU whose VM runs on the calling CPU, between its exits.
	 *
	 * The whole architectural state, for reports and debuggers.
	 */
	void (*get_state)(struct vcpu *v, struct vcpu_state *s);

	/*
	 * Replace what s holds (general registers, segments, descriptor tables, CR0, CR2, CR3,
	 * CR4, EFER) and drop the guest's cached translations; an interrupt shadow ends. The
	 * rest (debug registers, PAT, the syscall MSRs) stays. The VMM has checked that the CPU
	 * accepts s; if not, the next entry fails and says why.
	 */
	void (*set_state)(struct vcpu *v, const struct vcpu_state *s);

	/* The guest's privilege level (0-3). */
	u32 (*guest_cpl)(struct vcpu *v);

	/* A segment register as the guest has it. */
	void (*get_segment)(struct vcpu *v, enum segment_reg seg, struct segment *out);

	/*
	 * Control registers 0, 2, 3, 4 and 8 and EFER as the guest sees them, and their writes
	 * after the VMM has checked the value (vmm/control_regs.h): the backend keeps what the
	 * hardware needs (fixed bits, SVME, the IA-32e entry control) out of the guest's view.
	 * set_cr returns false, changing nothing, when the CPU would still refuse the value with
	 * #GP for a reason only the backend sees (VT-x: PAE paging with bad PDPTEs).
	 */
	u64 (*get_cr)(struct vcpu *v, u32 cr);
	bool (*set_cr)(struct vcpu *v, u32 cr, u64 value);
	u64 (*get_efer)(struct vcpu *v);
	void (*set_efer)(struct vcpu *v, u64 efer);

	/*
	 * Deliver e at the next entry, applying its payload (CR2 of a #PF, DR6 bits of a #DB).
	 * Only the hardware kinds: external interrupt, NMI, exception. The event logic
	 * (vmm/event.c) has made sure the guest can take it.
	 */
	void (*inject_event)(struct vcpu *v, const struct event *e);

	/* Could the guest take a maskable interrupt, or an NMI, at the next entry? */
	bool (*interrupt_allowed)(struct vcpu *v);
	bool (*nmi_allowed)(struct vcpu *v);

	/*
	 * For the next entry: exit as soon as the guest can take an interrupt (or an NMI), or
	 * right after the entry has delivered its event, before any guest instruction.
	 */
	void (*request_irq_window)(struct vcpu *v);
	void (*request_nmi_window)(struct vcpu *v);
	void (*request_immediate_exit)(struct vcpu *v);

	/* Drop the guest's cached translations (its TLB) on this CPU before the next entry. */
	void (*flush_guest_tlb)(struct vcpu *v);

	/*
	 * For a debugger (vmm/gdb_vm.c), until changed again: with single_step, the guest
	 * executes one instruction and then exits with EXIT_DEBUG_STEP (VT-x: the monitor trap
	 * flag; AMD-V: RFLAGS.TF with the #DB it raises taken by the backend); with
	 * intercept_breakpoints, an INT3 exits as exception 3 with RIP at the INT3, instead of
	 * reaching the guest. Both off costs the exit path nothing.
	 */
	void (*set_guest_debug)(struct vcpu *v, bool single_step, bool intercept_breakpoints);

	/*
	 * DR6 and DR7 (dr is 6 or 7) as the CPU has them for the loaded guest: the values its
	 * breakpoints and #DB use. DR0-DR3 no backend switches (struct vcpu's dr).
	 */
	u64 (*get_dr)(struct vcpu *v, u32 dr);
	void (*set_dr)(struct vcpu *v, u32 dr, u64 value);

	/*
	 * With on, every guest MOV to or from DR0-DR7 exits with EXIT_DR_ACCESS (VT-x: MOV-DR
	 * exiting; AMD-V: the DR intercepts), for a debugger that holds the debug registers
	 * (vmm/debug_regs.h). Off costs the exit path nothing.
	 */
	void (*intercept_dr_access)(struct vcpu *v, bool on);
};

/* The backend in use, chosen at boot (NULL when the CPU can run no guests). */
extern const struct virt_ops *virt;

/* The two backends. */
extern const struct virt_ops svm_ops;
extern const struct virt_ops vmx_ops;

/*
 * Choose the backend from CPUID (VT-x on Intel, AMD-V on AMD) and probe it. Returns it, or
 * NULL with the reason in why.
 */
const struct virt_ops *virt_select(char *why, size_t size);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The vendor interface: everything the VMM asks of VT-x or AMD-V goes through one
 * struct virt_ops. Generic code includes this header, never a vmx/ or svm/ one.
 */
#ifndef VIREO_VMM_VIRT_H
#define VIREO_VMM_VIRT_H

#include "arch/x86/pgtable.h"
#include "kernel/types.h"
#include "vmm/vcpu_state.h"

struct vm;
struct vcpu;

struct virt_ops {
	const char *name;		/* "AMD-V" or "VT-x" */
	const char *slat_name;		/* "NPT" or "EPT" */

	/*
	 * On the boot CPU: can this CPU run guests with this backend? When not, write the
	 * reason, for the boot log, into why.
	 */
	bool (*probe)(char *why, size_t size);

	/*
	 * On the boot CPU, after a successful probe: log the capabilities found and set up what
	 * all CPUs share (I/O and MSR bitmaps). Returns 0 or -errno.
	 */
	int (*init)(void);

	/* The second-level page-table format (valid after probe). */
	const struct pt_format *(*slat_format)(void);

	/*
	 * Turn virtualization on for the calling CPU (EFER.SVME and the host save area, or
	 * VMXON). Runs on every CPU, interrupts off. Returns 0 or -errno after logging why.
	 */
	int (*cpu_enable)(void);

	/* Per-VM hardware state (an ASID or VPID), with vm->mem already built. 0 or -errno. */
	int (*vm_init)(struct vm *vm);
	void (*vm_destroy)(struct vm *vm);

	/* Per-vCPU hardware state (a VMCB or VMCS) starting from s. 0 or -errno. */
	int (*vcpu_init)(struct vcpu *v, const struct vcpu_state *s);
	void (*vcpu_destroy)(struct vcpu *v);

	/*
	 * Run the guest on the calling CPU until its next exit, and decode that exit into
	 * v->exit. v->regs is loaded before the entry and saved after the exit. Host interrupts
	 * that caused the exit have been handled when this returns.
	 */
	void (*vcpu_run)(struct vcpu *v);

	/* The whole architectural state, for reports and debuggers. */
	void (*get_state)(struct vcpu *v, struct vcpu_state *s);

	/* The guest's privilege level (0-3). */
	u32 (*guest_cpl)(struct vcpu *v);

	/* EFER as the guest sees it, and its write after the VMM has checked the value. */
	u64 (*get_efer)(struct vcpu *v);
	void (*set_efer)(struct vcpu *v, u64 efer);

	/* Deliver an exception to the guest at the next entry. */
	void (*inject_exception)(struct vcpu *v, u8 vector, bool has_error_code, u32 error_code);
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

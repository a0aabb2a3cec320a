/* SPDX-License-Identifier: MIT */
/*
 * VT-x event injection (SDM Vol. 3C 27.6): the VM-entry interruption information, the
 * interrupt and NMI windows (primary controls bits 2 and 22, with virtual NMIs), and an exit
 * right after an entry's event delivery (a zero preemption timer).
 */
#include "arch/x86/cpu.h"
#include "arch/x86/vectors.h"
#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "vmm/vm.h"

#define RFLAGS_TF BIT(8)
#define RFLAGS_IF BIT(9)

/*
 * VT-x switches neither CR2 nor DR6: the guest's are in the CPU while it runs here, so that is
 * where a #PF or #DB puts what it reports (SDM 27.1: a #DB exit leaves DR6 unchanged).
 */
static void apply_payload(const struct event *e)
{
	if (!e->has_payload)
		return;
	if (e->vector == 14)
		write_cr2(e->payload);
	else if (e->vector == 1)
		write_dr6((read_dr6() & ~0xfULL) | e->payload);
}

void vmx_inject_event(struct vcpu *v, const struct event *e)
{
	/* Real mode delivers no error code; VM entry refuses to deliver one (SDM 27.2.1.3). */
	bool real_mode = !(vmx_get_cr(v, 0) & X86_CR0_PE);
	u32 info = e->vector | (u32)e->type << INTR_INFO_TYPE_SHIFT | INTR_INFO_VALID;

	if (e->has_error_code && !real_mode) {
		info |= INTR_INFO_HAS_ERROR_CODE;
		vmwrite(VMCS_ENTRY_EXCEPTION_ERROR_CODE, e->error_code);
	}
	apply_payload(e);
	vmwrite(VMCS_ENTRY_INTERRUPTION_INFO, info);
}

/*
 * The guest's interruptibility. An STI or MOV SS shadow is over once the VMM has emulated the
 * instruction after it (it moved RIP since the exit): it is cleared when it is next looked at,
 * here, rather than at every emulated instruction. Until then it only holds the guest's next
 * interrupt back by one instruction, as it had already been.
 */
static u32 interruptibility(struct vcpu *v)
{
	struct vmx_vcpu *xv = v->arch;
	u32 state = (u32)vmread(VMCS_GUEST_INTERRUPTIBILITY);
	u32 shadow = state & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS);

	if (shadow && v->regs.rip != xv->exit_rip) {
		state &= ~shadow;
		vmwrite(VMCS_GUEST_INTERRUPTIBILITY, state);
	}
	return state;
}

bool vmx_interrupt_allowed(struct vcpu *v)
{
	return (v->regs.rflags & RFLAGS_IF) &&
	       !(interruptibility(v) & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS));
}

/* VM entry refuses an NMI while the guest blocks NMIs or sits in an STI/MOV SS shadow. */
bool vmx_nmi_allowed(struct vcpu *v)
{
	return !(interruptibility(v) &
		 (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS | INTERRUPTIBILITY_NMI));
}

static void want(struct vcpu *v, u8 work)
{
	((struct vmx_vcpu *)v->arch)->event_work |= work;
}

void vmx_request_irq_window(struct vcpu *v)
{
	want(v, VMX_WORK_IRQ_WINDOW);
}

void vmx_request_nmi_window(struct vcpu *v)
{
	want(v, VMX_WORK_NMI_WINDOW);
}

void vmx_request_immediate_exit(struct vcpu *v)
{
	want(v, VMX_WORK_IMMEDIATE_EXIT);
}

/*
 * A debugger's step without the monitor trap flag (Bochs 2.7's Skylake-X model has none):
 * RFLAGS.TF in the VMCS only, the guest's own remembered for the exit. In an STI or MOV SS
 * shadow VM entry wants the single-step trap pending already (SDM Vol. 3C 26.3.1.5).
 */
static void step_with_tf(struct vmx_vcpu *xv)
{
	u64 rflags = vmread(VMCS_GUEST_RFLAGS);

	xv->guest_tf = rflags & RFLAGS_TF;
	vmwrite(VMCS_GUEST_RFLAGS, rflags | RFLAGS_TF);
	if (vmread(VMCS_GUEST_INTERRUPTIBILITY) & (INTERRUPTIBILITY_STI | INTERRUPTIBILITY_MOV_SS))
		vmwrite(VMCS_GUEST_PENDING_DEBUG,
			vmread(VMCS_GUEST_PENDING_DEBUG) | PENDING_DBG_BS);
}

void vmx_debug_step_after_exit(struct vcpu *v)
{
	struct vmx_vcpu *xv = v->arch;
	struct event *e = &v->exit.exception;

	if (xv->guest_tf)
		return;
	v->regs.rflags &= ~RFLAGS_TF;
	if (v->exit.reason == EXIT_EXCEPTION && e->vector == VECTOR_DEBUG && e->has_payload &&
	    (e->payload & X86_DR6_BS)) {
		v->exit.reason = EXIT_DEBUG_STEP;
		v->exit.native_name = "single step (TF)";
	}
}

void vmx_events_before_entry_slow(struct vmx_vcpu *xv, u64 run_until)
{
	u32 base = vmx.proc | xv->debug_proc, proc = base;

	if (xv->event_work & VMX_WORK_DEBUG_TF)
		step_with_tf(xv);

	if (xv->event_work & VMX_WORK_IRQ_WINDOW)
		proc |= PROC_INTERRUPT_WINDOW_EXITING;
	if (xv->event_work & VMX_WORK_NMI_WINDOW)
		proc |= PROC_NMI_WINDOW_EXITING;
	if (proc != xv->proc) {
		vmwrite(VMCS_PROC_CONTROLS, proc);
		xv->proc = proc;
	}
	/* A zero timer exits after the event delivery, before the first instruction (27.7.4). */
	vmwrite(VMCS_PREEMPTION_TIMER_VALUE,
		xv->event_work & VMX_WORK_IMMEDIATE_EXIT ? 0 : vmx_timer_until(run_until));
	/* The requests were for this entry; window controls still set are cleared at the next. */
	xv->event_work = (proc != base ? VMX_WORK_WINDOWS_SET : 0) |
			 (xv->event_work & VMX_WORK_DEBUG_TF);
}

/*
 * A debugger's single step is the monitor trap flag: an exit after the guest's next
 * instruction (SDM Vol. 3C 26.5.2), or without it RFLAGS.TF and the #DB it raises, which
 * always exits (step_with_tf); its breakpoints, INT3's #BP in the exception bitmap.
 */
void vmx_set_guest_debug(struct vcpu *v, bool single_step, bool intercept_breakpoints)
{
	struct vmx_vcpu *xv = v->arch;

	xv->debug_proc = (xv->debug_proc & PROC_MOV_DR_EXITING) |
			 (single_step && vmx.monitor_trap_flag ? PROC_MONITOR_TRAP_FLAG : 0);
	xv->event_work &= (u8)~VMX_WORK_DEBUG_TF;
	if (single_step && !vmx.monitor_trap_flag)
		xv->event_work |= VMX_WORK_DEBUG_TF;
	xv->proc = (xv->proc & ~PROC_MONITOR_TRAP_FLAG) | xv->debug_proc;
	vmwrite(VMCS_PROC_CONTROLS, xv->proc);
	vmwrite(VMCS_EXCEPTION_BITMAP, VMX_CONTAINED_EXCEPTIONS |
				       (intercept_breakpoints ? BIT(VECTOR_BREAKPOINT) : 0));
}

/* DR6 is the CPU's while the vCPU is loaded (vmx_vcpu.c switches it); DR7 is in the VMCS. */
u64 vmx_get_dr(struct vcpu *v, u32 dr)
{
	(void)v;
	return dr == 6 ? read_dr6() : vmread(VMCS_GUEST_DR7);
}

/* The same two, written, on the current VMCS. */
void vmx_set_dr(struct vcpu *v, u32 dr, u64 value)
{
	(void)v;
	if (dr == 6)
		write_dr6(value);
	else
		vmwrite(VMCS_GUEST_DR7, value);
}

/* MOV-DR exiting (SDM Vol. 3C 25.6.2), a debugger's control beside the monitor trap flag. */
void vmx_intercept_dr_access(struct vcpu *v, bool on)
{
	struct vmx_vcpu *xv = v->arch;

	xv->debug_proc = (xv->debug_proc & ~PROC_MOV_DR_EXITING) | (on ? PROC_MOV_DR_EXITING : 0);
	xv->proc = (xv->proc & ~PROC_MOV_DR_EXITING) | (xv->debug_proc & PROC_MOV_DR_EXITING);
	vmwrite(VMCS_PROC_CONTROLS, xv->proc);
}

/* Without VPID every entry and exit flushes the guest's linear mappings already (SDM 29.4.3). */
void vmx_flush_guest_tlb(struct vcpu *v)
{
	if (vmx.vpid)
		invvpid(vmx.invvpid_single ? INVVPID_SINGLE_CONTEXT : INVVPID_ALL_CONTEXTS,
			((struct vmx_vcpu *)v->arch)->vpid);
}

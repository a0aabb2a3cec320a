/* SPDX-License-Identifier: MIT */
/*
 * AMD-V event injection (APM Vol. 2, 15.20): EVENTINJ, the interrupt window through a virtual
 * interrupt and the VINTR intercept (15.21.4), and the NMI window, which AMD-V without vNMI
 * does not have: the backend follows the NMI handler's IRET itself.
 */
#include "arch/x86/lapic.h"
#include "arch/x86/svm/svm.h"
#include "arch/x86/vectors.h"
#include "kernel/percpu.h"
#include "vmm/vm.h"

#define RFLAGS_TF BIT(8)
#define RFLAGS_IF BIT(9)
#define DR6_BS BIT(14)
#define DR7_HOST 0x400	/* every breakpoint off, as #VMEXIT leaves it */
#define V_IRQ_WINDOW (SVM_V_IRQ | 0xfULL << SVM_V_INTR_PRIO_SHIFT | SVM_V_IGN_TPR)

static struct svm_vcpu *svm_of(struct vcpu *v)
{
	return v->arch;
}

void svm_inject_event(struct vcpu *v, const struct event *e)
{
	struct svm_vcpu *sv = svm_of(v);
	u64 inj = e->vector | (u64)e->type << SVM_EVENT_TYPE_SHIFT | SVM_EVENT_VALID;

	if (e->has_error_code)
		inj |= SVM_EVENT_HAS_ERROR_CODE | (u64)e->error_code << 32;
	if (e->has_payload && e->vector == VECTOR_PAGE_FAULT)
		sv->vmcb->save.cr2 = e->payload;
	else if (e->has_payload && e->vector == VECTOR_DEBUG)
		sv->vmcb->save.dr6 = (sv->vmcb->save.dr6 & ~0xfULL) | e->payload;
	if (e->type == EVENT_NMI)
		sv->nmi_blocked = true;
	/*
	 * QEMU's TCG (7.2 at least) delivers an injected external interrupt inside VMRUN and
	 * leaves its vector as the CPU's pending exception: if its loop is kicked (its I/O
	 * thread, its round-robin timer) before anything else resets that, the guest takes the
	 * vector a second time wherever it is, interrupts off or not (a Linux guest then
	 * deadlocked in its UART handler, docs/LINUX.md). An exit right after the delivery,
	 * before the guest's first instruction, resets it.
	 */
	if (e->type == EVENT_EXTERNAL_INTERRUPT && svm.qemu_tcg)
		sv->event_work |= SVM_WORK_IMMEDIATE_EXIT;
	sv->vmcb->control.event_inj = inj;
	sv->event_work |= SVM_WORK_INJECTED;
}

/*
 * An STI or MOV SS shadow is over once the VMM has emulated the instruction after it (it moved
 * RIP since the exit): it is cleared when it is next looked at, here, rather than at every
 * emulated instruction. Until then it only holds the guest's next interrupt back by one
 * instruction, as it had already been.
 */
static bool in_interrupt_shadow(struct vcpu *v)
{
	struct svm_vcpu *sv = svm_of(v);

	if (v->regs.rip != sv->exit_rip)
		sv->vmcb->control.interrupt_shadow = 0;
	return sv->vmcb->control.interrupt_shadow & SVM_INTERRUPT_SHADOW;
}

bool svm_interrupt_allowed(struct vcpu *v)
{
	return (v->regs.rflags & RFLAGS_IF) && !in_interrupt_shadow(v);
}

bool svm_nmi_allowed(struct vcpu *v)
{
	return !svm_of(v)->nmi_blocked && !in_interrupt_shadow(v);
}

/* A virtual interrupt that the guest takes as soon as it can, and whose taking exits. */
void svm_request_irq_window(struct vcpu *v)
{
	struct vmcb_control *c = &svm_of(v)->vmcb->control;

	c->v_intr |= V_IRQ_WINDOW;
	c->intercept_misc1 |= SVM_INTERCEPT_VINTR;
	svm_of(v)->event_work |= SVM_WORK_IRQ_WINDOW;
}

/*
 * An NMI is blocked until the IRET of the NMI handler has run: exit at that IRET. (An NMI
 * held back only by an interrupt shadow waits for the next exit.)
 */
void svm_request_nmi_window(struct vcpu *v)
{
	struct svm_vcpu *sv = svm_of(v);

	if (sv->nmi_blocked && !(sv->event_work & SVM_WORK_STEPPING)) {
		sv->vmcb->control.intercept_misc1 |= SVM_INTERCEPT_IRET;
		sv->event_work |= SVM_WORK_IRET_INTERCEPT;
	}
}

void svm_request_immediate_exit(struct vcpu *v)
{
	svm_of(v)->event_work |= SVM_WORK_IMMEDIATE_EXIT;
}

/*
 * An immediate exit: an interrupt to this CPU, held by GIF until VMRUN, exits the guest once
 * the injected event is delivered, before its first instruction. A debugger's step: TF in the
 * VMCB's RFLAGS only, the guest's own remembered for the exit. A debugger's breakpoints: the
 * VMCB's DR7 into the CPU's as well, as QEMU 7.2's TCG arms breakpoints only on a MOV to DR7,
 * not when VMRUN loads it (fixed in QEMU 9.1); the exit disarms them the same way.
 */
void svm_events_before_entry_slow(struct svm_vcpu *sv)
{
	if (sv->event_work & SVM_WORK_DEBUG_REGS)
		write_dr7(sv->vmcb->save.dr7);
	if (sv->event_work & SVM_WORK_IMMEDIATE_EXIT)
		lapic_send_ipi(this_cpu()->apic_id, VECTOR_RESCHEDULE);
	if (sv->event_work & SVM_WORK_DEBUG_STEP) {
		sv->guest_tf = sv->vmcb->save.rflags & RFLAGS_TF;
		sv->vmcb->save.rflags |= RFLAGS_TF;
	}
}

/*
 * After an entry with a debugger's TF: the guest gets its own TF back, and the single-step
 * #DB (DR6.BS, APM Vol. 2 13.1.1.3) is the debugger's unless the guest stepped itself. An
 * instruction that pushes RFLAGS (PUSHF, an interrupt's frame) still sees TF set.
 */
static void debug_step_after_exit(struct vcpu *v, struct svm_vcpu *sv, u32 code)
{
	struct vmcb_save *save = &sv->vmcb->save;

	if (!sv->guest_tf)
		v->regs.rflags &= ~RFLAGS_TF;
	if (code != SVM_EXIT_EXCEPTION_BASE + VECTOR_DEBUG || !(save->dr6 & DR6_BS) ||
	    sv->guest_tf)
		return;
	save->dr6 &= ~DR6_BS;
	v->exit.reason = EXIT_DEBUG_STEP;
	v->exit.native_name = "single step";
}

/* The IRET exit: let the IRET run, one step, with the IRET intercept off. */
static void step_over_iret(struct vcpu *v, struct svm_vcpu *sv)
{
	sv->vmcb->control.intercept_misc1 &= ~SVM_INTERCEPT_IRET;
	sv->event_work = (sv->event_work & ~SVM_WORK_IRET_INTERCEPT) | SVM_WORK_STEPPING;
	sv->iret_rip = v->regs.rip;
	/* TF as it is when IRET starts decides its single-step trap; IRET then pops the guest's. */
	v->regs.rflags |= RFLAGS_TF;
}

/*
 * After the IRET ran: the NMI handler is over. The single-step #DB right after it is the
 * backend's own (even a guest that single-steps itself gets its first trap only after the next
 * instruction, as TF came from IRET's pop), so it is swallowed and its DR6.BS cleared.
 */
static bool iret_done(struct svm_vcpu *sv, u32 code)
{
	bool own_step = code == SVM_EXIT_EXCEPTION_BASE + VECTOR_DEBUG &&
			(sv->vmcb->save.dr6 & DR6_BS);

	sv->nmi_blocked = false;
	sv->event_work &= ~SVM_WORK_STEPPING;
	if (own_step)
		sv->vmcb->save.dr6 &= ~DR6_BS;
	return own_step;
}

bool svm_events_after_exit_slow(struct vcpu *v, struct svm_vcpu *sv)
{
	struct vmcb_control *c = &sv->vmcb->control;
	u32 code = (u32)c->exit_code;

	if (sv->event_work & SVM_WORK_IRQ_WINDOW) {
		c->v_intr &= ~V_IRQ_WINDOW;
		c->intercept_misc1 &= ~SVM_INTERCEPT_VINTR;
	}
	if (sv->event_work & SVM_WORK_INJECTED)
		c->event_inj = 0;	/* what the VMM injects next is decided anew */
	sv->event_work &= ~(SVM_WORK_IMMEDIATE_EXIT | SVM_WORK_IRQ_WINDOW | SVM_WORK_INJECTED);
	if (sv->event_work & SVM_WORK_DEBUG_REGS)
		write_dr7(DR7_HOST);
	if (sv->event_work & SVM_WORK_DEBUG_STEP)
		debug_step_after_exit(v, sv, code);
	if (code == SVM_EXIT_IRET) {
		step_over_iret(v, sv);
		return true;
	}
	if ((sv->event_work & SVM_WORK_STEPPING) && v->regs.rip != sv->iret_rip)
		return iret_done(sv, code);
	return false;
}

/*
 * #BP is intercepted for a debugger, and INTn too: QEMU 7.2's TCG checks an INT3 against the
 * INTn intercept (SVM_EXIT_SWINT), not the #BP one, so that exit counts as a breakpoint.
 */
void svm_set_guest_debug(struct vcpu *v, bool single_step, bool intercept_breakpoints)
{
	struct svm_vcpu *sv = svm_of(v);
	struct vmcb_control *c = &sv->vmcb->control;

	c->intercept_exceptions &= ~BIT(VECTOR_BREAKPOINT);
	c->intercept_misc1 &= ~SVM_INTERCEPT_INTN;
	if (intercept_breakpoints) {
		c->intercept_exceptions |= BIT(VECTOR_BREAKPOINT);
		c->intercept_misc1 |= SVM_INTERCEPT_INTN;
	}
	sv->event_work &= ~SVM_WORK_DEBUG_STEP;
	if (single_step)
		sv->event_work |= SVM_WORK_DEBUG_STEP;
}

/* DR6 and DR7 are in the VMCB's save area (its clean bits are not used). */
u64 svm_get_dr(struct vcpu *v, u32 dr)
{
	struct vmcb_save *save = &svm_of(v)->vmcb->save;

	return dr == 6 ? save->dr6 : save->dr7;
}

/* The same two, written: the next VMRUN loads them. */
void svm_set_dr(struct vcpu *v, u32 dr, u64 value)
{
	struct vmcb_save *save = &svm_of(v)->vmcb->save;

	if (dr == 6)
		save->dr6 = value;
	else
		save->dr7 = value;
}

/* The DR0-DR7 read and write intercepts, and the CPU's DR7 around each entry (above). */
void svm_intercept_dr_access(struct vcpu *v, bool on)
{
	struct svm_vcpu *sv = svm_of(v);

	sv->vmcb->control.intercept_dr = on ? SVM_INTERCEPT_DR0_7 : 0;
	sv->event_work &= (u8)~SVM_WORK_DEBUG_REGS;
	if (on)
		sv->event_work |= SVM_WORK_DEBUG_REGS;
}

void svm_flush_guest_tlb(struct vcpu *v)
{
	svm_of(v)->vmcb->control.tlb_control = svm.flush_by_asid ? SVM_TLB_FLUSH_ASID
								  : SVM_TLB_FLUSH_ALL;
}

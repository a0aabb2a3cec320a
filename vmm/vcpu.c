/* SPDX-License-Identifier: MIT */
/* A vCPU between exits: requests, events to inject, the hand-off to the exit handlers. */
#include "vmm/vcpu.h"
#include "arch/x86/cpu.h"
#include "arch/x86/vectors.h"
#include "kernel/cpu_work.h"
#include "kernel/format.h"
#include "kernel/printk.h"
#include "vmm/pc_platform.h"
#include "vmm/vcpu_lapic.h"
#include "vmm/vcpu_run.h"
#include "vmm/virt.h"
#include "vmm/vm.h"
#include "vmm/vmm.h"
#include "vmm/x86_decode.h"

void vcpu_request(struct vcpu *v, u32 request)
{
	__atomic_or_fetch(&v->requests, request, __ATOMIC_RELEASE);
}

void vcpu_queue_event(struct vcpu *v, const struct event *exception)
{
	event_queue_exception(&v->events, exception);
	vcpu_request(v, VCPU_REQ_EVENT);
}

void vcpu_queue_exception(struct vcpu *v, u8 vector, bool has_error_code, u32 error_code)
{
	struct event e = event_exception(vector, has_error_code, error_code);

	vcpu_queue_event(v, &e);
}

void vcpu_exception_during_delivery(struct vcpu *v, const struct event *e)
{
	event_exception_during_delivery(&v->events, e);
	vcpu_request(v, VCPU_REQ_EVENT);
}

void vcpu_single_step_trap(struct vcpu *v)
{
	struct event step = event_exception(VECTOR_DEBUG, false, 0);

	step.has_payload = true;
	step.payload = X86_DR6_BS;
	vcpu_queue_event(v, &step);
}

void vcpu_poke(struct vcpu *v)
{
	vcpu_request(v, VCPU_REQ_EVENT);
	vcpu_wake(v);
	cpu_kick(__atomic_load_n(&v->cpu, __ATOMIC_RELAXED));
}

bool vcpu_raise_interrupt(struct vcpu *v, u8 vector)
{
	if (vector < 32)
		return false;	/* the exception vectors */
	vector_set_raise(&v->interrupts, vector);
	vcpu_poke(v);
	return true;
}

void vcpu_raise_nmi(struct vcpu *v)
{
	__atomic_store_n(&v->nmis_raised, 1, __ATOMIC_RELEASE);
	vcpu_poke(v);
}

bool vcpu_is_stopping(const struct vcpu *v)
{
	return v->vm->state == VM_STOPPED;
}

/* Real mode pushes no error code, and VM entry refuses to deliver one there (SDM 27.2.1.3). */
static void inject(struct vcpu *v, struct event *e)
{
	if (!(virt->get_cr(v, 0) & X86_CR0_PE))
		e->has_error_code = false;
	virt->inject_event(v, e);
}

/* The PC's devices run on vCPU 0, whose events their timers poke. */
static struct pc_platform *platform_of(const struct vcpu *v)
{
	return v->id == 0 ? v->vm->pc : NULL;
}

/*
 * The 8259's INT reaches vCPU 0 only, as it reaches a PC's BSP: with a local APIC, through
 * LINT0 in ExtINT mode (or with the APIC disabled).
 */
static bool pic_reaches(struct vcpu *v)
{
	return !v->lapic || vcpu_lapic_accepts_extint(v);
}

u8 vcpu_cr8(struct vcpu *v)
{
	return v->lapic ? vcpu_lapic_cr8(v) : (u8)virt->get_cr(v, 8);
}

/* A lowered priority may let a pending interrupt in: the next entry decides again. */
void vcpu_set_cr8(struct vcpu *v, u8 cr8)
{
	if (v->lapic)
		vcpu_lapic_set_cr8(v, cr8);
	else
		virt->set_cr(v, 8, cr8);
	vcpu_request(v, VCPU_REQ_EVENT);
}

/* Where the interrupt of the gate comes from. */
enum interrupt_source { FROM_RAISED, FROM_PIC, FROM_LAPIC };

/*
 * What the guest can take now, and the interrupt it would get: the highest raised above its
 * CR8, its local APIC's (above the APIC's own processor priority) or the PIC's, whichever is
 * highest (*from). An ExtINT does not go through the task priority (SDM Vol. 3A 11.8.3.1
 * applies to fixed interrupts).
 */
static struct event_gate gate_of(struct vcpu *v, enum interrupt_source *from)
{
	struct pc_platform *pc = platform_of(v);
	struct event_gate g = {
		.interrupt_allowed = virt->interrupt_allowed(v),
		.nmi_allowed = virt->nmi_allowed(v),
		.interrupt_vector = vector_set_highest(&v->interrupts, vcpu_cr8(v)),
	};
	int apic = v->lapic ? vcpu_lapic_pending_vector(v) : -1;
	/* Asked even when the PIC does not reach v: it brings the devices up to the time. */
	int external = pc ? pc_platform_pending_vector(pc) : -1;

	if (external >= 0 && !pic_reaches(v))
		external = -1;
	*from = FROM_RAISED;
	if (apic > g.interrupt_vector) {
		*from = FROM_LAPIC;
		g.interrupt_vector = apic;
	}
	if (external > g.interrupt_vector) {
		*from = FROM_PIC;
		g.interrupt_vector = external;
	}
	return g;
}

/* More interrupts wait for the vCPU after this one: the PIC's INT is still up (vCPU 0), or
 * its APIC has one above the priority of the one just taken. */
static bool source_still_raised(struct vcpu *v)
{
	const struct pc_platform *pc = platform_of(v);

	return (pc && pic_reaches(v) && __atomic_load_n(&pc->intr, __ATOMIC_ACQUIRE)) ||
	       (v->lapic && vcpu_lapic_pending_vector(v) >= 0);
}

static bool deliver_events(struct vcpu *v)
{
	struct event_gate gate;
	struct event_decision d;
	enum interrupt_source from;

	if (__atomic_exchange_n(&v->nmis_raised, 0, __ATOMIC_ACQUIRE))
		event_queue_nmi(&v->events);
	gate = gate_of(v, &from);
	event_decide(&v->events, &gate, &d);
	if (v->events.triple_fault) {
		vcpu_triple_fault(v, "an exception while delivering a double fault");
		v->leave = RUN_STOP;
		return false;
	}
	if (d.took_interrupt && from == FROM_PIC)
		d.event.vector = pc_platform_acknowledge(platform_of(v));	/* INTA: maybe spurious */
	else if (d.took_interrupt && from == FROM_LAPIC)
		vcpu_lapic_ack(v, d.event.vector);
	else if (d.took_interrupt)
		vector_set_take(&v->interrupts, d.event.vector);
	if (d.inject)
		inject(v, &d.event);
	if (d.interrupt_window ||
	    (d.took_interrupt && (vector_set_any(&v->interrupts) || source_still_raised(v))))
		virt->request_irq_window(v);
	if (d.nmi_window)
		virt->request_nmi_window(v);
	if (d.immediate_exit)
		virt->request_immediate_exit(v);
	/* Still due after this entry (it waits for a window): decide again at the next one. */
	if (event_any_pending(&v->events) || vector_set_any(&v->interrupts) ||
	    source_still_raised(v))
		vcpu_request(v, VCPU_REQ_EVENT);
	return true;
}

/* The requests that make the vCPU leave its CPU, in order of precedence. */
static bool leaves(struct vcpu *v, u32 req)
{
	if (req & VCPU_REQ_STOP)
		v->leave = RUN_STOP;
	else if (req & VCPU_REQ_PAUSE)
		v->leave = RUN_PAUSE;
	else if (req & VCPU_REQ_MIGRATE)
		v->leave = RUN_PREEMPT;
	else if (req & VCPU_REQ_INIT)
		v->leave = RUN_BLOCK;	/* its run loop takes the INIT (vcpu_lapic_waits_for_sipi) */
	else
		return false;
	/* A request it leaves for stays made for when it is back, but for those it acts on now. */
	vcpu_request(v, req & ~(VCPU_REQ_STOP | VCPU_REQ_PAUSE | VCPU_REQ_MIGRATE | VCPU_REQ_INIT));
	return true;
}

bool vcpu_take_requests(struct vcpu *v)
{
	u32 req = __atomic_exchange_n(&v->requests, 0, __ATOMIC_ACQUIRE);

	if (leaves(v, req))
		return false;
	if (req & VCPU_REQ_TLB_FLUSH)
		virt->flush_guest_tlb(v);
	return !(req & VCPU_REQ_EVENT) || deliver_events(v);
}

void vcpu_reinject(struct vcpu *v)
{
	event_set_reinject(&v->events, &v->exit.vectoring);
	vcpu_request(v, VCPU_REQ_EVENT);
}

bool vcpu_has_wakeup(struct vcpu *v)
{
	enum interrupt_source from;

	if (__atomic_exchange_n(&v->nmis_raised, 0, __ATOMIC_ACQUIRE)) {
		event_queue_nmi(&v->events);
		vcpu_request(v, VCPU_REQ_EVENT);
	}
	v->sleep_gate = gate_of(v, &from);
	v->sleep_tpr = vcpu_cr8(v);
	if (!event_wakes(&v->events, &v->sleep_gate))
		return false;
	/*
	 * What wakes it is delivered at the next entry, whoever raised it. Looking may have been
	 * what raised it: an APIC timer whose deadline passed before its host timer fired (that
	 * fires at most every 50 us) fires in the model now, and its host timer is cancelled,
	 * which would have asked. Without the ask the guest's HLT came back with nothing taken.
	 */
	vcpu_request(v, VCPU_REQ_EVENT);
	return true;
}

bool vcpu_raised_wakeup(struct vcpu *v)
{
	const struct event_gate *g = &v->sleep_gate;

	const struct pc_platform *pc = platform_of(v);

	/* Without the PIC's INT, the devices' due work may still raise one (an I/O APIC's). */
	bool devices = pc && (pic_reaches(v) ? pc_platform_may_interrupt(pc) :
					       __atomic_load_n(&pc->due, __ATOMIC_ACQUIRE));

	return (g->nmi_allowed && __atomic_load_n(&v->nmis_raised, __ATOMIC_ACQUIRE)) ||
	       (g->interrupt_allowed && (vector_set_highest(&v->interrupts, v->sleep_tpr) >= 0 ||
					 devices ||
					 (v->lapic && vcpu_lapic_may_interrupt(v))));
}

void vcpu_triple_fault(struct vcpu *v, const char *what)
{
	char how[VM_STOP_REASON_MAX];

	format(how, sizeof(how), "triple fault (%s), at RIP %#llx", what, v->regs.rip);
	vmm_reset(v->vm, how);
}

void vcpu_stop_undecodable(struct vcpu *v, const char *what, const u8 *bytes, u32 count)
{
	char hex[3 * X86_MAX_INSN_LEN];

	format_hex_bytes(hex, sizeof(hex), bytes, MIN(count, (u32)X86_MAX_INSN_LEN));
	vm_stop(v->vm, "%s at RIP %#llx that Vireo cannot decode (bytes: %s)", what, v->regs.rip,
		count ? hex : "none readable");
}

void vcpu_dump(struct vcpu *v)
{
	struct vcpu_state s;
	const struct vcpu_regs *r = &s.regs;
	const char *name = v->vm->config.name;
	u32 id = v->vm->id;

	virt->get_state(v, &s);
	if (v->vm->vcpu_count > 1)
		pr_info("vm%u %s: vCPU %u:\n", id, name, v->id);
	pr_info("vm%u %s: RIP %04x:%016llx RSP %016llx RFLAGS %08llx CPL %u\n", id, name,
		s.seg[SEG_CS].selector, r->rip, r->rsp, r->rflags, virt->guest_cpl(v));
	pr_info("vm%u %s: RAX %016llx RBX %016llx RCX %016llx RDX %016llx\n", id, name, r->rax,
		r->rbx, r->rcx, r->rdx);
	pr_info("vm%u %s: RSI %016llx RDI %016llx RBP %016llx R8  %016llx\n", id, name, r->rsi,
		r->rdi, r->rbp, r->r8);
	pr_info("vm%u %s: R9  %016llx R10 %016llx R11 %016llx R12 %016llx\n", id, name, r->r9,
		r->r10, r->r11, r->r12);
	pr_info("vm%u %s: R13 %016llx R14 %016llx R15 %016llx\n", id, name, r->r13, r->r14,
		r->r15);
	pr_info("vm%u %s: CR0 %08llx CR2 %016llx CR3 %016llx CR4 %08llx EFER %04llx\n", id, name,
		s.cr0, s.cr2, s.cr3, s.cr4, s.efer);
}

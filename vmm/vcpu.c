/* SPDX-License-Identifier: MIT */
/* A vCPU between exits: requests, events to inject, the hand-off to the exit handlers. */
#include "vmm/vcpu.h"
#include "arch/x86/cpu.h"
#include "kernel/format.h"
#include "kernel/printk.h"
#include "vmm/virt.h"
#include "vmm/vm.h"

void vcpu_request(struct vcpu *v, u32 request)
{
	__atomic_or_fetch(&v->requests, request, __ATOMIC_RELEASE);
}

void vcpu_queue_event(struct vcpu *v, const struct event *exception)
{
	event_queue_exception(&v->events, exception);
	vcpu_request(v, VCPU_REQ_EVENT);
}

void vcpu_exception_during_delivery(struct vcpu *v, const struct event *e)
{
	event_exception_during_delivery(&v->events, e);
	vcpu_request(v, VCPU_REQ_EVENT);
}

void vcpu_queue_exception(struct vcpu *v, u8 vector, bool has_error_code, u32 error_code)
{
	struct event e = event_exception(vector, has_error_code, error_code);

	vcpu_queue_event(v, &e);
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

static bool deliver_events(struct vcpu *v)
{
	struct event_gate gate = { virt->interrupt_allowed(v), virt->nmi_allowed(v), -1 };
	struct event_decision d;

	event_decide(&v->events, &gate, &d);
	if (v->events.triple_fault) {
		vm_stop(v->vm, "triple fault (an exception while delivering a double fault), at RIP "
			"%#llx", v->regs.rip);
		return false;
	}
	if (d.inject)
		inject(v, &d.event);
	if (d.interrupt_window)
		virt->request_irq_window(v);
	if (d.nmi_window)
		virt->request_nmi_window(v);
	if (d.immediate_exit)
		virt->request_immediate_exit(v);
	/* Still due after this entry (it waits for a window): decide again at the next one. */
	if (event_any_pending(&v->events))
		vcpu_request(v, VCPU_REQ_EVENT);
	return true;
}

bool vcpu_take_requests(struct vcpu *v)
{
	u32 req = __atomic_exchange_n(&v->requests, 0, __ATOMIC_ACQUIRE);

	if (req & VCPU_REQ_STOP) {
		vm_stop(v->vm, "stop requested");
		return false;
	}
	if (req & VCPU_REQ_TLB_FLUSH)
		virt->flush_guest_tlb(v);
	return !(req & VCPU_REQ_EVENT) || deliver_events(v);
}

void vcpu_reinject(struct vcpu *v)
{
	event_set_reinject(&v->events, &v->exit.vectoring);
	vcpu_request(v, VCPU_REQ_EVENT);
}

void vcpu_stop_undecodable(struct vcpu *v, const char *what, const u8 *bytes, u32 count)
{
	char hex[3 * 15 + 1] = "";
	size_t n = 0;

	for (u32 i = 0; i < count && i < 15; i++)
		n += (size_t)format(hex + n, sizeof(hex) - n, "%s%02x", i ? " " : "", bytes[i]);
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

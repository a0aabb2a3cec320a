/* SPDX-License-Identifier: MIT */
/* Guest control-register accesses: decode if need be, check, apply, or raise #GP. */
#include "vmm/cr_access.h"
#include "arch/x86/cpu.h"
#include "arch/x86/vectors.h"
#include "kernel/format.h"
#include "vmm/cpuid.h"
#include "vmm/guest_access.h"
#include "vmm/vcpu.h"
#include "vmm/virt.h"
#include "vmm/vm.h"
#include "vmm/x86_decode.h"

/* One access, however it was found out. */
struct cr_access {
	u8 cr;
	enum cr_access_kind kind;
	u8 gpr;
	u16 lmsw_source;
	u8 len;
};

static u64 cr4_guest_mask;

void cr_access_init(void)
{
	struct cpuid_guest g = { 0, 0, false, false };
	struct cpuid_result host1, host7, leaf1, leaf7;
	struct cpuid_regs r = cpuid(1, 0);

	host1 = (struct cpuid_result){ r.eax, r.ebx, r.ecx, r.edx };
	r = cpu_features.max_leaf >= 7 ? cpuid(7, 0) : (struct cpuid_regs){ 0, 0, 0, 0 };
	host7 = (struct cpuid_result){ r.eax, r.ebx, r.ecx, r.edx };
	cpuid_guest_view(1, 0, &g, &host1, &leaf1);
	cpuid_guest_view(7, 0, &g, &host7, &leaf7);
	cr4_guest_mask = cr4_allowed(&leaf1, &leaf7);
}

u64 guest_cr4_allowed(void)
{
	return cr4_guest_mask;
}

void vcpu_cr_state(struct vcpu *v, struct cr_state *s)
{
	struct segment cs;

	virt->get_segment(v, SEG_CS, &cs);
	*s = (struct cr_state){ .cr0 = virt->get_cr(v, 0), .cr3 = virt->get_cr(v, 3),
				.cr4 = virt->get_cr(v, 4), .efer = virt->get_efer(v),
				.cs_long = cs.attrib & SEG_ATTR_L };
}

/*
 * LMSW's source from its ModRM operand: a register, or 16 bits of guest memory. False after
 * queuing the guest's fault, or stopping the VM when the operand is not in its RAM.
 */
static bool lmsw_operand(struct vcpu *v, const struct x86_insn *i, u16 *source)
{
	struct event fault;
	u64 gla;

	if (!i->mem) {
		*source = (u16)x86_reg_read((const u64 *)&v->regs, i->rm, 2, i->rex_present);
		return true;
	}
	/* x86_seg numbers the segments as enum segment_reg does (ES, CS, SS, DS, FS, GS). */
	gla = guest_segment_base(v, (enum segment_reg)i->m.seg) +
	      x86_effective_address(i, (const u64 *)&v->regs, v->regs.rip + i->len);
	switch (guest_read_linear(v, gla, source, 2, virt->guest_cpl(v) == 3 ? GW_USER : 0,
				  &fault)) {
	case GUEST_ACCESS_OK:
		return true;
	case GUEST_ACCESS_FAULT:
		vcpu_queue_event(v, &fault);
		return false;
	default:
		vm_stop(v->vm, "LMSW from linear address %#llx, which is not in its RAM", gla);
		return false;
	}
}

static bool from_insn(struct vcpu *v, const struct x86_insn *i, struct cr_access *a)
{
	a->len = i->len;
	a->cr = i->reg;
	a->gpr = i->rm;
	switch (i->op) {
	case X86_OP_MOV_TO_CR: a->kind = CR_MOV_TO; return true;
	case X86_OP_MOV_FROM_CR: a->kind = CR_MOV_FROM; return true;
	case X86_OP_CLTS: a->kind = CR_CLTS, a->cr = 0; return true;
	case X86_OP_LMSW: a->kind = CR_LMSW, a->cr = 0; return lmsw_operand(v, i, &a->lmsw_source);
	default:
		vm_stop(v->vm, "a control-register exit at RIP %#llx, on an instruction that is not "
			"one", v->regs.rip);
		return false;
	}
}

/*
 * The access as the backend described it, or decoded from the instruction bytes. Returns
 * false after stopping the VM (bytes Vireo cannot decode) or queuing the guest's fault.
 */
static bool describe(struct vcpu *v, const struct vm_exit *e, struct cr_access *a)
{
	u8 bytes[X86_MAX_INSN_LEN];
	struct x86_insn insn;
	u32 n;

	if (e->cr.decoded && e->insn_len) {
		*a = (struct cr_access){ e->cr.cr, e->cr.kind, e->cr.gpr, e->cr.lmsw_source,
					 e->insn_len };
		return true;
	}
	n = guest_exit_instruction(v, bytes, sizeof(bytes));
	if (n && x86_decode(bytes, n, guest_code_bits(v), &insn) == 0)
		return from_insn(v, &insn, a);
	vcpu_stop_undecodable(v, "a control-register access", bytes, n);
	return false;
}

static u64 gpr_value(struct vcpu *v, u8 gpr)
{
	u64 value = ((const u64 *)&v->regs)[gpr];

	return guest_code_bits(v) == 64 ? value : (u32)value;
}

/* The CR0 value CLTS and LMSW write: LMSW sets PE, MP, EM, TS but never clears PE. */
static u64 cr0_target(const struct cr_access *a, u64 cr0, u64 mov_value)
{
	switch (a->kind) {
	case CR_CLTS: return cr0 & ~X86_CR0_TS;
	case CR_LMSW: return (cr0 & ~0xeULL) | (a->lmsw_source & 0xf) | (cr0 & X86_CR0_PE);
	default: return mov_value;
	}
}

/* Check and apply a write; false: the CPU would refuse it with #GP. */
static bool write_cr(struct vcpu *v, const struct cr_access *a, u64 value)
{
	struct cr_state s;

	vcpu_cr_state(v, &s);
	switch (a->cr) {
	case 0:
		value = cr0_target(a, s.cr0, value);
		if (!cr0_write_valid(&s, value) || !virt->set_cr(v, 0, cr0_written(value)))
			return false;
		virt->set_efer(v, efer_after_cr0(s.efer, value));
		break;
	case 4:
		if (!cr4_write_valid(&s, value, guest_cr4_allowed()) || !virt->set_cr(v, 4, value))
			return false;
		break;
	case 8:
		if (!cr8_write_valid(value))
			return false;
		vcpu_set_cr8(v, (u8)value);
		return true;
	default:
		return false;
	}
	/* The CPU flushes the TLB when paging controls change: for an emulated write, Vireo. */
	vcpu_request(v, VCPU_REQ_TLB_FLUSH);
	return true;
}

enum exit_action handle_cr_access(struct vcpu *v, const struct vm_exit *e)
{
	struct cr_access a;

	if (!describe(v, e, &a))
		return vcpu_is_stopping(v) ? EXIT_STOP : EXIT_RESUME;
	if (a.kind == CR_MOV_FROM) {
		((u64 *)&v->regs)[a.gpr] = a.cr == 8 ? vcpu_cr8(v) : virt->get_cr(v, a.cr);
	} else if (!write_cr(v, &a, gpr_value(v, a.gpr))) {
		vcpu_queue_exception(v, VECTOR_GENERAL_PROTECTION, true, 0);
		return EXIT_RESUME;
	}
	vcpu_skip_instruction(v, a.len);
	return EXIT_RESUME;
}

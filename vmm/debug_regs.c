/* SPDX-License-Identifier: MIT */
/* A guest's debug registers lent to a debugger, and its MOV DR meanwhile (SDM Vol. 3B 17.2). */
#include "vmm/debug_regs.h"
#include "arch/x86/cpu.h"
#include "arch/x86/vectors.h"
#include "kernel/string.h"
#include "vmm/guest_access.h"
#include "vmm/vcpu.h"
#include "vmm/virt.h"
#include "vmm/vm.h"
#include "vmm/x86_decode.h"

/* What a MOV to DR6 or DR7 can change; the rest reads as the CPU fixes it (SDM 17.2.3-4). */
#define DR6_WRITABLE 0xe00fULL	/* B0-B3, BD, BS, BT */
#define DR6_FIXED 0xffff0ff0ULL	/* bits 4-11 and 16-31 read as 1 */
#define DR7_WRITABLE 0xffff23ffULL	/* enables, LE, GE, GD, R/W and LEN */
#define DR7_FIXED BIT(10)

void debug_regs_lend(struct vcpu *v, const u64 dr[4], u64 dr7)
{
	if (!v->dr_lent) {
		memcpy(v->guest_dr, v->dr, sizeof(v->dr));
		v->guest_dr7 = virt->get_dr(v, 7);
		v->dr_lent = true;
		virt->intercept_dr_access(v, true);
	}
	memcpy(v->dr, dr, sizeof(v->dr));
	virt->set_dr(v, 7, dr7);
}

void debug_regs_return(struct vcpu *v)
{
	if (!v->dr_lent)
		return;
	memcpy(v->dr, v->guest_dr, sizeof(v->dr));
	virt->set_dr(v, 7, v->guest_dr7);
	v->dr_lent = false;
	virt->intercept_dr_access(v, false);
}

/* The access as the backend gave it, or decoded from the instruction (AMD-V, no assists). */
static bool describe(struct vcpu *v, const struct vm_exit *e, u8 *dr, bool *write, u8 *gpr,
		     u8 *len)
{
	u8 bytes[X86_MAX_INSN_LEN];
	struct x86_insn insn;
	u32 n;

	if (e->dr.decoded && e->insn_len) {
		*dr = e->dr.dr, *write = e->dr.write, *gpr = e->dr.gpr, *len = e->insn_len;
		return true;
	}
	n = guest_exit_instruction(v, bytes, sizeof(bytes));
	if (n && x86_decode(bytes, n, guest_code_bits(v), &insn) == 0 &&
	    (insn.op == X86_OP_MOV_FROM_DR || insn.op == X86_OP_MOV_TO_DR)) {
		*dr = insn.reg, *write = insn.op == X86_OP_MOV_TO_DR, *gpr = insn.rm;
		*len = insn.len;
		return true;
	}
	vcpu_stop_undecodable(v, "a debug-register access", bytes, n);
	return false;
}

static u64 read_dr(struct vcpu *v, u8 dr)
{
	if (dr < 4)
		return v->dr_lent ? v->guest_dr[dr] : v->dr[dr];
	if (dr == 6)
		return virt->get_dr(v, 6);
	return v->dr_lent ? v->guest_dr7 : virt->get_dr(v, 7);
}

/* False: the CPU would refuse the value with #GP (bits 63:32 of DR6 or DR7 set). */
static bool write_dr(struct vcpu *v, u8 dr, u64 value)
{
	if (dr < 4) {
		*(v->dr_lent ? &v->guest_dr[dr] : &v->dr[dr]) = value;
		return true;
	}
	if (value >> 32)
		return false;
	if (dr == 6)
		virt->set_dr(v, 6, (value & DR6_WRITABLE) | DR6_FIXED);
	else if (v->dr_lent)
		v->guest_dr7 = (value & DR7_WRITABLE) | DR7_FIXED;
	else
		virt->set_dr(v, 7, (value & DR7_WRITABLE) | DR7_FIXED);
	return true;
}

/*
 * The CPU has checked CPL 0 already; DR4 and DR5 are #UD with CR4.DE, else DR6 and DR7. The
 * guest's DR7.GD is not in the CPU while it is lent: its #DB (BD set, GD cleared) is raised here.
 * Outside 64-bit mode the operand is 32 bits.
 */
enum exit_action handle_dr_access(struct vcpu *v, const struct vm_exit *e)
{
	bool write, wide = guest_code_bits(v) == 64;
	u8 dr, gpr, len;
	u64 *reg;

	if (!describe(v, e, &dr, &write, &gpr, &len))
		return vcpu_is_stopping(v) ? EXIT_STOP : EXIT_RESUME;
	if ((dr == 4 || dr == 5) && (virt->get_cr(v, 4) & X86_CR4_DE)) {
		vcpu_queue_exception(v, VECTOR_INVALID_OPCODE, false, 0);
		return EXIT_RESUME;
	}
	if (dr == 4 || dr == 5)
		dr += 2;
	if (v->dr_lent && (v->guest_dr7 & X86_DR7_GD)) {
		struct event db = event_exception(VECTOR_DEBUG, false, 0);

		v->guest_dr7 &= ~X86_DR7_GD;
		db.has_payload = true;
		db.payload = X86_DR6_BD;
		vcpu_queue_event(v, &db);
		return EXIT_RESUME;
	}
	reg = &((u64 *)&v->regs)[gpr];
	if (!write) {
		*reg = wide ? read_dr(v, dr) : (u32)read_dr(v, dr);
	} else if (!write_dr(v, dr, wide ? *reg : (u32)*reg)) {
		vcpu_queue_exception(v, VECTOR_GENERAL_PROTECTION, true, 0);
		return EXIT_RESUME;
	}
	vcpu_skip_instruction(v, len);
	return EXIT_RESUME;
}

/* SPDX-License-Identifier: MIT */
/*
 * String I/O. The exit gives the port, the element size and whether REP is there; the address
 * size and OUTS's segment come from decoding the instruction (AMD-V names the segment only
 * with decode assists, which QEMU lacks), and the elements move one at a time through the
 * guest's page tables, so a buffer may cross pages and fault on any of them.
 */
#include "vmm/string_io.h"
#include "arch/x86/cpu.h"
#include "vmm/guest_access.h"
#include "vmm/virt.h"
#include "vmm/vcpu.h"
#include "vmm/vm.h"
#include "vmm/x86_decode.h"

#define X86_RFLAGS_DF BIT(10)
/* Elements moved per exit at most: then the instruction runs again for the rest. */
#define STRING_IO_BATCH 4096

struct string_io {
	struct x86_insn insn;
	u64 *gprs;		/* the vCPU's registers in encoding order */
	u8 size;		/* bytes per element */
	u64 addr_mask;		/* rSI, rDI and rCX are as wide as the address size */
	u64 segment_base;
	u32 access;		/* GW_USER at CPL 3 */
	s64 step;		/* +size, or -size with RFLAGS.DF */
};

static bool decode(struct vcpu *v, const struct vm_exit *e, struct x86_insn *insn)
{
	u8 bytes[X86_MAX_INSN_LEN];
	u32 n = guest_exit_instruction(v, bytes, sizeof(bytes));
	enum x86_op want = e->io.in ? X86_OP_INS : X86_OP_OUTS;

	if (n && x86_decode(bytes, n, guest_code_bits(v), insn) == 0 && insn->op == want &&
	    insn->opsize == e->io.size)
		return true;
	vcpu_stop_undecodable(v, e->io.in ? "an INS" : "an OUTS", bytes, n);
	return false;
}

/*
 * Advance rSI or rDI by one element, within the address size: the upper bits as a write of
 * that size leaves them (SDM Vol. 1, 3.4.1.1).
 */
static void step_register(struct string_io *s, u8 reg)
{
	x86_reg_write(s->gprs, reg, s->insn.addrsize, true, s->gprs[reg] + (u64)s->step);
}

/* One element: false when the guest takes a fault (queued) or the VM stops. */
static bool move_one(struct vcpu *v, struct string_io *s, u16 port)
{
	struct vm *vm = v->vm;
	u8 reg = s->insn.op == X86_OP_INS ? X86_REG_RDI : X86_REG_RSI;
	u64 gla = s->segment_base + (s->gprs[reg] & s->addr_mask);
	enum guest_access_result r;
	struct event fault;
	u32 value = 0;

	if (guest_code_bits(v) != 64)
		gla = (u32)gla;
	if (s->insn.op == X86_OP_INS) {
		value = vm_port_read(vm, port, s->size);
		r = guest_write_linear(v, gla, &value, s->size, s->access, &fault);
	} else {
		r = guest_read_linear(v, gla, &value, s->size, s->access, &fault);
		if (r == GUEST_ACCESS_OK)
			vm_port_write(vm, port, s->size, value);
	}
	if (r == GUEST_ACCESS_FAULT)
		vcpu_queue_event(v, &fault);
	else if (r == GUEST_ACCESS_OUTSIDE)
		vm_stop(vm, "%s at RIP %#llx reached guest-linear %#llx, which is not its RAM",
			s->insn.op == X86_OP_INS ? "INS" : "OUTS", v->regs.rip, gla);
	if (r != GUEST_ACCESS_OK)
		return false;
	step_register(s, reg);
	return true;
}

enum exit_action string_io_emulate(struct vcpu *v, const struct vm_exit *e)
{
	struct string_io s = { .gprs = (u64 *)&v->regs, .size = e->io.size };
	u64 count;

	if (!decode(v, e, &s.insn))
		return EXIT_STOP;
	s.addr_mask = s.insn.addrsize == 8 ? ~0ULL : (1ULL << (8 * s.insn.addrsize)) - 1;
	s.segment_base = guest_segment_base(v, (enum segment_reg)s.insn.m.seg);
	s.access = virt->guest_cpl(v) == 3 ? GW_USER : 0;
	s.step = v->regs.rflags & X86_RFLAGS_DF ? -(s64)s.size : s.size;
	count = e->io.rep ? s.gprs[X86_REG_RCX] & s.addr_mask : 1;
	for (u32 done = 0; count && done < STRING_IO_BATCH; done++) {
		if (!move_one(v, &s, e->io.port))
			return vcpu_is_stopping(v) ? EXIT_STOP : EXIT_RESUME;
		count--;
		if (e->io.rep)
			x86_reg_write(s.gprs, X86_REG_RCX, s.insn.addrsize, true, count);
	}
	if (!count)
		vcpu_skip_instruction(v, s.insn.len);
	return EXIT_RESUME;
}

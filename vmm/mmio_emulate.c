/* SPDX-License-Identifier: MIT */
/*
 * MMIO emulation. Neither AMD-V under QEMU (no decode assists) nor VT-x gives the instruction
 * bytes, so they are fetched through the guest's page tables. The exit gives the
 * guest-physical address of the faulting access: an instruction with one memory operand
 * uses it as is, no walk needed. MOVS, STOS and LODS touch one address per element, maybe RAM
 * on one side: each element goes through the guest's page tables.
 */
#include "vmm/mmio_emulate.h"
#include "kernel/errno.h"
#include "kernel/format.h"
#include "vmm/guest_access.h"
#include "vmm/mmio.h"
#include "vmm/virt.h"
#include "vmm/vcpu.h"
#include "vmm/vm.h"
#include "vmm/x86_emulate.h"

/* Elements a REP MOVS/STOS/LODS moves per exit at most: then it runs again for the rest. */
#define MMIO_STRING_BATCH 4096

int mmio_access(struct vcpu *v, u64 gpa, u8 size, bool write, u64 *value)
{
	struct vm *vm = v->vm;
	const struct mmio_range *r = mmio_find(&v->mmio, gpa);
	int err;

	/*
	 * The vCPU's own devices: only this vCPU reaches them through MMIO, so without the
	 * VM's devices lock (a device that others touch too has its own).
	 */
	if (r)
		return mmio_range_access(r, gpa, size, write, value);
	spin_lock(&vm->devices_lock);
	r = mmio_find(&vm->mmio, gpa);
	err = r ? mmio_range_access(r, gpa, size, write, value) : -ENODEV;
	spin_unlock(&vm->devices_lock);
	return err;
}

/* The VM's bus is filled when the VM is made and never changes after: no lock to read it. */
bool mmio_claimed(struct vcpu *v, u64 gpa)
{
	return mmio_find(&v->mmio, gpa) || mmio_find(&v->vm->mmio, gpa);
}

struct emulation {
	struct vcpu *v;
	const struct vm_exit *e;
	bool string;		/* MOVS, STOS, LODS: per element through the guest's tables */
	u32 access;		/* GW_USER at CPL 3 */
	u32 code_bits;
};

static int device_access(struct emulation *x, u64 gpa, u8 size, bool write, u64 *value)
{
	int err = mmio_access(x->v, gpa, size, write, value);

	if (err)
		vm_stop(x->v->vm, "%s %u bytes at guest-physical %#llx, at RIP %#llx: %s",
			write ? "wrote" : "read", size, gpa, x->v->regs.rip, err == -ERANGE ?
			"the access runs past the end of its device's range" :
			"neither its RAM nor a device's");
	return err;
}

/* One element of a string instruction: guest RAM, or else a device behind the guest's tables. */
static int linear_access(struct emulation *x, const struct x86_operand_mem *m, u64 ea, u8 size,
			 bool write, u64 *value)
{
	struct vcpu *v = x->v;
	u64 gla = guest_segment_base(v, (enum segment_reg)m->seg) + ea, gpa;
	enum guest_access_result r;
	struct event fault;

	if (x->code_bits != 64)
		gla = (u32)gla;
	if (write)
		r = guest_write_linear(v, gla, value, size, x->access, &fault);
	else
		r = guest_read_linear(v, gla, value, size, x->access, &fault);
	if (r == GUEST_ACCESS_OK)
		return 0;
	if (r == GUEST_ACCESS_FAULT) {
		vcpu_queue_event(v, &fault);
		return -EFAULT;
	}
	if (guest_translate(v, gla, x->access | (write ? GW_WRITE : 0), &gpa) < 0) {
		vm_stop(v->vm, "its page tables at guest-linear %#llx lie outside its RAM, at RIP "
			"%#llx", gla, v->regs.rip);
		return -EFAULT;
	}
	return device_access(x, gpa, size, write, value);
}

static int reach(struct emulation *x, const struct x86_operand_mem *m, u64 ea, u8 size,
		 bool write, u64 *value)
{
	if (x->string)
		return linear_access(x, m, ea, size, write, value);
	return device_access(x, x->e->memory.gpa, size, write, value);
}

static int emulated_read(void *ctx, const struct x86_operand_mem *m, u64 ea, u8 size, u64 *value)
{
	*value = 0;
	return reach(ctx, m, ea, size, false, value);
}

static int emulated_write(void *ctx, const struct x86_operand_mem *m, u64 ea, u8 size,
			  u64 value)
{
	return reach(ctx, m, ea, size, true, &value);
}

static const struct x86_emulate_ops emulate_ops = {
	.read = emulated_read, .write = emulated_write,
};

static enum exit_action stop_undecodable(struct vcpu *v, const struct vm_exit *e,
					 const u8 *bytes, u32 count)
{
	char what[64];

	format(what, sizeof(what), "an access to guest-physical %#llx", e->memory.gpa);
	vcpu_stop_undecodable(v, what, bytes, count);
	return EXIT_STOP;
}

enum exit_action mmio_emulate(struct vcpu *v, const struct vm_exit *e)
{
	u8 bytes[X86_MAX_INSN_LEN];
	u32 n = guest_exit_instruction(v, bytes, sizeof(bytes));
	struct x86_insn insn;
	struct emulation x = { .v = v, .e = e, .code_bits = guest_code_bits(v) };
	struct x86_emulate_cpu cpu = {
		.gprs = (u64 *)&v->regs, .rflags = &v->regs.rflags,
		.max_elements = MMIO_STRING_BATCH,
	};

	if (!n || x86_decode(bytes, n, x.code_bits, &insn) < 0)
		return stop_undecodable(v, e, bytes, n);
	x.string = insn.op == X86_OP_MOVS || insn.op == X86_OP_STOS || insn.op == X86_OP_LODS;
	if (x.string)
		x.access = virt->guest_cpl(v) == 3 ? GW_USER : 0;
	cpu.next_rip = v->regs.rip + insn.len;
	switch (x86_emulate(&insn, &cpu, &emulate_ops, &x)) {
	case X86_EMULATE_DONE:
		vcpu_skip_instruction(v, insn.len);
		return EXIT_RESUME;
	case X86_EMULATE_AGAIN:
		return EXIT_RESUME;
	case X86_EMULATE_ABORTED:
		return vcpu_is_stopping(v) ? EXIT_STOP : EXIT_RESUME;
	default:
		return stop_undecodable(v, e, bytes, insn.len);
	}
}

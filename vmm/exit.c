/* SPDX-License-Identifier: MIT */
/* The one exit dispatch table, and the handlers for exits the VMM core owns. */
#include "vmm/exit.h"
#include "arch/x86/cpu.h"
#include "arch/x86/vectors.h"
#include "vmm/cpuid.h"
#include "vmm/guest_abi.h"
#include "vmm/hypercall.h"
#include "vmm/msr.h"
#include "vmm/virt.h"
#include "vmm/vm.h"

typedef bool (*exit_handler_t)(struct vcpu *v, const struct vm_exit *e);

static void skip_instruction(struct vcpu *v)
{
	v->regs.rip += v->exit.insn_len;
}

static bool handle_none(struct vcpu *v, const struct vm_exit *e)
{
	(void)v;
	(void)e;
	return true;
}

/* Merge an IN result into RAX: 8- and 16-bit reads keep the rest, 32-bit ones clear it. */
static void set_in_result(struct vcpu *v, u8 size, u32 value)
{
	if (size == 4)
		v->regs.rax = value;
	else if (size == 2)
		v->regs.rax = (v->regs.rax & ~0xffffULL) | (value & 0xffff);
	else
		v->regs.rax = (v->regs.rax & ~0xffULL) | (value & 0xff);
}

static bool handle_io(struct vcpu *v, const struct vm_exit *e)
{
	struct vm *vm = v->vm;

	if (e->io.string) {
		vm_stop(vm, "string I/O (%s) on port %#x, which Vireo does not emulate yet",
			e->io.in ? "INS" : "OUTS", e->io.port);
		return false;
	}
	if (!e->io.in && e->io.port == VIREO_MINIKVM_PORT)
		return hypercall_minikvm(v, (u32)v->regs.rax);
	if (e->io.in)
		set_in_result(v, e->io.size, pio_read(&vm->pio, e->io.port, e->io.size));
	else
		pio_write(&vm->pio, e->io.port, e->io.size, (u32)v->regs.rax);
	skip_instruction(v);
	return true;
}

static bool handle_cpuid(struct vcpu *v, const struct vm_exit *e)
{
	u32 leaf = (u32)v->regs.rax, subleaf = (u32)v->regs.rcx;
	struct cpuid_guest g = { v->id, v->vm->id };
	struct cpuid_result host = { 0, 0, 0, 0 }, out;
	bool basic = leaf < 0x40000000, extended = leaf >= 0x80000000;

	(void)e;
	/* Leaves the host does not have are zero, not the host's highest leaf repeated. */
	if ((basic && leaf <= cpu_features.max_leaf) ||
	    (extended && leaf <= cpu_features.max_ext_leaf)) {
		struct cpuid_regs r = cpuid(leaf, subleaf);
		host = (struct cpuid_result){ r.eax, r.ebx, r.ecx, r.edx };
	}
	cpuid_guest_view(leaf, subleaf, &g, &host, &out);
	v->regs.rax = out.eax;
	v->regs.rbx = out.ebx;
	v->regs.rcx = out.ecx;
	v->regs.rdx = out.edx;
	skip_instruction(v);
	return true;
}

static bool handle_msr_read(struct vcpu *v, const struct vm_exit *e)
{
	u64 value;

	(void)e;
	if (!msr_read(v, (u32)v->regs.rcx, &value)) {
		virt->inject_exception(v, VECTOR_GENERAL_PROTECTION, true, 0);
		return true;
	}
	v->regs.rax = (u32)value;
	v->regs.rdx = value >> 32;
	skip_instruction(v);
	return true;
}

static bool handle_msr_write(struct vcpu *v, const struct vm_exit *e)
{
	u64 value = (v->regs.rdx << 32) | (u32)v->regs.rax;

	(void)e;
	if (!msr_write(v, (u32)v->regs.rcx, value)) {
		virt->inject_exception(v, VECTOR_GENERAL_PROTECTION, true, 0);
		return true;
	}
	skip_instruction(v);
	return true;
}

/* No device can interrupt a guest yet, so a halted guest would sleep for ever: it is done. */
static bool handle_hlt(struct vcpu *v, const struct vm_exit *e)
{
	(void)e;
	skip_instruction(v);
	vm_halted(v->vm);
	return false;
}

static bool handle_hypercall(struct vcpu *v, const struct vm_exit *e)
{
	(void)e;
	return hypercall_handle(v);
}

static bool handle_memory(struct vcpu *v, const struct vm_exit *e)
{
	vm_stop(v->vm, "%s guest-physical %#llx, outside its %llu MiB of RAM",
		e->memory.fetch ? "executed at" : e->memory.write ? "wrote to" : "read from",
		e->memory.gpa, v->vm->mem.size / MiB);
	return false;
}

static bool handle_triple_fault(struct vcpu *v, const struct vm_exit *e)
{
	(void)e;
	vm_stop(v->vm, "triple fault (an exception it could not handle), at RIP %#llx",
		v->regs.rip);
	return false;
}

static bool handle_virt_insn(struct vcpu *v, const struct vm_exit *e)
{
	vm_stop(v->vm, "executed %s, a virtualization instruction guests may not use",
		e->insn.mnemonic);
	return false;
}

/* XSAVE and MONITOR/MWAIT are not offered (CPUID): their instructions act as undefined. */
static bool handle_unoffered_insn(struct vcpu *v, const struct vm_exit *e)
{
	(void)e;
	virt->inject_exception(v, VECTOR_INVALID_OPCODE, false, 0);
	return true;
}

static bool handle_exception(struct vcpu *v, const struct vm_exit *e)
{
	vm_stop(v->vm, "unexpected exception %u (error code %#x)", e->exception.vector,
		e->exception.error_code);
	return false;
}

static bool handle_entry_failed(struct vcpu *v, const struct vm_exit *e)
{
	vm_stop(v->vm, "the CPU refused to enter it: %s", e->entry_failed.why);
	return false;
}

static bool handle_unsupported(struct vcpu *v, const struct vm_exit *e)
{
	vm_stop(v->vm, "exit %s (%#llx), which Vireo does not handle",
		e->native_name ? e->native_name : "?", e->native_code);
	return false;
}

static const exit_handler_t exit_handlers[EXIT_REASON_COUNT] = {
	[EXIT_NONE] = handle_none,
	[EXIT_IO] = handle_io,
	[EXIT_CPUID] = handle_cpuid,
	[EXIT_MSR_READ] = handle_msr_read,
	[EXIT_MSR_WRITE] = handle_msr_write,
	[EXIT_HLT] = handle_hlt,
	[EXIT_HYPERCALL] = handle_hypercall,
	[EXIT_MEMORY] = handle_memory,
	[EXIT_TRIPLE_FAULT] = handle_triple_fault,
	[EXIT_VIRT_INSN] = handle_virt_insn,
	[EXIT_UNOFFERED_INSN] = handle_unoffered_insn,
	[EXIT_EXCEPTION] = handle_exception,
	[EXIT_ENTRY_FAILED] = handle_entry_failed,
	[EXIT_UNSUPPORTED] = handle_unsupported,
};

static const char *const exit_names[EXIT_REASON_COUNT] = {
	[EXIT_NONE] = "none",
	[EXIT_IO] = "I/O",
	[EXIT_CPUID] = "CPUID",
	[EXIT_MSR_READ] = "RDMSR",
	[EXIT_MSR_WRITE] = "WRMSR",
	[EXIT_HLT] = "HLT",
	[EXIT_HYPERCALL] = "hypercall",
	[EXIT_MEMORY] = "memory",
	[EXIT_TRIPLE_FAULT] = "triple fault",
	[EXIT_VIRT_INSN] = "virtualization instruction",
	[EXIT_UNOFFERED_INSN] = "unoffered instruction",
	[EXIT_EXCEPTION] = "exception",
	[EXIT_ENTRY_FAILED] = "failed entry",
	[EXIT_UNSUPPORTED] = "unsupported",
};

const char *exit_reason_name(enum exit_reason r)
{
	return r < EXIT_REASON_COUNT ? exit_names[r] : "?";
}

bool exit_dispatch(struct vcpu *v)
{
	enum exit_reason r = v->exit.reason;

	if (r >= EXIT_REASON_COUNT)
		r = EXIT_UNSUPPORTED;
	v->vm->exits_by_reason[r]++;
	return exit_handlers[r](v, &v->exit);
}

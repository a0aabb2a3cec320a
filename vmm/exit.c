/* SPDX-License-Identifier: MIT */
/* The one exit dispatch table, and the handlers for exits the VMM core owns. */
#include "vmm/exit.h"
#include "arch/x86/cpu.h"
#include "arch/x86/vectors.h"
#include "kernel/format.h"
#include "kernel/printk.h"
#include "vmm/cpuid.h"
#include "vmm/cr_access.h"
#include "vmm/debug_regs.h"
#include "vmm/gdb_vm.h"
#include "vmm/guest_access.h"
#include "vmm/guest_abi.h"
#include "vmm/hypercall.h"
#include "vmm/mmio_emulate.h"
#include "vmm/msr.h"
#include "vmm/string_io.h"
#include "vmm/virt.h"
#include "vmm/vm.h"
#include "vmm/x86_decode.h"

typedef enum exit_action (*exit_handler_t)(struct vcpu *v, const struct vm_exit *e);

static enum exit_action skip_instruction(struct vcpu *v)
{
	vcpu_skip_instruction(v, v->exit.insn_len);
	return EXIT_RESUME;
}

/* A host interrupt (a timer, a kick, VT-x's preemption timer) or a window exit. */
static enum exit_action handle_none(struct vcpu *v, const struct vm_exit *e)
{
	(void)v;
	(void)e;
	return EXIT_RESCHED;
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

static enum exit_action handle_io(struct vcpu *v, const struct vm_exit *e)
{
	struct vm *vm = v->vm;

	if (e->io.string)
		return string_io_emulate(v, e);
	if (!e->io.in && e->io.port == VIREO_MINIKVM_PORT &&
	    (vm->config.devices & VM_DEVICE_MINIKVM))
		return hypercall_minikvm(v, (u32)v->regs.rax);
	if (e->io.in)
		set_in_result(v, e->io.size, vm_port_read(vm, e->io.port, e->io.size));
	else
		vm_port_write(vm, e->io.port, e->io.size, (u32)v->regs.rax);
	return skip_instruction(v);
}

static enum exit_action handle_cpuid(struct vcpu *v, const struct vm_exit *e)
{
	u32 leaf = (u32)v->regs.rax, subleaf = (u32)v->regs.rcx;
	struct cpuid_guest g = { v->id, v->vm->id, v->lapic != NULL,
				 (v->vm->config.devices & VM_DEVICE_KVMCLOCK) != 0 };
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
	return skip_instruction(v);
}

static enum exit_action handle_msr_read(struct vcpu *v, const struct vm_exit *e)
{
	u64 value;

	(void)e;
	if (!msr_read(v, (u32)v->regs.rcx, &value)) {
		vcpu_queue_exception(v, VECTOR_GENERAL_PROTECTION, true, 0);
		return EXIT_RESUME;
	}
	v->regs.rax = (u32)value;
	v->regs.rdx = value >> 32;
	return skip_instruction(v);
}

static enum exit_action handle_msr_write(struct vcpu *v, const struct vm_exit *e)
{
	u64 value = (v->regs.rdx << 32) | (u32)v->regs.rax;

	(void)e;
	if (!msr_write(v, (u32)v->regs.rcx, value)) {
		vcpu_queue_exception(v, VECTOR_GENERAL_PROTECTION, true, 0);
		return EXIT_RESUME;
	}
	return skip_instruction(v);
}

/*
 * HLT: the vCPU sleeps until an interrupt or NMI it can take, costing no CPU. With interrupts
 * off only an NMI can wake it: often a guest's way of ending, so the log says so, once. A
 * guest that waits for a key halts after its prompt: the console shows the prompt then.
 */
static enum exit_action handle_hlt(struct vcpu *v, const struct vm_exit *e)
{
	(void)e;
	if (!(v->regs.rflags & X86_RFLAGS_IF) && !v->told_halted_for_good) {
		v->told_halted_for_good = true;
		pr_info("vm%u %s: vCPU %u halted with interrupts off: only an NMI can wake it\n",
			v->vm->id, v->vm->config.name, v->id);
	}
	skip_instruction(v);
	v->halted = true;
	vm_console_idle(v->vm);
	return EXIT_BLOCK;
}

/* INVD would drop the host's dirty cache lines too: Vireo keeps caches coherent, so a no-op. */
static enum exit_action handle_invd(struct vcpu *v, const struct vm_exit *e)
{
	(void)e;
	return skip_instruction(v);
}

static enum exit_action handle_task_switch(struct vcpu *v, const struct vm_exit *e)
{
	(void)e;
	vm_stop(v->vm, "a hardware task switch (through a task gate, a far JMP or CALL to a TSS, "
		"or IRET with NT set), which Vireo does not emulate on %s", virt->name);
	return EXIT_STOP;
}

static enum exit_action handle_hypercall(struct vcpu *v, const struct vm_exit *e)
{
	(void)e;
	return hypercall_handle(v);
}

/*
 * No RAM and no device at the address: the stop names the access and the instruction (just
 * its bytes where the decoder knows it, else all that could be fetched).
 */
static enum exit_action stop_outside_ram(struct vcpu *v, const struct vm_exit *e)
{
	char linear[40] = "", insn[3 * X86_MAX_INSN_LEN] = "none readable";
	u8 bytes[X86_MAX_INSN_LEN];
	u32 count = e->memory.fetch ? 0 : guest_exit_instruction(v, bytes, sizeof(bytes));
	struct x86_insn decoded;

	if (count && x86_decode(bytes, count, guest_code_bits(v), &decoded) == 0)
		count = decoded.len;
	if (e->memory.gla_valid)
		format(linear, sizeof(linear), " (linear %#llx)", e->memory.gla);
	if (count)
		format_hex_bytes(insn, sizeof(insn), bytes, count);
	vm_stop(v->vm, "%s guest-physical %#llx%s%s, outside its %llu MiB of RAM, at RIP %#llx "
		"(bytes: %s)", e->memory.fetch ? "executed at" : e->memory.write ? "wrote to" :
		"read from", e->memory.gpa, linear, e->memory.in_page_walk ?
		" walking its page tables" : "", v->vm->mem.size / MiB, v->regs.rip,
		e->memory.fetch ? "the fetch itself" : insn);
	return EXIT_STOP;
}

/* A device's range is emulated (vmm/mmio_emulate.c); elsewhere the VM stops. */
static enum exit_action handle_memory(struct vcpu *v, const struct vm_exit *e)
{
	if (!e->memory.fetch && !e->memory.in_page_walk && mmio_claimed(v, e->memory.gpa))
		return mmio_emulate(v, e);
	return stop_outside_ram(v, e);
}

static enum exit_action handle_triple_fault(struct vcpu *v, const struct vm_exit *e)
{
	(void)e;
	vcpu_triple_fault(v, "an exception it could not handle");
	return EXIT_STOP;
}

static enum exit_action handle_virt_insn(struct vcpu *v, const struct vm_exit *e)
{
	vm_stop(v->vm, "executed %s, a virtualization instruction guests may not use",
		e->insn.mnemonic);
	return EXIT_STOP;
}

/* XSAVE, MONITOR/MWAIT and RDTSCP are not offered (CPUID): their instructions act as undefined. */
static enum exit_action handle_unoffered_insn(struct vcpu *v, const struct vm_exit *e)
{
	(void)e;
	vcpu_queue_exception(v, VECTOR_INVALID_OPCODE, false, 0);
	return EXIT_RESUME;
}

/*
 * #DB and #AC are intercepted only so that their delivery cannot loop inside the CPU: they go
 * back to the guest as they came. One raised while the CPU delivered another event combines
 * with it as on bare hardware (vmm/event.c). INT1 is a trap: it returns past its instruction.
 * #BP is intercepted only while gdb debugs the VM: its INT3 stops the VM. A #DB while gdb's
 * breakpoints are in the debug registers may be one of theirs.
 */
static enum exit_action handle_exception(struct vcpu *v, const struct vm_exit *e)
{
	struct event x = e->exception;

	if (x.vector == VECTOR_BREAKPOINT)
		return gdb_vm_breakpoint(v);
	if (x.vector == VECTOR_DEBUG && v->dr_lent && gdb_vm_debug_trap(v, &x))
		return EXIT_RESUME;
	if (x.vector != VECTOR_DEBUG && x.vector != VECTOR_ALIGNMENT_CHECK) {
		vm_stop(v->vm, "unexpected exception %u (error code %#x)", x.vector, x.error_code);
		return EXIT_STOP;
	}
	if (x.type == EVENT_PRIV_SOFT_EXCEPTION) {
		v->regs.rip += x.insn_len;
		x.type = EVENT_EXCEPTION;
	}
	vcpu_exception_during_delivery(v, &x);
	return EXIT_RESUME;
}

static enum exit_action handle_debug_step(struct vcpu *v, const struct vm_exit *e)
{
	(void)e;
	return gdb_vm_step_done(v);
}

static enum exit_action handle_entry_failed(struct vcpu *v, const struct vm_exit *e)
{
	vm_stop(v->vm, "the CPU refused to enter it: %s", e->entry_failed.why);
	return EXIT_STOP;
}

static enum exit_action handle_unsupported(struct vcpu *v, const struct vm_exit *e)
{
	vm_stop(v->vm, "exit %s (%#llx), which Vireo does not handle",
		e->native_name ? e->native_name : "?", e->native_code);
	return EXIT_STOP;
}

static const exit_handler_t exit_handlers[EXIT_REASON_COUNT] = {
	[EXIT_NONE] = handle_none,
	[EXIT_IO] = handle_io,
	[EXIT_CPUID] = handle_cpuid,
	[EXIT_MSR_READ] = handle_msr_read,
	[EXIT_MSR_WRITE] = handle_msr_write,
	[EXIT_HLT] = handle_hlt,
	[EXIT_CR_ACCESS] = handle_cr_access,
	[EXIT_INVD] = handle_invd,
	[EXIT_TASK_SWITCH] = handle_task_switch,
	[EXIT_HYPERCALL] = handle_hypercall,
	[EXIT_MEMORY] = handle_memory,
	[EXIT_TRIPLE_FAULT] = handle_triple_fault,
	[EXIT_VIRT_INSN] = handle_virt_insn,
	[EXIT_UNOFFERED_INSN] = handle_unoffered_insn,
	[EXIT_EXCEPTION] = handle_exception,
	[EXIT_ENTRY_FAILED] = handle_entry_failed,
	[EXIT_UNSUPPORTED] = handle_unsupported,
	[EXIT_DEBUG_STEP] = handle_debug_step,
	[EXIT_DR_ACCESS] = handle_dr_access,
};

static const char *const exit_names[EXIT_REASON_COUNT] = {
	[EXIT_NONE] = "none",
	[EXIT_IO] = "I/O",
	[EXIT_CPUID] = "CPUID",
	[EXIT_MSR_READ] = "RDMSR",
	[EXIT_MSR_WRITE] = "WRMSR",
	[EXIT_HLT] = "HLT",
	[EXIT_CR_ACCESS] = "CR access",
	[EXIT_INVD] = "INVD",
	[EXIT_TASK_SWITCH] = "task switch",
	[EXIT_HYPERCALL] = "hypercall",
	[EXIT_MEMORY] = "memory",
	[EXIT_TRIPLE_FAULT] = "triple fault",
	[EXIT_VIRT_INSN] = "virtualization instruction",
	[EXIT_UNOFFERED_INSN] = "unoffered instruction",
	[EXIT_EXCEPTION] = "exception",
	[EXIT_ENTRY_FAILED] = "failed entry",
	[EXIT_UNSUPPORTED] = "unsupported",
	[EXIT_DEBUG_STEP] = "debug step",
	[EXIT_DR_ACCESS] = "DR access",
};

const char *exit_reason_name(enum exit_reason r)
{
	return r < EXIT_REASON_COUNT ? exit_names[r] : "?";
}

enum exit_action exit_dispatch(struct vcpu *v)
{
	enum exit_reason r = v->exit.reason;

	if (r >= EXIT_REASON_COUNT)
		r = EXIT_UNSUPPORTED;
	v->stats.exits_by_reason[r]++;
	return exit_handlers[r](v, &v->exit);
}

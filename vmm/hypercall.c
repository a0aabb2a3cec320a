/* SPDX-License-Identifier: MIT */
/* Hypercalls. Every guest pointer is guest-physical and checked against that VM's RAM. */
#include "vmm/hypercall.h"
#include "arch/x86/vectors.h"
#include "kernel/errno.h"
#include "vmm/guest_abi.h"
#include "vmm/virt.h"
#include "vmm/vm.h"

#define HC_WRITE_MAX 4096

static void set_result(struct vcpu *v, s64 result)
{
	v->regs.rax = (u64)result;
}

static s64 hc_write(struct vcpu *v, u64 gpa, u64 len)
{
	const u8 *buf;

	if (len > HC_WRITE_MAX)
		return -EINVAL;
	buf = guest_memory_ptr(&v->vm->mem, gpa, len);
	if (!buf)
		return -EFAULT;
	vm_console_write(&v->vm->console, buf, len);
	return (s64)len;
}

enum exit_action hypercall_handle(struct vcpu *v)
{
	u64 nr = v->regs.rax;

	/* A guest's user mode must not reach the hypervisor: as if the instruction did not exist. */
	if (v->exit.hypercall.cpl != 0) {
		vcpu_queue_exception(v, VECTOR_INVALID_OPCODE, false, 0);
		return EXIT_RESUME;
	}
	switch (nr) {
	case VIREO_HC_NOP:
		set_result(v, 0);
		break;
	case VIREO_HC_WRITE:
		set_result(v, hc_write(v, v->regs.rbx, v->regs.rcx));
		break;
	case VIREO_HC_EXIT:
		vm_exit_normally(v->vm, v->regs.rbx);
		return EXIT_STOP;
	default:
		vm_stop(v->vm, "unknown hypercall number %#llx", nr);
		return EXIT_STOP;
	}
	v->regs.rip += v->exit.insn_len;
	return EXIT_RESUME;
}

enum exit_action hypercall_minikvm(struct vcpu *v, u32 value)
{
	switch (value & 0xff) {
	case VIREO_MINIKVM_EXIT:
		vm_exit_normally(v->vm, v->regs.rbx & 0xff);
		return EXIT_STOP;
	case VIREO_MINIKVM_PUTCHAR:
		vm_console_putc(&v->vm->console, (u8)v->regs.rbx);
		break;
	case VIREO_MINIKVM_GETCHAR:
		/* Console input does not reach guests yet: nothing is ever waiting. */
		v->regs.rax = 0xffffffffu;
		break;
	default:
		vm_stop(v->vm, "unknown mini-kvm hypercall %u on port %#x", value & 0xff,
			VIREO_MINIKVM_PORT);
		return EXIT_STOP;
	}
	v->regs.rip += v->exit.insn_len;
	return EXIT_RESUME;
}

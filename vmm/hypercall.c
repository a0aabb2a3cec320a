/* SPDX-License-Identifier: MIT */
/* Hypercalls. Every guest pointer is guest-physical and checked against that VM's RAM. */
#include "vmm/hypercall.h"
#include "arch/x86/cpu.h"
#include "arch/x86/vectors.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "vmm/guest_abi.h"
#include "vmm/virt.h"
#include "vmm/vcpu_run.h"
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
	if (len == 0)
		return 0;
	buf = guest_memory_ptr(&v->vm->mem, gpa, len);
	if (!buf)
		return -EFAULT;
	vm_console_output(v->vm, buf, len);
	return (s64)len;
}

static s64 hc_putchar(struct vcpu *v, u64 c)
{
	u8 byte = (u8)c;

	vm_console_output(v->vm, &byte, 1);
	return 0;
}

static s64 hc_time(const struct vcpu *v)
{
	return (s64)vm_time_ns(v->vm, rdtsc());
}

/* As much of the answer as the guest's buffer holds: a newer ABI's longer one is cut short. */
static s64 hc_vm_info(struct vcpu *v, u64 gpa, u64 len)
{
	const struct vm *vm = v->vm;
	struct vireo_vm_info info = {
		.abi_version = VIREO_ABI_VERSION, .vm_id = vm->id, .vcpu_id = v->id,
		.vcpu_count = vm->vcpu_count, .mem_bytes = vm->mem.size,
	};

	str_copy(info.name, vm->config.name, sizeof(info.name));
	len = MIN(len, sizeof(info));
	if (len == 0)
		return 0;
	return guest_memory_write(&v->vm->mem, gpa, &info, len) < 0 ? -EFAULT : (s64)len;
}

/* Answered, not fatal: a guest probes for calls a newer Vireo has. Logged once per VM. */
static s64 hc_unknown(struct vcpu *v, u64 nr)
{
	if (!__atomic_exchange_n(&v->vm->told_unknown_hypercall, true, __ATOMIC_RELAXED))
		pr_info("vm%u %s: unknown hypercall number %#llx answered -ENOSYS (logged once)\n",
			v->vm->id, v->vm->config.name, nr);
	return -ENOSYS;
}

/* The VM's vCPU number n, or NULL. */
static struct vcpu *vcpu_of(struct vm *vm, u64 n)
{
	return n < vm->vcpu_count ? vm->vcpus[n] : NULL;
}

static s64 hc_send_interrupt(struct vcpu *v, u64 target, u64 vector)
{
	struct vcpu *t = vcpu_of(v->vm, target);

	return t && vector <= 0xff && vcpu_raise_interrupt(t, (u8)vector) ? 0 : -EINVAL;
}

static s64 hc_send_nmi(struct vcpu *v, u64 target)
{
	struct vcpu *t = vcpu_of(v->vm, target);

	if (!t)
		return -EINVAL;
	vcpu_raise_nmi(t);
	return 0;
}

/*
 * A secondary vCPU starts in the caller's mode (its control registers, EFER, segments and
 * descriptor tables: its page tables and IDT too), at rip with rsp, arg in RDI and RBX, the
 * other registers zero and interrupts off.
 */
static s64 hc_start_vcpu(struct vcpu *v, u64 target, u64 rip, u64 rsp, u64 arg)
{
	struct vcpu *t = vcpu_of(v->vm, target);
	struct vcpu_state s;

	if (!t || t == v)
		return -EINVAL;
	virt->get_state(v, &s);
	s.regs = (struct vcpu_regs){ .rip = rip, .rsp = rsp, .rdi = arg, .rbx = arg,
				     .rflags = X86_RFLAGS_FIXED };
	return vcpu_start_in(t, &s);
}

#define SLEEP_MAX_NS (60 * NSEC_PER_SEC)

static void sleep_over(struct timer *t)
{
	struct vcpu *v = container_of(t, struct vcpu, sleep_timer);

	__atomic_store_n(&v->sleeping, false, __ATOMIC_RELEASE);
	vcpu_wake(v);
}

/* The vCPU blocks until its timer says the time is up (vmm/vcpu_run.c sees v->sleeping). */
static enum exit_action hc_sleep(struct vcpu *v, u64 ns)
{
	bool valid = ns != 0 && ns <= SLEEP_MAX_NS;

	set_result(v, valid ? 0 : (u64)-EINVAL);
	vcpu_skip_instruction(v, v->exit.insn_len);
	if (!valid)
		return EXIT_RESUME;
	__atomic_store_n(&v->sleeping, true, __ATOMIC_RELEASE);
	v->sleep_timer.fn = sleep_over;
	timer_arm_ns(&v->sleep_timer, ns);
	return EXIT_BLOCK;
}

/*
 * A key, or none; waiting for one, the vCPU sleeps on VMCALL/VMMCALL itself, which runs again
 * once a key has come (or anything else woke it), so nothing is carried across the sleep.
 */
static enum exit_action hc_getchar(struct vcpu *v, bool wait)
{
	int key = vm_console_getchar(v, wait);

	if (key < 0 && wait)
		return EXIT_BLOCK;
	set_result(v, key < 0 ? (u64)-EAGAIN : (u64)key);
	vcpu_skip_instruction(v, v->exit.insn_len);
	return EXIT_RESUME;
}

enum exit_action hypercall_handle(struct vcpu *v)
{
	const struct vcpu_regs *r = &v->regs;
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
	case VIREO_HC_YIELD:
		set_result(v, 0);
		vcpu_skip_instruction(v, v->exit.insn_len);
		return EXIT_YIELD;
	case VIREO_HC_SEND_INTERRUPT:
		set_result(v, hc_send_interrupt(v, r->rbx, r->rcx));
		break;
	case VIREO_HC_SEND_NMI:
		set_result(v, hc_send_nmi(v, r->rbx));
		break;
	case VIREO_HC_START_VCPU:
		set_result(v, hc_start_vcpu(v, r->rbx, r->rcx, r->rdx, r->rsi));
		break;
	case VIREO_HC_SLEEP:
		return hc_sleep(v, r->rbx);
	case VIREO_HC_GETCHAR:
		return hc_getchar(v, r->rbx == 1);
	case VIREO_HC_PUTCHAR:
		set_result(v, hc_putchar(v, r->rbx));
		break;
	case VIREO_HC_TIME:
		set_result(v, hc_time(v));
		break;
	case VIREO_HC_VM_INFO:
		set_result(v, hc_vm_info(v, r->rbx, r->rcx));
		break;
	case VIREO_HC_VERSION:
		set_result(v, VIREO_ABI_VERSION);
		break;
	default:
		set_result(v, hc_unknown(v, nr));
		break;
	}
	vcpu_skip_instruction(v, v->exit.insn_len);
	return EXIT_RESUME;
}

enum exit_action hypercall_minikvm(struct vcpu *v, u32 value)
{
	u8 ch = (u8)v->regs.rbx;

	switch (value & 0xff) {
	case VIREO_MINIKVM_EXIT:
		vm_exit_normally(v->vm, v->regs.rbx & 0xff);
		return EXIT_STOP;
	case VIREO_MINIKVM_PUTCHAR:
		vm_console_output(v->vm, &ch, 1);
		break;
	case VIREO_MINIKVM_GETCHAR:
		v->regs.rax = (u32)vm_console_getchar(v, false);	/* -1: 0xFFFFFFFF */
		break;
	default:
		vm_stop(v->vm, "unknown mini-kvm hypercall %u on port %#x", value & 0xff,
			VIREO_MINIKVM_PORT);
		return EXIT_STOP;
	}
	vcpu_skip_instruction(v, v->exit.insn_len);
	return EXIT_RESUME;
}

/* SPDX-License-Identifier: MIT */
/*
 * A vCPU's VMCS on the CPUs (SDM Vol. 3C 25.1, 25.11): made current with VMPTRLD when the vCPU
 * is loaded on a CPU, and left active there when it is put, so that running it again on the
 * same CPU costs nothing. Before another CPU may load it, it must be cleared (VMCLEAR) on the
 * CPU whose cache holds it: that CPU is asked to. What the VMCS does not switch (the syscall
 * MSRs, CR2, DR6) is saved at put and restored at load.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/paging.h"
#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "kernel/errno.h"
#include "kernel/id_pool.h"
#include "kernel/memory.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/smp_call.h"
#include "vmm/vm.h"

static struct id_pool vpids_free;	/* VPID 0 is the host's */

/* The syscall MSRs VT-x leaves alone. */
static const u32 swapped_msrs[5] = {
	MSR_KERNEL_GS_BASE, MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK,
};

int vmx_vcpu_init(struct vcpu *v, const struct vcpu_state *s)
{
	struct vmx_vcpu *xv = kzalloc(sizeof(*xv));

	if (!xv)
		return -ENOMEM;
	xv->vmcs_pa = frames_alloc_zeroed(1);
	if (vmx.vpid)
		xv->vpid = (u16)id_pool_get(&vpids_free, ID_POOL_MAX);
	if (!xv->vmcs_pa || (vmx.vpid && !xv->vpid)) {
		pr_err("VT-x: no %s for another vCPU\n", xv->vmcs_pa ? "free VPID" : "memory");
		if (xv->vmcs_pa)
			frames_free(xv->vmcs_pa, 1);
		kfree(xv);
		return -ENOSPC;
	}
	*(u32 *)phys_to_virt(xv->vmcs_pa) = vmx.revision;
	xv->active_cpu = CPU_NONE;
	xv->initial = *s;
	xv->cr2 = s->cr2;
	v->arch = xv;
	return 0;
}

/* VMCLEAR v's VMCS on the CPU whose cache holds it: the calling one. */
static void clear_here(void *arg)
{
	struct vcpu *v = arg;
	struct vmx_vcpu *xv = v->arch;
	struct vmx_cpu *c = this_cpu()->virt_cpu;

	vmclear(xv->vmcs_pa);
	if (c->current == v)
		c->current = NULL;
	xv->active_cpu = CPU_NONE;
	xv->launched = false;
}

/* Make sure no CPU but this one holds v's VMCS. */
static void clear_elsewhere(struct vcpu *v)
{
	struct vmx_vcpu *xv = v->arch;
	u32 cpu = xv->active_cpu;

	if (cpu == CPU_NONE || cpu == this_cpu()->id)
		return;
	if (smp_call(cpu, clear_here, v) < 0)
		pr_err("VT-x: CPU %u did not release the VMCS of a vCPU\n", cpu);
}

void vmx_vcpu_destroy(struct vcpu *v)
{
	struct vmx_vcpu *xv = v->arch;

	clear_elsewhere(v);
	if (xv->active_cpu == this_cpu()->id)
		clear_here(v);
	if (xv->vpid)
		id_pool_put(&vpids_free, xv->vpid);
	frames_free(xv->vmcs_pa, 1);
	kfree(xv);
	v->arch = NULL;
}

/* v's VMCS becomes current here: filled in the first time, its host state this CPU's. */
static bool make_current(struct vcpu *v, struct vmx_cpu *c, u32 cpu)
{
	struct vmx_vcpu *xv = v->arch;
	bool arrived = xv->active_cpu != cpu;

	if (!xv->set_up) {
		if (!vmclear(xv->vmcs_pa) || !vmptrld(xv->vmcs_pa) || !vmx_vmcs_setup(v))
			return false;
		xv->set_up = true;
	} else if (c->current != v && !vmptrld(xv->vmcs_pa)) {
		return false;
	} else if (arrived) {
		vmx_vmcs_set_host();
	}
	c->current = v;
	if (arrived) {
		/* Translations this CPU cached for v on an earlier stay are stale (SDM 29.4). */
		invept(vmx.invept_single ? INVEPT_SINGLE_CONTEXT : INVEPT_ALL_CONTEXTS,
		       ((struct vmx_vm *)v->vm->arch)->eptp);
		if (vmx.vpid)
			invvpid(vmx.invvpid_single ? INVVPID_SINGLE_CONTEXT : INVVPID_ALL_CONTEXTS,
				xv->vpid);
		xv->active_cpu = cpu;
	}
	return true;
}

int vmx_vcpu_load(struct vcpu *v)
{
	struct vmx_vcpu *xv = v->arch;
	u32 cpu = this_cpu()->id;

	clear_elsewhere(v);
	if (!make_current(v, this_cpu()->virt_cpu, cpu))
		return -EIO;
	for (u32 i = 0; i < ARRAY_SIZE(swapped_msrs); i++)
		wrmsr(swapped_msrs[i], xv->syscall_msrs[i]);
	write_cr2(xv->cr2);
	write_dr6(xv->dr6);
	return 0;
}

void vmx_vcpu_put(struct vcpu *v)
{
	struct vmx_vcpu *xv = v->arch;

	for (u32 i = 0; i < ARRAY_SIZE(swapped_msrs); i++)
		xv->syscall_msrs[i] = rdmsr(swapped_msrs[i]);
	xv->cr2 = read_cr2();
	xv->dr6 = read_dr6();
}

u32 vmx_tags_in_use(void)
{
	return id_pool_in_use(&vpids_free);
}

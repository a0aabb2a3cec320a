/* SPDX-License-Identifier: MIT */
/*
 * The VT-x backend (SDM Vol. 3C, chapters 24-31): VMXON on every CPU, a VPID per VM, a VMCS
 * per vCPU with EPT and unrestricted guest, and the VMLAUNCH/VMRESUME loop.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/paging.h"
#include "arch/x86/vmx/ept.h"
#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmx_diagnose.h"
#include "arch/x86/vmx/vmx_exit.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "kernel/errno.h"
#include "kernel/format.h"
#include "kernel/id_pool.h"
#include "kernel/memory.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "vmm/virt.h"
#include "vmm/vm.h"

int vmx_enter(struct vcpu_regs *regs, int launched);

struct vmx_caps vmx;



/*
 * A control value from its capability MSR: bits 31:0 say which bits must be 1, bits 63:32
 * which may be 1 (SDM Vol. 3D A.3). Returns false when a wanted bit is not allowed.
 */
static bool adjust(u32 msr, u32 want, u32 optional, u32 *out)
{
	u64 cap = rdmsr(msr);
	u32 must = (u32)cap, may = (u32)(cap >> 32);

	*out = ((want | (optional & may)) | must) & may;
	return (*out & want) == want;
}

static bool choose_controls(char *why, size_t size)
{
	bool t = vmx.true_controls;

	/*
	 * CR8 accesses exit: without them (or a TPR shadow) a guest's MOV to CR8 would set the
	 * host's own task priority and mask the host's interrupts on this CPU (SDM 25.6.2).
	 * DR7 is loaded at entry and saved at exit (the debug controls): every exit sets it to
	 * 0x400 (SDM 28.5.1), so without them the guest's, or a debugger's, would not last.
	 */
	if (!adjust(t ? MSR_IA32_VMX_TRUE_PINBASED_CTLS : MSR_IA32_VMX_PINBASED_CTLS,
		    PIN_EXTERNAL_INTERRUPT_EXITING | PIN_NMI_EXITING | PIN_VIRTUAL_NMIS |
		    PIN_PREEMPTION_TIMER, 0, &vmx.pin) ||
	    !adjust(t ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS : MSR_IA32_VMX_PROCBASED_CTLS,
		    PROC_HLT_EXITING | PROC_MWAIT_EXITING | PROC_UNCONDITIONAL_IO_EXITING |
		    PROC_USE_MSR_BITMAPS | PROC_MONITOR_EXITING | PROC_SECONDARY_CONTROLS |
		    PROC_CR8_LOAD_EXITING | PROC_CR8_STORE_EXITING, 0, &vmx.proc) ||
	    !adjust(MSR_IA32_VMX_PROCBASED_CTLS2, PROC2_ENABLE_EPT | PROC2_UNRESTRICTED_GUEST,
		    PROC2_ENABLE_VPID, &vmx.proc2) ||
	    !adjust(t ? MSR_IA32_VMX_TRUE_EXIT_CTLS : MSR_IA32_VMX_EXIT_CTLS,
		    EXIT_HOST_ADDRESS_SPACE_SIZE | EXIT_SAVE_EFER | EXIT_LOAD_EFER |
		    EXIT_SAVE_DEBUG_CONTROLS, EXIT_SAVE_PAT | EXIT_LOAD_PAT, &vmx.exit) ||
	    !adjust(t ? MSR_IA32_VMX_TRUE_ENTRY_CTLS : MSR_IA32_VMX_ENTRY_CTLS,
		    ENTRY_LOAD_EFER | ENTRY_LOAD_DEBUG_CONTROLS, ENTRY_LOAD_PAT, &vmx.entry)) {
		format(why, size, "VT-x lacks a control Vireo needs (EPT, unrestricted guest, "
		       "EFER switching, virtual NMIs, the preemption timer, or exiting on "
		       "interrupts, HLT, I/O, CR8, MONITOR/MWAIT)");
		return false;
	}
	if ((~rdmsr(t ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS : MSR_IA32_VMX_PROCBASED_CTLS) >> 32) &
	    (PROC_INTERRUPT_WINDOW_EXITING | PROC_NMI_WINDOW_EXITING)) {
		format(why, size, "VT-x without interrupt-window and NMI-window exiting");
		return false;
	}
	if (vmx.proc & (PROC_CR3_LOAD_EXITING | PROC_CR3_STORE_EXITING)) {
		format(why, size, "VT-x forces CR3-access exiting (no TRUE controls)");
		return false;
	}
	vmx.monitor_trap_flag = (rdmsr(t ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS :
				      MSR_IA32_VMX_PROCBASED_CTLS) >> 32) & PROC_MONITOR_TRAP_FLAG;
	vmx.vpid = vmx.proc2 & PROC2_ENABLE_VPID;
	vmx.pat = (vmx.exit & EXIT_LOAD_PAT) && (vmx.entry & ENTRY_LOAD_PAT);
	if (!vmx.pat) {
		vmx.exit &= ~(EXIT_SAVE_PAT | EXIT_LOAD_PAT);
		vmx.entry &= ~ENTRY_LOAD_PAT;
	}
	return true;
}

static bool choose_ept(char *why, size_t size)
{
	vmx.ept_vpid = rdmsr(MSR_IA32_VMX_EPT_VPID_CAP);
	if (!(vmx.ept_vpid & EPT_CAP_WALK_LENGTH_4) || !(vmx.ept_vpid & EPT_CAP_WRITE_BACK)) {
		format(why, size, "EPT without 4-level tables or write-back memory");
		return false;
	}
	vmx.ept = ept_format;
	if (!(vmx.ept_vpid & EPT_CAP_2M_PAGES))
		vmx.ept.leaf_levels = PT_LEAF_4K;
	else if (vmx.ept_vpid & EPT_CAP_1G_PAGES)
		vmx.ept.leaf_levels |= PT_LEAF_1G;
	vmx.invept_single = vmx.ept_vpid & EPT_CAP_INVEPT_SINGLE;
	vmx.invvpid_single = vmx.ept_vpid & VPID_CAP_INVVPID_SINGLE;
	if (vmx.vpid && !(vmx.ept_vpid & VPID_CAP_INVVPID))
		vmx.vpid = false, vmx.proc2 &= ~PROC2_ENABLE_VPID;
	return true;
}

static bool vmx_probe(char *why, size_t size)
{
	u64 feature_control = 0, basic;

	rdmsr_safe(MSR_IA32_FEATURE_CONTROL, &feature_control);
	if ((feature_control & FEATURE_CONTROL_LOCK) &&
	    !(feature_control & FEATURE_CONTROL_VMX_OUTSIDE_SMX)) {
		format(why, size, "VT-x is disabled by the firmware (IA32_FEATURE_CONTROL is locked "
		       "with VMX off); enable it in the BIOS setup");
		return false;
	}
	basic = rdmsr(MSR_IA32_VMX_BASIC);
	vmx.revision = basic & 0x7fffffff;
	vmx.true_controls = basic & VMX_BASIC_TRUE_CONTROLS;
	if (!choose_controls(why, size) || !choose_ept(why, size))
		return false;
	vmx.cr0_fixed0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0);
	vmx.cr0_fixed1 = rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	vmx.cr4_fixed0 = rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	vmx.cr4_fixed1 = rdmsr(MSR_IA32_VMX_CR4_FIXED1);
	/* Unrestricted guests may clear PE and PG; every other fixed bit is the host's. */
	vmx.cr0_host_owned = (vmx.cr0_fixed0 | ~vmx.cr0_fixed1) & ~(X86_CR0_PE | X86_CR0_PG);
	vmx.cr4_host_owned = vmx.cr4_fixed0 | ~vmx.cr4_fixed1;
	vmx.preemption_timer_shift = rdmsr(MSR_IA32_VMX_MISC) & 0x1f;
	return true;
}

/* Let the guest use msr without exits: clear its read and write bits (SDM 25.6.9). */
static void msr_bitmap_allow(u8 *bitmap, u32 msr)
{
	u32 offset = msr < 0x2000 ? 0 : 1024;	/* low MSRs, then 0xC0000000-0xC0001FFF */

	msr &= 0x1fff;
	bitmap[offset + msr / 8] &= (u8)~BIT(msr % 8);		/* read */
	bitmap[2048 + offset + msr / 8] &= (u8)~BIT(msr % 8);	/* write */
}

static int vmx_init(const struct guest_policy *policy)
{
	u8 *bitmap;

	pr_info("VT-x: VMCS revision %#x, EPT (%s pages, %s), VPID %s, unrestricted guest yes, "
		"preemption timer (TSC/%u), %s controls\n", vmx.revision,
		vmx.ept.leaf_levels & PT_LEAF_1G ? "4K, 2M and 1G" :
		vmx.ept.leaf_levels & PT_LEAF_2M ? "4K and 2M" : "4K",
		vmx.invept_single ? "single-context INVEPT" : "global INVEPT",
		vmx.vpid ? "yes" : "no", 1u << vmx.preemption_timer_shift, vmx.true_controls ? "TRUE" : "legacy");
	pr_info("VT-x: controls pin %#x, primary %#x, secondary %#x, exit %#x, entry %#x; CR0 "
		"fixed %#llx/%#llx, CR4 fixed %#llx/%#llx\n", vmx.pin, vmx.proc, vmx.proc2,
		vmx.exit, vmx.entry, vmx.cr0_fixed0, vmx.cr0_fixed1, vmx.cr4_fixed0, vmx.cr4_fixed1);
	vmx.msr_bitmap_pa = frames_alloc_zeroed(1);
	if (!vmx.msr_bitmap_pa)
		return -ENOMEM;
	bitmap = phys_to_virt(vmx.msr_bitmap_pa);
	memset(bitmap, 0xff, PAGE_SIZE);
	for (u32 i = 0; i < policy->msr_passthrough_count; i++)
		msr_bitmap_allow(bitmap, policy->msr_passthrough[i]);
	/* CR4 bits the guest may not set are masked too: their writes exit and get #GP. */
	vmx.cr4_host_owned |= ~policy->cr4_allowed;
	return 0;
}

static const struct pt_format *vmx_slat_format(void)
{
	return &vmx.ept;
}

/* IA32_FEATURE_CONTROL: set and lock VMX outside SMX when the firmware left it open. */
static bool feature_control_allows_vmx(void)
{
	u64 fc = rdmsr(MSR_IA32_FEATURE_CONTROL);

	if (!(fc & FEATURE_CONTROL_LOCK)) {
		fc |= FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMX_OUTSIDE_SMX;
		wrmsr(MSR_IA32_FEATURE_CONTROL, fc);
	}
	return fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX;
}

static int vmx_cpu_enable(void)
{
	struct vmx_cpu *c = kzalloc(sizeof(*c));
	u32 cpu = this_cpu()->id;

	if (!c)
		return -ENOMEM;
	if (!feature_control_allows_vmx()) {
		pr_err("VT-x: CPU %u: IA32_FEATURE_CONTROL is locked with VMX off\n", cpu);
		kfree(c);
		return -EPERM;
	}
	/* CR0 and CR4 must respect the fixed bits in VMX operation (SDM 24.8). */
	write_cr0((read_cr0() | vmx.cr0_fixed0) & vmx.cr0_fixed1);
	write_cr4((read_cr4() | vmx.cr4_fixed0 | X86_CR4_VMXE) & vmx.cr4_fixed1);
	c->vmxon_pa = frames_alloc_zeroed(1);
	if (!c->vmxon_pa) {
		kfree(c);
		return -ENOMEM;
	}
	*(u32 *)phys_to_virt(c->vmxon_pa) = vmx.revision;
	if (!vmxon(c->vmxon_pa)) {
		pr_err("VT-x: CPU %u: VMXON failed\n", cpu);
		frames_free(c->vmxon_pa, 1);
		kfree(c);
		return -EIO;
	}
	invept(INVEPT_ALL_CONTEXTS, 0);
	this_cpu()->virt_cpu = c;
	return 0;
}

static int vmx_vm_init(struct vm *vm)
{
	struct vmx_vm *x = kzalloc(sizeof(*x));

	if (!x)
		return -ENOMEM;
	x->eptp = vm->mem.slat.root | EPTP_WALK_LENGTH_4 | EPTP_MEMORY_TYPE_WB;
	vm->arch = x;
	return 0;
}

static void vmx_vm_destroy(struct vm *vm)
{
	kfree(vm->arch);
	vm->arch = NULL;
}

static void entry_failed(struct vcpu *v, const char *why)
{
	v->exit.reason = EXIT_ENTRY_FAILED;
	v->exit.native_name = "VM entry";
	v->exit.entry_failed.why = why;
}

static void read_exit(struct vmx_exit_info *info)
{
	info->reason = (u32)vmread(VMCS_EXIT_REASON);
	info->qualification = vmread(VMCS_EXIT_QUALIFICATION);
	info->insn_len = (u32)vmread(VMCS_EXIT_INSTRUCTION_LENGTH);
	if (vmx_exit_needs_interruption_info(info->reason)) {
		info->interruption_info = (u32)vmread(VMCS_EXIT_INTERRUPTION_INFO);
		info->interruption_error = (u32)vmread(VMCS_EXIT_INTERRUPTION_ERROR_CODE);
	}
	if (vmx_exit_needs_guest_physical(info->reason)) {
		info->guest_physical = vmread(VMCS_GUEST_PHYSICAL_ADDRESS);
		if (vmx_exit_needs_guest_linear(info->reason, info->qualification))
			info->guest_linear = vmread(VMCS_GUEST_LINEAR_ADDRESS);
	}
	if (vmx_exit_needs_vectoring(info->reason)) {
		info->idt_vectoring_info = (u32)vmread(VMCS_IDT_VECTORING_INFO);
		info->idt_vectoring_error = (u32)vmread(VMCS_IDT_VECTORING_ERROR_CODE);
	}
	if (vmx_exit_needs_cpl(info->reason))
		info->ss_access_rights = (u32)vmread(VMCS_GUEST_ES_ACCESS_RIGHTS + 2 * SEG_SS);
}

/* Read back what VM entry checks, and name the first field that fails. */
static const char *diagnose_guest_state(char *buf, size_t size)
{
	struct vmx_segment *segs[SEG_COUNT];
	struct vmx_guest_state g = {
		.cr0 = vmread(VMCS_GUEST_CR0),
		.cr4 = vmread(VMCS_GUEST_CR4),
		.efer = vmread(VMCS_GUEST_EFER),
		.rflags = vmread(VMCS_GUEST_RFLAGS),
		.rip = vmread(VMCS_GUEST_RIP),
		.link_pointer = vmread(VMCS_LINK_POINTER),
		.entry_controls = (u32)vmread(VMCS_ENTRY_CONTROLS),
		.secondary_controls = (u32)vmread(VMCS_PROC_CONTROLS2),
		.cr0_fixed0 = vmx.cr0_fixed0, .cr0_fixed1 = vmx.cr0_fixed1,
		.cr4_fixed0 = vmx.cr4_fixed0, .cr4_fixed1 = vmx.cr4_fixed1,
		.gdtr_limit = (u32)vmread(VMCS_GUEST_GDTR_LIMIT),
		.idtr_limit = (u32)vmread(VMCS_GUEST_IDTR_LIMIT),
		.activity_state = (u32)vmread(VMCS_GUEST_ACTIVITY_STATE),
		.interruptibility = (u32)vmread(VMCS_GUEST_INTERRUPTIBILITY),
	};
	const char *why;

	segs[SEG_ES] = &g.es, segs[SEG_CS] = &g.cs, segs[SEG_SS] = &g.ss, segs[SEG_DS] = &g.ds;
	segs[SEG_FS] = &g.fs, segs[SEG_GS] = &g.gs, segs[SEG_LDTR] = &g.ldtr, segs[SEG_TR] = &g.tr;
	for (u32 i = 0; i < SEG_COUNT; i++)
		*segs[i] = (struct vmx_segment){ (u16)vmread(VMCS_GUEST_ES_SELECTOR + 2 * i),
						 (u32)vmread(VMCS_GUEST_ES_ACCESS_RIGHTS + 2 * i),
						 (u32)vmread(VMCS_GUEST_ES_LIMIT + 2 * i),
						 vmread(VMCS_GUEST_ES_BASE + 2 * i) };
	why = vmx_check_guest_state(&g, buf, size);
	return why ? why : "invalid guest state (not one of the checks Vireo knows)";
}

static void after_exit(struct vcpu *v, const struct vmx_exit_info *info)
{
	struct vmx_vcpu *xv = v->arch;

	vmx_decode_exit(info, &v->exit);
	if (v->exit.reason == EXIT_ENTRY_FAILED &&
	    (info->reason & 0xffff) == VMX_EXIT_INVALID_GUEST_STATE) {
		v->exit.entry_failed.why = diagnose_guest_state(xv->diagnosis,
								sizeof(xv->diagnosis));
	}
}

static void vmx_vcpu_run(struct vcpu *v)
{
	struct vmx_vcpu *xv = v->arch;
	struct vmx_exit_info info = { 0 };

	vmwrite(VMCS_GUEST_RIP, v->regs.rip);
	vmwrite(VMCS_GUEST_RSP, v->regs.rsp);
	vmwrite(VMCS_GUEST_RFLAGS, v->regs.rflags);
	vmx_events_before_entry(xv, v->run_until);
	irq_disable();
	if (vmx_enter(&v->regs, xv->launched)) {
		irq_enable();
		entry_failed(v, vmx_instruction_error_name((u32)vmread(VMCS_INSTRUCTION_ERROR)));
		return;
	}
	xv->launched = true;
	read_exit(&info);
	/* The NMI was consumed by the exit: run the host's handler as the CPU would have. */
	if (vmx_exit_is_nmi(&info))
		__asm__ volatile("int $2");
	irq_enable();	/* a pending host interrupt (the exit's cause, maybe) is taken here */
	v->regs.rip = vmread(VMCS_GUEST_RIP);
	v->regs.rsp = vmread(VMCS_GUEST_RSP);
	v->regs.rflags = vmread(VMCS_GUEST_RFLAGS);
	xv->exit_rip = v->regs.rip;
	after_exit(v, &info);
	if (unlikely(xv->event_work & VMX_WORK_DEBUG_TF))
		vmx_debug_step_after_exit(v);
}

const struct virt_ops vmx_ops = {
	.name = "VT-x",
	.slat_name = "EPT",
	.preemption_timer = true,
	.probe = vmx_probe,
	.init = vmx_init,
	.slat_format = vmx_slat_format,
	.cpu_enable = vmx_cpu_enable,
	.vm_init = vmx_vm_init,
	.vm_destroy = vmx_vm_destroy,
	.vcpu_init = vmx_vcpu_init,
	.vcpu_destroy = vmx_vcpu_destroy,
	.tags_in_use = vmx_tags_in_use,
	.vcpu_load = vmx_vcpu_load,
	.vcpu_put = vmx_vcpu_put,
	.vcpu_run = vmx_vcpu_run,
	.get_state = vmx_get_state,
	.set_state = vmx_set_state,
	.guest_cpl = vmx_guest_cpl,
	.get_segment = vmx_get_segment,
	.get_cr = vmx_get_cr,
	.set_cr = vmx_set_cr,
	.get_efer = vmx_get_efer,
	.set_efer = vmx_set_efer,
	.inject_event = vmx_inject_event,
	.interrupt_allowed = vmx_interrupt_allowed,
	.nmi_allowed = vmx_nmi_allowed,
	.request_irq_window = vmx_request_irq_window,
	.request_nmi_window = vmx_request_nmi_window,
	.request_immediate_exit = vmx_request_immediate_exit,
	.flush_guest_tlb = vmx_flush_guest_tlb,
	.set_guest_debug = vmx_set_guest_debug,
	.get_dr = vmx_get_dr,
	.set_dr = vmx_set_dr,
	.intercept_dr_access = vmx_intercept_dr_access,
};

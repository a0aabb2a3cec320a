/* SPDX-License-Identifier: MIT */
/*
 * The AMD-V backend (APM Vol. 2, chapter 15): EFER.SVME and a host save area on every CPU, an
 * ASID per VM, a VMCB per vCPU with nested paging, and the VMRUN loop. It needs neither
 * NRIP-save nor decode assists, and uses NRIP-save when present.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/paging.h"
#include "arch/x86/svm/npt.h"
#include "arch/x86/svm/svm.h"
#include "arch/x86/svm/svm_exit.h"
#include "arch/x86/svm/vmcb.h"
#include "kernel/errno.h"
#include "kernel/format.h"
#include "kernel/id_pool.h"
#include "kernel/memory.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "vmm/virt.h"
#include "vmm/vm.h"

#define MSR_VM_CR 0xc0010114
#define MSR_VM_HSAVE_PA 0xc0010117
#define VM_CR_LOCK BIT(3)
#define VM_CR_SVMDIS BIT(4)

/* CPUID 0x8000000A EDX */
#define SVM_FEATURE_NPT BIT(0)
#define SVM_FEATURE_NRIP_SAVE BIT(3)
#define SVM_FEATURE_VMCB_CLEAN BIT(5)
#define SVM_FEATURE_FLUSH_BY_ASID BIT(6)
#define SVM_FEATURE_DECODE_ASSISTS BIT(7)

#define IOPM_PAGES 3		/* 64K ports + the page that catches wrapping accesses */
#define MSRPM_PAGES 2
#define DEFAULT_PAT 0x0007040600070406ULL
#define DR6_INIT 0xffff0ff0
#define DR7_INIT 0x400

void svm_enter(u64 guest_vmcb_pa, struct vcpu_regs *regs, u64 host_vmcb_pa);

struct svm_cpu {
	u64 host_save_pa;	/* VM_HSAVE_PA: where VMRUN keeps the host state */
	u64 host_vmcb_pa;	/* VMSAVE/VMLOAD of the host's FS, GS, TR, LDTR, syscall MSRs */
};


struct svm_caps svm;

static inline void clgi(void)
{
	__asm__ volatile("clgi" : : : "memory");
}

static inline void stgi(void)
{
	__asm__ volatile("stgi" : : : "memory");
}

/*
 * QEMU's TCG names itself in the hypervisor leaf, EBX ECX EDX: "TCGTCGTCGTCG". The leaf
 * means something only under a hypervisor (CPUID.1:ECX[31]); on hardware it is out of range.
 */
static bool host_is_qemu_tcg(void)
{
	struct cpuid_regs r;
	char signature[12];

	if (!cpu_features.hypervisor)
		return false;
	r = cpuid(0x40000000, 0);
	memcpy(signature + 0, &r.ebx, 4);
	memcpy(signature + 4, &r.ecx, 4);
	memcpy(signature + 8, &r.edx, 4);
	return memcmp(signature, "TCGTCGTCGTCG", sizeof(signature)) == 0;
}

static bool svm_probe(char *why, size_t size)
{
	struct cpuid_regs r;
	u64 vm_cr;

	if (cpuid(0x80000000, 0).eax < 0x8000000a) {
		format(why, size, "the CPU has SVM but no SVM feature leaf (CPUID 0x8000000A)");
		return false;
	}
	if (rdmsr_safe(MSR_VM_CR, &vm_cr) && (vm_cr & VM_CR_SVMDIS)) {
		format(why, size, "AMD-V is disabled by the firmware (VM_CR.SVMDIS%s); enable SVM "
		       "in the BIOS setup", vm_cr & VM_CR_LOCK ? ", locked" : "");
		return false;
	}
	r = cpuid(0x8000000a, 0);
	if (!(r.edx & SVM_FEATURE_NPT)) {
		format(why, size, "AMD-V without nested paging (NPT), which Vireo requires");
		return false;
	}
	svm.revision = r.eax & 0xff;
	svm.asids = r.ebx;
	svm.nrip_save = r.edx & SVM_FEATURE_NRIP_SAVE;
	svm.vmcb_clean = r.edx & SVM_FEATURE_VMCB_CLEAN;
	svm.flush_by_asid = r.edx & SVM_FEATURE_FLUSH_BY_ASID;
	svm.decode_assists = r.edx & SVM_FEATURE_DECODE_ASSISTS;
	svm.qemu_tcg = host_is_qemu_tcg();
	svm.npt = npt_format;
	if (cpu_features.pdpe1gb)	/* nested tables take 1 GiB leaves like the host's */
		svm.npt.leaf_levels |= PT_LEAF_1G;
	return true;
}

/* Let the guest read and write msr without an exit: clear its two bits in the permission map. */
static void msrpm_allow(u8 *msrpm, u32 msr)
{
	u32 base;

	if (msr < 0x2000)
		base = 0;
	else if (msr - 0xc0000000u < 0x2000)
		base = 0x800, msr -= 0xc0000000u;
	else
		return;
	/* Two bits per MSR, read then write (APM 15.11). */
	msrpm[base + msr / 4] &= (u8)~(3u << (2 * (msr % 4)));
}

static int svm_init(const struct guest_policy *policy)
{
	u8 *msrpm;

	pr_info("AMD-V: SVM revision %u, %u ASIDs, NPT yes (%s pages), NRIP-save %s, decode "
		"assists %s, flush-by-ASID %s, VMCB clean bits %s%s\n", svm.revision, svm.asids,
		svm.npt.leaf_levels & PT_LEAF_1G ? "4K, 2M and 1G" : "4K and 2M",
		svm.nrip_save ? "yes" : "no", svm.decode_assists ? "yes" : "no",
		svm.flush_by_asid ? "yes" : "no", svm.vmcb_clean ? "yes" : "no",
		svm.qemu_tcg ? "; QEMU TCG: an exit after each injected interrupt" : "");
	svm.iopm_pa = frames_alloc_zeroed(IOPM_PAGES);
	svm.msrpm_pa = frames_alloc_zeroed(MSRPM_PAGES);
	if (!svm.iopm_pa || !svm.msrpm_pa)
		return -ENOMEM;
	/* Every port and MSR exits, except the MSRs whose guest values VMLOAD/VMSAVE switch. */
	memset(phys_to_virt(svm.iopm_pa), 0xff, IOPM_PAGES * PAGE_SIZE);
	msrpm = phys_to_virt(svm.msrpm_pa);
	memset(msrpm, 0xff, MSRPM_PAGES * PAGE_SIZE);
	for (u32 i = 0; i < policy->msr_passthrough_count; i++)
		msrpm_allow(msrpm, policy->msr_passthrough[i]);
	return 0;
}

static const struct pt_format *svm_slat_format(void)
{
	return &svm.npt;
}

static int svm_cpu_enable(void)
{
	struct svm_cpu *c = kzalloc(sizeof(*c));

	if (!c)
		return -ENOMEM;
	c->host_save_pa = frames_alloc_zeroed(1);
	c->host_vmcb_pa = frames_alloc_zeroed(1);
	if (!c->host_save_pa || !c->host_vmcb_pa) {
		pr_err("AMD-V: CPU %u: out of memory\n", this_cpu()->id);
		if (c->host_save_pa)
			frames_free(c->host_save_pa, 1);
		kfree(c);
		return -ENOMEM;
	}
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, c->host_save_pa);
	/* The host's FS/GS/TR/LDTR and syscall MSRs never change: save them once. */
	__asm__ volatile("vmsave %%rax" : : "a"(c->host_vmcb_pa) : "memory");
	this_cpu()->virt_cpu = c;
	return 0;
}

static void setup_control(struct vmcb_control *c, struct vm *vm, u32 asid)
{
	/*
	 * CR0 and CR4 writes go through the VMM's checks (vmm/control_regs.c): CPUID-hidden CR4
	 * bits, and EFER.LME kept from the VMCB while paging is off (struct svm_vcpu).
	 */
	c->intercept_cr = SVM_INTERCEPT_CR_WRITE(0) | SVM_INTERCEPT_CR_WRITE(4);
	/*
	 * With a local APIC, CR8 is its TPR[7:4] (SDM Vol. 3A 11.8.6.5): its accesses reach
	 * the APIC model instead of V_TPR, and a lowered priority lets a pending interrupt in
	 * at once.
	 */
	if (vm->config.devices & VM_DEVICE_LAPIC)
		c->intercept_cr |= SVM_INTERCEPT_CR_READ(8) | SVM_INTERCEPT_CR_WRITE(8);
	/*
	 * #DB and #AC always exit and are reflected: a #DB raised by delivering a #DB, or an #AC
	 * by delivering an #AC, would otherwise loop inside the CPU for ever (CVE-2015-8104,
	 * CVE-2015-5307).
	 */
	c->intercept_exceptions = BIT(1) | BIT(17);
	/* INVD would throw away the host's dirty cache lines: the VMM makes it a no-op. */
	c->intercept_misc1 = SVM_INTERCEPT_INTR | SVM_INTERCEPT_NMI | SVM_INTERCEPT_SMI |
			     SVM_INTERCEPT_INIT | SVM_INTERCEPT_CPUID | SVM_INTERCEPT_HLT |
			     SVM_INTERCEPT_INVLPGA | SVM_INTERCEPT_IOIO | SVM_INTERCEPT_MSR |
			     SVM_INTERCEPT_SHUTDOWN | SVM_INTERCEPT_INVD;
	/*
	 * Every SVM instruction is intercepted (VMRUN must be, APM 15.5.1), and RDTSCP, which
	 * CPUID does not offer (TSC_AUX is the host's).
	 */
	c->intercept_misc2 = SVM_INTERCEPT2_VMRUN | SVM_INTERCEPT2_VMMCALL | SVM_INTERCEPT2_VMLOAD |
			     SVM_INTERCEPT2_VMSAVE | SVM_INTERCEPT2_STGI | SVM_INTERCEPT2_CLGI |
			     SVM_INTERCEPT2_SKINIT | SVM_INTERCEPT2_MONITOR | SVM_INTERCEPT2_MWAIT |
			     SVM_INTERCEPT2_XSETBV | SVM_INTERCEPT2_RDTSCP;
	c->iopm_base_pa = svm.iopm_pa;
	c->msrpm_base_pa = svm.msrpm_pa;
	c->guest_asid = asid;
	c->tlb_control = SVM_TLB_FLUSH_ALL;	/* the ASID may have served another vCPU before */
	c->v_intr = SVM_V_INTR_MASKING;
	c->np_control = SVM_NP_ENABLE;
	c->n_cr3 = vm->mem.slat.root;
}

/* What no struct vcpu_state holds starts at its reset value (APM 14.1.3). */
static void reset_save(struct vmcb_save *s)
{
	s->dr6 = DR6_INIT;
	s->dr7 = DR7_INIT;
	s->g_pat = DEFAULT_PAT;
}

/* Each vCPU has an ASID of its own: running another vCPU on a CPU flushes nothing. */
static int svm_vcpu_init(struct vcpu *v, const struct vcpu_state *s)
{
	struct svm_vcpu *sv = kzalloc(sizeof(*sv));

	if (!sv)
		return -ENOMEM;
	sv->vmcb_pa = frames_alloc_zeroed(1);
	sv->asid = id_pool_get(&svm.asids_free, svm.asids);
	if (!sv->vmcb_pa || !sv->asid) {
		pr_err("AMD-V: no %s for another vCPU (the CPU has %u ASIDs)\n",
		       sv->vmcb_pa ? "free ASID" : "memory", svm.asids);
		if (sv->vmcb_pa)
			frames_free(sv->vmcb_pa, 1);
		kfree(sv);
		return -ENOSPC;
	}
	sv->vmcb = phys_to_virt(sv->vmcb_pa);
	sv->last_cpu = CPU_NONE;
	setup_control(&sv->vmcb->control, v->vm, sv->asid);
	reset_save(&sv->vmcb->save);
	svm_write_state(sv, s);
	v->arch = sv;
	return 0;
}

static void svm_vcpu_destroy(struct vcpu *v)
{
	struct svm_vcpu *sv = v->arch;

	id_pool_put(&svm.asids_free, sv->asid);
	frames_free(sv->vmcb_pa, 1);
	kfree(sv);
	v->arch = NULL;
}

/*
 * The VMCB is plain memory and VMLOAD/VMSAVE switch what VMRUN does not, so loading a vCPU
 * is only this: on a CPU other than the last, its ASID may have stale translations from an
 * earlier stay there, so they go (APM 15.16).
 */
static int svm_vcpu_load(struct vcpu *v)
{
	struct svm_vcpu *sv = v->arch;
	u32 cpu = this_cpu()->id;

	if (sv->last_cpu != cpu) {
		svm_flush_guest_tlb(v);
		sv->last_cpu = cpu;
	}
	sv->host_vmcb_pa = ((struct svm_cpu *)this_cpu()->virt_cpu)->host_vmcb_pa;
	return 0;
}

static void svm_vcpu_put(struct vcpu *v)
{
	(void)v;	/* everything of the guest is in its VMCB already */
}

static void svm_vcpu_run(struct vcpu *v)
{
	struct svm_vcpu *sv = v->arch;
	struct vmcb *vmcb = sv->vmcb;

	vmcb->save.rip = v->regs.rip;
	vmcb->save.rsp = v->regs.rsp;
	vmcb->save.rflags = v->regs.rflags;
	vmcb->save.rax = v->regs.rax;

	/*
	 * With GIF clear nothing interrupts the switch; with IF set, V_INTR_MASKING lets host
	 * interrupts that arrive in the guest end it (INTR exit). STGI then takes them here.
	 */
	irq_disable();
	clgi();
	svm_events_before_entry(sv);
	irq_enable();
	svm_enter(sv->vmcb_pa, &v->regs, sv->host_vmcb_pa);
	stgi();

	v->regs.rip = vmcb->save.rip;
	v->regs.rsp = vmcb->save.rsp;
	v->regs.rflags = vmcb->save.rflags;
	v->regs.rax = vmcb->save.rax;
	vmcb->control.tlb_control = SVM_TLB_FLUSH_NONE;
	svm_decode_exit(vmcb, svm.nrip_save, svm.decode_assists, &v->exit);
	if (svm_events_after_exit(v, sv, v->regs.rip)) {
		v->exit.reason = EXIT_NONE;	/* the backend's own single step */
		v->exit.vectoring_valid = false;
	}
}

static u32 svm_tags_in_use(void)
{
	return id_pool_in_use(&svm.asids_free);
}

const struct virt_ops svm_ops = {
	.name = "AMD-V",
	.slat_name = "NPT",
	.probe = svm_probe,
	.init = svm_init,
	.slat_format = svm_slat_format,
	.cpu_enable = svm_cpu_enable,
	.vcpu_init = svm_vcpu_init,
	.vcpu_destroy = svm_vcpu_destroy,
	.tags_in_use = svm_tags_in_use,
	.vcpu_load = svm_vcpu_load,
	.vcpu_put = svm_vcpu_put,
	.vcpu_run = svm_vcpu_run,
	.get_state = svm_get_state,
	.set_state = svm_set_state,
	.guest_cpl = svm_guest_cpl,
	.get_segment = svm_get_segment,
	.get_cr = svm_get_cr,
	.set_cr = svm_set_cr,
	.get_efer = svm_get_efer,
	.set_efer = svm_set_efer,
	.inject_event = svm_inject_event,
	.interrupt_allowed = svm_interrupt_allowed,
	.nmi_allowed = svm_nmi_allowed,
	.request_irq_window = svm_request_irq_window,
	.request_nmi_window = svm_request_nmi_window,
	.request_immediate_exit = svm_request_immediate_exit,
	.flush_guest_tlb = svm_flush_guest_tlb,
	.set_guest_debug = svm_set_guest_debug,
	.get_dr = svm_get_dr,
	.set_dr = svm_set_dr,
	.intercept_dr_access = svm_intercept_dr_access,
};

/* SPDX-License-Identifier: MIT */
/* Filling a VMCS: controls, the host state of this CPU, and the guest state (SDM Vol. 3C 25). */
#include "arch/x86/cpu.h"
#include "arch/x86/gdt.h"
#include "arch/x86/msr.h"
#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "vmm/vm.h"

#define VMCS_GUEST_DEBUGCTL 0x2802
#define DR7_INIT 0x400
#define AR_UNUSABLE BIT(16)
#define DEFAULT_PAT 0x0007040600070406ULL

void vmx_exit(void);

static u32 failed_field;

static void write(u32 field, u64 value)
{
	if (!vmwrite(field, value) && !failed_field)
		failed_field = field;
}

/* Neutral attributes keep descriptor bits 40-47 and 52-55; VMX puts the latter at 12-15. */
u32 vmx_access_rights(u16 attrib)
{
	if (!attrib)
		return AR_UNUSABLE;
	return (attrib & 0xff) | ((u32)(attrib & 0xf00) << 4);
}

u16 vmx_attrib(u32 access_rights)
{
	if (access_rights & AR_UNUSABLE)
		return 0;
	return (u16)((access_rights & 0xff) | ((access_rights >> 4) & 0xf00));
}

void vmx_write_guest_cr0(u64 value)
{
	u64 host_bits = vmx.cr0_fixed0 & vmx.cr0_host_owned;

	write(VMCS_CR0_READ_SHADOW, value);
	write(VMCS_GUEST_CR0, ((value & ~vmx.cr0_host_owned) | host_bits) & vmx.cr0_fixed1);
}

void vmx_write_guest_cr4(u64 value)
{
	write(VMCS_CR4_READ_SHADOW, value);
	write(VMCS_GUEST_CR4, (value | vmx.cr4_fixed0) & vmx.cr4_fixed1);
}

static void setup_controls(struct vcpu *v, const struct vcpu_state *s)
{
	struct vmx_vm *xvm = v->vm->arch;

	write(VMCS_PIN_CONTROLS, vmx.pin);
	write(VMCS_PROC_CONTROLS, vmx.proc);
	((struct vmx_vcpu *)v->arch)->proc = vmx.proc;
	write(VMCS_PROC_CONTROLS2, vmx.proc2);
	write(VMCS_EXIT_CONTROLS, vmx.exit);
	write(VMCS_ENTRY_CONTROLS, (vmx.entry & ~ENTRY_IA32E_MODE_GUEST) |
				   (s->efer & EFER_LMA ? ENTRY_IA32E_MODE_GUEST : 0));
	write(VMCS_EXCEPTION_BITMAP, VMX_CONTAINED_EXCEPTIONS);
	write(VMCS_MSR_BITMAP, vmx.msr_bitmap_pa);
	write(VMCS_EPT_POINTER, xvm->eptp);
	if (vmx.vpid)
		write(VMCS_VPID, ((struct vmx_vcpu *)v->arch)->vpid);
	write(VMCS_CR0_GUEST_HOST_MASK, vmx.cr0_host_owned);
	write(VMCS_CR4_GUEST_HOST_MASK, vmx.cr4_host_owned);
	write(VMCS_LINK_POINTER, ~0ULL);
	write(VMCS_ENTRY_INTERRUPTION_INFO, 0);
}

/* The host state: what a VM exit loads, taken from this CPU (its GDT, TSS, GS base). */
void vmx_vmcs_set_host(void)
{
	struct percpu *cpu = this_cpu();
	struct descriptor_pointer idtr;

	sidt(&idtr);
	write(VMCS_HOST_CR0, read_cr0());
	write(VMCS_HOST_CR3, read_cr3());
	write(VMCS_HOST_CR4, read_cr4());
	write(VMCS_HOST_CS_SELECTOR, GDT_KERNEL_CS);
	write(VMCS_HOST_SS_SELECTOR, GDT_KERNEL_DS);
	write(VMCS_HOST_DS_SELECTOR, GDT_KERNEL_DS);
	write(VMCS_HOST_ES_SELECTOR, GDT_KERNEL_DS);
	write(VMCS_HOST_FS_SELECTOR, 0);
	write(VMCS_HOST_GS_SELECTOR, 0);
	write(VMCS_HOST_TR_SELECTOR, GDT_TSS);
	write(VMCS_HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	write(VMCS_HOST_GS_BASE, (u64)cpu);
	write(VMCS_HOST_TR_BASE, (u64)&cpu->tables.tss);
	write(VMCS_HOST_GDTR_BASE, (u64)cpu->tables.gdt);
	write(VMCS_HOST_IDTR_BASE, idtr.base);
	write(VMCS_HOST_SYSENTER_CS, 0);
	write(VMCS_HOST_SYSENTER_ESP, 0);
	write(VMCS_HOST_SYSENTER_EIP, 0);
	write(VMCS_HOST_EFER, rdmsr(MSR_EFER));
	if (vmx.pat)
		write(VMCS_HOST_PAT, rdmsr(MSR_IA32_PAT));
	write(VMCS_HOST_RIP, (u64)vmx_exit);
}

void vmx_write_guest_state(const struct vcpu_state *s)
{
	for (u32 i = 0; i < SEG_COUNT; i++) {
		write(VMCS_GUEST_ES_SELECTOR + 2 * i, s->seg[i].selector);
		write(VMCS_GUEST_ES_LIMIT + 2 * i, s->seg[i].limit);
		write(VMCS_GUEST_ES_ACCESS_RIGHTS + 2 * i, vmx_access_rights(s->seg[i].attrib));
		write(VMCS_GUEST_ES_BASE + 2 * i, s->seg[i].base);
	}
	write(VMCS_GUEST_GDTR_BASE, s->gdtr.base);
	write(VMCS_GUEST_GDTR_LIMIT, s->gdtr.limit);
	write(VMCS_GUEST_IDTR_BASE, s->idtr.base);
	write(VMCS_GUEST_IDTR_LIMIT, s->idtr.limit);
	vmx_write_guest_cr0(s->cr0);
	vmx_write_guest_cr4(s->cr4);
	write(VMCS_GUEST_CR3, s->cr3);
	write(VMCS_GUEST_EFER, s->efer);
	write(VMCS_GUEST_INTERRUPTIBILITY, 0);
	write(VMCS_GUEST_RIP, s->regs.rip);
	write(VMCS_GUEST_RSP, s->regs.rsp);
	write(VMCS_GUEST_RFLAGS, s->regs.rflags);
}

/* What no struct vcpu_state holds starts at its reset value (SDM Vol. 3A 10.1.1). */
static void reset_guest(void)
{
	if (vmx.pat)
		write(VMCS_GUEST_PAT, DEFAULT_PAT);
	write(VMCS_GUEST_DR7, DR7_INIT);
	write(VMCS_GUEST_DEBUGCTL, 0);
	write(VMCS_GUEST_PENDING_DEBUG, 0);
	write(VMCS_GUEST_SYSENTER_CS, 0);
	write(VMCS_GUEST_SYSENTER_ESP, 0);
	write(VMCS_GUEST_SYSENTER_EIP, 0);
	write(VMCS_GUEST_ACTIVITY_STATE, 0);
}

bool vmx_vmcs_setup(struct vcpu *v)
{
	struct vmx_vcpu *xv = v->arch;

	failed_field = 0;
	setup_controls(v, &xv->initial);
	vmx_vmcs_set_host();
	reset_guest();
	vmx_write_guest_state(&xv->initial);
	if (failed_field) {
		pr_err("VT-x: this CPU rejected a write to VMCS field %#x\n", failed_field);
		return false;
	}
	return true;
}

void vmx_read_guest_state(struct vcpu *v, struct vcpu_state *s)
{
	s->regs = v->regs;
	for (u32 i = 0; i < SEG_COUNT; i++) {
		s->seg[i].selector = (u16)vmread(VMCS_GUEST_ES_SELECTOR + 2 * i);
		s->seg[i].limit = (u32)vmread(VMCS_GUEST_ES_LIMIT + 2 * i);
		s->seg[i].attrib = vmx_attrib((u32)vmread(VMCS_GUEST_ES_ACCESS_RIGHTS + 2 * i));
		s->seg[i].base = vmread(VMCS_GUEST_ES_BASE + 2 * i);
	}
	s->gdtr = (struct descriptor_table){ vmread(VMCS_GUEST_GDTR_BASE),
					     (u32)vmread(VMCS_GUEST_GDTR_LIMIT) };
	s->idtr = (struct descriptor_table){ vmread(VMCS_GUEST_IDTR_BASE),
					     (u32)vmread(VMCS_GUEST_IDTR_LIMIT) };
	/* The guest's view: host-owned bits from the read shadows. */
	s->cr0 = (vmread(VMCS_GUEST_CR0) & ~vmx.cr0_host_owned) |
		 (vmread(VMCS_CR0_READ_SHADOW) & vmx.cr0_host_owned);
	s->cr4 = (vmread(VMCS_GUEST_CR4) & ~vmx.cr4_host_owned) |
		 (vmread(VMCS_CR4_READ_SHADOW) & vmx.cr4_host_owned);
	s->cr3 = vmread(VMCS_GUEST_CR3);
	s->cr2 = read_cr2();	/* VT-x does not switch CR2: the guest's is still in the CPU */
	s->efer = vmread(VMCS_GUEST_EFER);
}

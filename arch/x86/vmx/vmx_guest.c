/* SPDX-License-Identifier: MIT */
/*
 * The guest's registers on VT-x as the VMM sees them: control registers through their read
 * shadows and the virtual CR8, EFER with the IA-32e entry control, segments, the whole state.
 * Each acts on the current VMCS, the vCPU loaded on this CPU.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "vmm/guest_memory.h"
#include "vmm/vm.h"

#define PDPTE_PRESENT BIT(0)
#define PDPTE_RESERVED 0x1e6ULL		/* bits 1, 2, 5-8 (SDM 4.4.1, table 4-8) */

void vmx_get_state(struct vcpu *v, struct vcpu_state *s)
{
	struct vmx_vcpu *xv = v->arch;

	if (!xv->set_up) {
		*s = xv->initial;
		s->regs = v->regs;
		return;
	}
	vmx_read_guest_state(v, s);
}

u32 vmx_guest_cpl(struct vcpu *v)
{
	(void)v;
	if (!(vmread(VMCS_GUEST_CR0) & X86_CR0_PE))
		return 0;	/* real mode (PE is the guest's own with unrestricted guest) */
	return (vmread(VMCS_GUEST_ES_ACCESS_RIGHTS + 2 * SEG_SS) >> 5) & 3;	/* SS.DPL */
}

void vmx_get_segment(struct vcpu *v, enum segment_reg seg, struct segment *out)
{
	(void)v;
	*out = (struct segment){ (u16)vmread(VMCS_GUEST_ES_SELECTOR + 2 * seg),
				 vmx_attrib((u32)vmread(VMCS_GUEST_ES_ACCESS_RIGHTS + 2 * seg)),
				 (u32)vmread(VMCS_GUEST_ES_LIMIT + 2 * seg),
				 vmread(VMCS_GUEST_ES_BASE + 2 * seg) };
}

/* The guest's view of a shadowed register: host-owned bits come from the read shadow. */
static u64 shadowed(u32 field, u32 shadow, u64 host_owned)
{
	return (vmread(field) & ~host_owned) | (vmread(shadow) & host_owned);
}

u64 vmx_get_cr(struct vcpu *v, u32 cr)
{
	switch (cr) {
	case 0: return shadowed(VMCS_GUEST_CR0, VMCS_CR0_READ_SHADOW, vmx.cr0_host_owned);
	case 2: return read_cr2();	/* VT-x does not switch CR2: the guest's is in the CPU */
	case 3: return vmread(VMCS_GUEST_CR3);
	case 4: return shadowed(VMCS_GUEST_CR4, VMCS_CR4_READ_SHADOW, vmx.cr4_host_owned);
	case 8: return ((struct vmx_vcpu *)v->arch)->cr8;
	default: return 0;
	}
}

static bool pae_paging(u64 cr0, u64 cr4, u64 efer)
{
	return (cr0 & X86_CR0_PG) && (cr4 & X86_CR4_PAE) && !(efer & EFER_LMA);
}

/*
 * With EPT, VM entry takes PAE paging's four PDPTEs from the VMCS, where a MOV to CR3 (which
 * does not exit) puts them; a CR0 or CR4 write the VMM emulates must load them itself, and
 * refuse reserved bits as MOV CR would (SDM 27.3.2.4, 4.4.1).
 */
static bool load_pdptes(struct vcpu *v, u64 cr3)
{
	u64 pdpte[4];

	if (guest_memory_read(&v->vm->mem, cr3 & 0xffffffe0ULL, pdpte, sizeof(pdpte)) < 0)
		return false;
	for (u32 i = 0; i < 4; i++)
		if ((pdpte[i] & PDPTE_PRESENT) && (pdpte[i] & PDPTE_RESERVED))
			return false;
	for (u32 i = 0; i < 4; i++)
		vmwrite(VMCS_GUEST_PDPTE0 + 2 * i, pdpte[i]);
	return true;
}

bool vmx_set_cr(struct vcpu *v, u32 cr, u64 value)
{
	u64 cr0 = cr == 0 ? value : vmx_get_cr(v, 0), cr4 = cr == 4 ? value : vmx_get_cr(v, 4);

	if ((cr == 0 || cr == 4) && pae_paging(cr0, cr4, vmx_get_efer(v)) &&
	    !load_pdptes(v, vmread(VMCS_GUEST_CR3)))
		return false;
	switch (cr) {
	case 0: vmx_write_guest_cr0(value); break;
	case 2: write_cr2(value); break;
	case 3: vmwrite(VMCS_GUEST_CR3, value); break;
	case 4: vmx_write_guest_cr4(value); break;
	case 8: ((struct vmx_vcpu *)v->arch)->cr8 = value; break;
	default: return false;
	}
	return true;
}

u64 vmx_get_efer(struct vcpu *v)
{
	(void)v;
	return vmread(VMCS_GUEST_EFER);
}

/* EFER.LMA and the "IA-32e mode guest" entry control must agree (SDM 27.3.1.1). */
void vmx_set_efer(struct vcpu *v, u64 efer)
{
	u64 entry = vmread(VMCS_ENTRY_CONTROLS);

	(void)v;
	vmwrite(VMCS_GUEST_EFER, efer);
	vmwrite(VMCS_ENTRY_CONTROLS, efer & EFER_LMA ? entry | ENTRY_IA32E_MODE_GUEST
						     : entry & ~ENTRY_IA32E_MODE_GUEST);
}

/*
 * A new state for v: the VMCS's guest fields, the IA-32e entry control from EFER.LMA, CR2 in
 * the CPU, PAE paging's PDPTEs, and the guest's cached translations dropped.
 */
void vmx_set_state(struct vcpu *v, const struct vcpu_state *s)
{
	v->regs = s->regs;
	vmx_write_guest_state(s);
	vmx_set_efer(v, s->efer);
	write_cr2(s->cr2);
	if (pae_paging(s->cr0, s->cr4, s->efer))
		load_pdptes(v, s->cr3);
	vmx_flush_guest_tlb(v);
}

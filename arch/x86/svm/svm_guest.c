/* SPDX-License-Identifier: MIT */
/*
 * The guest's registers on AMD-V as the VMM sees them: the VMCB's save area, with EFER shown
 * as the guest wrote it and CR8 as the V_TPR field that holds it (with V_INTR_MASKING, guest
 * CR8 accesses never reach the host's task priority, APM 15.21.1). A vCPU with a local APIC
 * keeps its CR8 in the APIC's TPR instead (vcpu_cr8): its CR8 accesses exit.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/svm/svm.h"
#include "vmm/vm.h"

static struct vmcb_save *save_of(struct vcpu *v)
{
	return &((struct svm_vcpu *)v->arch)->vmcb->save;
}

struct vmcb_segment svm_to_vmcb_segment(const struct segment *s)
{
	return (struct vmcb_segment){ s->selector, s->attrib, s->limit, s->base };
}

struct segment svm_from_vmcb_segment(const struct vmcb_segment *s)
{
	return (struct segment){ s->selector, s->attrib, s->limit, s->base };
}

static const struct vmcb_segment *segment_of(const struct vmcb_save *s, enum segment_reg seg)
{
	const struct vmcb_segment *segs[SEG_COUNT] = {
		[SEG_ES] = &s->es, [SEG_CS] = &s->cs, [SEG_SS] = &s->ss, [SEG_DS] = &s->ds,
		[SEG_FS] = &s->fs, [SEG_GS] = &s->gs, [SEG_LDTR] = &s->ldtr, [SEG_TR] = &s->tr,
	};

	return segs[seg];
}

void svm_get_segment(struct vcpu *v, enum segment_reg seg, struct segment *out)
{
	*out = svm_from_vmcb_segment(segment_of(save_of(v), seg));
}

void svm_get_state(struct vcpu *v, struct vcpu_state *st)
{
	const struct vmcb_save *s = save_of(v);

	st->regs = v->regs;
	for (int i = 0; i < SEG_COUNT; i++)
		st->seg[i] = svm_from_vmcb_segment(segment_of(s, (enum segment_reg)i));
	st->gdtr = (struct descriptor_table){ s->gdtr.base, s->gdtr.limit };
	st->idtr = (struct descriptor_table){ s->idtr.base, s->idtr.limit };
	st->cr0 = s->cr0;
	st->cr2 = s->cr2;
	st->cr3 = s->cr3;
	st->cr4 = s->cr4;
	st->efer = svm_get_efer(v);
}

void svm_write_state(struct svm_vcpu *sv, const struct vcpu_state *st)
{
	struct vmcb_save *s = &sv->vmcb->save;
	struct vmcb_segment *segs[SEG_COUNT] = {
		[SEG_ES] = &s->es, [SEG_CS] = &s->cs, [SEG_SS] = &s->ss, [SEG_DS] = &s->ds,
		[SEG_FS] = &s->fs, [SEG_GS] = &s->gs, [SEG_LDTR] = &s->ldtr, [SEG_TR] = &s->tr,
	};

	for (int i = 0; i < SEG_COUNT; i++)
		*segs[i] = svm_to_vmcb_segment(&st->seg[i]);
	s->gdtr = (struct vmcb_segment){ 0, 0, st->gdtr.limit, st->gdtr.base };
	s->idtr = (struct vmcb_segment){ 0, 0, st->idtr.limit, st->idtr.base };
	/* The VMCB's CPL is SS.DPL in protected mode (APM 15.5.1), 0 in real mode. */
	s->cpl = (st->cr0 & X86_CR0_PE) ? (st->seg[SEG_SS].attrib >> SEG_ATTR_DPL_SHIFT) & 3 : 0;
	sv->efer = st->efer;
	s->efer = svm_hardware_efer(st->efer, st->cr0);
	s->cr0 = st->cr0;
	s->cr2 = st->cr2;
	s->cr3 = st->cr3;
	s->cr4 = st->cr4;
	s->rflags = st->regs.rflags;
	s->rip = st->regs.rip;
	s->rsp = st->regs.rsp;
	s->rax = st->regs.rax;
}

void svm_set_state(struct vcpu *v, const struct vcpu_state *st)
{
	struct svm_vcpu *sv = v->arch;

	v->regs = st->regs;
	svm_write_state(sv, st);
	sv->vmcb->control.interrupt_shadow = 0;	/* no STI or MOV SS shadow carries over */
	svm_flush_guest_tlb(v);
}

u32 svm_guest_cpl(struct vcpu *v)
{
	return save_of(v)->cpl;
}

u64 svm_get_cr(struct vcpu *v, u32 cr)
{
	const struct vmcb *vmcb = ((struct svm_vcpu *)v->arch)->vmcb;

	switch (cr) {
	case 0: return vmcb->save.cr0;
	case 2: return vmcb->save.cr2;
	case 3: return vmcb->save.cr3;
	case 4: return vmcb->save.cr4;
	case 8: return vmcb->control.v_intr & SVM_V_TPR_MASK;
	default: return 0;
	}
}

bool svm_set_cr(struct vcpu *v, u32 cr, u64 value)
{
	struct svm_vcpu *sv = v->arch;
	struct vmcb *vmcb = sv->vmcb;

	switch (cr) {
	case 0:
		vmcb->save.cr0 = value;
		vmcb->save.efer = svm_hardware_efer(sv->efer, value);
		break;
	case 2: vmcb->save.cr2 = value; break;
	case 3: vmcb->save.cr3 = value; break;
	case 4: vmcb->save.cr4 = value; break;
	case 8: vmcb->control.v_intr = (vmcb->control.v_intr & ~SVM_V_TPR_MASK) | value; break;
	default: return false;
	}
	return true;
}

u64 svm_hardware_efer(u64 efer, u64 cr0)
{
	if (!(cr0 & X86_CR0_PG))
		efer &= ~(EFER_LME | EFER_LMA);
	return efer | EFER_SVME;	/* or VMRUN fails (APM 15.5.1); guests never see it */
}

u64 svm_get_efer(struct vcpu *v)
{
	return ((struct svm_vcpu *)v->arch)->efer;
}

void svm_set_efer(struct vcpu *v, u64 efer)
{
	struct svm_vcpu *sv = v->arch;

	sv->efer = efer;
	sv->vmcb->save.efer = svm_hardware_efer(efer, sv->vmcb->save.cr0);
}

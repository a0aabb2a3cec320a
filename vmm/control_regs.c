/* SPDX-License-Identifier: MIT */
/* Guest writes to CR0, CR4, CR8 and EFER, checked as the CPU checks them. Pure. */
#include "vmm/control_regs.h"

/* CR0 bits software can change; the others (28:19, 17, 15:6) ignore writes and read as 0. */
#define CR0_WRITABLE (X86_CR0_PE | X86_CR0_MP | X86_CR0_EM | X86_CR0_TS | X86_CR0_ET | \
		      X86_CR0_NE | X86_CR0_WP | X86_CR0_AM | X86_CR0_NW | X86_CR0_CD | \
		      X86_CR0_PG)

/* CPUID bits that offer CR4 bits. */
#define LEAF1_EDX_VME BIT(1)
#define LEAF1_EDX_DE BIT(2)
#define LEAF1_EDX_PSE BIT(3)
#define LEAF1_EDX_TSC BIT(4)
#define LEAF1_EDX_PAE BIT(6)
#define LEAF1_EDX_MCE BIT(7)
#define LEAF1_EDX_PGE BIT(13)
#define LEAF1_EDX_FXSR BIT(24)
#define LEAF1_EDX_SSE BIT(25)
#define LEAF1_ECX_VMX BIT(5)
#define LEAF1_ECX_SMX BIT(6)
#define LEAF1_ECX_PCID BIT(17)
#define LEAF1_ECX_XSAVE BIT(26)
#define LEAF7_EBX_FSGSBASE BIT(0)
#define LEAF7_EBX_SMEP BIT(7)
#define LEAF7_EBX_SMAP BIT(20)
#define LEAF7_ECX_UMIP BIT(2)
#define LEAF7_ECX_PKU BIT(3)
#define LEAF7_ECX_LA57 BIT(16)

u64 cr4_allowed(const struct cpuid_result *leaf1, const struct cpuid_result *leaf7)
{
	u64 cr4 = X86_CR4_PCE;	/* RDPMC at CPL 3: architectural, no feature bit */
	u32 e = leaf1->edx, c = leaf1->ecx, b7 = leaf7->ebx, c7 = leaf7->ecx;

	cr4 |= e & LEAF1_EDX_VME ? X86_CR4_VME | X86_CR4_PVI : 0;
	cr4 |= e & LEAF1_EDX_TSC ? X86_CR4_TSD : 0;
	cr4 |= e & LEAF1_EDX_DE ? X86_CR4_DE : 0;
	cr4 |= e & LEAF1_EDX_PSE ? X86_CR4_PSE : 0;
	cr4 |= e & LEAF1_EDX_PAE ? X86_CR4_PAE : 0;
	cr4 |= e & LEAF1_EDX_MCE ? X86_CR4_MCE : 0;
	cr4 |= e & LEAF1_EDX_PGE ? X86_CR4_PGE : 0;
	cr4 |= e & LEAF1_EDX_FXSR ? X86_CR4_OSFXSR : 0;
	cr4 |= e & LEAF1_EDX_SSE ? X86_CR4_OSXMMEXCPT : 0;
	cr4 |= c & LEAF1_ECX_VMX ? X86_CR4_VMXE : 0;
	cr4 |= c & LEAF1_ECX_SMX ? X86_CR4_SMXE : 0;
	cr4 |= c & LEAF1_ECX_PCID ? X86_CR4_PCIDE : 0;
	cr4 |= c & LEAF1_ECX_XSAVE ? X86_CR4_OSXSAVE : 0;
	cr4 |= b7 & LEAF7_EBX_FSGSBASE ? X86_CR4_FSGSBASE : 0;
	cr4 |= b7 & LEAF7_EBX_SMEP ? X86_CR4_SMEP : 0;
	cr4 |= b7 & LEAF7_EBX_SMAP ? X86_CR4_SMAP : 0;
	cr4 |= c7 & LEAF7_ECX_UMIP ? X86_CR4_UMIP : 0;
	cr4 |= c7 & LEAF7_ECX_PKU ? X86_CR4_PKE : 0;
	cr4 |= c7 & LEAF7_ECX_LA57 ? X86_CR4_LA57 : 0;
	return cr4;
}

static bool long_mode_active(const struct cr_state *s)
{
	return s->efer & EFER_LMA;
}

bool cr0_write_valid(const struct cr_state *s, u64 value)
{
	bool paging_on = !(s->cr0 & X86_CR0_PG) && (value & X86_CR0_PG);
	bool paging_off = (s->cr0 & X86_CR0_PG) && !(value & X86_CR0_PG);

	if (value >> 32)
		return false;
	if ((value & X86_CR0_PG) && !(value & X86_CR0_PE))
		return false;
	if ((value & X86_CR0_NW) && !(value & X86_CR0_CD))
		return false;
	/* Entering IA-32e mode needs PAE paging and must start from compatibility code. */
	if (paging_on && (s->efer & EFER_LME) && (!(s->cr4 & X86_CR4_PAE) || s->cs_long))
		return false;
	/* Leaving it is done from compatibility mode, never from 64-bit code (SDM 10.8.5.4). */
	if (paging_off && long_mode_active(s) && s->cs_long)
		return false;
	if (paging_off && (s->cr4 & X86_CR4_PCIDE))
		return false;
	return true;
}

u64 cr0_written(u64 value)
{
	return (value & CR0_WRITABLE) | X86_CR0_ET;
}

bool cr4_write_valid(const struct cr_state *s, u64 value, u64 allowed)
{
	u64 changed = s->cr4 ^ value;

	if (value & ~allowed)
		return false;
	if (long_mode_active(s) && (!(value & X86_CR4_PAE) || (changed & X86_CR4_LA57)))
		return false;
	if ((changed & value & X86_CR4_PCIDE) && (!long_mode_active(s) || (s->cr3 & 0xfff)))
		return false;
	return true;
}

bool cr8_write_valid(u64 value)
{
	return !(value & ~0xfULL);
}

bool efer_write_valid(const struct cr_state *s, u64 value, u64 writable)
{
	if (value & ~(writable | EFER_LMA))
		return false;
	/* IA-32e mode is switched through CR0.PG: LME is fixed while paging is on. */
	return !((s->cr0 & X86_CR0_PG) && ((s->efer ^ value) & EFER_LME));
}

u64 efer_written(const struct cr_state *s, u64 value)
{
	return (value & ~EFER_LMA) | (s->efer & EFER_LMA);
}

u64 efer_after_cr0(u64 efer, u64 cr0)
{
	bool lma = (efer & EFER_LME) && (cr0 & X86_CR0_PG);

	return lma ? efer | EFER_LMA : efer & ~EFER_LMA;
}

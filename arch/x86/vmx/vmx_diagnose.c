/* SPDX-License-Identifier: MIT */
/* Explaining VT-x failures. Pure: the VT-x backend reads the VMCS, these functions judge it. */
#include "arch/x86/vmx/vmx_diagnose.h"
#include "arch/x86/cr_bits.h"
#include "arch/x86/msr.h"
#include "arch/x86/vmx/vmcs.h"
#include "kernel/format.h"

#define RFLAGS_FIXED1 BIT(1)
#define RFLAGS_RESERVED (~0x3fffffULL | BIT(15) | BIT(5) | BIT(3))
#define RFLAGS_VM BIT(17)

#define AR_TYPE(ar) ((ar) & 0xf)
#define AR_S BIT(4)
#define AR_DPL(ar) (((ar) >> 5) & 3)
#define AR_P BIT(7)
#define AR_L BIT(13)
#define AR_G BIT(15)
#define AR_UNUSABLE BIT(16)

static const char *const instruction_errors[] = {
	[1] = "VMCALL executed in VMX root operation",
	[2] = "VMCLEAR with invalid physical address",
	[3] = "VMCLEAR with VMXON pointer",
	[4] = "VMLAUNCH with non-clear VMCS",
	[5] = "VMRESUME with non-launched VMCS",
	[6] = "VMRESUME after VMXOFF",
	[7] = "VM entry with invalid control field(s)",
	[8] = "VM entry with invalid host-state field(s)",
	[9] = "VMPTRLD with invalid physical address",
	[10] = "VMPTRLD with VMXON pointer",
	[11] = "VMPTRLD with incorrect VMCS revision identifier",
	[12] = "VMREAD/VMWRITE from/to unsupported VMCS component",
	[13] = "VMWRITE to read-only VMCS component",
	[15] = "VMXON executed in VMX root operation",
	[16] = "VM entry with invalid executive-VMCS pointer",
	[17] = "VM entry with non-launched executive VMCS",
	[18] = "VM entry with executive-VMCS pointer not VMXON pointer",
	[19] = "VMCALL with non-clear VMCS",
	[20] = "VMCALL with invalid VM-exit control fields",
	[22] = "VMCALL with incorrect MSEG revision identifier",
	[23] = "VMXOFF under dual-monitor treatment of SMIs and SMM",
	[24] = "VMCALL with invalid SMM-monitor features",
	[25] = "VM entry with invalid VM-execution control fields in executive VMCS",
	[26] = "VM entry with events blocked by MOV SS",
	[28] = "invalid operand to INVEPT/INVVPID",
};

const char *vmx_instruction_error_name(u32 error)
{
	if (error < ARRAY_SIZE(instruction_errors) && instruction_errors[error])
		return instruction_errors[error];
	return "unknown VM-instruction error";
}

static __printf(3, 4) const char *fail(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	format_v(buf, size, fmt, ap);
	va_end(ap);
	return buf;
}

/* Fixed-bit rules: every FIXED0 bit set, no bit outside FIXED1 (SDM Vol. 3D A.7, A.8). */
static const char *check_fixed(const char *name, u64 value, u64 fixed0, u64 fixed1, u64 exempt,
			       char *buf, size_t size)
{
	u64 missing = (fixed0 & ~exempt) & ~value, extra = value & ~fixed1;

	if (missing)
		return fail(buf, size, "guest %s %#llx: bit %d must be 1 (IA32_VMX_%s_FIXED0)", name,
			    value, __builtin_ctzll(missing), name);
	if (extra)
		return fail(buf, size, "guest %s %#llx: bit %d must be 0 (IA32_VMX_%s_FIXED1)", name,
			    value, __builtin_ctzll(extra), name);
	return NULL;
}

static const char *check_controls_and_flags(const struct vmx_guest_state *g, char *buf,
					    size_t size)
{
	bool ia32e = g->entry_controls & ENTRY_IA32E_MODE_GUEST;
	bool unrestricted = g->secondary_controls & PROC2_UNRESTRICTED_GUEST;
	const char *why;

	why = check_fixed("CR0", g->cr0, g->cr0_fixed0, g->cr0_fixed1,
			  unrestricted ? X86_CR0_PE | X86_CR0_PG : 0, buf, size);
	if (!why)
		why = check_fixed("CR4", g->cr4, g->cr4_fixed0, g->cr4_fixed1, 0, buf, size);
	if (why)
		return why;
	if ((g->cr0 & X86_CR0_PG) && !(g->cr0 & X86_CR0_PE))
		return fail(buf, size, "guest CR0 %#llx: PG without PE", g->cr0);
	if (ia32e && (!(g->cr0 & X86_CR0_PG) || !(g->cr4 & X86_CR4_PAE)))
		return fail(buf, size, "IA-32e mode guest needs CR0.PG and CR4.PAE");
	if (!!(g->efer & EFER_LMA) != ia32e)
		return fail(buf, size, "guest EFER.LMA (%#llx) differs from the IA-32e mode guest "
			      "entry control", g->efer);
	if ((g->cr0 & X86_CR0_PG) && !!(g->efer & EFER_LME) != !!(g->efer & EFER_LMA))
		return fail(buf, size, "guest EFER %#llx: LME differs from LMA with paging on",
			      g->efer);
	if (!(g->rflags & RFLAGS_FIXED1) || (g->rflags & RFLAGS_RESERVED) ||
	    ((ia32e || !(g->cr0 & X86_CR0_PE)) && (g->rflags & RFLAGS_VM)))
		return fail(buf, size, "guest RFLAGS %#llx: reserved bits wrong", g->rflags);
	if (!(ia32e && (g->cs.access_rights & AR_L)) && (g->rip >> 32))
		return fail(buf, size, "guest RIP %#llx: bits 63:32 set outside 64-bit mode",
			      g->rip);
	if (g->link_pointer != ~0ULL)
		return fail(buf, size, "VMCS link pointer %#llx is not all ones", g->link_pointer);
	if (g->activity_state || g->interruptibility)
		return fail(buf, size, "guest activity state %u / interruptibility %#x not 0",
			      g->activity_state, g->interruptibility);
	return NULL;
}

/* SDM 27.3.1.2: limits agree with granularity. */
static bool limit_matches_granularity(const struct vmx_segment *s)
{
	bool g = s->access_rights & AR_G;

	if ((s->limit & 0xfff) != 0xfff && g)
		return false;
	return !((s->limit >> 20) && !g);
}

static const char *check_segment(const char *name, const struct vmx_segment *s, bool system,
				 char *buf, size_t size)
{
	u32 ar = s->access_rights;

	if (ar & AR_UNUSABLE)
		return NULL;
	if (!(ar & AR_P) || !!(ar & AR_S) == system || (ar & 0xfffe0f00) ||
	    !limit_matches_granularity(s))
		return fail(buf, size, "guest %s: access rights %#x with limit %#x are invalid "
			    "(present, S bit, reserved bits or granularity)", name, ar, s->limit);
	return NULL;
}

static const char *check_segments(const struct vmx_guest_state *g, char *buf, size_t size)
{
	const struct { const char *name; const struct vmx_segment *s; } data[] = {
		{ "ES", &g->es }, { "DS", &g->ds }, { "FS", &g->fs }, { "GS", &g->gs },
	};
	bool ia32e = g->entry_controls & ENTRY_IA32E_MODE_GUEST;
	bool unrestricted = g->secondary_controls & PROC2_UNRESTRICTED_GUEST;
	u32 cs_type = AR_TYPE(g->cs.access_rights), ss_type = AR_TYPE(g->ss.access_rights);
	u32 tr_type = AR_TYPE(g->tr.access_rights);
	const char *why;

	if ((g->cs.access_rights & AR_UNUSABLE) ||
	    !(cs_type == 9 || cs_type == 11 || cs_type == 13 || cs_type == 15 ||
	      (unrestricted && cs_type == 3)))
		return fail(buf, size, "guest CS: type %u is not an accessed code segment",
			      cs_type);
	if (!(g->ss.access_rights & AR_UNUSABLE) && ss_type != 3 && ss_type != 7)
		return fail(buf, size, "guest SS: type %u is not a writable data segment",
			      ss_type);
	/* A busy TSS: 64-bit (11) in IA-32e mode, else 32-bit (11) or 16-bit (3). */
	if ((g->tr.access_rights & AR_UNUSABLE) ||
	    (ia32e ? tr_type != 11 : tr_type != 11 && tr_type != 3))
		return fail(buf, size, "guest TR: must be a usable busy TSS (type %u)", tr_type);
	if ((why = check_segment("CS", &g->cs, false, buf, size)) ||
	    (why = check_segment("SS", &g->ss, false, buf, size)) ||
	    (why = check_segment("TR", &g->tr, true, buf, size)) ||
	    (why = check_segment("LDTR", &g->ldtr, true, buf, size)))
		return why;
	for (u32 i = 0; i < ARRAY_SIZE(data); i++) {
		if ((why = check_segment(data[i].name, data[i].s, false, buf, size)))
			return why;
		if (!(data[i].s->access_rights & AR_UNUSABLE) &&
		    !(data[i].s->access_rights & 1))
			return fail(buf, size, "guest %s: type must be accessed", data[i].name);
	}
	if ((g->gdtr_limit | g->idtr_limit) >> 16)
		return fail(buf, size, "guest GDTR/IDTR limit over 0xffff");
	return NULL;
}

const char *vmx_check_guest_state(const struct vmx_guest_state *g, char *buf, size_t size)
{
	const char *why = check_controls_and_flags(g, buf, size);

	return why ? why : check_segments(g, buf, size);
}

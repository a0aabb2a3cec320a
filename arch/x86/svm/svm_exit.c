/* SPDX-License-Identifier: MIT */
/* AMD-V exit decoding (APM Vol. 2, 15.7-15.10 and appendix C). Pure. */
#include "arch/x86/svm/svm_exit.h"
#include "kernel/string.h"

/* #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP, #VC, #SX push an error code (SDM Vol. 3A 7.3). */
#define EXCEPTIONS_WITH_ERROR_CODE (BIT(8) | BIT(10) | BIT(11) | BIT(12) | BIT(13) | BIT(14) | \
				    BIT(17) | BIT(21) | BIT(29) | BIT(30))

static void set(struct vm_exit *out, enum exit_reason reason, const char *name, u8 length)
{
	out->reason = reason;
	out->native_name = name;
	out->insn_len = length;
}

/* An intercepted instruction: the fixed length, or nRIP - RIP where the CPU saves nRIP. */
static void instruction(const struct vmcb *vmcb, bool has_nrip_save, struct vm_exit *out,
			enum exit_reason reason, const char *name, u8 length)
{
	set(out, reason, name, length);
	if (has_nrip_save && vmcb->control.next_rip - vmcb->save.rip - 1 < 15)	/* 1 to 15 */
		out->insn_len = (u8)(vmcb->control.next_rip - vmcb->save.rip);
	if (reason == EXIT_VIRT_INSN || reason == EXIT_UNOFFERED_INSN)
		out->insn.mnemonic = name;
}

static void decode_io(const struct vmcb *vmcb, struct vm_exit *out)
{
	u64 info = vmcb->control.exit_info1;

	set(out, EXIT_IO, "IOIO", (u8)(vmcb->control.exit_info2 - vmcb->save.rip));	/* next RIP */
	out->io.port = (u16)(info >> SVM_IOIO_PORT_SHIFT);
	out->io.in = info & SVM_IOIO_IN;
	out->io.string = info & SVM_IOIO_STRING;
	out->io.rep = info & SVM_IOIO_REP;
	out->io.size = info & SVM_IOIO_SIZE32 ? 4 : info & SVM_IOIO_SIZE16 ? 2 : 1;
}

/*
 * A nested page fault. The CPU gives no guest-linear address, but with decode assists it has
 * fetched up to 15 bytes of the faulting instruction for the VMM (APM 15.8.4; 0 bytes when the
 * fault was the fetch itself or a walk of the guest's tables).
 */
static void decode_npf(const struct vmcb_control *c, bool decode_assists, struct vm_exit *out)
{
	set(out, EXIT_MEMORY, "NPF", 0);
	out->memory.gpa = c->exit_info2;
	out->memory.write = c->exit_info1 & SVM_NPF_WRITE;
	out->memory.fetch = c->exit_info1 & SVM_NPF_FETCH;
	out->memory.read = !out->memory.write && !out->memory.fetch;
	out->memory.in_page_walk = c->exit_info1 & SVM_NPF_IN_PAGE_WALK;
	out->memory.gla_valid = false;
	out->memory.gla = 0;
	out->insn_bytes_len = decode_assists ? MIN(c->insn_bytes_fetched,
						   (u8)sizeof(c->insn_bytes)) : 0;
	memcpy(out->insn_bytes, c->insn_bytes, out->insn_bytes_len);
}

/*
 * A CR0/CR4 write, or a CR8 read or write (intercepted for a vCPU with a local APIC). With
 * decode assists EXITINFO1 names the GPR of a MOV; otherwise (and for LMSW and CLTS, which
 * also count as CR0 writes) the VMM decodes the instruction.
 */
static void decode_cr_access(const struct vmcb *vmcb, bool nrips, bool decode_assists, u32 cr,
			     bool write, struct vm_exit *out)
{
	u64 info = vmcb->control.exit_info1;

	instruction(vmcb, nrips, out, EXIT_CR_ACCESS, write ? "CR write" : "CR read", 0);
	out->cr.cr = (u8)cr;	/* the length is 0 above: unknown */
	out->cr.kind = write ? CR_MOV_TO : CR_MOV_FROM;
	out->cr.decoded = decode_assists && (info & SVM_CR_MOV);
	out->cr.gpr = out->cr.decoded ? (u8)(info & SVM_CR_GPR_MASK) : 0;
	out->cr.lmsw_source = 0;
}

/* A MOV DR (APM Vol. 2 15.12.2): with decode assists EXITINFO1 bits 3:0 name the GPR. */
static void decode_dr_access(const struct vmcb *vmcb, bool nrips, bool decode_assists, u32 code,
			     struct vm_exit *out)
{
	instruction(vmcb, nrips, out, EXIT_DR_ACCESS, "DR access", 0);	/* length 0: unknown */
	out->dr.write = code >= SVM_EXIT_DR_WRITE_BASE;
	out->dr.dr = (u8)(code & 7);	/* DR8-DR15 do not exist: #UD comes first */
	out->dr.decoded = decode_assists;
	out->dr.gpr = (u8)(vmcb->control.exit_info1 & SVM_CR_GPR_MASK);
}

/* EXITINTINFO: the event the exit interrupted, if one to deliver again (APM 15.7.2). */
static void decode_vectoring(const struct vmcb_control *c, struct vm_exit *out)
{
	u64 v = c->exit_int_info;

	out->vectoring_valid = (v & SVM_EVENT_VALID) &&
			       event_from_vectoring(SVM_EVENT_TYPE(v), (u8)v,
						    v & SVM_EVENT_HAS_ERROR_CODE, (u32)(v >> 32),
						    &out->vectoring);
}

/*
 * The exits the main switch leaves out: CR writes, DR accesses (a debugger's), exceptions, INTn (intercepted only for a
 * debugger, as QEMU's INT3 meets it: svm_events.c), VMEXIT_INVALID, the unknown.
 */
static void decode_other(const struct vmcb *vmcb, bool nrips, bool decode_assists,
			 struct vm_exit *out)
{
	const struct vmcb_control *c = &vmcb->control;
	u32 code = (u32)c->exit_code;

	if (code == SVM_EXIT_CR_WRITE_BASE + 0 || code == SVM_EXIT_CR_WRITE_BASE + 4 ||
	    code == SVM_EXIT_CR_WRITE_BASE + 8) {
		decode_cr_access(vmcb, nrips, decode_assists, code - SVM_EXIT_CR_WRITE_BASE, true,
				 out);
	} else if (code == SVM_EXIT_CR_READ_BASE + 8) {
		decode_cr_access(vmcb, nrips, decode_assists, 8, false, out);
	} else if ((code & ~7u) == SVM_EXIT_DR_READ_BASE || (code & ~7u) == SVM_EXIT_DR_WRITE_BASE) {
		decode_dr_access(vmcb, nrips, decode_assists, code, out);
	} else if (code >= SVM_EXIT_EXCEPTION_BASE && code < SVM_EXIT_EXCEPTION_BASE + 32) {
		u8 vector = (u8)(code - SVM_EXIT_EXCEPTION_BASE);
		bool has_error_code = BIT(vector) & EXCEPTIONS_WITH_ERROR_CODE;

		/* A #DB has already updated the VMCB's DR6: it needs no payload. */
		set(out, EXIT_EXCEPTION, "exception", 0);
		out->exception = event_exception(vector, has_error_code,
						 has_error_code ? (u32)c->exit_info1 : 0);
	} else if (code == SVM_EXIT_SWINT) {
		set(out, EXIT_EXCEPTION, "INTn", 0);
		out->exception = event_exception(3, false, 0);
	} else if (code == SVM_EXIT_INVALID) {
		set(out, EXIT_ENTRY_FAILED, "VMEXIT_INVALID", 0);
		out->entry_failed.why = "VMEXIT_INVALID: the VMCB's guest state is inconsistent";
	} else {
		set(out, EXIT_UNSUPPORTED, "unknown", 0);
	}
}

void svm_decode_exit(const struct vmcb *vmcb, bool nrips, bool decode_assists, struct vm_exit *out)
{
	const struct vmcb_control *c = &vmcb->control;
	u32 code = (u32)c->exit_code;	/* VMEXIT_INVALID is -1; compare the low 32 bits */

	out->native_code = c->exit_code;
	decode_vectoring(c, out);
	switch (code) {
	case SVM_EXIT_INTR: set(out, EXIT_NONE, "INTR", 0); break;
	case SVM_EXIT_VINTR: set(out, EXIT_NONE, "VINTR", 0); break;
	case SVM_EXIT_IRET: set(out, EXIT_NONE, "IRET", 0); break;
	case SVM_EXIT_INVD: instruction(vmcb, nrips, out, EXIT_INVD, "INVD", 2); break;
	case SVM_EXIT_RDTSCP: instruction(vmcb, nrips, out, EXIT_UNOFFERED_INSN, "RDTSCP", 3); break;
	case SVM_EXIT_NMI: set(out, EXIT_NONE, "NMI", 0); break;
	case SVM_EXIT_SMI: set(out, EXIT_NONE, "SMI", 0); break;
	case SVM_EXIT_INIT: set(out, EXIT_NONE, "INIT", 0); break;
	case SVM_EXIT_PAUSE: set(out, EXIT_NONE, "PAUSE", 0); break;
	case SVM_EXIT_IOIO: decode_io(vmcb, out); break;
	case SVM_EXIT_NPF: decode_npf(c, decode_assists, out); break;
	case SVM_EXIT_SHUTDOWN: set(out, EXIT_TRIPLE_FAULT, "SHUTDOWN", 0); break;
	case SVM_EXIT_CPUID: instruction(vmcb, nrips, out, EXIT_CPUID, "CPUID", 2); break;
	case SVM_EXIT_HLT: instruction(vmcb, nrips, out, EXIT_HLT, "HLT", 1); break;
	case SVM_EXIT_VMMCALL:
		instruction(vmcb, nrips, out, EXIT_HYPERCALL, "VMMCALL", 3);
		out->hypercall.cpl = vmcb->save.cpl;
		break;
	case SVM_EXIT_MSR:
		instruction(vmcb, nrips, out, c->exit_info1 ? EXIT_MSR_WRITE : EXIT_MSR_READ,
			    "MSR", 2);
		break;
	case SVM_EXIT_VMRUN: instruction(vmcb, nrips, out, EXIT_VIRT_INSN, "VMRUN", 3); break;
	case SVM_EXIT_VMLOAD: instruction(vmcb, nrips, out, EXIT_VIRT_INSN, "VMLOAD", 3); break;
	case SVM_EXIT_VMSAVE: instruction(vmcb, nrips, out, EXIT_VIRT_INSN, "VMSAVE", 3); break;
	case SVM_EXIT_STGI: instruction(vmcb, nrips, out, EXIT_VIRT_INSN, "STGI", 3); break;
	case SVM_EXIT_CLGI: instruction(vmcb, nrips, out, EXIT_VIRT_INSN, "CLGI", 3); break;
	case SVM_EXIT_SKINIT: instruction(vmcb, nrips, out, EXIT_VIRT_INSN, "SKINIT", 3); break;
	case SVM_EXIT_INVLPGA: instruction(vmcb, nrips, out, EXIT_VIRT_INSN, "INVLPGA", 3); break;
	case SVM_EXIT_XSETBV: instruction(vmcb, nrips, out, EXIT_UNOFFERED_INSN, "XSETBV", 3); break;
	case SVM_EXIT_MONITOR: instruction(vmcb, nrips, out, EXIT_UNOFFERED_INSN, "MONITOR", 3); break;
	case SVM_EXIT_MWAIT: instruction(vmcb, nrips, out, EXIT_UNOFFERED_INSN, "MWAIT", 3); break;
	default: decode_other(vmcb, nrips, decode_assists, out); break;
	}
}

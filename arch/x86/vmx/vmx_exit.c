/* SPDX-License-Identifier: MIT */
/* VT-x exit decoding (SDM Vol. 3C chapter 28 and appendix C). Pure. */
#include "arch/x86/vmx/vmx_exit.h"
#include "arch/x86/vmx/vmcs.h"

#define VECTOR_NMI 2

static void set(struct vm_exit *out, enum exit_reason reason, const char *name)
{
	out->reason = reason;
	out->native_name = name;
}

static void virt_insn(struct vm_exit *out, const char *name)
{
	set(out, EXIT_VIRT_INSN, name);
	out->insn.mnemonic = name;
}

static void decode_io(u64 q, struct vm_exit *out)
{
	set(out, EXIT_IO, "I/O instruction");
	out->io.port = (u16)(q >> VMX_IO_PORT_SHIFT);
	out->io.size = (u8)((q & VMX_IO_SIZE_MASK) + 1);
	out->io.in = q & VMX_IO_IN;
	out->io.string = q & VMX_IO_STRING;
	out->io.rep = q & VMX_IO_REP;
}

static void decode_ept_violation(const struct vmx_exit_info *info, struct vm_exit *out)
{
	set(out, EXIT_MEMORY, "EPT violation");
	out->insn_bytes_len = 0;	/* VT-x never fetches them for the VMM */
	out->memory.gpa = info->guest_physical;
	out->memory.read = info->qualification & VMX_EPT_READ;
	out->memory.write = info->qualification & VMX_EPT_WRITE;
	out->memory.fetch = info->qualification & VMX_EPT_FETCH;
	out->memory.gla_valid = vmx_exit_needs_guest_linear(info->reason, info->qualification);
	out->memory.gla = out->memory.gla_valid ? info->guest_linear : 0;
	out->memory.in_page_walk = out->memory.gla_valid &&
				   !(info->qualification & VMX_EPT_GLA_TRANSLATED);
}

bool vmx_exit_is_nmi(const struct vmx_exit_info *info)
{
	return (info->reason & 0xffff) == VMX_EXIT_EXCEPTION_OR_NMI &&
	       ((info->interruption_info >> INTR_INFO_TYPE_SHIFT) & 7) == INTR_TYPE_NMI;
}

static void decode_exception(const struct vmx_exit_info *info, struct vm_exit *out)
{
	struct event *e = &out->exception;

	if (vmx_exit_is_nmi(info)) {
		set(out, EXIT_NONE, "NMI");
		return;
	}
	set(out, EXIT_EXCEPTION, "exception");
	*e = event_exception((u8)info->interruption_info,
			     info->interruption_info & INTR_INFO_HAS_ERROR_CODE,
			     info->interruption_error);
	if (!e->has_error_code)
		e->error_code = 0;
	/* INT1 (ICEBP) is a privileged software exception: it must skip its instruction. */
	if (INTR_INFO_TYPE(info->interruption_info) == INTR_TYPE_PRIV_SOFT_EXCEPTION) {
		e->type = EVENT_PRIV_SOFT_EXCEPTION;
		e->insn_len = (u8)info->insn_len;
	}
	if (e->vector == 1 && e->type == EVENT_EXCEPTION) {
		e->has_payload = true;
		e->payload = info->qualification & VMX_DEBUG_DR6_BITS;
	}
}

/* MOV DR (SDM Vol. 3C table 28-4): bits 2:0 the register, bit 4 from DR, bits 11:8 the GPR. */
static void decode_mov_dr(u64 q, struct vm_exit *out)
{
	set(out, EXIT_DR_ACCESS, "MOV DR");
	out->dr.dr = q & 7;
	out->dr.write = !(q & BIT(4));
	out->dr.decoded = true;
	out->dr.gpr = (q >> 8) & 0xf;
}

static void decode_cr_access(u64 q, struct vm_exit *out)
{
	set(out, EXIT_CR_ACCESS, "control-register access");
	out->cr.cr = (u8)VMX_CR_NUMBER(q);
	out->cr.kind = (enum cr_access_kind)VMX_CR_ACCESS_TYPE(q);
	out->cr.decoded = true;
	out->cr.gpr = (u8)VMX_CR_GPR(q);
	out->cr.lmsw_source = VMX_CR_LMSW_SOURCE(q);
}

/* The event the exit interrupted, if one to deliver again (SDM 28.2.4). */
static void decode_vectoring(const struct vmx_exit_info *info, struct vm_exit *out)
{
	u32 v = info->idt_vectoring_info;

	out->vectoring_valid = (v & INTR_INFO_VALID) &&
			       event_from_vectoring(INTR_INFO_TYPE(v), (u8)v,
						    v & INTR_INFO_HAS_ERROR_CODE,
						    info->idt_vectoring_error, &out->vectoring);
}

static void decode_entry_failure(u32 basic, struct vm_exit *out)
{
	set(out, EXIT_ENTRY_FAILED, "VM-entry failure");
	out->entry_failed.why = basic == VMX_EXIT_INVALID_GUEST_STATE ? "invalid guest state" :
				basic == VMX_EXIT_MSR_LOADING ? "MSR loading failed" :
				basic == VMX_EXIT_MACHINE_CHECK ? "machine check during entry" :
								"unknown entry failure";
}

void vmx_decode_exit(const struct vmx_exit_info *info, struct vm_exit *out)
{
	u32 basic = info->reason & 0xffff;

	out->native_code = info->reason;
	out->insn_len = (u8)info->insn_len;
	decode_vectoring(info, out);
	if (info->reason & VMX_EXIT_REASON_ENTRY_FAILURE) {
		decode_entry_failure(basic, out);
		return;
	}
	switch (basic) {
	case VMX_EXIT_EXCEPTION_OR_NMI: decode_exception(info, out); break;
	case VMX_EXIT_EXTERNAL_INTERRUPT: set(out, EXIT_NONE, "external interrupt"); break;
	case VMX_EXIT_PREEMPTION_TIMER: set(out, EXIT_NONE, "preemption timer"); break;
	case VMX_EXIT_INTERRUPT_WINDOW: set(out, EXIT_NONE, "interrupt window"); break;
	case VMX_EXIT_NMI_WINDOW: set(out, EXIT_NONE, "NMI window"); break;
	case VMX_EXIT_MONITOR_TRAP_FLAG: set(out, EXIT_DEBUG_STEP, "monitor trap flag"); break;
	case VMX_EXIT_INVD: set(out, EXIT_INVD, "INVD"); break;
	case VMX_EXIT_PAUSE: set(out, EXIT_NONE, "PAUSE"); break;
	case VMX_EXIT_TRIPLE_FAULT: set(out, EXIT_TRIPLE_FAULT, "triple fault"); break;
	case VMX_EXIT_CPUID: set(out, EXIT_CPUID, "CPUID"); break;
	case VMX_EXIT_HLT: set(out, EXIT_HLT, "HLT"); break;
	case VMX_EXIT_VMCALL:
		set(out, EXIT_HYPERCALL, "VMCALL");
		out->hypercall.cpl = (info->ss_access_rights >> 5) & 3;
		break;
	case VMX_EXIT_RDMSR: set(out, EXIT_MSR_READ, "RDMSR"); break;
	case VMX_EXIT_WRMSR: set(out, EXIT_MSR_WRITE, "WRMSR"); break;
	case VMX_EXIT_IO_INSTRUCTION: decode_io(info->qualification, out); break;
	case VMX_EXIT_EPT_VIOLATION: decode_ept_violation(info, out); break;
	case VMX_EXIT_VMCLEAR: virt_insn(out, "VMCLEAR"); break;
	case VMX_EXIT_VMLAUNCH: virt_insn(out, "VMLAUNCH"); break;
	case VMX_EXIT_VMPTRLD: virt_insn(out, "VMPTRLD"); break;
	case VMX_EXIT_VMPTRST: virt_insn(out, "VMPTRST"); break;
	case VMX_EXIT_VMREAD: virt_insn(out, "VMREAD"); break;
	case VMX_EXIT_VMRESUME: virt_insn(out, "VMRESUME"); break;
	case VMX_EXIT_VMWRITE: virt_insn(out, "VMWRITE"); break;
	case VMX_EXIT_VMXOFF: virt_insn(out, "VMXOFF"); break;
	case VMX_EXIT_VMXON: virt_insn(out, "VMXON"); break;
	case VMX_EXIT_INVEPT: virt_insn(out, "INVEPT"); break;
	case VMX_EXIT_INVVPID: virt_insn(out, "INVVPID"); break;
	case VMX_EXIT_VMFUNC: virt_insn(out, "VMFUNC"); break;
	case VMX_EXIT_GETSEC: virt_insn(out, "GETSEC"); break;
	case VMX_EXIT_XSETBV: set(out, EXIT_UNOFFERED_INSN, "XSETBV"); out->insn.mnemonic = "XSETBV"; break;
	case VMX_EXIT_MONITOR: set(out, EXIT_UNOFFERED_INSN, "MONITOR"); out->insn.mnemonic = "MONITOR"; break;
	case VMX_EXIT_MWAIT: set(out, EXIT_UNOFFERED_INSN, "MWAIT"); out->insn.mnemonic = "MWAIT"; break;
	case VMX_EXIT_CR_ACCESS: decode_cr_access(info->qualification, out); break;
	case VMX_EXIT_MOV_DR: decode_mov_dr(info->qualification, out); break;
	case VMX_EXIT_EPT_MISCONFIG: set(out, EXIT_UNSUPPORTED, "EPT misconfiguration"); break;
	case VMX_EXIT_TASK_SWITCH: set(out, EXIT_TASK_SWITCH, "task switch"); break;
	default: set(out, EXIT_UNSUPPORTED, "an exit reason Vireo does not know"); break;
	}
}

/* SPDX-License-Identifier: MIT */
/* Tests of the VT-x exit decoder over crafted exit-information fields. */
#include "tests/unit/unit.h"
#include "tests/unit/exit_record.h"
#include "arch/x86/vmx/vmx_exit.h"
#include "arch/x86/vmx/vmcs.h"

#include <stdio.h>

#define FAILED ((u32)VMX_EXIT_REASON_ENTRY_FAILURE)
#define INTR(type, vector) (INTR_INFO_VALID | (u32)(type) << INTR_INFO_TYPE_SHIFT | (vector))
#define NMI_INFO INTR(INTR_TYPE_NMI, 2)
#define NMI_UNBLOCKING BIT(12)	/* interruption info: NMI unblocking due to IRET */

/* Exit-reason bits above the basic reason that are not a failed entry (SDM Vol. 3C 25.9.1). */
#define REASON_ENCLAVE BIT(27)
#define REASON_PENDING_MTF BIT(28)
#define REASON_FROM_ROOT BIT(29)

#define EXPECT_STR(got, want)								\
	do {										\
		const char *got_ = (got), *want_ = (want);				\
		if (!got_ || strcmp(got_, want_) != 0)					\
			fail_msg("%s: %s is \"%s\", expected \"%s\"", unit_label, #got,	\
				 got_ ? got_ : "(null)", want_);			\
	} while (0)

/*
 * Decode into a record first filled with fill, so that nothing the decoder leaves unset can
 * pass for a decoded value. Every exit keeps its full reason and its length, and has a name.
 */
static struct vm_exit decode_filled(const struct vmx_exit_info *info, int fill)
{
	struct vmx_exit_info before = *info;
	struct vm_exit out;

	memset(&out, fill, sizeof(out));
	vmx_decode_exit(info, &out);
	if (memcmp(&before, info, sizeof(before)) != 0)
		fail_msg("%s: vmx_decode_exit changed the exit information", unit_label);
	EXPECT_EQ(out.native_code, info->reason);
	EXPECT_EQ(out.insn_len, (u8)info->insn_len);
	if (!out.native_name || !out.native_name[0])
		fail_msg("%s: no native name", unit_label);
	if ((unsigned)out.reason >= EXIT_REASON_COUNT)
		fail_msg("%s: reason %d out of range", unit_label, out.reason);
	return out;
}

static struct vm_exit decode(const struct vmx_exit_info *info)
{
	return decode_filled(info, 0xa5);
}

/* The upper exit-reason bits a plain (successful-entry) exit may come with. */
static const u32 plain_upper_bits[] = {
	0, REASON_ENCLAVE, REASON_PENDING_MTF, REASON_FROM_ROOT,
	REASON_ENCLAVE | REASON_PENDING_MTF,
};

/* Exits that leave the VMM nothing to do: the host takes the interrupt, or the slice ended. */
static void test_host_events_decode_to_exit_none(void **state)
{
	static const struct {
		u32 basic;
		u32 len;
	} cases[] = {
		{ VMX_EXIT_EXTERNAL_INTERRUPT, 0 },
		{ VMX_EXIT_PREEMPTION_TIMER, 0 },
		{ VMX_EXIT_INTERRUPT_WINDOW, 0 },
		{ VMX_EXIT_NMI_WINDOW, 0 },
		{ VMX_EXIT_PAUSE, 2 },		/* f3 90 */
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		for (size_t u = 0; u < ARRAY_SIZE(plain_upper_bits); u++) {
			const struct vmx_exit_info info = {
				.reason = cases[i].basic | plain_upper_bits[u],
				.qualification = 0x1234, .insn_len = cases[i].len,
				.interruption_info = INTR(0, 0x20),
			};
			struct vm_exit out;

			snprintf(unit_label, sizeof(unit_label), "reason %#x", info.reason);
			out = decode(&info);
			EXPECT_EQ(out.reason, EXIT_NONE);
			EXPECT_EQ(vmx_exit_is_nmi(&info), false);
		}
	}
}

/* An NMI exit is no work for the VMM but the host's handler must run: vmx_exit_is_nmi(). */
static void test_nmi_exits_decode_to_exit_none_and_are_flagged(void **state)
{
	static const u32 infos[] = {
		NMI_INFO,
		NMI_INFO | NMI_UNBLOCKING,
		INTR(INTR_TYPE_NMI, 0xff),	/* only the type makes it an NMI */
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(infos); i++) {
		for (size_t u = 0; u < ARRAY_SIZE(plain_upper_bits); u++) {
			const struct vmx_exit_info info = {
				.reason = VMX_EXIT_EXCEPTION_OR_NMI | plain_upper_bits[u],
				.interruption_info = infos[i], .interruption_error = 0x55,
				.qualification = ~0ULL, .guest_physical = ~0ULL,
			};
			struct vm_exit out;

			snprintf(unit_label, sizeof(unit_label), "NMI, info %#x, reason %#x", infos[i],
				 info.reason);
			out = decode(&info);
			EXPECT_EQ(out.reason, EXIT_NONE);
			EXPECT_EQ(out.insn_len, 0);
			EXPECT_EQ(vmx_exit_is_nmi(&info), true);
		}
	}
}

/* NMI-type interruption information means nothing on an exit that is not exception-or-NMI. */
static void test_nmi_type_info_on_other_exits_is_not_an_nmi(void **state)
{
	static const u32 reasons[] = {
		VMX_EXIT_EXTERNAL_INTERRUPT, VMX_EXIT_TRIPLE_FAULT, VMX_EXIT_CPUID,
		VMX_EXIT_NMI_WINDOW, VMX_EXIT_EPT_VIOLATION, VMX_EXIT_EPT_MISCONFIG,
		FAILED | VMX_EXIT_INVALID_GUEST_STATE,
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(reasons); i++) {
		const struct vmx_exit_info info = { .reason = reasons[i],
						    .interruption_info = NMI_INFO };
		struct vm_exit out;

		snprintf(unit_label, sizeof(unit_label), "reason %#x with NMI info", reasons[i]);
		EXPECT_EQ(vmx_exit_is_nmi(&info), false);
		out = decode(&info);
		if (out.reason == EXIT_NONE && reasons[i] != VMX_EXIT_EXTERNAL_INTERRUPT &&
		    reasons[i] != VMX_EXIT_NMI_WINDOW)	/* those two are no work by themselves */
			fail_msg("%s: decoded as nothing to do", unit_label);
	}
}

/* Vectors for which the CPU pushes an error code (SDM Vol. 3A table 6-1). */
static bool pushes_error_code(u8 vector)
{
	switch (vector) {
	case 8: case 10: case 11: case 12: case 13: case 14: case 17: case 21: case 29: case 30:
		return true;
	default:
		return false;
	}
}

/* Hardware exceptions: vector from bits 7:0, error code only with bit 11. */
static void test_hardware_exceptions_give_vector_and_error_code(void **state)
{
	(void)state;

	for (u32 vector = 0; vector < 32; vector++) {
		for (int extra = 0; extra < 2; extra++) {
			bool has_error = pushes_error_code((u8)vector);
			struct vmx_exit_info info = {
				.reason = VMX_EXIT_EXCEPTION_OR_NMI,
				.interruption_info = INTR(INTR_TYPE_HARDWARE_EXCEPTION, vector),
				/* present in the field even when bit 11 says there is none */
				.interruption_error = 0xe000 + vector,
				.insn_len = 3,
			};
			struct vm_exit out;

			if (has_error)
				info.interruption_info |= INTR_INFO_HAS_ERROR_CODE;
			if (extra)
				info.interruption_info |= NMI_UNBLOCKING;
			snprintf(unit_label, sizeof(unit_label), "exception %u, info %#x", vector,
				 info.interruption_info);
			out = decode(&info);
			EXPECT_EQ(out.reason, EXIT_EXCEPTION);
			EXPECT_EQ(out.insn_len, 3);
			EXPECT_EQ(out.exception.vector, vector);
			EXPECT_EQ(out.exception.has_error_code, has_error);
			EXPECT_EQ(out.exception.error_code, has_error ? 0xe000 + vector : 0);
			EXPECT_EQ(vmx_exit_is_nmi(&info), false);
		}
	}
}

/* INT1 (privileged software exception, type 5), INT3 and INTO (software exceptions, type 6). */
static void test_software_exceptions_are_exceptions_not_nmis(void **state)
{
	static const struct {
		u32 type;
		u8 vector, len;
	} cases[] = {
		{ 5, 1, 1 },	/* f1 */
		{ 6, 3, 1 },	/* cc */
		{ 6, 4, 1 },	/* ce */
		{ 6, 2, 1 },	/* vector 2, but not of NMI type */
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct vmx_exit_info info = {
			.reason = VMX_EXIT_EXCEPTION_OR_NMI,
			.interruption_info = INTR(cases[i].type, cases[i].vector),
			.interruption_error = 0x77, .insn_len = cases[i].len,
		};
		struct vm_exit out;

		snprintf(unit_label, sizeof(unit_label), "type %u vector %u", cases[i].type,
			 cases[i].vector);
		out = decode(&info);
		EXPECT_EQ(vmx_exit_is_nmi(&info), false);
		EXPECT_EQ(out.reason, EXIT_EXCEPTION);
		EXPECT_EQ(out.insn_len, cases[i].len);
		EXPECT_EQ(out.exception.vector, cases[i].vector);
		EXPECT_EQ(out.exception.has_error_code, false);
		EXPECT_EQ(out.exception.error_code, 0);
		/* INT1 must skip its instruction when reflected: it keeps its type and length. */
		if (cases[i].type == INTR_TYPE_PRIV_SOFT_EXCEPTION) {
			EXPECT_EQ(out.exception.type, EVENT_PRIV_SOFT_EXCEPTION);
			EXPECT_EQ(out.exception.insn_len, cases[i].len);
		} else {
			EXPECT_EQ(out.exception.type, EVENT_EXCEPTION);
		}
	}
}

/* A #DB exit leaves DR6 alone (SDM 27.1): its qualification's bits become the payload. */
static void test_debug_exceptions_carry_their_dr6_bits(void **state)
{
	static const u64 qualifications[] = { 0x1, 0x8, 0x4000, 0x2000, 0x400f, 0xffff0000 };
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(qualifications); i++) {
		const struct vmx_exit_info info = {
			.reason = VMX_EXIT_EXCEPTION_OR_NMI, .qualification = qualifications[i],
			.interruption_info = INTR(INTR_TYPE_HARDWARE_EXCEPTION, 1),
		};
		struct vm_exit out;

		snprintf(unit_label, sizeof(unit_label), "#DB, qualification %#llx",
			 qualifications[i]);
		out = decode(&info);
		EXPECT_EQ(out.exception.has_payload, true);
		EXPECT_EQ(out.exception.payload, qualifications[i] & VMX_DEBUG_DR6_BITS);
	}
}

struct cr_case {
	u64 qualification;
	u8 cr;
	enum cr_access_kind kind;
	u8 gpr;
	u16 lmsw_source;
};

/* SDM table 28-3: CR number, access type, GPR, LMSW source data. */
static void test_cr_accesses_decode_fully(void **state)
{
	static const struct cr_case cases[] = {
		{ 0x000, 0, CR_MOV_TO, 0, 0 },			/* mov cr0, rax */
		{ 0x704, 4, CR_MOV_TO, 7, 0 },			/* mov cr4, rdi */
		{ 0xf08, 8, CR_MOV_TO, 15, 0 },			/* mov cr8, r15 */
		{ 0x318, 8, CR_MOV_FROM, 3, 0 },		/* mov rbx, cr8 */
		{ 0x020, 0, CR_CLTS, 0, 0 },
		{ 0x000b0030ULL, 0, CR_LMSW, 0, 0xb },	/* lmsw ax, ax = 0xb */
		{ 0x00010070ULL, 0, CR_LMSW, 0, 1 },	/* lmsw from memory */
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct vmx_exit_info info = {
			.reason = VMX_EXIT_CR_ACCESS, .qualification = cases[i].qualification,
			.insn_len = 3,
		};
		struct vm_exit out;

		snprintf(unit_label, sizeof(unit_label), "qualification %#llx",
			 cases[i].qualification);
		out = decode(&info);
		EXPECT_EQ(out.reason, EXIT_CR_ACCESS);
		EXPECT_EQ(out.cr.decoded, true);
		EXPECT_EQ(out.cr.cr, cases[i].cr);
		EXPECT_EQ(out.cr.kind, cases[i].kind);
		if (cases[i].kind == CR_MOV_TO || cases[i].kind == CR_MOV_FROM)
			EXPECT_EQ(out.cr.gpr, cases[i].gpr);
		if (cases[i].kind == CR_LMSW)
			EXPECT_EQ(out.cr.lmsw_source, cases[i].lmsw_source);
	}
}

/* MOV DR (SDM Vol. 3C table 28-4): DR in bits 2:0, bit 4 set for MOV from DR, GPR in 11:8. */
static void test_mov_dr_decodes_register_direction_and_gpr(void **state)
{
	static const struct { u64 qualification; u8 dr; bool write; u8 gpr; } cases[] = {
		{ 0x007, 7, true, 0 },		/* mov dr7, rax */
		{ 0xf10, 0, false, 15 },	/* mov r15, dr0 */
		{ 0x316, 6, false, 3 },		/* mov rbx, dr6 */
		{ 0x401, 1, true, 4 },		/* mov dr1, rsp */
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct vmx_exit_info info = {
			.reason = VMX_EXIT_MOV_DR, .qualification = cases[i].qualification,
			.insn_len = 3,
		};
		struct vm_exit out;

		snprintf(unit_label, sizeof(unit_label), "qualification %#llx",
			 cases[i].qualification);
		out = decode(&info);
		EXPECT_EQ(out.reason, EXIT_DR_ACCESS);
		EXPECT_EQ(out.dr.decoded, true);
		EXPECT_EQ(out.dr.dr, cases[i].dr);
		EXPECT_EQ(out.dr.write, cases[i].write);
		EXPECT_EQ(out.dr.gpr, cases[i].gpr);
		EXPECT_EQ(out.insn_len, 3);
	}
}

struct vectoring_case {
	u32 info, error;
	bool valid;
	u8 type, vector;
	bool has_error_code;
};

/* IDT-vectoring information: hardware events come back for re-injection, software ones not. */
static void test_idt_vectoring_gives_the_interrupted_event(void **state)
{
	static const struct vectoring_case cases[] = {
		{ 0, 0, false, 0, 0, false },
		{ 0x41, 0, false, 0, 0, false },			/* not valid */
		{ INTR(INTR_TYPE_EXTERNAL_INTERRUPT, 0x41), 0, true, EVENT_EXTERNAL_INTERRUPT, 0x41,
		  false },
		{ INTR(INTR_TYPE_NMI, 2), 0, true, EVENT_NMI, 2, false },
		{ INTR(INTR_TYPE_HARDWARE_EXCEPTION, 13) | INTR_INFO_HAS_ERROR_CODE, 0x18, true,
		  EVENT_EXCEPTION, 13, true },
		{ INTR(4, 0x80), 0, false, 0, 0, false },		/* INT 0x80 runs again */
		{ INTR(5, 1), 0, false, 0, 0, false },			/* INT1 */
		{ INTR(6, 3), 0, false, 0, 0, false },			/* INT3 */
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct vectoring_case *c = &cases[i];
		const struct vmx_exit_info info = {
			.reason = VMX_EXIT_EPT_VIOLATION, .qualification = VMX_EPT_WRITE,
			.guest_physical = 0x3000, .idt_vectoring_info = c->info,
			.idt_vectoring_error = c->error,
		};
		struct vm_exit out;

		snprintf(unit_label, sizeof(unit_label), "vectoring %#x", c->info);
		out = decode(&info);
		EXPECT_EQ(out.vectoring_valid, c->valid);
		if (!c->valid)
			continue;
		EXPECT_EQ(out.vectoring.type, c->type);
		EXPECT_EQ(out.vectoring.vector, c->vector);
		EXPECT_EQ(out.vectoring.has_error_code, c->has_error_code);
		if (c->has_error_code)
			EXPECT_EQ(out.vectoring.error_code, c->error);
	}
}

/* Instruction exits never come during an event delivery: their vectoring field is not read. */
static void test_only_delivery_exits_read_the_vectoring_field(void **state)
{
	static const u32 with[] = { VMX_EXIT_EXCEPTION_OR_NMI, VMX_EXIT_EPT_VIOLATION,
				    VMX_EXIT_EPT_MISCONFIG, VMX_EXIT_TASK_SWITCH };
	static const u32 without[] = { VMX_EXIT_CPUID, VMX_EXIT_VMCALL, VMX_EXIT_IO_INSTRUCTION,
				       VMX_EXIT_HLT, VMX_EXIT_EXTERNAL_INTERRUPT,
				       VMX_EXIT_CR_ACCESS };
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(with); i++) {
		snprintf(unit_label, sizeof(unit_label), "reason %u", with[i]);
		EXPECT_EQ(vmx_exit_needs_vectoring(with[i]), true);
	}
	for (size_t i = 0; i < ARRAY_SIZE(without); i++) {
		snprintf(unit_label, sizeof(unit_label), "reason %u", without[i]);
		EXPECT_EQ(vmx_exit_needs_vectoring(without[i]), false);
	}
}

/* VMCALL carries its caller's CPL, SS.DPL (SDM 25.4.1): only ring 0 may make hypercalls. */
static void test_vmcall_carries_the_callers_cpl(void **state)
{
	(void)state;
	for (u32 dpl = 0; dpl < 4; dpl++) {
		const struct vmx_exit_info info = {
			.reason = VMX_EXIT_VMCALL, .insn_len = 3,
			.ss_access_rights = 0x93 | dpl << 5,
		};
		struct vm_exit out;

		snprintf(unit_label, sizeof(unit_label), "VMCALL at CPL %u", dpl);
		EXPECT_EQ(vmx_exit_needs_cpl(info.reason), true);
		out = decode(&info);
		EXPECT_EQ(out.hypercall.cpl, dpl);
	}
}

/* A zero error code is still an error code, and all 32 bits of it are kept. */
static void test_exception_error_codes_are_kept_whole(void **state)
{
	static const u32 errors[] = { 0, 1, 0x18, 0x8000, 0xffffffff };
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(errors); i++) {
		const struct vmx_exit_info info = {
			.reason = VMX_EXIT_EXCEPTION_OR_NMI,
			.interruption_info = INTR(INTR_TYPE_HARDWARE_EXCEPTION, 13) |
					     INTR_INFO_HAS_ERROR_CODE,
			.interruption_error = errors[i],
		};
		struct vm_exit out;

		snprintf(unit_label, sizeof(unit_label), "#GP error code %#x", errors[i]);
		out = decode(&info);
		EXPECT_EQ(out.reason, EXIT_EXCEPTION);
		EXPECT_EQ(out.exception.vector, 13);
		EXPECT_EQ(out.exception.has_error_code, true);
		EXPECT_EQ(out.exception.error_code, errors[i]);
	}
}

struct simple_case {
	u32 basic;
	enum exit_reason reason;
	u32 len;
	const char *mnemonic;	/* for EXIT_VIRT_INSN and EXIT_UNOFFERED_INSN */
};

static const struct simple_case simple_cases[] = {
	{ VMX_EXIT_TRIPLE_FAULT, EXIT_TRIPLE_FAULT, 0, NULL },
	{ VMX_EXIT_CPUID, EXIT_CPUID, 2, NULL },
	{ VMX_EXIT_HLT, EXIT_HLT, 1, NULL },
	{ VMX_EXIT_VMCALL, EXIT_HYPERCALL, 3, NULL },
	{ VMX_EXIT_RDMSR, EXIT_MSR_READ, 2, NULL },
	{ VMX_EXIT_WRMSR, EXIT_MSR_WRITE, 3, NULL },		/* 48 0f 30 */
	{ VMX_EXIT_VMCLEAR, EXIT_VIRT_INSN, 5, "VMCLEAR" },
	{ VMX_EXIT_VMLAUNCH, EXIT_VIRT_INSN, 3, "VMLAUNCH" },
	{ VMX_EXIT_VMPTRLD, EXIT_VIRT_INSN, 4, "VMPTRLD" },
	{ VMX_EXIT_VMPTRST, EXIT_VIRT_INSN, 4, "VMPTRST" },
	{ VMX_EXIT_VMREAD, EXIT_VIRT_INSN, 3, "VMREAD" },
	{ VMX_EXIT_VMRESUME, EXIT_VIRT_INSN, 3, "VMRESUME" },
	{ VMX_EXIT_VMWRITE, EXIT_VIRT_INSN, 3, "VMWRITE" },
	{ VMX_EXIT_VMXOFF, EXIT_VIRT_INSN, 3, "VMXOFF" },
	{ VMX_EXIT_VMXON, EXIT_VIRT_INSN, 5, "VMXON" },
	{ VMX_EXIT_INVEPT, EXIT_VIRT_INSN, 5, "INVEPT" },
	{ VMX_EXIT_INVVPID, EXIT_VIRT_INSN, 5, "INVVPID" },
	{ VMX_EXIT_VMFUNC, EXIT_VIRT_INSN, 3, "VMFUNC" },
	{ VMX_EXIT_GETSEC, EXIT_VIRT_INSN, 2, "GETSEC" },
	{ VMX_EXIT_XSETBV, EXIT_UNOFFERED_INSN, 3, "XSETBV" },
	{ VMX_EXIT_MONITOR, EXIT_UNOFFERED_INSN, 3, "MONITOR" },
	{ VMX_EXIT_MWAIT, EXIT_UNOFFERED_INSN, 3, "MWAIT" },
	{ VMX_EXIT_INVD, EXIT_INVD, 2, NULL },
	{ VMX_EXIT_TASK_SWITCH, EXIT_TASK_SWITCH, 0, NULL },
};

/* Exits decoded from the reason alone, whatever the other fields hold. */
static void test_reason_only_exits_map_to_their_neutral_reason(void **state)
{
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(simple_cases); i++) {
		const struct simple_case *c = &simple_cases[i];

		for (size_t u = 0; u < ARRAY_SIZE(plain_upper_bits); u++) {
			const struct vmx_exit_info info = {
				.reason = c->basic | plain_upper_bits[u],
				.qualification = 0x3f, .insn_len = c->len,
				.interruption_info = NMI_INFO, .guest_physical = 0xfee00000,
			};
			struct vm_exit out;

			snprintf(unit_label, sizeof(unit_label), "reason %#x", info.reason);
			out = decode(&info);
			EXPECT_EQ(out.reason, c->reason);
			EXPECT_EQ(out.insn_len, c->len);
			if (c->mnemonic)
				EXPECT_STR(out.insn.mnemonic, c->mnemonic);
		}
	}
}

struct io_case {
	const char *name;
	u64 qualification;
	u16 port;
	u8 size;
	bool in, string, rep;
};

#define IO_PORT(p) ((u64)(p) << VMX_IO_PORT_SHIFT)
#define IO_IMMEDIATE BIT(6)	/* operand encoding: port from an immediate */

static const struct io_case io_cases[] = {
	{ "out dx, al", IO_PORT(0x3f8) | 0, 0x3f8, 1, false, false, false },
	{ "in al, 0x60", IO_PORT(0x60) | 0 | VMX_IO_IN | IO_IMMEDIATE, 0x60, 1, true, false,
	  false },
	{ "out dx, ax", IO_PORT(0x1ce) | 1, 0x1ce, 2, false, false, false },
	{ "in ax, dx", IO_PORT(0x1cf) | 1 | VMX_IO_IN, 0x1cf, 2, true, false, false },
	{ "out dx, eax", IO_PORT(0xcf8) | 3, 0xcf8, 4, false, false, false },
	{ "in eax, 0xfc", IO_PORT(0xfc) | 3 | VMX_IO_IN | IO_IMMEDIATE, 0xfc, 4, true, false,
	  false },
	{ "outsb", IO_PORT(0x80) | 0 | VMX_IO_STRING, 0x80, 1, false, true, false },
	{ "rep outsb", IO_PORT(0x3f8) | 0 | VMX_IO_STRING | VMX_IO_REP, 0x3f8, 1, false, true,
	  true },
	{ "rep insw", IO_PORT(0x1f0) | 1 | VMX_IO_IN | VMX_IO_STRING | VMX_IO_REP, 0x1f0, 2,
	  true, true, true },
	{ "rep insd at port 0xffff", IO_PORT(0xffff) | 3 | VMX_IO_IN | VMX_IO_STRING |
	  VMX_IO_REP, 0xffff, 4, true, true, true },
	{ "out to port 0", IO_PORT(0) | 0, 0, 1, false, false, false },
	{ "insd", IO_PORT(0x8000) | 3 | VMX_IO_IN | VMX_IO_STRING, 0x8000, 4, true, true,
	  false },
};

static void test_io_exits_decode_port_direction_size_and_kind(void **state)
{
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(io_cases); i++) {
		const struct io_case *c = &io_cases[i];

		for (size_t u = 0; u < ARRAY_SIZE(plain_upper_bits); u++) {
			const struct vmx_exit_info info = {
				.reason = VMX_EXIT_IO_INSTRUCTION | plain_upper_bits[u],
				.qualification = c->qualification, .insn_len = 1 + c->string,
				.guest_physical = 0xdead000,
			};
			struct vm_exit out;

			snprintf(unit_label, sizeof(unit_label), "I/O %s, reason %#x", c->name,
				 info.reason);
			out = decode(&info);
			EXPECT_EQ(out.insn_len, 1 + c->string);
			expect_io(&out, c->port, c->size, c->in, c->string, c->rep);
		}
	}
}

struct ept_case {
	u64 qualification, gpa;
	bool read, write, fetch;
	bool gla_valid, in_page_walk;
};

/* Bits 3-5 of the qualification: what the entry allowed; bit 7: a linear address is valid. */
#define EPT_ALLOWED_RWX (7ULL << 3)
#define EPT_LINEAR_VALID VMX_EPT_GLA_VALID
#define EPT_DATA VMX_EPT_GLA_TRANSLATED	/* with bit 7: the data, not a guest page table */
#define GUEST_LINEAR 0xffff8000c0de0000ULL

static void test_ept_violations_decode_gpa_and_access_kind(void **state)
{
	static const struct ept_case cases[] = {
		{ VMX_EPT_READ, 0xfee00000, true, false, false, false, false },
		{ VMX_EPT_WRITE, 0xfec00000, false, true, false, false, false },
		{ VMX_EPT_FETCH, 0x100000, false, false, true, false, false },
		{ VMX_EPT_READ | VMX_EPT_WRITE, 0x1000, true, true, false, false, false },	/* RMW */
		{ VMX_EPT_READ | EPT_LINEAR_VALID, 0x0, true, false, false, true, true },
		{ VMX_EPT_READ | EPT_LINEAR_VALID | EPT_DATA, 0x0, true, false, false, true, false },
		{ VMX_EPT_WRITE | (1ULL << 3) | EPT_LINEAR_VALID | EPT_DATA, 0xb8000, false, true,
		  false, true, false },
		{ VMX_EPT_FETCH | EPT_ALLOWED_RWX, 0xfffffffff000ULL, false, false, true, false,
		  false },
		{ VMX_EPT_FETCH | EPT_DATA, 0x2000, false, false, true, false, false },	/* no GLA */
		{ EPT_ALLOWED_RWX | EPT_LINEAR_VALID, 0x123456789abcULL, false, false, false, true,
		  true },
		{ VMX_EPT_READ | VMX_EPT_WRITE | VMX_EPT_FETCH, 0x7ffff123, true, true, true, false,
		  false },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct ept_case *c = &cases[i];

		for (size_t u = 0; u < ARRAY_SIZE(plain_upper_bits); u++) {
			const struct vmx_exit_info info = {
				.reason = VMX_EXIT_EPT_VIOLATION | plain_upper_bits[u],
				.qualification = c->qualification, .guest_physical = c->gpa,
				.guest_linear = c->gla_valid ? GUEST_LINEAR : ~0ULL,
				.insn_len = 0, .interruption_info = NMI_INFO,
			};
			struct vm_exit out;

			snprintf(unit_label, sizeof(unit_label), "EPT violation q %#llx gpa %#llx, reason %#x",
				 c->qualification, c->gpa, info.reason);
			out = decode(&info);
			EXPECT_EQ(out.reason, EXIT_MEMORY);
			EXPECT_EQ(out.memory.gpa, c->gpa);
			EXPECT_EQ(out.memory.read, c->read);
			EXPECT_EQ(out.memory.write, c->write);
			EXPECT_EQ(out.memory.fetch, c->fetch);
			EXPECT_EQ(vmx_exit_needs_guest_linear(info.reason, c->qualification),
				  c->gla_valid);
			EXPECT_EQ(out.memory.gla_valid, c->gla_valid);
			EXPECT_EQ(out.memory.gla, c->gla_valid ? GUEST_LINEAR : 0);
			EXPECT_EQ(out.memory.in_page_walk, c->in_page_walk);
			EXPECT_EQ(out.insn_bytes_len, 0);	/* VT-x never fetches them */
		}
	}
}

/* Exits the VMM has no handler for keep their full reason for the message. */
static void test_unhandled_exits_are_unsupported(void **state)
{
	static const u32 basics[] = {
		VMX_EXIT_EPT_MISCONFIG, VMX_EXIT_INIT, VMX_EXIT_SIPI,
		14 /* INVLPG */, 16 /* RDTSC */, 35, 38, 42,
		51 /* RDTSCP */, 65, 77, 0x100, 0x7fff, 0xffff,
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(basics); i++) {
		for (size_t u = 0; u < ARRAY_SIZE(plain_upper_bits); u++) {
			const struct vmx_exit_info info = {
				.reason = basics[i] | plain_upper_bits[u],
				.qualification = 0x10, .insn_len = 3,
				.interruption_info = NMI_INFO, .guest_physical = 0x1000,
			};
			struct vm_exit out;

			snprintf(unit_label, sizeof(unit_label), "reason %#x", info.reason);
			out = decode(&info);	/* checks native_code */
			EXPECT_EQ(out.reason, EXIT_UNSUPPORTED);
		}
	}
}

struct failure_case {
	u32 basic;
	const char *why;	/* a substring of the explanation; NULL: none of the others */
};

static const char *const known_failure_words[] = { "guest state", "MSR", "machine check" };

/* Bit 31: the entry failed; the basic reason says which check, never an exit to handle. */
static void test_entry_failures_say_why(void **state)
{
	static const struct failure_case cases[] = {
		{ VMX_EXIT_INVALID_GUEST_STATE, "guest state" },
		{ VMX_EXIT_MSR_LOADING, "MSR" },
		{ VMX_EXIT_MACHINE_CHECK, "machine check" },
		{ VMX_EXIT_CPUID, NULL },
		{ VMX_EXIT_EPT_VIOLATION, NULL },
		{ VMX_EXIT_EXCEPTION_OR_NMI, NULL },
		{ 0xffff, NULL },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct failure_case *c = &cases[i];
		const struct vmx_exit_info info = {
			.reason = FAILED | c->basic, .qualification = 2, .insn_len = 0,
			.interruption_info = INTR(INTR_TYPE_HARDWARE_EXCEPTION, 13),
			.guest_physical = 0x1000,
		};
		struct vm_exit out;

		snprintf(unit_label, sizeof(unit_label), "failed entry, reason %#x", info.reason);
		out = decode(&info);
		EXPECT_EQ(out.reason, EXIT_ENTRY_FAILED);
		if (!out.entry_failed.why || !out.entry_failed.why[0])
			fail_msg("%s: no explanation", unit_label);
		if (c->why && !strstr(out.entry_failed.why, c->why))
			fail_msg("%s: \"%s\" does not mention %s", unit_label, out.entry_failed.why,
				 c->why);
		for (size_t k = 0; !c->why && k < ARRAY_SIZE(known_failure_words); k++) {
			if (strstr(out.entry_failed.why, known_failure_words[k]))
				fail_msg("%s: \"%s\" claims a known cause", unit_label,
					 out.entry_failed.why);
		}
	}
}

/* Only exception-or-NMI exits need the interruption information. */
static bool wants_interruption_info(u32 basic)
{
	return basic == VMX_EXIT_EXCEPTION_OR_NMI;
}

/* Only EPT violations and misconfigurations record a guest-physical address (SDM 28.2.1). */
static bool wants_guest_physical(u32 basic)
{
	return basic == VMX_EXIT_EPT_VIOLATION || basic == VMX_EXIT_EPT_MISCONFIG;
}

static void test_optional_fields_are_needed_for_their_reasons_only(void **state)
{
	(void)state;

	for (u32 basic = 0; basic <= 0xffff; basic++) {
		for (size_t u = 0; u < ARRAY_SIZE(plain_upper_bits); u++) {
			u32 reason = basic | plain_upper_bits[u];

			snprintf(unit_label, sizeof(unit_label), "reason %#x", reason);
			EXPECT_EQ(vmx_exit_needs_interruption_info(reason),
				  wants_interruption_info(basic));
			EXPECT_EQ(vmx_exit_needs_guest_physical(reason),
				  wants_guest_physical(basic));
		}
	}
}

/* A failed entry (bit 31) reports one of these basic reasons and needs neither field. */
static void test_failed_entries_need_no_optional_field(void **state)
{
	static const u32 basics[] = {
		VMX_EXIT_INVALID_GUEST_STATE, VMX_EXIT_MSR_LOADING, VMX_EXIT_MACHINE_CHECK,
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(basics); i++) {
		snprintf(unit_label, sizeof(unit_label), "reason %#x", FAILED | basics[i]);
		EXPECT_EQ(vmx_exit_needs_interruption_info(FAILED | basics[i]), false);
		EXPECT_EQ(vmx_exit_needs_guest_physical(FAILED | basics[i]), false);
	}
}

/*
 * The decoder reads the interruption fields and the guest-physical address only for the
 * reasons that need them, so the caller may leave them unread (and stale) for the others.
 */
static void test_decoding_ignores_fields_the_reason_does_not_need(void **state)
{
	(void)state;

	for (u32 basic = 0; basic <= 0xffff; basic++) {
		for (int failed = 0; failed < 2; failed++) {
			u32 reason = basic | (failed ? FAILED : 0);
			struct vmx_exit_info lo = { .reason = reason, .qualification = 0x3b,
						    .insn_len = 2 };
			struct vmx_exit_info hi = lo;
			struct vm_exit a, b;

			if (!vmx_exit_needs_interruption_info(reason)) {
				hi.interruption_info = NMI_INFO | INTR_INFO_HAS_ERROR_CODE;
				hi.interruption_error = ~0U;
			}
			if (!vmx_exit_needs_guest_physical(reason))
				hi.guest_physical = ~0ULL;
			snprintf(unit_label, sizeof(unit_label), "reason %#x", reason);
			a = decode(&lo);
			b = decode(&hi);
			expect_same_exit(&a, &b);
		}
	}
}

static const struct vmx_exit_info sequence[] = {
	{ .reason = VMX_EXIT_IO_INSTRUCTION,
	  .qualification = IO_PORT(0x1f0) | 3 | VMX_IO_IN | VMX_IO_STRING | VMX_IO_REP,
	  .insn_len = 2 },
	{ .reason = VMX_EXIT_IO_INSTRUCTION, .qualification = IO_PORT(0x80), .insn_len = 1 },
	{ .reason = VMX_EXIT_EPT_VIOLATION,
	  .qualification = VMX_EPT_READ | VMX_EPT_WRITE | VMX_EPT_FETCH,
	  .guest_physical = 0xfee00000 },
	{ .reason = VMX_EXIT_EPT_VIOLATION, .qualification = 0, .guest_physical = 0x1000 },
	{ .reason = VMX_EXIT_EXCEPTION_OR_NMI,
	  .interruption_info = INTR(INTR_TYPE_HARDWARE_EXCEPTION, 14) | INTR_INFO_HAS_ERROR_CODE,
	  .interruption_error = 0x6 },
	{ .reason = VMX_EXIT_EXCEPTION_OR_NMI,
	  .interruption_info = INTR(INTR_TYPE_HARDWARE_EXCEPTION, 6), .interruption_error = 9 },
	{ .reason = VMX_EXIT_EXCEPTION_OR_NMI, .interruption_info = NMI_INFO },
	{ .reason = VMX_EXIT_CPUID, .insn_len = 2 },
	{ .reason = VMX_EXIT_VMCALL, .insn_len = 3 },
	{ .reason = VMX_EXIT_VMXON, .insn_len = 5 },
	{ .reason = VMX_EXIT_MWAIT, .insn_len = 3 },
	{ .reason = VMX_EXIT_WRMSR, .insn_len = 2 },
	{ .reason = VMX_EXIT_EXTERNAL_INTERRUPT },
	{ .reason = VMX_EXIT_TRIPLE_FAULT },
	{ .reason = VMX_EXIT_CR_ACCESS, .qualification = 0x4, .insn_len = 3 },
	{ .reason = FAILED | VMX_EXIT_INVALID_GUEST_STATE },
	{ .reason = FAILED | VMX_EXIT_MSR_LOADING, .qualification = 1 },
	{ .reason = 0x1234 },
};

/* Decoding one exit after another into the same record leaves nothing of the first behind. */
static void test_decoding_into_a_used_record_keeps_nothing_stale(void **state)
{
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(sequence); i++) {
		for (size_t k = 0; k < ARRAY_SIZE(sequence); k++) {
			struct vm_exit used, zeroed, ones;

			snprintf(unit_label, sizeof(unit_label), "reason %#x after %#x", sequence[k].reason,
				 sequence[i].reason);
			zeroed = decode_filled(&sequence[k], 0);
			ones = decode_filled(&sequence[k], 0xff);
			expect_same_exit(&zeroed, &ones);
			vmx_decode_exit(&sequence[i], &used);
			vmx_decode_exit(&sequence[k], &used);
			expect_same_exit(&used, &zeroed);
		}
	}
}

/* Every reason at all, failed entry or not, decodes to some reason with a name and its code. */
static void test_every_reason_decodes_to_a_valid_record(void **state)
{
	(void)state;

	for (u32 basic = 0; basic <= 0xffff; basic++) {
		for (int failed = 0; failed < 2; failed++) {
			const struct vmx_exit_info info = {
				.reason = basic | (failed ? FAILED : 0), .qualification = ~0ULL,
				.insn_len = 15, .interruption_info = ~0U,
				.interruption_error = ~0U, .guest_physical = ~0ULL,
			};
			struct vm_exit out;

			snprintf(unit_label, sizeof(unit_label), "reason %#x", info.reason);
			out = decode(&info);	/* checks native_code, insn_len and the name */
			if (failed)
				EXPECT_EQ(out.reason, EXIT_ENTRY_FAILED);
			else if (out.reason == EXIT_ENTRY_FAILED)
				fail_msg("%s: a failed entry without bit 31", unit_label);
		}
	}
}

/* A debugger's single step: the monitor trap flag's exit. */
static void test_monitor_trap_flag_is_a_debug_step(void **state)
{
	const struct vmx_exit_info info = { .reason = VMX_EXIT_MONITOR_TRAP_FLAG };
	struct vm_exit out;
	(void)state;

	snprintf(unit_label, sizeof(unit_label), "MTF");
	out = decode(&info);
	EXPECT_EQ(out.reason, EXIT_DEBUG_STEP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_events_decode_to_exit_none),
		cmocka_unit_test(test_monitor_trap_flag_is_a_debug_step),
		cmocka_unit_test(test_nmi_exits_decode_to_exit_none_and_are_flagged),
		cmocka_unit_test(test_nmi_type_info_on_other_exits_is_not_an_nmi),
		cmocka_unit_test(test_hardware_exceptions_give_vector_and_error_code),
		cmocka_unit_test(test_software_exceptions_are_exceptions_not_nmis),
		cmocka_unit_test(test_exception_error_codes_are_kept_whole),
		cmocka_unit_test(test_reason_only_exits_map_to_their_neutral_reason),
		cmocka_unit_test(test_io_exits_decode_port_direction_size_and_kind),
		cmocka_unit_test(test_ept_violations_decode_gpa_and_access_kind),
		cmocka_unit_test(test_unhandled_exits_are_unsupported),
		cmocka_unit_test(test_entry_failures_say_why),
		cmocka_unit_test(test_optional_fields_are_needed_for_their_reasons_only),
		cmocka_unit_test(test_failed_entries_need_no_optional_field),
		cmocka_unit_test(test_decoding_ignores_fields_the_reason_does_not_need),
		cmocka_unit_test(test_decoding_into_a_used_record_keeps_nothing_stale),
		cmocka_unit_test(test_every_reason_decodes_to_a_valid_record),
		cmocka_unit_test(test_debug_exceptions_carry_their_dr6_bits),
		cmocka_unit_test(test_cr_accesses_decode_fully),
		cmocka_unit_test(test_mov_dr_decodes_register_direction_and_gpr),
		cmocka_unit_test(test_idt_vectoring_gives_the_interrupted_event),
		cmocka_unit_test(test_only_delivery_exits_read_the_vectoring_field),
		cmocka_unit_test(test_vmcall_carries_the_callers_cpl),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

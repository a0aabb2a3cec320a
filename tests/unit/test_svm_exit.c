/* SPDX-License-Identifier: MIT */
/* Tests of the AMD-V exit decoder over crafted VMCBs, with and without NRIP-save. */
#include "tests/unit/unit.h"
#include "tests/unit/exit_record.h"
#include "arch/x86/svm/svm_exit.h"

#include <stdio.h>

#define RIP 0x7ffeULL		/* the guest RIP of most exits: crosses a page at +2 */
#define ANY_LEN 0xff		/* the case does not constrain insn_len */

/* The VMCB fields a #VMEXIT writes that the decoder reads. */
struct exit_in {
	u64 code, info1, info2, rip, next_rip;
	u64 int_info;		/* EXITINTINFO */
	u8 cpl;
};

static int vmcb_setup(void **state)
{
	struct vmcb *vmcb = aligned_alloc(PAGE_SIZE, sizeof(*vmcb));

	if (!vmcb)
		return -1;
	*state = vmcb;
	return 0;
}

static int vmcb_teardown(void **state)
{
	free(*state);
	return 0;
}

static void load(struct vmcb *vmcb, const struct exit_in *in)
{
	memset(vmcb, 0, sizeof(*vmcb));
	vmcb->control.exit_code = in->code;
	vmcb->control.exit_info1 = in->info1;
	vmcb->control.exit_info2 = in->info2;
	vmcb->control.next_rip = in->next_rip;
	vmcb->control.exit_int_info = in->int_info;
	vmcb->save.rip = in->rip;
	vmcb->save.cpl = in->cpl;
}

/*
 * Decode into a record first filled with fill, so that nothing the decoder leaves unset can
 * pass for a decoded value; the VMCB must come out unchanged.
 */
static struct vm_exit decode_filled(struct vmcb *vmcb, const struct exit_in *in, bool nrips,
				    int fill)
{
	static struct vmcb before;
	struct vm_exit out;

	load(vmcb, in);
	before = *vmcb;
	memset(&out, fill, sizeof(out));
	svm_decode_exit(vmcb, nrips, false, &out);
	if (memcmp(&before, vmcb, sizeof(before)) != 0)
		fail_msg("%s: svm_decode_exit changed the VMCB", unit_label);
	EXPECT_EQ(out.native_code, in->code);
	if (!out.native_name || !out.native_name[0])
		fail_msg("%s: no native name", unit_label);
	if ((unsigned)out.reason >= EXIT_REASON_COUNT)
		fail_msg("%s: reason %d out of range", unit_label, out.reason);
	return out;
}

static struct vm_exit decode(struct vmcb *vmcb, const struct exit_in *in, bool nrips)
{
	return decode_filled(vmcb, in, nrips, 0xa5);
}

static void expect_name(const struct vm_exit *out, const char *token)
{
	if (!strstr(out->native_name, token))
		fail_msg("%s: native name \"%s\" does not mention %s", unit_label, out->native_name,
			 token);
}

struct event_case {
	u32 code;
	const char *name;
	enum exit_reason reason;
	u8 len;
};

/* Exits that are not an instruction to skip, with and without NRIP-save. */
static void test_events_decode_to_their_reason_without_a_length(void **state)
{
	static const struct event_case cases[] = {
		{ SVM_EXIT_INTR, "INTR", EXIT_NONE, 0 },
		{ SVM_EXIT_NMI, "NMI", EXIT_NONE, 0 },
		{ SVM_EXIT_SMI, "SMI", EXIT_NONE, 0 },
		{ SVM_EXIT_INIT, "INIT", EXIT_NONE, 0 },
		{ SVM_EXIT_PAUSE, "PAUSE", EXIT_NONE, ANY_LEN },
		{ SVM_EXIT_VINTR, "VINTR", EXIT_NONE, 0 },
		{ SVM_EXIT_IRET, "IRET", EXIT_NONE, 0 },
		{ SVM_EXIT_SHUTDOWN, "SHUTDOWN", EXIT_TRIPLE_FAULT, 0 },
	};
	struct vmcb *vmcb = *state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct event_case *c = &cases[i];

		for (int nrips = 0; nrips < 2; nrips++) {
			const struct exit_in in = { c->code, 0x12, 0x34, RIP, RIP + 2, 0, 0 };
			struct vm_exit out;

			snprintf(unit_label, sizeof(unit_label), "%s, nrips %d", c->name, nrips);
			out = decode(vmcb, &in, nrips);
			EXPECT_EQ(out.reason, c->reason);
			expect_name(&out, c->name);
			if (c->len != ANY_LEN)
				EXPECT_EQ(out.insn_len, c->len);
		}
	}
}

struct insn_case {
	u32 code;
	u64 info1;
	const char *name;
	enum exit_reason reason;
	u8 len;			/* without prefixes */
	const char *mnemonic;	/* for EXIT_VIRT_INSN and EXIT_UNOFFERED_INSN */
};

static const struct insn_case insn_cases[] = {
	{ SVM_EXIT_CPUID, 0, "CPUID", EXIT_CPUID, 2, NULL },
	{ SVM_EXIT_HLT, 0, "HLT", EXIT_HLT, 1, NULL },
	{ SVM_EXIT_VMMCALL, 0, "VMMCALL", EXIT_HYPERCALL, 3, NULL },
	{ SVM_EXIT_MSR, 0, "MSR", EXIT_MSR_READ, 2, NULL },
	{ SVM_EXIT_MSR, 1, "MSR", EXIT_MSR_WRITE, 2, NULL },
	{ SVM_EXIT_VMRUN, 0, "VMRUN", EXIT_VIRT_INSN, 3, "VMRUN" },
	{ SVM_EXIT_VMLOAD, 0, "VMLOAD", EXIT_VIRT_INSN, 3, "VMLOAD" },
	{ SVM_EXIT_VMSAVE, 0, "VMSAVE", EXIT_VIRT_INSN, 3, "VMSAVE" },
	{ SVM_EXIT_STGI, 0, "STGI", EXIT_VIRT_INSN, 3, "STGI" },
	{ SVM_EXIT_CLGI, 0, "CLGI", EXIT_VIRT_INSN, 3, "CLGI" },
	{ SVM_EXIT_SKINIT, 0, "SKINIT", EXIT_VIRT_INSN, 3, "SKINIT" },
	{ SVM_EXIT_INVLPGA, 0, "INVLPGA", EXIT_VIRT_INSN, 3, "INVLPGA" },
	{ SVM_EXIT_XSETBV, 0, "XSETBV", EXIT_UNOFFERED_INSN, 3, "XSETBV" },
	{ SVM_EXIT_MONITOR, 0, "MONITOR", EXIT_UNOFFERED_INSN, 3, "MONITOR" },
	{ SVM_EXIT_MWAIT, 0, "MWAIT", EXIT_UNOFFERED_INSN, 3, "MWAIT" },
	{ SVM_EXIT_RDTSCP, 0, "RDTSCP", EXIT_UNOFFERED_INSN, 3, "RDTSCP" },
	{ SVM_EXIT_INVD, 0, "INVD", EXIT_INVD, 2, NULL },
};

static void expect_insn(const struct insn_case *c, const struct vm_exit *out, u8 len)
{
	EXPECT_EQ(out->reason, c->reason);
	expect_name(out, c->name);
	EXPECT_EQ(out->insn_len, len);
	if (c->mnemonic) {
		if (!out->insn.mnemonic || strcmp(out->insn.mnemonic, c->mnemonic) != 0)
			fail_msg("%s: mnemonic \"%s\", expected \"%s\"", unit_label,
				 out->insn.mnemonic ? out->insn.mnemonic : "(null)", c->mnemonic);
	}
}

/*
 * Where nRIP lies. With NRIP-save, 1 to 15 bytes past rip is the length (prefixes included);
 * anything else is absurd and the decoder falls back to the fixed length.
 */
struct nrip_case {
	const char *name;
	u64 rip;
	s64 delta;		/* next_rip - rip */
};

static const struct nrip_case nrip_cases[] = {
	{ "1 byte", RIP, 1 },
	{ "2 bytes", RIP, 2 },
	{ "3 bytes", RIP, 3 },
	{ "4 bytes", RIP, 4 },
	{ "15 bytes, the longest x86 instruction", RIP, 15 },
	{ "16 bytes on", RIP, 16 },
	{ "a page on", RIP, 4096 },
	{ "one byte before rip", RIP, -1 },
	{ "a page before rip", RIP, -4096 },
	{ "nRIP zero", RIP, -(s64)RIP },
	{ "rip high, 15 bytes", 0xffffffff8000fff0ULL, 15 },
	{ "rip high, 16 bytes", 0xffffffff8000fff0ULL, 16 },
	{ "rip high, nRIP zero", 0xffffffff8000fff0ULL, -(s64)0xffffffff8000fff0ULL },
};

static bool sane_delta(s64 delta)
{
	return delta >= 1 && delta <= 15;
}

static void expect_nrip_lengths(struct vmcb *vmcb, bool nrips)
{
	for (size_t i = 0; i < ARRAY_SIZE(insn_cases); i++) {
		const struct insn_case *c = &insn_cases[i];

		for (size_t k = 0; k < ARRAY_SIZE(nrip_cases); k++) {
			const struct nrip_case *n = &nrip_cases[k];
			const struct exit_in in = { c->code, c->info1, 0, n->rip,
						    n->rip + (u64)n->delta, 0, 0 };
			u8 want = nrips && sane_delta(n->delta) ? (u8)n->delta : c->len;
			struct vm_exit out;

			snprintf(unit_label, sizeof(unit_label), "%s (info1 %llu), nrips %d, %s", c->name,
				 c->info1, nrips, n->name);
			out = decode(vmcb, &in, nrips);
			expect_insn(c, &out, want);
		}
	}
}

static void test_instructions_have_their_fixed_length_without_nrip_save(void **state)
{
	expect_nrip_lengths(*state, false);
}

static void test_instructions_take_their_length_from_sane_nrip(void **state)
{
	expect_nrip_lengths(*state, true);
}

/* The prefixed forms a guest really uses, with NRIP-save giving their full length. */
static void test_prefixed_instructions_report_their_full_length(void **state)
{
	static const struct {
		u32 code;
		u64 info1;
		enum exit_reason reason;
		u8 len;
	} cases[] = {
		{ SVM_EXIT_VMMCALL, 0, EXIT_HYPERCALL, 4 },	/* 66 0f 01 d9 */
		{ SVM_EXIT_CPUID, 0, EXIT_CPUID, 3 },		/* 2e 0f a2 */
		{ SVM_EXIT_MSR, 1, EXIT_MSR_WRITE, 3 },		/* 48 0f 30 */
		{ SVM_EXIT_HLT, 0, EXIT_HLT, 2 },		/* f3 f4 */
	};
	struct vmcb *vmcb = *state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct exit_in in = { cases[i].code, cases[i].info1, 0, 0x100000,
					    0x100000 + cases[i].len, 0, 0 };
		struct vm_exit out;

		snprintf(unit_label, sizeof(unit_label), "prefixed exit %#x", cases[i].code);
		out = decode(vmcb, &in, true);
		EXPECT_EQ(out.reason, cases[i].reason);
		EXPECT_EQ(out.insn_len, cases[i].len);
	}
}

struct io_case {
	const char *name;
	u64 info1;
	u8 len;			/* exit_info2 - rip */
	u16 port;
	u8 size;
	bool in, string, rep;
};

#define IO_PORT(p) ((u64)(p) << SVM_IOIO_PORT_SHIFT)
#define IO_A16 BIT(7)
#define IO_A32 BIT(8)
#define IO_A64 BIT(9)
#define IO_SEG(s) ((u64)(s) << 10)

static const struct io_case io_cases[] = {
	{ "out dx, al", IO_PORT(0x3f8) | SVM_IOIO_SIZE8 | IO_A64, 1, 0x3f8, 1, false, false,
	  false },
	{ "in al, 0x60", IO_PORT(0x60) | SVM_IOIO_SIZE8 | SVM_IOIO_IN | IO_A32, 2, 0x60, 1, true,
	  false, false },
	{ "out dx, ax", IO_PORT(0x1ce) | SVM_IOIO_SIZE16 | IO_A64, 2, 0x1ce, 2, false, false,
	  false },
	{ "in ax, dx", IO_PORT(0x1cf) | SVM_IOIO_SIZE16 | SVM_IOIO_IN | IO_A16, 2, 0x1cf, 2, true,
	  false, false },
	{ "out dx, eax", IO_PORT(0xcf8) | SVM_IOIO_SIZE32 | IO_A64, 1, 0xcf8, 4, false, false,
	  false },
	{ "in eax, 0xfc", IO_PORT(0xfc) | SVM_IOIO_SIZE32 | SVM_IOIO_IN, 2, 0xfc, 4, true, false,
	  false },
	{ "outsb", IO_PORT(0x80) | SVM_IOIO_SIZE8 | SVM_IOIO_STRING | IO_A64 | IO_SEG(3), 1,
	  0x80, 1, false, true, false },
	{ "rep outsb", IO_PORT(0x3f8) | SVM_IOIO_SIZE8 | SVM_IOIO_STRING | SVM_IOIO_REP | IO_A64,
	  2, 0x3f8, 1, false, true, true },
	{ "rep insw", IO_PORT(0x1f0) | SVM_IOIO_SIZE16 | SVM_IOIO_IN | SVM_IOIO_STRING |
	  SVM_IOIO_REP | IO_A32 | IO_SEG(0), 3, 0x1f0, 2, true, true, true },
	{ "rep insd, address-size prefix", IO_PORT(0xffff) | SVM_IOIO_SIZE32 | SVM_IOIO_IN |
	  SVM_IOIO_STRING | SVM_IOIO_REP | IO_A32, 3, 0xffff, 4, true, true, true },
	{ "out to port 0", IO_PORT(0) | SVM_IOIO_SIZE8, 1, 0, 1, false, false, false },
	{ "rep outsd with segment override, 15 bytes", IO_PORT(0x8000) | SVM_IOIO_SIZE32 |
	  SVM_IOIO_STRING | SVM_IOIO_REP | IO_A64 | IO_SEG(5), 15, 0x8000, 4, false, true, true },
};

static void test_io_exits_decode_port_direction_size_and_length(void **state)
{
	struct vmcb *vmcb = *state;

	for (size_t i = 0; i < ARRAY_SIZE(io_cases); i++) {
		const struct io_case *c = &io_cases[i];

		for (int nrips = 0; nrips < 2; nrips++) {
			/* nRIP, when there is one, is not where the length comes from. */
			const struct exit_in in = { SVM_EXIT_IOIO, c->info1, RIP + c->len, RIP,
						    RIP + 7, 0, 0 };
			struct vm_exit out;

			snprintf(unit_label, sizeof(unit_label), "IOIO %s, nrips %d", c->name, nrips);
			out = decode(vmcb, &in, nrips);
			expect_name(&out, "IO");
			EXPECT_EQ(out.insn_len, c->len);
			expect_io(&out, c->port, c->size, c->in, c->string, c->rep);
		}
	}
}

struct npf_case {
	u64 info1, gpa;
	bool read, write, fetch;
	bool in_page_walk;
};

static void test_npf_decodes_the_gpa_and_access_kind(void **state)
{
	static const struct npf_case cases[] = {
		{ 0x0, 0xfee00000, true, false, false, false },		/* not present, read */
		{ 0x1, 0x1000, true, false, false, false },		/* present, read */
		{ 0x4, 0x0, true, false, false, false },		/* user read */
		{ 0x2, 0xfec00000, false, true, false, false },		/* not present, write */
		{ 0x7, 0xfffffffff000ULL, false, true, false, false },	/* user write */
		{ 0x100000006ULL, 0xb8000, false, true, false, false },	/* final translation */
		{ 0x10, 0x100000, false, false, true, false },		/* fetch */
		{ 0x15, 0x7ffff000, false, false, true, false },	/* present user fetch */
		{ 0x200000004ULL, 0x123456789abcULL, true, false, false, true },	/* guest walk */
	};
	struct vmcb *vmcb = *state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct npf_case *c = &cases[i];

		for (int nrips = 0; nrips < 2; nrips++) {
			const struct exit_in in = { SVM_EXIT_NPF, c->info1, c->gpa, RIP, RIP + 3, 0, 0 };
			struct vm_exit out;

			snprintf(unit_label, sizeof(unit_label), "NPF info1 %#llx gpa %#llx, nrips %d",
				 c->info1, c->gpa, nrips);
			out = decode(vmcb, &in, nrips);
			EXPECT_EQ(out.reason, EXIT_MEMORY);
			expect_name(&out, "NPF");
			EXPECT_EQ(out.insn_len, 0);
			EXPECT_EQ(out.memory.gpa, c->gpa);
			EXPECT_EQ(out.memory.read, c->read);
			EXPECT_EQ(out.memory.write, c->write);
			EXPECT_EQ(out.memory.fetch, c->fetch);
			EXPECT_EQ(out.memory.in_page_walk, c->in_page_walk);
			EXPECT_EQ(out.memory.gla_valid, false);	/* AMD-V never gives it */
			EXPECT_EQ(out.insn_bytes_len, 0);	/* nor bytes without decode assists */
		}
	}
}

/*
 * With decode assists the VMCB holds the bytes the CPU fetched of the faulting instruction
 * (APM 15.8.4): an NPF's record carries as many as it fetched, at most 15; guest_exit_instruction
 * reads them only for memory exits.
 */
static void test_decode_assists_give_the_npf_instruction_bytes(void **state)
{
	static const u8 mov_to_memory[] = { 0x48, 0x89, 0x02, 0x90, 0x90 };
	static const u8 fetched[] = { 0, 1, 3, 15, 16, 255 };
	struct vmcb *vmcb = *state;

	for (size_t i = 0; i < ARRAY_SIZE(fetched); i++) {
		for (int assists = 0; assists < 2; assists++) {
			const struct exit_in in = { SVM_EXIT_NPF, SVM_NPF_WRITE, 0xc0000000, RIP,
						    RIP + 2, 0, 0 };
			u8 expected = assists ? (u8)MIN(fetched[i], 15) : 0;
			struct vm_exit out;

			snprintf(unit_label, sizeof(unit_label), "%u bytes fetched, assists %d",
				 fetched[i], assists);
			load(vmcb, &in);
			memset(vmcb->control.insn_bytes, 0xcc, sizeof(vmcb->control.insn_bytes));
			memcpy(vmcb->control.insn_bytes, mov_to_memory, sizeof(mov_to_memory));
			vmcb->control.insn_bytes_fetched = fetched[i];
			memset(&out, 0xa5, sizeof(out));
			svm_decode_exit(vmcb, true, assists, &out);
			EXPECT_EQ(out.insn_bytes_len, expected);
			assert_memory_equal(out.insn_bytes, vmcb->control.insn_bytes, expected);
		}
	}
}

/* Vectors for which the CPU pushes an error code (SDM/APM exception table). */
static bool pushes_error_code(u8 vector)
{
	switch (vector) {
	case 8: case 10: case 11: case 12: case 13: case 14: case 17: case 21: case 29: case 30:
		return true;
	default:
		return false;
	}
}

static void test_exception_exits_give_vector_and_error_code(void **state)
{
	struct vmcb *vmcb = *state;

	for (u32 vector = 0; vector < 32; vector++) {
		const u64 error_code = pushes_error_code(vector) ? 0x10 + vector : 0;
		const struct exit_in in = { SVM_EXIT_EXCEPTION_BASE + vector, error_code,
					    0xdead000, RIP, RIP + 2, 0, 0 };
		struct vm_exit out;

		snprintf(unit_label, sizeof(unit_label), "exception exit %#x",
			 SVM_EXIT_EXCEPTION_BASE + vector);
		out = decode(vmcb, &in, true);
		EXPECT_EQ(out.reason, EXIT_EXCEPTION);
		EXPECT_EQ(out.insn_len, 0);
		EXPECT_EQ(out.exception.vector, vector);
		if (pushes_error_code(vector)) {
			EXPECT_EQ(out.exception.has_error_code, true);
			EXPECT_EQ(out.exception.error_code, error_code);
		}
	}
}

static void test_vmexit_invalid_is_a_failed_entry_in_either_width(void **state)
{
	static const u64 codes[] = { 0xffffffffffffffffULL, 0x00000000ffffffffULL };
	struct vmcb *vmcb = *state;

	for (size_t i = 0; i < ARRAY_SIZE(codes); i++) {
		for (int nrips = 0; nrips < 2; nrips++) {
			const struct exit_in in = { codes[i], 0, 0, RIP, RIP + 3, 0, 0 };
			struct vm_exit out;

			snprintf(unit_label, sizeof(unit_label), "VMEXIT_INVALID %#llx, nrips %d", codes[i],
				 nrips);
			out = decode(vmcb, &in, nrips);
			EXPECT_EQ(out.reason, EXIT_ENTRY_FAILED);
			EXPECT_EQ(out.insn_len, 0);
			if (!out.entry_failed.why || !out.entry_failed.why[0])
				fail_msg("%s: no explanation", unit_label);
		}
	}
}

static void test_unknown_exit_codes_are_unsupported_and_keep_their_code(void **state)
{
	static const u64 codes[] = {
		0x0,		/* CR0 read */
		0x3f,		/* just below the exceptions (DR15 write: no such register) */
		0x28,		/* DR8 read */
		0x13,		/* CR3 write (never intercepted: NPT) */
		0x04,		/* CR4 read */
		0x65,		/* CR0 selective write */
		0x6e,		/* RDTSC */
		0x79,		/* INVLPG */
		0x88,		/* ICEBP */
		0x9f,
		0x3ff,
		0x401,		/* AVIC incomplete IPI */
		0x1234,
		0xfffffffffffffffeULL,	/* VMEXIT_BUSY */
	};
	struct vmcb *vmcb = *state;

	for (size_t i = 0; i < ARRAY_SIZE(codes); i++) {
		for (int nrips = 0; nrips < 2; nrips++) {
			const struct exit_in in = { codes[i], 1, 2, RIP, RIP + 2, 0, 0 };
			struct vm_exit out;

			snprintf(unit_label, sizeof(unit_label), "exit code %#llx, nrips %d", codes[i],
				 nrips);
			out = decode(vmcb, &in, nrips);	/* checks native_code */
			EXPECT_EQ(out.reason, EXIT_UNSUPPORTED);
			EXPECT_EQ(out.insn_len, 0);
		}
	}
}

struct cr_access_case {
	u64 code, info1;
	bool decode_assists;
	u8 cr;
	enum cr_access_kind kind;
	bool decoded;
	u8 gpr;
};

/*
 * CR0/CR4 writes, CR8 reads and writes (a vCPU with a local APIC): fully described only with
 * decode assists, and then only a MOV (bit 63).
 */
static void test_cr_accesses_are_described_as_far_as_the_cpu_says(void **state)
{
	static const struct cr_access_case cases[] = {
		{ 0x10, 0, false, 0, CR_MOV_TO, false, 0 },
		{ 0x14, 0, false, 4, CR_MOV_TO, false, 0 },
		{ 0x10, BIT(63) | 3, false, 0, CR_MOV_TO, false, 0 },	/* assists unused when absent */
		{ 0x10, BIT(63) | 3, true, 0, CR_MOV_TO, true, 3 },
		{ 0x14, BIT(63) | 15, true, 4, CR_MOV_TO, true, 15 },
		{ 0x10, 0, true, 0, CR_MOV_TO, false, 0 },			/* LMSW or CLTS */
		{ 0x18, 0, false, 8, CR_MOV_TO, false, 0 },
		{ 0x18, BIT(63) | 9, true, 8, CR_MOV_TO, true, 9 },
		{ 0x08, 0, false, 8, CR_MOV_FROM, false, 0 },
		{ 0x08, BIT(63) | 2, true, 8, CR_MOV_FROM, true, 2 },
	};
	struct vmcb *vmcb = *state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct cr_access_case *c = &cases[i];
		const struct exit_in in = { c->code, c->info1, 0, RIP, RIP + 3, 0, 0 };
		struct vm_exit out;

		snprintf(unit_label, sizeof(unit_label), "CR access %zu", i);
		load(vmcb, &in);
		memset(&out, 0xa5, sizeof(out));
		svm_decode_exit(vmcb, false, c->decode_assists, &out);
		EXPECT_EQ(out.reason, EXIT_CR_ACCESS);
		EXPECT_EQ(out.cr.cr, c->cr);
		EXPECT_EQ(out.cr.kind, c->kind);
		EXPECT_EQ(out.cr.decoded, c->decoded);
		if (c->decoded)
			EXPECT_EQ(out.cr.gpr, c->gpr);
		EXPECT_EQ(out.insn_len, 0);	/* no NRIP-save: the VMM finds the length */
	}
}

/* DR0-DR7 reads 0x20-0x27, writes 0x30-0x37 (APM Vol. 2 table C-1): the GPR with assists. */
static void test_dr_accesses_name_register_direction_and_gpr(void **state)
{
	static const struct { u64 code, info1; bool assists; u8 dr; bool write; } cases[] = {
		{ 0x20, 3, true, 0, false },
		{ 0x27, 15, true, 7, false },
		{ 0x33, 0, true, 3, true },
		{ 0x36, 9, false, 6, true },
	};
	struct vmcb *vmcb = *state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct exit_in in = { cases[i].code, cases[i].info1, 0, RIP, RIP + 3, 0, 0 };
		struct vm_exit out;

		snprintf(unit_label, sizeof(unit_label), "DR access %zu", i);
		load(vmcb, &in);
		memset(&out, 0xa5, sizeof(out));
		svm_decode_exit(vmcb, true, cases[i].assists, &out);
		EXPECT_EQ(out.reason, EXIT_DR_ACCESS);
		EXPECT_EQ(out.dr.dr, cases[i].dr);
		EXPECT_EQ(out.dr.write, cases[i].write);
		EXPECT_EQ(out.dr.decoded, cases[i].assists);
		if (cases[i].assists)
			EXPECT_EQ(out.dr.gpr, cases[i].info1);
		EXPECT_EQ(out.insn_len, 3);	/* NRIP-save */
	}
}

struct vectoring_case {
	u64 int_info;
	bool valid;
	u8 type, vector;
	bool has_error_code;
	u32 error_code;
};

/* EXITINTINFO: the hardware events come back for re-injection, software ones do not. */
static void test_exitintinfo_gives_the_interrupted_event(void **state)
{
	static const struct vectoring_case cases[] = {
		{ 0, false, 0, 0, false, 0 },
		{ 0x30, false, 0, 0, false, 0 },			/* not valid */
		{ BIT(31) | 0x30, true, EVENT_EXTERNAL_INTERRUPT, 0x30, false, 0 },
		{ BIT(31) | 2 << 8 | 2, true, EVENT_NMI, 2, false, 0 },
		{ BIT(31) | 3 << 8 | 6, true, EVENT_EXCEPTION, 6, false, 0 },
		{ 0x12345678ULL << 32 | BIT(31) | BIT(11) | 3 << 8 | 14, true, EVENT_EXCEPTION, 14,
		  true, 0x12345678 },
		{ BIT(31) | 4 << 8 | 0x80, false, 0, 0, false, 0 },	/* INT 0x80 runs again */
	};
	struct vmcb *vmcb = *state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct vectoring_case *c = &cases[i];
		const struct exit_in in = { SVM_EXIT_NPF, 2, 0x5000, RIP, 0, c->int_info, 0 };
		struct vm_exit out = decode(vmcb, &in, false);

		snprintf(unit_label, sizeof(unit_label), "EXITINTINFO %#llx", c->int_info);
		EXPECT_EQ(out.vectoring_valid, c->valid);
		if (!c->valid)
			continue;
		EXPECT_EQ(out.vectoring.type, c->type);
		EXPECT_EQ(out.vectoring.vector, c->vector);
		EXPECT_EQ(out.vectoring.has_error_code, c->has_error_code);
		if (c->has_error_code)
			EXPECT_EQ(out.vectoring.error_code, c->error_code);
	}
}

static void test_hypercalls_carry_the_callers_cpl(void **state)
{
	struct vmcb *vmcb = *state;

	for (u8 cpl = 0; cpl < 4; cpl++) {
		const struct exit_in in = { SVM_EXIT_VMMCALL, 0, 0, RIP, RIP + 3, 0, cpl };
		struct vm_exit out = decode(vmcb, &in, true);

		snprintf(unit_label, sizeof(unit_label), "VMMCALL at CPL %u", cpl);
		EXPECT_EQ(out.reason, EXIT_HYPERCALL);
		EXPECT_EQ(out.hypercall.cpl, cpl);
	}
}

/* Every code at all decodes to some reason and a name, and keeps its native code. */
static void test_every_exit_code_decodes_to_a_valid_record(void **state)
{
	struct vmcb *vmcb = *state;

	for (u64 code = 0; code < 0x1000; code++) {
		for (int nrips = 0; nrips < 2; nrips++) {
			const struct exit_in in = { code, ~0ULL, ~0ULL, RIP, ~0ULL, 0, 0 };

			snprintf(unit_label, sizeof(unit_label), "exit code %#llx, nrips %d", code, nrips);
			decode(vmcb, &in, nrips);
		}
	}
}

static const struct exit_in sequence[] = {
	{ SVM_EXIT_IOIO, IO_PORT(0x1f0) | SVM_IOIO_SIZE32 | SVM_IOIO_IN | SVM_IOIO_STRING |
	  SVM_IOIO_REP, RIP + 2, RIP, RIP + 2, 0, 0 },
	{ SVM_EXIT_IOIO, IO_PORT(0x80) | SVM_IOIO_SIZE8, RIP + 1, RIP, RIP + 1, 0, 0 },
	{ SVM_EXIT_NPF, SVM_NPF_WRITE | SVM_NPF_FETCH | 1, 0xfee00000, RIP, 0, 0, 0 },
	{ SVM_EXIT_NPF, 0, 0x1000, RIP, 0, 0, 0 },
	{ SVM_EXIT_NPF, SVM_NPF_WRITE, 0x2000, RIP, 0, 0, 0 },
	{ SVM_EXIT_CPUID, 0, 0, RIP, RIP + 2, 0, 0 },
	{ SVM_EXIT_VMMCALL, 0, 0, RIP, RIP + 4, 0, 0 },
	{ SVM_EXIT_VMRUN, 0, 0, RIP, RIP + 3, 0, 0 },
	{ SVM_EXIT_XSETBV, 0, 0, RIP, RIP + 3, 0, 0 },
	{ SVM_EXIT_MSR, 1, 0, RIP, RIP + 2, 0, 0 },
	{ SVM_EXIT_MSR, 0, 0, RIP, RIP + 2, 0, 0 },
	{ SVM_EXIT_EXCEPTION_BASE + 14, 0x6, 0xdead000, RIP, 0, 0, 0 },
	{ SVM_EXIT_EXCEPTION_BASE + 13, 0x18, 0, RIP, 0, 0, 0 },
	{ SVM_EXIT_INTR, 0, 0, RIP, RIP, 0, 0 },
	{ SVM_EXIT_SHUTDOWN, 0, 0, RIP, 0, 0, 0 },
	{ 0xffffffffffffffffULL, 0, 0, RIP, 0, 0, 0 },
	{ 0x1234, 0, 0, RIP, 0, 0, 0 },
};

/* Decoding one exit after another into the same record leaves nothing of the first behind. */
static void test_decoding_into_a_used_record_keeps_nothing_stale(void **state)
{
	struct vmcb *vmcb = *state;

	for (size_t i = 0; i < ARRAY_SIZE(sequence); i++) {
		for (size_t k = 0; k < ARRAY_SIZE(sequence); k++) {
			for (int nrips = 0; nrips < 2; nrips++) {
				struct vm_exit used, zeroed, ones;

				snprintf(unit_label, sizeof(unit_label),
					 "exit %#llx after %#llx, nrips %d", sequence[k].code,
					 sequence[i].code, nrips);
				zeroed = decode_filled(vmcb, &sequence[k], nrips, 0);
				ones = decode_filled(vmcb, &sequence[k], nrips, 0xff);
				expect_same_exit(&zeroed, &ones);
				load(vmcb, &sequence[i]);
				svm_decode_exit(vmcb, nrips, false, &used);
				load(vmcb, &sequence[k]);
				svm_decode_exit(vmcb, nrips, false, &used);
				expect_same_exit(&used, &zeroed);
			}
		}
	}
}

/* The INTn intercept is set only for a debugger, as QEMU's INT3 meets it: a #BP for the VMM. */
static void test_intn_intercept_is_a_breakpoint(void **state)
{
	const struct exit_in in = { .code = SVM_EXIT_SWINT, .rip = 0x1000 };
	struct vm_exit out;

	snprintf(unit_label, sizeof(unit_label), "SWINT");
	out = decode(*state, &in, false);
	EXPECT_EQ(out.reason, EXIT_EXCEPTION);
	EXPECT_EQ(out.exception.vector, 3);
	EXPECT_EQ(out.exception.has_error_code, false);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, vmcb_setup, vmcb_teardown)
	const struct CMUnitTest tests[] = {
		T(test_events_decode_to_their_reason_without_a_length),
		T(test_instructions_have_their_fixed_length_without_nrip_save),
		T(test_instructions_take_their_length_from_sane_nrip),
		T(test_prefixed_instructions_report_their_full_length),
		T(test_io_exits_decode_port_direction_size_and_length),
		T(test_npf_decodes_the_gpa_and_access_kind),
		T(test_intn_intercept_is_a_breakpoint),
		T(test_decode_assists_give_the_npf_instruction_bytes),
		T(test_exception_exits_give_vector_and_error_code),
		T(test_vmexit_invalid_is_a_failed_entry_in_either_width),
		T(test_unknown_exit_codes_are_unsupported_and_keep_their_code),
		T(test_cr_accesses_are_described_as_far_as_the_cpu_says),
		T(test_dr_accesses_name_register_direction_and_gpr),
		T(test_exitintinfo_gives_the_interrupted_event),
		T(test_hypercalls_carry_the_callers_cpl),
		T(test_every_exit_code_decodes_to_a_valid_record),
		T(test_decoding_into_a_used_record_keeps_nothing_stale),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests of the x86 instruction semantics: real encodings decoded, then executed on
 * a register file and a fake memory; the ALU's flags against values worked out by hand from
 * the SDM's definitions.
 */
#include <stdio.h>

#include "tests/unit/unit.h"
#include "vmm/x86_emulate.h"
#include "kernel/errno.h"

/* A small memory at offsets [0, 64) of every segment, recording what reached it. */
struct fake_mem {
	u8 bytes[64];
	u32 reads, writes;
	u64 last_ea;
	u8 last_size, last_seg;
	int fail_at;		/* the access numbered so (1, 2, ...) fails; 0: none */
	u32 accesses;
};

static int fake_access(struct fake_mem *f, const struct x86_operand_mem *m, u64 ea, u8 size)
{
	f->accesses++;
	f->last_ea = ea;
	f->last_size = size;
	f->last_seg = m->seg;
	if (f->fail_at && (int)f->accesses == f->fail_at)
		return -EFAULT;
	if (ea + size > sizeof(f->bytes))
		fail_msg("access at %#llx, size %u, outside the fake memory", ea, size);
	return 0;
}

static int fake_read(void *ctx, const struct x86_operand_mem *m, u64 ea, u8 size, u64 *value)
{
	struct fake_mem *f = ctx;
	int err = fake_access(f, m, ea, size);

	if (err)
		return err;
	f->reads++;
	*value = 0;
	memcpy(value, &f->bytes[ea], size);
	return 0;
}

static int fake_write(void *ctx, const struct x86_operand_mem *m, u64 ea, u8 size, u64 value)
{
	struct fake_mem *f = ctx;
	int err = fake_access(f, m, ea, size);

	if (err)
		return err;
	f->writes++;
	memcpy(&f->bytes[ea], &value, size);
	return 0;
}

static const struct x86_emulate_ops fake_ops = { .read = fake_read, .write = fake_write };

struct machine {
	u64 gprs[16];
	u64 rflags;
	struct fake_mem mem;
	struct x86_insn insn;
};

/* Decode bytes in bits-bit code and execute them on m; returns the result. */
static enum x86_emulate_result run(struct machine *m, const u8 *bytes, u32 len, u32 bits)
{
	struct x86_emulate_cpu cpu = { m->gprs, &m->rflags, 0x1000 + len, 16 };

	if (x86_decode(bytes, len, bits, &m->insn) != 0)
		fail_msg("%s: did not decode", unit_label);
	EXPECT_EQ(m->insn.len, len);
	return x86_emulate(&m->insn, &cpu, &fake_ops, &m->mem);
}

static void put32(struct machine *m, u32 at, u32 v)
{
	memcpy(&m->mem.bytes[at], &v, 4);
}

static u32 get32(const struct machine *m, u32 at)
{
	u32 v;

	memcpy(&v, &m->mem.bytes[at], 4);
	return v;
}

#define RUN(m, bits, ...)								\
	({										\
		static const u8 code_[] = { __VA_ARGS__ };				\
		snprintf(unit_label, sizeof(unit_label), "%s line %d", __func__, __LINE__);	\
		run((m), code_, sizeof(code_), (bits));				\
	})

static void test_mov_loads_and_stores_every_size(void **state)
{
	struct machine m = { 0 };
	(void)state;

	put32(&m, 0x10, 0x89abcdef);
	m.gprs[X86_REG_RBX] = 0x10;
	m.gprs[X86_REG_RAX] = 0xffffffffffffffffULL;
	EXPECT_EQ(RUN(&m, 32, 0x8b, 0x03), X86_EMULATE_DONE);		/* mov eax, [ebx] */
	EXPECT_EQ(m.gprs[X86_REG_RAX], 0x89abcdef);
	EXPECT_EQ(m.mem.last_size, 4);
	m.gprs[X86_REG_RCX] = 0x1122334455667788ULL;
	EXPECT_EQ(RUN(&m, 32, 0x8a, 0x6b, 0x01), X86_EMULATE_DONE);	/* mov ch, [ebx+1] */
	EXPECT_EQ(m.gprs[X86_REG_RCX], 0x112233445566cd88ULL);
	EXPECT_EQ(RUN(&m, 32, 0x66, 0x8b, 0x13), X86_EMULATE_DONE);	/* mov dx, [ebx] */
	EXPECT_EQ(m.gprs[X86_REG_RDX], 0xcdef);
	m.gprs[X86_REG_RSI] = 0xa5a5;
	EXPECT_EQ(RUN(&m, 32, 0x66, 0x89, 0x73, 0x04), X86_EMULATE_DONE); /* mov [ebx+4], si */
	EXPECT_EQ(get32(&m, 0x14), 0xa5a5);
	EXPECT_EQ(m.mem.last_size, 2);
	EXPECT_EQ(RUN(&m, 32, 0xc6, 0x43, 0x08, 0x7f), X86_EMULATE_DONE); /* mov byte [ebx+8], 0x7f */
	EXPECT_EQ(m.mem.bytes[0x18], 0x7f);
	EXPECT_EQ(m.mem.last_size, 1);
	/* mov dword [ebx+12], 0x12345678 */
	EXPECT_EQ(RUN(&m, 32, 0xc7, 0x43, 0x0c, 0x78, 0x56, 0x34, 0x12), X86_EMULATE_DONE);
	EXPECT_EQ(get32(&m, 0x1c), 0x12345678);
	/* mov rax, [rbx] in 64-bit code: 8 bytes */
	put32(&m, 0x14, 0x01020304);
	EXPECT_EQ(RUN(&m, 64, 0x48, 0x8b, 0x03), X86_EMULATE_DONE);
	EXPECT_EQ(m.gprs[X86_REG_RAX], 0x0102030489abcdefULL);
	EXPECT_EQ(m.mem.last_size, 8);
	/* mov eax, [0x10] (moffs) */
	m.gprs[X86_REG_RAX] = ~0ULL;
	EXPECT_EQ(RUN(&m, 32, 0xa1, 0x10, 0, 0, 0), X86_EMULATE_DONE);
	EXPECT_EQ(m.gprs[X86_REG_RAX], 0x89abcdef);
}

static void test_rip_relative_and_segment_overrides_reach_the_callbacks(void **state)
{
	struct machine m = { 0 };
	(void)state;

	/* mov eax, [rip - 0x1002]: next RIP is 0x1006, so offset 4 */
	put32(&m, 4, 0x55aa55aa);
	EXPECT_EQ(RUN(&m, 64, 0x8b, 0x05, 0xfe, 0xef, 0xff, 0xff), X86_EMULATE_DONE);
	EXPECT_EQ(m.mem.last_ea, 4);
	EXPECT_EQ(m.gprs[X86_REG_RAX], 0x55aa55aa);
	/* mov [fs:ebx], al */
	m.gprs[X86_REG_RBX] = 9;
	EXPECT_EQ(RUN(&m, 32, 0x64, 0x88, 0x03), X86_EMULATE_DONE);
	EXPECT_EQ(m.mem.last_seg, X86_SEG_FS);
	EXPECT_EQ(m.mem.last_ea, 9);
}

static void test_movzx_and_movsx_extend_their_source(void **state)
{
	struct machine m = { 0 };
	(void)state;

	m.mem.bytes[0] = 0x80;
	m.mem.bytes[1] = 0xff;
	m.gprs[X86_REG_RDX] = ~0ULL;
	EXPECT_EQ(RUN(&m, 32, 0x0f, 0xb6, 0x10), X86_EMULATE_DONE);	/* movzx edx, byte [eax] */
	EXPECT_EQ(m.gprs[X86_REG_RDX], 0x80);
	EXPECT_EQ(RUN(&m, 32, 0x0f, 0xb7, 0x18), X86_EMULATE_DONE);	/* movzx ebx, word [eax] */
	EXPECT_EQ(m.gprs[X86_REG_RBX], 0xff80);
	EXPECT_EQ(m.mem.last_size, 2);
	EXPECT_EQ(RUN(&m, 32, 0x0f, 0xbe, 0x08), X86_EMULATE_DONE);	/* movsx ecx, byte [eax] */
	EXPECT_EQ(m.gprs[X86_REG_RCX], 0xffffff80);
	/* movsx rdx, word [rax] */
	EXPECT_EQ(RUN(&m, 64, 0x48, 0x0f, 0xbf, 0x10), X86_EMULATE_DONE);
	EXPECT_EQ(m.gprs[X86_REG_RDX], 0xffffffffffffff80ULL);
	/* movsxd rsi, dword [rax] */
	put32(&m, 0, 0x80000001);
	EXPECT_EQ(RUN(&m, 64, 0x48, 0x63, 0x30), X86_EMULATE_DONE);
	EXPECT_EQ(m.gprs[X86_REG_RSI], 0xffffffff80000001ULL);
	EXPECT_EQ(m.mem.last_size, 4);
}

static void test_alu_on_memory_and_on_a_register_with_flags(void **state)
{
	struct machine m = { 0 };
	(void)state;

	put32(&m, 0, 0x00010000);
	m.gprs[X86_REG_RBX] = 0;
	/* or dword [ebx], 0x10: read-modify-write */
	EXPECT_EQ(RUN(&m, 32, 0x83, 0x0b, 0x10), X86_EMULATE_DONE);
	EXPECT_EQ(get32(&m, 0), 0x00010010);
	EXPECT_EQ(m.mem.reads, 1);
	EXPECT_EQ(m.mem.writes, 1);
	/* and dword [ebx], 0xfffeffff (81 /4 id) */
	EXPECT_EQ(RUN(&m, 32, 0x81, 0x23, 0xff, 0xff, 0xfe, 0xff), X86_EMULATE_DONE);
	EXPECT_EQ(get32(&m, 0), 0x10);
	EXPECT_EQ(m.rflags & X86_FLAGS_ARITH, 0);
	/* or eax, [ebx] (0B): the register is the destination, memory only read */
	m.gprs[X86_REG_RAX] = 0x100;
	EXPECT_EQ(RUN(&m, 32, 0x0b, 0x03), X86_EMULATE_DONE);
	EXPECT_EQ(m.gprs[X86_REG_RAX], 0x110);
	EXPECT_EQ(m.mem.writes, 2);
	/* and ecx, [ebx] to zero: ZF and PF */
	m.gprs[X86_REG_RCX] = 0x01;
	EXPECT_EQ(RUN(&m, 32, 0x23, 0x0b), X86_EMULATE_DONE);
	EXPECT_EQ(m.gprs[X86_REG_RCX], 0);
	EXPECT_EQ(m.rflags & X86_FLAGS_ARITH, X86_FLAG_ZF | X86_FLAG_PF);
	/* cmp dword [ebx], 0x11: 0x10 - 0x11 borrows; memory unchanged, nothing written */
	EXPECT_EQ(RUN(&m, 32, 0x83, 0x3b, 0x11), X86_EMULATE_DONE);
	EXPECT_EQ(get32(&m, 0), 0x10);
	EXPECT_EQ(m.mem.writes, 2);
	EXPECT_EQ(m.rflags & X86_FLAGS_ARITH, X86_FLAG_CF | X86_FLAG_SF | X86_FLAG_AF |
		  X86_FLAG_PF);
	/* sub [ebx], al with al = 0x10: zero */
	m.gprs[X86_REG_RAX] = 0x10;
	EXPECT_EQ(RUN(&m, 32, 0x28, 0x03), X86_EMULATE_DONE);
	EXPECT_EQ(m.mem.bytes[0], 0);
	EXPECT_EQ(m.rflags & X86_FLAGS_ARITH, X86_FLAG_ZF | X86_FLAG_PF);
	/* xor word [ebx], 0xffff (66 83 /6 ib, sign-extended) */
	EXPECT_EQ(RUN(&m, 32, 0x66, 0x83, 0x33, 0xff), X86_EMULATE_DONE);
	EXPECT_EQ(get32(&m, 0), 0xffff);
}

static void test_alu_flags_by_hand(void **state)
{
	u64 f = 0;
	(void)state;

	snprintf(unit_label, sizeof(unit_label), "alu");
	EXPECT_EQ(x86_alu(X86_ALU_ADD, 1, 0x7f, 0x01, &f), 0x80);
	EXPECT_EQ(f, X86_FLAG_OF | X86_FLAG_SF | X86_FLAG_AF);
	EXPECT_EQ(x86_alu(X86_ALU_ADD, 1, 0xff, 0x01, &f), 0);
	EXPECT_EQ(f, X86_FLAG_CF | X86_FLAG_ZF | X86_FLAG_AF | X86_FLAG_PF);
	f = X86_FLAG_CF;
	EXPECT_EQ(x86_alu(X86_ALU_ADC, 4, 0xffffffff, 0, &f), 0);
	EXPECT_EQ(f, X86_FLAG_CF | X86_FLAG_ZF | X86_FLAG_AF | X86_FLAG_PF);
	f = X86_FLAG_CF;
	EXPECT_EQ(x86_alu(X86_ALU_SBB, 2, 0, 0, &f), 0xffff);
	EXPECT_EQ(f, X86_FLAG_CF | X86_FLAG_SF | X86_FLAG_AF | X86_FLAG_PF);
	f = 0;
	EXPECT_EQ(x86_alu(X86_ALU_SUB, 8, 0x8000000000000000ULL, 1, &f), 0x7fffffffffffffffULL);
	EXPECT_EQ(f, X86_FLAG_OF | X86_FLAG_AF | X86_FLAG_PF);
	EXPECT_EQ(x86_alu(X86_ALU_ADD, 8, ~0ULL, ~0ULL, &f), ~1ULL);
	EXPECT_EQ(f, X86_FLAG_CF | X86_FLAG_SF | X86_FLAG_AF);
	/* the logical operations clear CF and OF; other flags outside the six are kept */
	f = X86_FLAG_CF | X86_FLAG_OF | X86_FLAG_DF | BIT(1);
	EXPECT_EQ(x86_alu(X86_ALU_OR, 4, 0x03, 0, &f), 3);
	EXPECT_EQ(f, X86_FLAG_DF | BIT(1) | X86_FLAG_PF);
	EXPECT_EQ(x86_alu(X86_ALU_XOR, 1, 0x0f, 0x01, &f), 0x0e);
	EXPECT_EQ(f, X86_FLAG_DF | BIT(1));
}

static void test_test_sets_flags_and_writes_nothing(void **state)
{
	struct machine m = { 0 };
	(void)state;

	put32(&m, 0, 0x80000000);
	/* test dword [eax], 0x80000000 */
	EXPECT_EQ(RUN(&m, 32, 0xf7, 0x00, 0, 0, 0, 0x80), X86_EMULATE_DONE);
	EXPECT_EQ(m.rflags & X86_FLAGS_ARITH, X86_FLAG_SF | X86_FLAG_PF);
	m.gprs[X86_REG_RCX] = 1;
	EXPECT_EQ(RUN(&m, 32, 0x85, 0x08), X86_EMULATE_DONE);		/* test [eax], ecx */
	EXPECT_EQ(m.rflags & X86_FLAGS_ARITH, X86_FLAG_ZF | X86_FLAG_PF);
	EXPECT_EQ(m.mem.writes, 0);
	EXPECT_EQ(m.gprs[X86_REG_RCX], 1);
}

static void test_xchg_swaps_memory_and_register(void **state)
{
	struct machine m = { 0 };
	(void)state;

	put32(&m, 8, 0xaaaa5555);
	m.gprs[X86_REG_RBX] = 8;
	m.gprs[X86_REG_RDX] = 0xffffffff12345678ULL;
	EXPECT_EQ(RUN(&m, 32, 0x87, 0x13), X86_EMULATE_DONE);		/* xchg [ebx], edx */
	EXPECT_EQ(get32(&m, 8), 0x12345678);
	EXPECT_EQ(m.gprs[X86_REG_RDX], 0xaaaa5555);	/* a 32-bit write clears 63:32 */
	m.gprs[X86_REG_RAX] = 0x77;
	EXPECT_EQ(RUN(&m, 32, 0x86, 0x03), X86_EMULATE_DONE);		/* xchg [ebx], al */
	EXPECT_EQ(m.mem.bytes[8], 0x77);
	EXPECT_EQ(m.gprs[X86_REG_RAX], 0x78);
}

static void test_rep_stos_and_movs_step_and_count(void **state)
{
	struct machine m = { 0 };
	(void)state;

	m.gprs[X86_REG_RAX] = 0xdeadbeef;
	m.gprs[X86_REG_RDI] = 0x10;
	m.gprs[X86_REG_RCX] = 3;
	EXPECT_EQ(RUN(&m, 32, 0xf3, 0xab), X86_EMULATE_DONE);		/* rep stosd */
	EXPECT_EQ(get32(&m, 0x10), 0xdeadbeef);
	EXPECT_EQ(get32(&m, 0x18), 0xdeadbeef);
	EXPECT_EQ(get32(&m, 0x1c), 0);
	EXPECT_EQ(m.gprs[X86_REG_RDI], 0x1c);
	EXPECT_EQ(m.gprs[X86_REG_RCX], 0);
	EXPECT_EQ(m.mem.last_seg, X86_SEG_ES);
	/* rep movsb backwards (DF): [esi] down to [edi] */
	m.rflags = X86_FLAG_DF;
	m.gprs[X86_REG_RSI] = 0x12;
	m.gprs[X86_REG_RDI] = 0x22;
	m.gprs[X86_REG_RCX] = 3;
	EXPECT_EQ(RUN(&m, 32, 0xf3, 0xa4), X86_EMULATE_DONE);
	EXPECT_EQ(m.mem.bytes[0x22], 0xad);
	EXPECT_EQ(m.mem.bytes[0x21], 0xbe);
	EXPECT_EQ(m.mem.bytes[0x20], 0xef);
	EXPECT_EQ(m.gprs[X86_REG_RSI], 0x0f);
	EXPECT_EQ(m.gprs[X86_REG_RDI], 0x1f);
	/* rep stosb with rcx = 0: nothing */
	m.rflags = 0;
	m.mem.writes = 0;
	EXPECT_EQ(RUN(&m, 32, 0xf3, 0xaa), X86_EMULATE_DONE);
	EXPECT_EQ(m.mem.writes, 0);
	/* 16-bit addressing: DI wraps at 64 KiB, the upper bits stay */
	m.gprs[X86_REG_RDI] = 0x10000;
	m.gprs[X86_REG_RAX] = 0x41;
	EXPECT_EQ(RUN(&m, 16, 0xaa), X86_EMULATE_DONE);			/* stosb */
	EXPECT_EQ(m.mem.last_ea, 0);
	EXPECT_EQ(m.gprs[X86_REG_RDI], 0x10001);
	/* lodsd */
	m.gprs[X86_REG_RSI] = 0x10;
	EXPECT_EQ(RUN(&m, 32, 0xad), X86_EMULATE_DONE);
	EXPECT_EQ(m.gprs[X86_REG_RAX], 0xdeadbeef);
	EXPECT_EQ(m.gprs[X86_REG_RSI], 0x14);
}

static void test_a_long_rep_stops_after_its_batch(void **state)
{
	struct machine m = { 0 };
	(void)state;

	m.gprs[X86_REG_RCX] = 20;	/* the batch in run() is 16 */
	EXPECT_EQ(RUN(&m, 32, 0xf3, 0xaa), X86_EMULATE_AGAIN);
	EXPECT_EQ(m.gprs[X86_REG_RCX], 4);
	EXPECT_EQ(m.gprs[X86_REG_RDI], 16);
	EXPECT_EQ(RUN(&m, 32, 0xf3, 0xaa), X86_EMULATE_DONE);
	EXPECT_EQ(m.gprs[X86_REG_RCX], 0);
	EXPECT_EQ(m.gprs[X86_REG_RDI], 20);
}

static void test_a_failed_access_aborts_without_writing_registers(void **state)
{
	struct machine m = { 0 };
	(void)state;

	m.gprs[X86_REG_RDX] = 5;
	m.mem.fail_at = 1;
	EXPECT_EQ(RUN(&m, 32, 0x87, 0x10), X86_EMULATE_ABORTED);	/* xchg [eax], edx */
	EXPECT_EQ(m.gprs[X86_REG_RDX], 5);
	/* the store of a read-modify-write fails: the register keeps its value */
	m.mem.accesses = 0;
	m.mem.fail_at = 2;
	EXPECT_EQ(RUN(&m, 32, 0x87, 0x10), X86_EMULATE_ABORTED);
	EXPECT_EQ(m.gprs[X86_REG_RDX], 5);
	/* add [eax], edx whose write fails: the flags stay as they were (0 + 5 would clear ZF) */
	m.mem.accesses = 0;
	m.rflags = 0x2 | X86_FLAG_ZF | X86_FLAG_CF;
	EXPECT_EQ(RUN(&m, 32, 0x01, 0x10), X86_EMULATE_ABORTED);
	EXPECT_EQ(m.rflags, 0x2 | X86_FLAG_ZF | X86_FLAG_CF);
	/* rep movsb failing at its third access: the first element stays moved */
	m.mem.accesses = 0;
	m.mem.fail_at = 3;
	m.gprs[X86_REG_RCX] = 4;
	m.gprs[X86_REG_RSI] = 0;
	m.gprs[X86_REG_RDI] = 8;
	EXPECT_EQ(RUN(&m, 32, 0xf3, 0xa4), X86_EMULATE_ABORTED);
	EXPECT_EQ(m.gprs[X86_REG_RCX], 3);
	EXPECT_EQ(m.gprs[X86_REG_RSI], 1);
}

static void test_forms_without_a_memory_operand_are_not_executed(void **state)
{
	struct machine m = { 0 };
	(void)state;

	EXPECT_EQ(RUN(&m, 32, 0x89, 0xc3), X86_EMULATE_UNSUPPORTED);	/* mov ebx, eax */
	EXPECT_EQ(RUN(&m, 32, 0x0f, 0x20, 0xc0), X86_EMULATE_UNSUPPORTED);	/* mov eax, cr0 */
	EXPECT_EQ(RUN(&m, 32, 0xf3, 0x6c), X86_EMULATE_UNSUPPORTED);	/* rep insb */
	EXPECT_EQ(m.mem.accesses, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mov_loads_and_stores_every_size),
		cmocka_unit_test(test_rip_relative_and_segment_overrides_reach_the_callbacks),
		cmocka_unit_test(test_movzx_and_movsx_extend_their_source),
		cmocka_unit_test(test_alu_on_memory_and_on_a_register_with_flags),
		cmocka_unit_test(test_alu_flags_by_hand),
		cmocka_unit_test(test_test_sets_flags_and_writes_nothing),
		cmocka_unit_test(test_xchg_swaps_memory_and_register),
		cmocka_unit_test(test_rep_stos_and_movs_step_and_count),
		cmocka_unit_test(test_a_long_rep_stops_after_its_batch),
		cmocka_unit_test(test_a_failed_access_aborts_without_writing_registers),
		cmocka_unit_test(test_forms_without_a_memory_operand_are_not_executed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

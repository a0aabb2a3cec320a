/* SPDX-License-Identifier: MIT */
/* Tests of the x86 instruction decoder over byte strings cross-checked with objdump. */
#include "tests/unit/unit.h"
#include "vmm/x86_decode.h"

#include <stdio.h>

#include "kernel/errno.h"

/* The encoding's register and segment numbers, spelled out here rather than taken from it. */
enum { RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15, RIP };
enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS };
#define NO (-1)

#define BYTES(...) .n = sizeof((u8[]){ __VA_ARGS__ }), .bytes = { __VA_ARGS__ }
#define W(...) .want = { __VA_ARGS__ }
/* A ModRM with a register r/m, or with a memory r/m: seg:[base + index*scale + disp]. */
#define RM_REG(r, m) .has_modrm = true, .reg = (r), .rm = (m)
#define MEM(s, b, x, sc, d) .mem = true, .m = { SEG_##s, b, x, sc, d }
#define RM_MEM(r, s, b, x, sc, d) .has_modrm = true, .reg = (r), MEM(s, b, x, sc, d)
#define IMM(v) .has_imm = true, .imm = (v)

struct decode_case {
	const char *name;
	u32 bits;
	u8 n;
	u8 bytes[X86_MAX_INSN_LEN];
	struct x86_insn want;	/* len is n; addrsize 0 means the mode's, srcsize 0 opsize */
};

static void set_label(const char *what, u32 bits, const char *name)
{
	snprintf(unit_label, sizeof(unit_label), "%s%u-bit %s", what, bits, name);
}

/* Decode from a heap copy of exactly avail bytes, so that ASan catches any read past them. */
static int decode_exact(const u8 *bytes, u32 avail, u32 bits, struct x86_insn *out)
{
	u8 *copy = avail ? malloc(avail) : NULL;
	int err;

	if (avail) {
		assert_non_null(copy);
		memcpy(copy, bytes, avail);
	}
	err = x86_decode(copy, avail, bits, out);
	free(copy);
	return err;
}

static void expect_mem(const struct x86_operand_mem *got, const struct x86_operand_mem *want)
{
	EXPECT_EQ(got->seg, want->seg);
	EXPECT_EQ(got->base, want->base);
	EXPECT_EQ(got->index, want->index);
	EXPECT_EQ(got->scale, want->scale);
	EXPECT_EQ(got->disp, want->disp);
}

static void expect_fields(const struct decode_case *c, const struct x86_insn *got)
{
	const struct x86_insn *w = &c->want;

	EXPECT_EQ(got->len, c->n);
	EXPECT_EQ(got->op, w->op);
	EXPECT_EQ(got->alu, w->alu);
	EXPECT_EQ(got->opsize, w->opsize);
	EXPECT_EQ(got->srcsize, w->srcsize ? w->srcsize : w->opsize);
	EXPECT_EQ(got->addrsize, w->addrsize ? w->addrsize : c->bits / 8);
	EXPECT_EQ(got->rep, w->rep);
	EXPECT_EQ(got->repne, w->repne);
	EXPECT_EQ(got->lock, w->lock);
	EXPECT_EQ(got->rex_present, w->rex_present);
	EXPECT_EQ(got->has_modrm, w->has_modrm);
	EXPECT_EQ(got->mem, w->mem);
	EXPECT_EQ(got->reg, w->reg);
	if (w->mem)
		expect_mem(&got->m, &w->m);
	else
		EXPECT_EQ(got->rm, w->rm);
	if (w->op == X86_OP_MOVS)
		expect_mem(&got->m2, &(struct x86_operand_mem){ SEG_ES, RDI, NO, 1, 0 });
	else
		EXPECT_EQ(got->m2.base, NO);
	EXPECT_EQ(got->has_imm, w->has_imm);
	EXPECT_EQ(got->imm, w->imm);
	EXPECT_EQ(got->reg_is_dest, w->reg_is_dest);
}

/*
 * Decode c with exactly its bytes, then followed by garbage up to 15 bytes and beyond: the
 * result must not depend on what comes after the instruction.
 */
static void expect_decodes(const struct decode_case *c)
{
	u8 padded[32];
	struct x86_insn got;
	int err;

	memset(padded, 0xff, sizeof(padded));
	memcpy(padded, c->bytes, c->n);
	set_label("", c->bits, c->name);
	err = decode_exact(c->bytes, c->n, c->bits, &got);
	if (err)
		fail_msg("%s: x86_decode returned %d", unit_label, err);
	expect_fields(c, &got);
	set_label("padded ", c->bits, c->name);
	EXPECT_EQ(decode_exact(padded, X86_MAX_INSN_LEN, c->bits, &got), 0);
	expect_fields(c, &got);
	EXPECT_EQ(x86_decode(padded, sizeof(padded), c->bits, &got), 0);
	expect_fields(c, &got);
}

static void expect_all(const struct decode_case *cases, size_t count)
{
	for (size_t k = 0; k < count; k++)
		expect_decodes(&cases[k]);
}

static const struct decode_case cr_cases[] = {
	{ "mov rax, cr0", 64, BYTES(0x0f, 0x20, 0xc0),
	  W(.op = X86_OP_MOV_FROM_CR, .opsize = 8, RM_REG(0, RAX)) },
	{ "mov cr3, rax", 64, BYTES(0x0f, 0x22, 0xd8),
	  W(.op = X86_OP_MOV_TO_CR, .opsize = 8, RM_REG(3, RAX), .reg_is_dest = true) },
	{ "mov rax, cr8 (REX.R)", 64, BYTES(0x44, 0x0f, 0x20, 0xc0),
	  W(.op = X86_OP_MOV_FROM_CR, .opsize = 8, RM_REG(8, RAX), .rex_present = true) },
	{ "mov cr4, r15 (REX.B)", 64, BYTES(0x41, 0x0f, 0x22, 0xe7),
	  W(.op = X86_OP_MOV_TO_CR, .opsize = 8, RM_REG(4, R15), .rex_present = true,
	    .reg_is_dest = true) },
	{ "mod 0 rm 4 is rsp, no SIB", 64, BYTES(0x0f, 0x20, 0x04),
	  W(.op = X86_OP_MOV_FROM_CR, .opsize = 8, RM_REG(0, RSP)) },
	{ "mod 1 rm 5 is rbp, no disp8", 64, BYTES(0x0f, 0x22, 0x45),
	  W(.op = X86_OP_MOV_TO_CR, .opsize = 8, RM_REG(0, RBP), .reg_is_dest = true) },
	{ "mod 2 rm 5 is rbp, no disp32", 32, BYTES(0x0f, 0x22, 0x85),
	  W(.op = X86_OP_MOV_TO_CR, .opsize = 4, RM_REG(0, RBP), .reg_is_dest = true) },
	{ "66 and REX.W change nothing", 64, BYTES(0x66, 0x48, 0x0f, 0x20, 0xd0),
	  W(.op = X86_OP_MOV_FROM_CR, .opsize = 8, RM_REG(2, RAX), .rex_present = true) },
	{ "mov eax, cr4", 32, BYTES(0x0f, 0x20, 0xe0),
	  W(.op = X86_OP_MOV_FROM_CR, .opsize = 4, RM_REG(4, RAX)) },
	{ "mov cr0, ecx", 32, BYTES(0x0f, 0x22, 0xc1),
	  W(.op = X86_OP_MOV_TO_CR, .opsize = 4, RM_REG(0, RCX), .reg_is_dest = true) },
	{ "mov cr0, eax in real mode", 16, BYTES(0x0f, 0x22, 0xc0),
	  W(.op = X86_OP_MOV_TO_CR, .opsize = 4, RM_REG(0, RAX), .reg_is_dest = true) },
	{ "mov ebx, cr0 with 66", 16, BYTES(0x66, 0x0f, 0x20, 0xc3),
	  W(.op = X86_OP_MOV_FROM_CR, .opsize = 4, RM_REG(0, RBX)) },
	{ "clts", 64, BYTES(0x0f, 0x06), W(.op = X86_OP_CLTS, .opsize = 4) },
	{ "clts", 32, BYTES(0x0f, 0x06), W(.op = X86_OP_CLTS, .opsize = 4) },
	{ "clts", 16, BYTES(0x0f, 0x06), W(.op = X86_OP_CLTS, .opsize = 2) },
	{ "lmsw ax", 64, BYTES(0x0f, 0x01, 0xf0),
	  W(.op = X86_OP_LMSW, .opsize = 2, RM_REG(0, RAX)) },
	{ "lmsw r11w", 64, BYTES(0x41, 0x0f, 0x01, 0xf3),
	  W(.op = X86_OP_LMSW, .opsize = 2, RM_REG(0, R11), .rex_present = true) },
	{ "lmsw [eax]", 32, BYTES(0x0f, 0x01, 0x30),
	  W(.op = X86_OP_LMSW, .opsize = 2, RM_MEM(0, DS, RAX, NO, 1, 0)) },
	{ "lmsw [0x1234]", 16, BYTES(0x0f, 0x01, 0x36, 0x34, 0x12),
	  W(.op = X86_OP_LMSW, .opsize = 2, RM_MEM(0, DS, NO, NO, 1, 0x1234)) },
	{ "lmsw [rbp+8], 66 and REX.W change nothing", 64,
	  BYTES(0x66, 0x48, 0x0f, 0x01, 0x75, 0x08),
	  W(.op = X86_OP_LMSW, .opsize = 2, RM_MEM(0, SS, RBP, NO, 1, 8), .rex_present = true) },
	{ "mov rax, dr6", 64, BYTES(0x0f, 0x21, 0xf0),
	  W(.op = X86_OP_MOV_FROM_DR, .opsize = 8, RM_REG(6, RAX)) },
	{ "mov dr7, r9 (REX.B)", 64, BYTES(0x41, 0x0f, 0x23, 0xf9),
	  W(.op = X86_OP_MOV_TO_DR, .opsize = 8, RM_REG(7, R9), .rex_present = true,
	    .reg_is_dest = true) },
	{ "mov dr0, ebx, mod 0 is a register too", 32, BYTES(0x0f, 0x23, 0x03),
	  W(.op = X86_OP_MOV_TO_DR, .opsize = 4, RM_REG(0, RBX), .reg_is_dest = true) },
	{ "mov ecx, dr3 in real mode", 16, BYTES(0x0f, 0x21, 0xd9),
	  W(.op = X86_OP_MOV_FROM_DR, .opsize = 4, RM_REG(3, RCX)) },
};

static void test_control_register_instructions(void **state)
{
	(void)state;
	expect_all(cr_cases, ARRAY_SIZE(cr_cases));
}

static const struct decode_case mov_cases[] = {
	{ "mov [rax], ecx", 64, BYTES(0x89, 0x08),
	  W(.op = X86_OP_MOV_STORE, .opsize = 4, RM_MEM(RCX, DS, RAX, NO, 1, 0)) },
	{ "mov [rdi], rax", 64, BYTES(0x48, 0x89, 0x07),
	  W(.op = X86_OP_MOV_STORE, .opsize = 8, RM_MEM(RAX, DS, RDI, NO, 1, 0),
	    .rex_present = true) },
	{ "mov [rdi], ax", 64, BYTES(0x66, 0x89, 0x07),
	  W(.op = X86_OP_MOV_STORE, .opsize = 2, RM_MEM(RAX, DS, RDI, NO, 1, 0)) },
	{ "mov [rdi], al", 64, BYTES(0x88, 0x07),
	  W(.op = X86_OP_MOV_STORE, .opsize = 1, RM_MEM(RAX, DS, RDI, NO, 1, 0)) },
	{ "mov ecx, edx (register r/m)", 64, BYTES(0x89, 0xd1),
	  W(.op = X86_OP_MOV_STORE, .opsize = 4, RM_REG(RDX, RCX)) },
	{ "mov r9d, [r10]", 64, BYTES(0x45, 0x8b, 0x0a),
	  W(.op = X86_OP_MOV_LOAD, .opsize = 4, RM_MEM(R9, DS, R10, NO, 1, 0), .rex_present = true,
	    .reg_is_dest = true) },
	{ "mov al, [rbx]", 64, BYTES(0x8a, 0x03),
	  W(.op = X86_OP_MOV_LOAD, .opsize = 1, RM_MEM(RAX, DS, RBX, NO, 1, 0),
	    .reg_is_dest = true) },
	{ "mov ax, [bx]", 16, BYTES(0x8b, 0x07),
	  W(.op = X86_OP_MOV_LOAD, .opsize = 2, RM_MEM(RAX, DS, RBX, NO, 1, 0),
	    .reg_is_dest = true) },
	{ "mov byte [rax], 0x80", 64, BYTES(0xc6, 0x00, 0x80),
	  W(.op = X86_OP_MOV_STORE, .opsize = 1, RM_MEM(0, DS, RAX, NO, 1, 0), IMM(0x80)) },
	{ "mov dword [rax+4], 0xdeadbeef", 64, BYTES(0xc7, 0x40, 0x04, 0xef, 0xbe, 0xad, 0xde),
	  W(.op = X86_OP_MOV_STORE, .opsize = 4, RM_MEM(0, DS, RAX, NO, 1, 4), IMM(0xdeadbeef)) },
	{ "mov qword [rax], -2 (imm32 sign-extended)", 64,
	  BYTES(0x48, 0xc7, 0x00, 0xfe, 0xff, 0xff, 0xff),
	  W(.op = X86_OP_MOV_STORE, .opsize = 8, RM_MEM(0, DS, RAX, NO, 1, 0),
	    IMM(0xfffffffffffffffeULL), .rex_present = true) },
	{ "mov qword [rax], 0x7fffffff", 64, BYTES(0x48, 0xc7, 0x00, 0xff, 0xff, 0xff, 0x7f),
	  W(.op = X86_OP_MOV_STORE, .opsize = 8, RM_MEM(0, DS, RAX, NO, 1, 0), IMM(0x7fffffff),
	    .rex_present = true) },
	{ "mov word [rax], 0x1234 (imm16)", 64, BYTES(0x66, 0xc7, 0x00, 0x34, 0x12),
	  W(.op = X86_OP_MOV_STORE, .opsize = 2, RM_MEM(0, DS, RAX, NO, 1, 0), IMM(0x1234)) },
	{ "mov word [eax], 0x8001", 32, BYTES(0x66, 0xc7, 0x00, 0x01, 0x80),
	  W(.op = X86_OP_MOV_STORE, .opsize = 2, RM_MEM(0, DS, RAX, NO, 1, 0), IMM(0x8001)) },
	{ "mov word [bx], 0x1234", 16, BYTES(0xc7, 0x07, 0x34, 0x12),
	  W(.op = X86_OP_MOV_STORE, .opsize = 2, RM_MEM(0, DS, RBX, NO, 1, 0), IMM(0x1234)) },
	{ "mov dword [bx], 0x12345678 (66)", 16, BYTES(0x66, 0xc7, 0x07, 0x78, 0x56, 0x34, 0x12),
	  W(.op = X86_OP_MOV_STORE, .opsize = 4, RM_MEM(0, DS, RBX, NO, 1, 0), IMM(0x12345678)) },
	{ "mov eax, [moffs64]", 64, BYTES(0xa1, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11),
	  W(.op = X86_OP_MOV_LOAD, .opsize = 4, MEM(DS, NO, NO, 1, 0x1122334455667788LL),
	    .reg_is_dest = true) },
	{ "mov [moffs64], al", 64, BYTES(0xa2, 0x00, 0x00, 0xe0, 0xfe, 0x00, 0x00, 0x00, 0x00),
	  W(.op = X86_OP_MOV_STORE, .opsize = 1, MEM(DS, NO, NO, 1, 0xfee00000)) },
	{ "mov rax, [moffs32] (67)", 64, BYTES(0x67, 0x48, 0xa1, 0x44, 0x33, 0x22, 0x11),
	  W(.op = X86_OP_MOV_LOAD, .opsize = 8, .addrsize = 4, MEM(DS, NO, NO, 1, 0x11223344),
	    .rex_present = true, .reg_is_dest = true) },
	{ "mov fs:[moffs64], eax", 64, BYTES(0x64, 0xa3, 8, 7, 6, 5, 4, 3, 2, 1),
	  W(.op = X86_OP_MOV_STORE, .opsize = 4, MEM(FS, NO, NO, 1, 0x0102030405060708LL)) },
	{ "mov al, [moffs32]", 32, BYTES(0xa0, 0x00, 0x00, 0x00, 0xfe),
	  W(.op = X86_OP_MOV_LOAD, .opsize = 1, MEM(DS, NO, NO, 1, 0xfe000000),
	    .reg_is_dest = true) },
	{ "mov [moffs16], eax (67)", 32, BYTES(0x67, 0xa3, 0x34, 0x12),
	  W(.op = X86_OP_MOV_STORE, .opsize = 4, .addrsize = 2, MEM(DS, NO, NO, 1, 0x1234)) },
	{ "mov ax, [moffs16], zero-extended", 16, BYTES(0xa1, 0x00, 0xb8),
	  W(.op = X86_OP_MOV_LOAD, .opsize = 2, MEM(DS, NO, NO, 1, 0xb800), .reg_is_dest = true) },
	{ "movzx eax, byte [rdi]", 64, BYTES(0x0f, 0xb6, 0x07),
	  W(.op = X86_OP_MOVZX, .opsize = 4, .srcsize = 1, RM_MEM(RAX, DS, RDI, NO, 1, 0),
	    .reg_is_dest = true) },
	{ "movzx rax, word [rdi]", 64, BYTES(0x48, 0x0f, 0xb7, 0x07),
	  W(.op = X86_OP_MOVZX, .opsize = 8, .srcsize = 2, RM_MEM(RAX, DS, RDI, NO, 1, 0),
	    .rex_present = true, .reg_is_dest = true) },
	{ "movzx ax, byte [rdi]", 64, BYTES(0x66, 0x0f, 0xb6, 0x07),
	  W(.op = X86_OP_MOVZX, .opsize = 2, .srcsize = 1, RM_MEM(RAX, DS, RDI, NO, 1, 0),
	    .reg_is_dest = true) },
	{ "movzx eax, word [ebx]", 32, BYTES(0x0f, 0xb7, 0x03),
	  W(.op = X86_OP_MOVZX, .opsize = 4, .srcsize = 2, RM_MEM(RAX, DS, RBX, NO, 1, 0),
	    .reg_is_dest = true) },
	{ "movzx eax, ah", 64, BYTES(0x0f, 0xb6, 0xc4),
	  W(.op = X86_OP_MOVZX, .opsize = 4, .srcsize = 1, RM_REG(RAX, 4), .reg_is_dest = true) },
	{ "movzx eax, spl", 64, BYTES(0x40, 0x0f, 0xb6, 0xc4),
	  W(.op = X86_OP_MOVZX, .opsize = 4, .srcsize = 1, RM_REG(RAX, 4), .rex_present = true,
	    .reg_is_dest = true) },
	{ "movsx ecx, byte [rdx]", 64, BYTES(0x0f, 0xbe, 0x0a),
	  W(.op = X86_OP_MOVSX, .opsize = 4, .srcsize = 1, RM_MEM(RCX, DS, RDX, NO, 1, 0),
	    .reg_is_dest = true) },
	{ "movsx r8, word [rax]", 64, BYTES(0x4c, 0x0f, 0xbf, 0x00),
	  W(.op = X86_OP_MOVSX, .opsize = 8, .srcsize = 2, RM_MEM(R8, DS, RAX, NO, 1, 0),
	    .rex_present = true, .reg_is_dest = true) },
	{ "movsx dx, byte [si]", 16, BYTES(0x0f, 0xbe, 0x14),
	  W(.op = X86_OP_MOVSX, .opsize = 2, .srcsize = 1, RM_MEM(RDX, DS, RSI, NO, 1, 0),
	    .reg_is_dest = true) },
	{ "movsxd rax, dword [rcx]", 64, BYTES(0x48, 0x63, 0x01),
	  W(.op = X86_OP_MOVSX, .opsize = 8, .srcsize = 4, RM_MEM(RAX, DS, RCX, NO, 1, 0),
	    .rex_present = true, .reg_is_dest = true) },
	{ "movsxd r10, dword [rip+0x10]", 64, BYTES(0x4c, 0x63, 0x15, 0x10, 0x00, 0x00, 0x00),
	  W(.op = X86_OP_MOVSX, .opsize = 8, .srcsize = 4, RM_MEM(R10, DS, RIP, NO, 1, 0x10),
	    .rex_present = true, .reg_is_dest = true) },
};

static void test_mov_forms(void **state)
{
	(void)state;
	expect_all(mov_cases, ARRAY_SIZE(mov_cases));
}

#define SRC_RSI(s) MEM(s, RSI, NO, 1, 0)
#define DST_RDI MEM(ES, RDI, NO, 1, 0)

static const struct decode_case string_cases[] = {
	{ "movsb", 64, BYTES(0xa4), W(.op = X86_OP_MOVS, .opsize = 1, SRC_RSI(DS)) },
	{ "rep movsd", 64, BYTES(0xf3, 0xa5), W(.op = X86_OP_MOVS, .opsize = 4, SRC_RSI(DS),
						  .rep = true) },
	{ "rep movsq", 64, BYTES(0xf3, 0x48, 0xa5),
	  W(.op = X86_OP_MOVS, .opsize = 8, SRC_RSI(DS), .rep = true, .rex_present = true) },
	{ "movsw fs:[rsi] (the destination stays ES)", 64, BYTES(0x64, 0x66, 0xa5),
	  W(.op = X86_OP_MOVS, .opsize = 2, SRC_RSI(FS)) },
	{ "movsb with 67 (esi, edi)", 64, BYTES(0x67, 0xa4),
	  W(.op = X86_OP_MOVS, .opsize = 1, .addrsize = 4, SRC_RSI(DS)) },
	{ "repne movsb", 64, BYTES(0xf2, 0xa4),
	  W(.op = X86_OP_MOVS, .opsize = 1, SRC_RSI(DS), .repne = true) },
	{ "f3 f2: the last counts", 64, BYTES(0xf3, 0xf2, 0xa4),
	  W(.op = X86_OP_MOVS, .opsize = 1, SRC_RSI(DS), .repne = true) },
	{ "f2 f3: the last counts", 64, BYTES(0xf2, 0xf3, 0xa4),
	  W(.op = X86_OP_MOVS, .opsize = 1, SRC_RSI(DS), .rep = true) },
	{ "rep movsw", 16, BYTES(0xf3, 0xa5),
	  W(.op = X86_OP_MOVS, .opsize = 2, SRC_RSI(DS), .rep = true) },
	{ "movsd with 66 67 (esi, edi)", 16, BYTES(0x67, 0x66, 0xa5),
	  W(.op = X86_OP_MOVS, .opsize = 4, .addrsize = 4, SRC_RSI(DS)) },
	{ "movsb cs:[si]", 16, BYTES(0x2e, 0xa4), W(.op = X86_OP_MOVS, .opsize = 1, SRC_RSI(CS)) },
	{ "rep stosd", 32, BYTES(0xf3, 0xab), W(.op = X86_OP_STOS, .opsize = 4, DST_RDI,
						  .rep = true) },
	{ "stosb fs: (no override of ES)", 32, BYTES(0x64, 0xaa),
	  W(.op = X86_OP_STOS, .opsize = 1, DST_RDI) },
	{ "rep stosq", 64, BYTES(0xf3, 0x48, 0xab),
	  W(.op = X86_OP_STOS, .opsize = 8, DST_RDI, .rep = true, .rex_present = true) },
	{ "stosw with 67 (di)", 32, BYTES(0x66, 0x67, 0xab),
	  W(.op = X86_OP_STOS, .opsize = 2, .addrsize = 2, DST_RDI) },
	{ "lodsd", 64, BYTES(0xad), W(.op = X86_OP_LODS, .opsize = 4, SRC_RSI(DS),
				      .reg_is_dest = true) },
	{ "lodsb ss:[esi]", 32, BYTES(0x36, 0xac),
	  W(.op = X86_OP_LODS, .opsize = 1, SRC_RSI(SS), .reg_is_dest = true) },
	{ "rep insb", 16, BYTES(0xf3, 0x6c), W(.op = X86_OP_INS, .opsize = 1, DST_RDI, .rep = true) },
	{ "insw fs: (no override of ES)", 32, BYTES(0x64, 0x66, 0x6d),
	  W(.op = X86_OP_INS, .opsize = 2, DST_RDI) },
	{ "insd with REX.W: still 32-bit", 64, BYTES(0x48, 0x6d),
	  W(.op = X86_OP_INS, .opsize = 4, DST_RDI, .rex_present = true) },
	{ "rep outsb", 64, BYTES(0xf3, 0x6e), W(.op = X86_OP_OUTS, .opsize = 1, SRC_RSI(DS),
						  .rep = true) },
	{ "outsw gs:[si]", 16, BYTES(0x65, 0x6f), W(.op = X86_OP_OUTS, .opsize = 2, SRC_RSI(GS)) },
	{ "outsd with 67 (esi)", 64, BYTES(0x67, 0x6f),
	  W(.op = X86_OP_OUTS, .opsize = 4, .addrsize = 4, SRC_RSI(DS)) },
	{ "rep outsd with 66 in 16-bit code", 16, BYTES(0xf3, 0x66, 0x6f),
	  W(.op = X86_OP_OUTS, .opsize = 4, SRC_RSI(DS), .rep = true) },
};

static void test_string_instructions(void **state)
{
	(void)state;
	expect_all(string_cases, ARRAY_SIZE(string_cases));
}

#define ALU(a) .op = X86_OP_ALU, .alu = X86_ALU_##a
#define AT_RAX(r) RM_MEM(r, DS, RAX, NO, 1, 0)

static const struct decode_case alu_cases[] = {
	{ "add [rax], ecx", 64, BYTES(0x01, 0x08), W(ALU(ADD), .opsize = 4, AT_RAX(RCX)) },
	{ "add cl, [rax]", 64, BYTES(0x02, 0x08),
	  W(ALU(ADD), .opsize = 1, AT_RAX(RCX), .reg_is_dest = true) },
	{ "add eax, ecx (register r/m)", 64, BYTES(0x01, 0xc8),
	  W(ALU(ADD), .opsize = 4, RM_REG(RCX, RAX)) },
	{ "or [rbx], dl", 64, BYTES(0x08, 0x13),
	  W(ALU(OR), .opsize = 1, RM_MEM(RDX, DS, RBX, NO, 1, 0)) },
	{ "or rdx, [rbx]", 64, BYTES(0x48, 0x0b, 0x13),
	  W(ALU(OR), .opsize = 8, RM_MEM(RDX, DS, RBX, NO, 1, 0), .rex_present = true,
	    .reg_is_dest = true) },
	{ "adc [rax], eax", 64, BYTES(0x11, 0x00), W(ALU(ADC), .opsize = 4, AT_RAX(RAX)) },
	{ "sbb eax, [rax]", 64, BYTES(0x1b, 0x00),
	  W(ALU(SBB), .opsize = 4, AT_RAX(RAX), .reg_is_dest = true) },
	{ "and [rdi], esi", 64, BYTES(0x21, 0x37),
	  W(ALU(AND), .opsize = 4, RM_MEM(RSI, DS, RDI, NO, 1, 0)) },
	{ "and al, [rdi]", 64, BYTES(0x22, 0x07),
	  W(ALU(AND), .opsize = 1, RM_MEM(RAX, DS, RDI, NO, 1, 0), .reg_is_dest = true) },
	{ "sub [rcx], bh", 64, BYTES(0x28, 0x39),
	  W(ALU(SUB), .opsize = 1, RM_MEM(7, DS, RCX, NO, 1, 0)) },
	{ "sub esp, [rcx]", 64, BYTES(0x2b, 0x21),
	  W(ALU(SUB), .opsize = 4, RM_MEM(RSP, DS, RCX, NO, 1, 0), .reg_is_dest = true) },
	{ "xor [rax], eax", 64, BYTES(0x31, 0x00), W(ALU(XOR), .opsize = 4, AT_RAX(RAX)) },
	{ "xor ax, [rax]", 64, BYTES(0x66, 0x33, 0x00),
	  W(ALU(XOR), .opsize = 2, AT_RAX(RAX), .reg_is_dest = true) },
	{ "xor eax, [ebx+esi*4]", 32, BYTES(0x33, 0x04, 0xb3),
	  W(ALU(XOR), .opsize = 4, RM_MEM(RAX, DS, RBX, RSI, 4, 0), .reg_is_dest = true) },
	{ "cmp [rsi], al", 64, BYTES(0x38, 0x06),
	  W(ALU(CMP), .opsize = 1, RM_MEM(RAX, DS, RSI, NO, 1, 0)) },
	{ "cmp eax, [rsi]", 64, BYTES(0x3b, 0x06),
	  W(ALU(CMP), .opsize = 4, RM_MEM(RAX, DS, RSI, NO, 1, 0), .reg_is_dest = true) },
	{ "lock add [rax], ecx", 64, BYTES(0xf0, 0x01, 0x08),
	  W(ALU(ADD), .opsize = 4, AT_RAX(RCX), .lock = true) },
	{ "add byte [rax], 1", 64, BYTES(0x80, 0x00, 0x01),
	  W(ALU(ADD), .opsize = 1, AT_RAX(0), IMM(1)) },
	{ "lock or byte [rax], 0xf0", 64, BYTES(0xf0, 0x80, 0x08, 0xf0),
	  W(ALU(OR), .opsize = 1, AT_RAX(0), IMM(0xf0), .lock = true) },
	{ "adc dword [rax], 0x12345678", 64, BYTES(0x81, 0x10, 0x78, 0x56, 0x34, 0x12),
	  W(ALU(ADC), .opsize = 4, AT_RAX(0), IMM(0x12345678)) },
	{ "sbb word [rax], 0x8234", 64, BYTES(0x66, 0x81, 0x18, 0x34, 0x82),
	  W(ALU(SBB), .opsize = 2, AT_RAX(0), IMM(0x8234)) },
	{ "and dword [rax], -2 (83: imm8 sign-extended)", 64, BYTES(0x83, 0x20, 0xfe),
	  W(ALU(AND), .opsize = 4, AT_RAX(0), IMM(0xfffffffe)) },
	{ "sub qword [rax], -1", 64, BYTES(0x48, 0x83, 0x28, 0xff),
	  W(ALU(SUB), .opsize = 8, AT_RAX(0), IMM(~0ULL), .rex_present = true) },
	{ "xor word [rax], -2", 64, BYTES(0x66, 0x83, 0x30, 0xfe),
	  W(ALU(XOR), .opsize = 2, AT_RAX(0), IMM(0xfffe)) },
	{ "cmp dword [rax], 0x7f", 64, BYTES(0x83, 0x38, 0x7f),
	  W(ALU(CMP), .opsize = 4, AT_RAX(0), IMM(0x7f)) },
	{ "and qword [rax], imm32 0x80000000", 64, BYTES(0x48, 0x81, 0x20, 0, 0, 0, 0x80),
	  W(ALU(AND), .opsize = 8, AT_RAX(0), IMM(0xffffffff80000000ULL), .rex_present = true) },
	{ "or dword [rax], 0x80000000", 64, BYTES(0x81, 0x08, 0, 0, 0, 0x80),
	  W(ALU(OR), .opsize = 4, AT_RAX(0), IMM(0x80000000)) },
	{ "lock sub dword [r8], 1", 64, BYTES(0xf0, 0x41, 0x83, 0x28, 0x01),
	  W(ALU(SUB), .opsize = 4, RM_MEM(0, DS, R8, NO, 1, 0), IMM(1), .lock = true,
	    .rex_present = true) },
	{ "cmp ecx, 1 (register r/m)", 32, BYTES(0x83, 0xf9, 0x01),
	  W(ALU(CMP), .opsize = 4, RM_REG(0, RCX), IMM(1)) },
	{ "test [rax], ecx", 64, BYTES(0x85, 0x08),
	  W(.op = X86_OP_TEST, .opsize = 4, AT_RAX(RCX)) },
	{ "test [rax], cl", 64, BYTES(0x84, 0x08), W(.op = X86_OP_TEST, .opsize = 1, AT_RAX(RCX)) },
	{ "test byte [rax], 0x80", 64, BYTES(0xf6, 0x00, 0x80),
	  W(.op = X86_OP_TEST, .opsize = 1, AT_RAX(0), IMM(0x80)) },
	{ "test dword [rax], 0x80000000", 64, BYTES(0xf7, 0x00, 0, 0, 0, 0x80),
	  W(.op = X86_OP_TEST, .opsize = 4, AT_RAX(0), IMM(0x80000000)) },
	{ "test qword [rax], imm32 sign-extended", 64, BYTES(0x48, 0xf7, 0x00, 0, 0, 0, 0x80),
	  W(.op = X86_OP_TEST, .opsize = 8, AT_RAX(0), IMM(0xffffffff80000000ULL),
	    .rex_present = true) },
	{ "test word [bx+si], 0xffff", 16, BYTES(0xf7, 0x00, 0xff, 0xff),
	  W(.op = X86_OP_TEST, .opsize = 2, RM_MEM(0, DS, RBX, RSI, 1, 0), IMM(0xffff)) },
	{ "xchg [rax], ecx", 64, BYTES(0x87, 0x08),
	  W(.op = X86_OP_XCHG, .opsize = 4, AT_RAX(RCX)) },
	{ "xchg [rax], cl", 64, BYTES(0x86, 0x08), W(.op = X86_OP_XCHG, .opsize = 1, AT_RAX(RCX)) },
	{ "lock xchg [rax], rcx", 64, BYTES(0xf0, 0x48, 0x87, 0x08),
	  W(.op = X86_OP_XCHG, .opsize = 8, AT_RAX(RCX), .lock = true, .rex_present = true) },
};

static void test_alu_test_and_xchg_forms(void **state)
{
	(void)state;
	expect_all(alu_cases, ARRAY_SIZE(alu_cases));
}

/* mov ax, r/m16 (or mov eax, with 66) over the 16-bit forms of table 2-1. */
#define LOAD16(...) W(.op = X86_OP_MOV_LOAD, .opsize = 2, .reg_is_dest = true, __VA_ARGS__)

static const struct decode_case addr16_cases[] = {
	{ "[bx+si]", 16, BYTES(0x8b, 0x00), LOAD16(RM_MEM(RAX, DS, RBX, RSI, 1, 0)) },
	{ "[bx+di]", 16, BYTES(0x8b, 0x01), LOAD16(RM_MEM(RAX, DS, RBX, RDI, 1, 0)) },
	{ "[bp+si]", 16, BYTES(0x8b, 0x02), LOAD16(RM_MEM(RAX, SS, RBP, RSI, 1, 0)) },
	{ "[bp+di]", 16, BYTES(0x8b, 0x03), LOAD16(RM_MEM(RAX, SS, RBP, RDI, 1, 0)) },
	{ "[si]", 16, BYTES(0x8b, 0x04), LOAD16(RM_MEM(RAX, DS, RSI, NO, 1, 0)) },
	{ "[di]", 16, BYTES(0x8b, 0x05), LOAD16(RM_MEM(RAX, DS, RDI, NO, 1, 0)) },
	{ "[disp16]", 16, BYTES(0x8b, 0x06, 0x34, 0x12),
	  LOAD16(RM_MEM(RAX, DS, NO, NO, 1, 0x1234)) },
	{ "[bx]", 16, BYTES(0x8b, 0x07), LOAD16(RM_MEM(RAX, DS, RBX, NO, 1, 0)) },
	{ "[bp-2] (disp8)", 16, BYTES(0x8b, 0x46, 0xfe), LOAD16(RM_MEM(RAX, SS, RBP, NO, 1, -2)) },
	{ "[bp+0]", 16, BYTES(0x8b, 0x4e, 0x00), LOAD16(RM_MEM(RCX, SS, RBP, NO, 1, 0)) },
	{ "[bx+si-0x8000] (disp16)", 16, BYTES(0x8b, 0x80, 0x00, 0x80),
	  LOAD16(RM_MEM(RAX, DS, RBX, RSI, 1, -0x8000)) },
	{ "[di+0x7fff]", 16, BYTES(0x8b, 0x9d, 0xff, 0x7f),
	  LOAD16(RM_MEM(RBX, DS, RDI, NO, 1, 0x7fff)) },
	{ "ds:[bp+di+0x10]", 16, BYTES(0x3e, 0x8b, 0x83, 0x10, 0x00),
	  LOAD16(RM_MEM(RAX, DS, RBP, RDI, 1, 0x10)) },
	{ "es:[bx]", 16, BYTES(0x26, 0x8b, 0x07), LOAD16(RM_MEM(RAX, ES, RBX, NO, 1, 0)) },
	{ "[bx+si] with 67", 32, BYTES(0x67, 0x8b, 0x00),
	  W(.op = X86_OP_MOV_LOAD, .opsize = 4, .addrsize = 2, .reg_is_dest = true,
	    RM_MEM(RAX, DS, RBX, RSI, 1, 0)) },
	{ "[bp] with 67", 32, BYTES(0x67, 0x8b, 0x56, 0x00),
	  W(.op = X86_OP_MOV_LOAD, .opsize = 4, .addrsize = 2, .reg_is_dest = true,
	    RM_MEM(RDX, SS, RBP, NO, 1, 0)) },
	{ "[eax+ecx*2+4] with 67", 16, BYTES(0x67, 0x8b, 0x44, 0x48, 0x04),
	  LOAD16(.addrsize = 4, RM_MEM(RAX, DS, RAX, RCX, 2, 4)) },
	{ "[disp32] with 67, not RIP-relative", 16, BYTES(0x67, 0x8b, 0x05, 0x78, 0x56, 0x34, 0x12),
	  LOAD16(.addrsize = 4, RM_MEM(RAX, DS, NO, NO, 1, 0x12345678)) },
	{ "mov eax, [ebp+0] with 66 67", 16, BYTES(0x66, 0x67, 0x8b, 0x45, 0x00),
	  W(.op = X86_OP_MOV_LOAD, .opsize = 4, .addrsize = 4, .reg_is_dest = true,
	    RM_MEM(RAX, SS, RBP, NO, 1, 0)) },
};

static void test_16bit_addressing(void **state)
{
	(void)state;
	expect_all(addr16_cases, ARRAY_SIZE(addr16_cases));
}

/* mov eax (or reg), r/m32 over the forms of tables 2-2 and 2-3. */
#define LOAD32(...) W(.op = X86_OP_MOV_LOAD, .opsize = 4, .reg_is_dest = true, __VA_ARGS__)

static const struct decode_case addr_cases[] = {
	{ "[rax]", 64, BYTES(0x8b, 0x00), LOAD32(RM_MEM(RAX, DS, RAX, NO, 1, 0)) },
	{ "[rax+0x7f]", 64, BYTES(0x8b, 0x40, 0x7f), LOAD32(RM_MEM(RAX, DS, RAX, NO, 1, 0x7f)) },
	{ "[rax-0x80]", 64, BYTES(0x8b, 0x40, 0x80), LOAD32(RM_MEM(RAX, DS, RAX, NO, 1, -0x80)) },
	{ "[rax-0x80000000] (disp32)", 64, BYTES(0x8b, 0x80, 0x00, 0x00, 0x00, 0x80),
	  LOAD32(RM_MEM(RAX, DS, RAX, NO, 1, -0x80000000LL)) },
	{ "[rip-0x10]", 64, BYTES(0x8b, 0x05, 0xf0, 0xff, 0xff, 0xff),
	  LOAD32(RM_MEM(RAX, DS, RIP, NO, 1, -0x10)) },
	{ "REX.B mod 0 rm 5 is still [rip]", 64, BYTES(0x41, 0x8b, 0x05, 0x10, 0, 0, 0),
	  LOAD32(RM_MEM(RAX, DS, RIP, NO, 1, 0x10), .rex_present = true) },
	{ "[r13+0] (disp8, DS)", 64, BYTES(0x41, 0x8b, 0x45, 0x00),
	  LOAD32(RM_MEM(RAX, DS, R13, NO, 1, 0), .rex_present = true) },
	{ "[rbp+0] (disp8, SS)", 64, BYTES(0x8b, 0x45, 0x00),
	  LOAD32(RM_MEM(RAX, SS, RBP, NO, 1, 0)) },
	{ "[rsp] (SIB, SS)", 64, BYTES(0x8b, 0x04, 0x24), LOAD32(RM_MEM(RAX, SS, RSP, NO, 1, 0)) },
	{ "[r12] (SIB, DS)", 64, BYTES(0x41, 0x8b, 0x04, 0x24),
	  LOAD32(RM_MEM(RAX, DS, R12, NO, 1, 0), .rex_present = true) },
	{ "[rsp+0x100] (SIB, disp32)", 64, BYTES(0x8b, 0x84, 0x24, 0x00, 0x01, 0x00, 0x00),
	  LOAD32(RM_MEM(RAX, SS, RSP, NO, 1, 0x100)) },
	{ "[rax+rcx*8]", 64, BYTES(0x8b, 0x04, 0xc8), LOAD32(RM_MEM(RAX, DS, RAX, RCX, 8, 0)) },
	{ "[rbx] (SIB, index 4 is none)", 64, BYTES(0x8b, 0x04, 0x23),
	  LOAD32(RM_MEM(RAX, DS, RBX, NO, 1, 0)) },
	{ "[rbx] (SIB, no index: the scale means nothing)", 64, BYTES(0x8b, 0x04, 0xa3),
	  LOAD32(RM_MEM(RAX, DS, RBX, NO, 1, 0)) },
	{ "[rbx+r12] (REX.X: index 4 is r12)", 64, BYTES(0x42, 0x8b, 0x04, 0x23),
	  LOAD32(RM_MEM(RAX, DS, RBX, R12, 1, 0), .rex_present = true) },
	{ "[r12+r13*2]", 64, BYTES(0x43, 0x8b, 0x04, 0x6c),
	  LOAD32(RM_MEM(RAX, DS, R12, R13, 2, 0), .rex_present = true) },
	{ "[disp32] (SIB base 5, mod 0, not RIP-relative)", 64,
	  BYTES(0x8b, 0x04, 0x25, 0x00, 0x10, 0x00, 0x00),
	  LOAD32(RM_MEM(RAX, DS, NO, NO, 1, 0x1000)) },
	{ "[rsi*2+0x100] (SIB base 5, mod 0)", 64, BYTES(0x8b, 0x04, 0x75, 0x00, 0x01, 0x00, 0x00),
	  LOAD32(RM_MEM(RAX, DS, NO, RSI, 2, 0x100)) },
	{ "[rsi*2+0x100] (SIB base 5, mod 0, REX.B too)", 64,
	  BYTES(0x41, 0x8b, 0x04, 0x75, 0x00, 0x01, 0x00, 0x00),
	  LOAD32(RM_MEM(RAX, DS, NO, RSI, 2, 0x100), .rex_present = true) },
	{ "[rbp+rsi*2+8] (SIB base 5, mod 1)", 64, BYTES(0x8b, 0x44, 0x75, 0x08),
	  LOAD32(RM_MEM(RAX, SS, RBP, RSI, 2, 8)) },
	{ "[r13+rsi*2+8]", 64, BYTES(0x41, 0x8b, 0x44, 0x75, 0x08),
	  LOAD32(RM_MEM(RAX, DS, R13, RSI, 2, 8), .rex_present = true) },
	{ "[eax] with 67", 64, BYTES(0x67, 0x8b, 0x00),
	  LOAD32(.addrsize = 4, RM_MEM(RAX, DS, RAX, NO, 1, 0)) },
	{ "[eip+0x100] with 67", 64, BYTES(0x67, 0x8b, 0x05, 0x00, 0x01, 0x00, 0x00),
	  LOAD32(.addrsize = 4, RM_MEM(RAX, DS, RIP, NO, 1, 0x100)) },
	{ "[r8d+r9d*4] with 67", 64, BYTES(0x67, 0x43, 0x8b, 0x04, 0x88),
	  LOAD32(.addrsize = 4, RM_MEM(RAX, DS, R8, R9, 4, 0), .rex_present = true) },
	{ "[disp32], sign-extended", 32, BYTES(0x8b, 0x05, 0x00, 0x00, 0x00, 0xf0),
	  LOAD32(RM_MEM(RAX, DS, NO, NO, 1, -0x10000000)) },
	{ "[esp+4]", 32, BYTES(0x8b, 0x44, 0x24, 0x04), LOAD32(RM_MEM(RAX, SS, RSP, NO, 1, 4)) },
	{ "[ebp+ecx*2-4]", 32, BYTES(0x8b, 0x44, 0x4d, 0xfc),
	  LOAD32(RM_MEM(RAX, SS, RBP, RCX, 2, -4)) },
	{ "[ecx*8+disp32]", 32, BYTES(0x8b, 0x14, 0xcd, 0x00, 0x00, 0xc0, 0xfe),
	  LOAD32(RM_MEM(RDX, DS, NO, RCX, 8, (s32)0xfec00000)) },
	{ "[edi+disp32]", 32, BYTES(0x8b, 0xbf, 0x00, 0x03, 0x00, 0x00),
	  LOAD32(RM_MEM(RDI, DS, RDI, NO, 1, 0x300)) },
};

static void test_32_and_64bit_addressing(void **state)
{
	(void)state;
	expect_all(addr_cases, ARRAY_SIZE(addr_cases));
}

static const struct decode_case seg_cases[] = {
	{ "es:[ebx]", 32, BYTES(0x26, 0x8b, 0x03), LOAD32(RM_MEM(RAX, ES, RBX, NO, 1, 0)) },
	{ "cs:[eax]", 32, BYTES(0x2e, 0x8b, 0x00), LOAD32(RM_MEM(RAX, CS, RAX, NO, 1, 0)) },
	{ "ss:[eax]", 32, BYTES(0x36, 0x8b, 0x00), LOAD32(RM_MEM(RAX, SS, RAX, NO, 1, 0)) },
	{ "ds:[esp]", 32, BYTES(0x3e, 0x8b, 0x04, 0x24), LOAD32(RM_MEM(RAX, DS, RSP, NO, 1, 0)) },
	{ "fs:[eax]", 32, BYTES(0x64, 0x8b, 0x00), LOAD32(RM_MEM(RAX, FS, RAX, NO, 1, 0)) },
	{ "gs:[ebp+0]", 32, BYTES(0x65, 0x8b, 0x45, 0x00), LOAD32(RM_MEM(RAX, GS, RBP, NO, 1, 0)) },
	{ "fs: gs: (the last counts)", 32, BYTES(0x64, 0x65, 0x8b, 0x00),
	  LOAD32(RM_MEM(RAX, GS, RAX, NO, 1, 0)) },
	{ "fs:[bp+si]", 16, BYTES(0x64, 0x8b, 0x02), LOAD16(RM_MEM(RAX, FS, RBP, RSI, 1, 0)) },
	{ "es: is ignored", 64, BYTES(0x26, 0x8b, 0x00), LOAD32(RM_MEM(RAX, DS, RAX, NO, 1, 0)) },
	{ "cs: on [rbp] is ignored: SS", 64, BYTES(0x2e, 0x8b, 0x45, 0x00),
	  LOAD32(RM_MEM(RAX, SS, RBP, NO, 1, 0)) },
	{ "ss: on [rax] is ignored: DS", 64, BYTES(0x36, 0x8b, 0x00),
	  LOAD32(RM_MEM(RAX, DS, RAX, NO, 1, 0)) },
	{ "fs:[rax]", 64, BYTES(0x64, 0x8b, 0x00), LOAD32(RM_MEM(RAX, FS, RAX, NO, 1, 0)) },
	{ "gs:[rsp]", 64, BYTES(0x65, 0x8b, 0x04, 0x24), LOAD32(RM_MEM(RAX, GS, RSP, NO, 1, 0)) },
	{ "gs:[rip+0]", 64, BYTES(0x65, 0x8b, 0x05, 0, 0, 0, 0),
	  LOAD32(RM_MEM(RAX, GS, RIP, NO, 1, 0)) },
	{ "gs: then an ignored ds: keeps GS", 64, BYTES(0x65, 0x3e, 0x8b, 0x00),
	  LOAD32(RM_MEM(RAX, GS, RAX, NO, 1, 0)) },
};

static void test_segment_defaults_and_overrides(void **state)
{
	(void)state;
	expect_all(seg_cases, ARRAY_SIZE(seg_cases));
}

#define STORE(...) W(.op = X86_OP_MOV_STORE, __VA_ARGS__)

static const struct decode_case rex_cases[] = {
	{ "REX.W beats 66", 64, BYTES(0x66, 0x48, 0x89, 0x07),
	  STORE(.opsize = 8, RM_MEM(RAX, DS, RDI, NO, 1, 0), .rex_present = true) },
	{ "REX.W 0 leaves 66 alone", 64, BYTES(0x66, 0x40, 0x89, 0x07),
	  STORE(.opsize = 2, RM_MEM(RAX, DS, RDI, NO, 1, 0), .rex_present = true) },
	{ "a REX before 66 is ignored", 64, BYTES(0x48, 0x66, 0x89, 0x07),
	  STORE(.opsize = 2, RM_MEM(RAX, DS, RDI, NO, 1, 0)) },
	{ "a REX before LOCK is ignored", 64, BYTES(0x4c, 0xf0, 0x01, 0x08),
	  W(ALU(ADD), .opsize = 4, AT_RAX(RCX), .lock = true) },
	{ "a REX before a segment prefix is ignored", 64, BYTES(0x41, 0x64, 0x89, 0x07),
	  STORE(.opsize = 4, RM_MEM(RAX, FS, RDI, NO, 1, 0)) },
	{ "two REX: the last counts", 64, BYTES(0x4c, 0x41, 0x89, 0x07),
	  STORE(.opsize = 4, RM_MEM(RAX, DS, R15, NO, 1, 0), .rex_present = true) },
	{ "REX.R: r8-r15", 64, BYTES(0x44, 0x89, 0x07),
	  STORE(.opsize = 4, RM_MEM(R8, DS, RDI, NO, 1, 0), .rex_present = true) },
	{ "REX.X without SIB is ignored", 64, BYTES(0x42, 0x89, 0x07),
	  STORE(.opsize = 4, RM_MEM(RAX, DS, RDI, NO, 1, 0), .rex_present = true) },
	{ "REX.B with mod 3: r9d", 64, BYTES(0x41, 0x89, 0xc1),
	  STORE(.opsize = 4, RM_REG(RAX, R9), .rex_present = true) },
	{ "REX 40: byte reg 7 is dil", 64, BYTES(0x40, 0x88, 0x3e),
	  STORE(.opsize = 1, RM_MEM(7, DS, RSI, NO, 1, 0), .rex_present = true) },
	{ "no REX: byte reg 7 is bh", 64, BYTES(0x88, 0x3e),
	  STORE(.opsize = 1, RM_MEM(7, DS, RSI, NO, 1, 0)) },
	{ "REX: mov spl, r12b", 64, BYTES(0x44, 0x88, 0xe4),
	  STORE(.opsize = 1, RM_REG(R12, 4), .rex_present = true) },
	{ "REX.W on a byte operation", 64, BYTES(0x48, 0x88, 0x07),
	  STORE(.opsize = 1, RM_MEM(RAX, DS, RDI, NO, 1, 0), .rex_present = true) },
};

static void test_rex_rules(void **state)
{
	(void)state;
	expect_all(rex_cases, ARRAY_SIZE(rex_cases));
}

/* The longest instructions of each kind, for the cut-point and length-limit tests. */
static const struct decode_case long_cases[] = {
	{ "mov qword fs:[eax+ecx*4+disp32], imm32 (15 bytes)", 64,
	  BYTES(0x26, 0x64, 0x67, 0x48, 0xc7, 0x84, 0x88, 0x78, 0x56, 0x34, 0x12,
		0xef, 0xbe, 0xad, 0xde),
	  W(.op = X86_OP_MOV_STORE, .opsize = 8, .addrsize = 4,
	    RM_MEM(0, FS, RAX, RCX, 4, 0x12345678), IMM(0xffffffffdeadbeefULL),
	    .rex_present = true) },
	{ "lock adc dword gs:[r12+r13*8+disp32], imm32", 64,
	  BYTES(0xf0, 0x65, 0x43, 0x81, 0x94, 0xec, 0x00, 0x00, 0x00, 0x80, 0x01, 0x02, 0x03,
		0x04),
	  W(ALU(ADC), .opsize = 4, RM_MEM(0, GS, R12, R13, 8, -0x80000000LL), IMM(0x04030201),
	    .lock = true, .rex_present = true) },
	{ "rep mov rax, fs:[moffs64]", 64,
	  BYTES(0xf3, 0x66, 0x64, 0x48, 0xa1, 1, 2, 3, 4, 5, 6, 7, 8),
	  W(.op = X86_OP_MOV_LOAD, .opsize = 8, MEM(FS, NO, NO, 1, 0x0807060504030201LL),
	    .rep = true, .rex_present = true, .reg_is_dest = true) },
	{ "mov dword [bp+si+disp16], imm32 (66)", 16,
	  BYTES(0x36, 0x66, 0xc7, 0x82, 0x00, 0x10, 0x78, 0x56, 0x34, 0x12),
	  W(.op = X86_OP_MOV_STORE, .opsize = 4, RM_MEM(0, SS, RBP, RSI, 1, 0x1000),
	    IMM(0x12345678)) },
	{ "13 prefixes and clts (15 bytes)", 64,
	  BYTES(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
		0x0f, 0x06),
	  W(.op = X86_OP_CLTS, .opsize = 2) },
	{ "14 prefixes and movsw (15 bytes)", 32,
	  BYTES(0x66, 0x67, 0x66, 0x67, 0x66, 0x67, 0x66, 0x67, 0x66, 0x67, 0x66, 0x67, 0x66,
		0x67, 0xa5),
	  W(.op = X86_OP_MOVS, .opsize = 2, .addrsize = 2, SRC_RSI(DS)) },
	{ "mov cr8, r15 after 11 prefixes", 64,
	  BYTES(0xf3, 0xf2, 0x66, 0x67, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x45, 0x0f, 0x22,
		0xc7),
	  W(.op = X86_OP_MOV_TO_CR, .opsize = 8, RM_REG(8, R15), .repne = true,
	    .addrsize = 4, .rex_present = true, .reg_is_dest = true) },
};

static void test_long_instructions(void **state)
{
	(void)state;
	expect_all(long_cases, ARRAY_SIZE(long_cases));
}

static const struct {
	const struct decode_case *cases;
	size_t count;
} all_valid[] = {
	{ cr_cases, ARRAY_SIZE(cr_cases) }, { mov_cases, ARRAY_SIZE(mov_cases) },
	{ string_cases, ARRAY_SIZE(string_cases) }, { alu_cases, ARRAY_SIZE(alu_cases) },
	{ addr16_cases, ARRAY_SIZE(addr16_cases) }, { addr_cases, ARRAY_SIZE(addr_cases) },
	{ seg_cases, ARRAY_SIZE(seg_cases) }, { rex_cases, ARRAY_SIZE(rex_cases) },
	{ long_cases, ARRAY_SIZE(long_cases) },
};

/* Every proper prefix of a valid instruction asks for more bytes, and reads none beyond it. */
static void test_every_cut_point_returns_eagain(void **state)
{
	(void)state;
	for (size_t t = 0; t < ARRAY_SIZE(all_valid); t++) {
		for (size_t k = 0; k < all_valid[t].count; k++) {
			const struct decode_case *c = &all_valid[t].cases[k];
			struct x86_insn got;

			for (u8 cut = 0; cut < c->n; cut++) {
				snprintf(unit_label, sizeof(unit_label), "%u-bit %s cut at %u",
					 c->bits, c->name, cut);
				EXPECT_EQ(decode_exact(c->bytes, cut, c->bits, &got), -EAGAIN);
			}
		}
	}
}

struct refuse_case {
	const char *name;
	u32 bits;
	u8 n;
	u8 bytes[X86_MAX_INSN_LEN];
};

static const struct refuse_case refuse_cases[] = {
	{ "nop", 64, BYTES(0x90) },
	{ "hlt", 64, BYTES(0xf4) },
	{ "int3", 32, BYTES(0xcc) },
	{ "ud2", 64, BYTES(0x0f, 0x0b) },
	{ "0f ff", 64, BYTES(0x0f, 0xff) },
	{ "salc (d6)", 32, BYTES(0xd6) },
	{ "ff ff ff", 64, BYTES(0xff, 0xff, 0xff) },
	{ "vzeroupper (VEX)", 64, BYTES(0xc5, 0xf8, 0x77) },
	{ "prefixes then int3", 64, BYTES(0x66, 0x67, 0xf3, 0x2e, 0xcc) },
	{ "inc eax (40 is no REX)", 32, BYTES(0x40) },
	{ "dec eax; mov [edi], eax", 32, BYTES(0x48, 0x89, 0x07) },
	{ "inc cx (41 is no REX)", 16, BYTES(0x41, 0x89, 0x07) },
	{ "arpl (63)", 32, BYTES(0x63, 0x08) },
	{ "movsxd without REX.W", 64, BYTES(0x63, 0x08) },
	{ "add al, imm8 (04)", 64, BYTES(0x04, 0x01) },
	{ "add eax, imm32 (05)", 32, BYTES(0x05, 0x01, 0x00, 0x00, 0x00) },
	{ "mov eax, imm32 (b8)", 64, BYTES(0xb8, 0x01, 0x00, 0x00, 0x00) },
	{ "mov r/m, sreg (8c)", 64, BYTES(0x8c, 0x00) },
	{ "lea (8d)", 64, BYTES(0x8d, 0x00) },
	{ "82 /0", 32, BYTES(0x82, 0x00, 0x01) },
	{ "c6 /1", 64, BYTES(0xc6, 0x08, 0x00) },
	{ "xbegin (c7 f8)", 64, BYTES(0xc7, 0xf8, 0x00, 0x00, 0x00, 0x00) },
	{ "not (f6 /2)", 64, BYTES(0xf6, 0x10) },
	{ "div (f7 /6)", 64, BYTES(0xf7, 0x30) },
	{ "test alias f6 /1", 64, BYTES(0xf6, 0x08, 0x01) },
	{ "mov cr1", 64, BYTES(0x0f, 0x22, 0xc8) },
	{ "mov rax, cr5", 64, BYTES(0x0f, 0x20, 0xe8) },
	{ "mov cr6", 32, BYTES(0x0f, 0x22, 0xf0) },
	{ "mov eax, cr7", 32, BYTES(0x0f, 0x20, 0xf8) },
	{ "mov cr9 (REX.R)", 64, BYTES(0x44, 0x0f, 0x22, 0xc8) },
	{ "mov rax, cr15", 64, BYTES(0x44, 0x0f, 0x20, 0xf8) },
	{ "mov cr8 outside 64-bit mode (44 is INC)", 32, BYTES(0x44, 0x0f, 0x22, 0xc0) },
	{ "swapgs (0f 01 /7, mod 3)", 64, BYTES(0x0f, 0x01, 0xf8) },
	{ "rdtscp (0f 01 /7, mod 3)", 64, BYTES(0x0f, 0x01, 0xf9) },
	{ "invlpg [rax] (0f 01 /7)", 64, BYTES(0x0f, 0x01, 0x38) },
	{ "smsw eax (0f 01 /4)", 64, BYTES(0x0f, 0x01, 0xe0) },
	{ "lgdt [rax] (0f 01 /2)", 64, BYTES(0x0f, 0x01, 0x10) },
	{ "vmcall (0f 01 c1)", 64, BYTES(0x0f, 0x01, 0xc1) },
	{ "vmrun (0f 01 d8)", 64, BYTES(0x0f, 0x01, 0xd8) },
	{ "lock mov [rax], ecx", 64, BYTES(0xf0, 0x89, 0x08) },
	{ "lock mov ecx, [rax]", 64, BYTES(0xf0, 0x8b, 0x08) },
	{ "lock mov byte [rax], 1", 64, BYTES(0xf0, 0xc6, 0x00, 0x01) },
	{ "lock add ecx, [rax] (register destination)", 64, BYTES(0xf0, 0x03, 0x08) },
	{ "lock add eax, ecx (register r/m)", 64, BYTES(0xf0, 0x01, 0xc8) },
	{ "lock add ecx, 1 (register r/m)", 32, BYTES(0xf0, 0x83, 0xc1, 0x01) },
	{ "lock cmp [rax], ecx", 64, BYTES(0xf0, 0x39, 0x08) },
	{ "lock cmp dword [rax], 1 (83 /7)", 64, BYTES(0xf0, 0x83, 0x38, 0x01) },
	{ "lock test [rax], ecx", 64, BYTES(0xf0, 0x85, 0x08) },
	{ "lock xchg eax, ecx (register r/m)", 64, BYTES(0xf0, 0x87, 0xc8) },
	{ "lock movsb", 64, BYTES(0xf0, 0xa4) },
	{ "lock stosd", 32, BYTES(0xf0, 0xab) },
	{ "lock movzx eax, byte [rax]", 64, BYTES(0xf0, 0x0f, 0xb6, 0x00) },
	{ "lock mov cr0, eax (AMD's alternative mov cr8)", 32, BYTES(0xf0, 0x0f, 0x22, 0xc0) },
	{ "lock mov rax, cr0", 64, BYTES(0xf0, 0x0f, 0x20, 0xc0) },
	{ "lock clts", 64, BYTES(0xf0, 0x0f, 0x06) },
	{ "mov rax, dr8 (REX.R: no such register)", 64, BYTES(0x44, 0x0f, 0x21, 0xc0) },
	{ "lock lmsw [rax]", 64, BYTES(0xf0, 0x0f, 0x01, 0x30) },
	{ "15 prefixes", 64, BYTES(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
				   0x66, 0x66, 0x66, 0x66, 0x66) },
};

/* Refusals come as soon as the bytes show them, whatever follows, and leave *out alone. */
static void test_garbage_and_invalid_encodings_are_refused(void **state)
{
	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(refuse_cases); k++) {
		const struct refuse_case *c = &refuse_cases[k];
		struct x86_insn got, untouched;
		u8 padded[20];

		set_label("", c->bits, c->name);
		memset(&got, 0xa5, sizeof(got));
		untouched = got;
		EXPECT_EQ(decode_exact(c->bytes, c->n, c->bits, &got), -EINVAL);
		if (memcmp(&got, &untouched, sizeof(got)) != 0)
			fail_msg("%s: a refused decode wrote *out", unit_label);
		memset(padded, 0x00, sizeof(padded));
		memcpy(padded, c->bytes, c->n);
		EXPECT_EQ(x86_decode(padded, sizeof(padded), c->bits, &got), -EINVAL);
	}
}

/*
 * Past 15 bytes is refused even with more bytes at hand, and as soon as the part decoded so
 * far shows it, even with fewer; short of that, a cut asks for more.
 */
static void test_fifteen_byte_limit(void **state)
{
	u8 bytes[32];
	struct x86_insn got;

	(void)state;
	snprintf(unit_label, sizeof(unit_label), "length limit");
	memset(bytes, 0x66, sizeof(bytes));
	bytes[14] = 0x0f;
	bytes[15] = 0x06;
	EXPECT_EQ(x86_decode(bytes, sizeof(bytes), 64, &got), -EINVAL);	/* 16-byte clts */
	EXPECT_EQ(decode_exact(bytes, 14, 64, &got), -EAGAIN);
	EXPECT_EQ(decode_exact(bytes, 15, 64, &got), -EINVAL);
	bytes[14] = 0xa5;
	EXPECT_EQ(decode_exact(bytes, 15, 64, &got), 0);			/* 15-byte movsw */
	EXPECT_EQ(got.len, 15);
	EXPECT_EQ(got.op, X86_OP_MOVS);
	memset(bytes, 0x66, sizeof(bytes));
	EXPECT_EQ(x86_decode(bytes, sizeof(bytes), 16, &got), -EINVAL);	/* prefixes only */
	/* the 15-byte store of long_cases with one more prefix: its imm32 would end at 16 */
	memcpy(bytes + 1, long_cases[0].bytes, long_cases[0].n);
	EXPECT_EQ(x86_decode(bytes, sizeof(bytes), 64, &got), -EINVAL);
	for (u32 cut = 0; cut <= X86_MAX_INSN_LEN; cut++) {
		snprintf(unit_label, sizeof(unit_label), "16-byte store cut at %u", cut);
		EXPECT_EQ(decode_exact(bytes, cut, 64, &got), cut < 12 ? -EAGAIN : -EINVAL);
	}
}

static void test_default_bits_must_be_16_32_or_64(void **state)
{
	static const u32 bad[] = { 0, 8, 15, 17, 48, 63, 65, 128 };
	static const u8 clts[] = { 0x0f, 0x06 };
	struct x86_insn got;

	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(bad); k++) {
		snprintf(unit_label, sizeof(unit_label), "default_bits %u", bad[k]);
		EXPECT_EQ(x86_decode(clts, sizeof(clts), bad[k], &got), -EINVAL);
	}
}

struct ea_case {
	const char *name;
	u32 bits;
	u8 n;
	u8 bytes[X86_MAX_INSN_LEN];
	u64 gprs[16];
	u64 rip;		/* of the instruction; next_rip is rip + len */
	u64 ea;
};

#define HI 0xabcd000000000000ULL	/* upper bits that 16- and 32-bit addressing ignore */

static const struct ea_case ea_cases[] = {
	{ "[bx+si+0x10] wraps at 64K", 16, BYTES(0x8b, 0x40, 0x10),
	  { [RBX] = HI | 0xfff0, [RSI] = HI | 0x0008 }, 0, 0x0008 },
	{ "[bp+di-2] from 0 wraps", 16, BYTES(0x8b, 0x43, 0xfe), { [RBP] = HI }, 0, 0xfffe },
	{ "[bx+si-0x8000]", 16, BYTES(0x8b, 0x80, 0x00, 0x80), { [RBX] = 0x100, [RSI] = 0x10 },
	  0, 0x8110 },
	{ "[disp16]", 16, BYTES(0x8b, 0x06, 0xfe, 0xff), { 0 }, 0, 0xfffe },
	{ "[eax+0x20] with 67 wraps at 4G", 16, BYTES(0x67, 0x8b, 0x40, 0x20),
	  { [RAX] = HI | 0xfffffff0 }, 0, 0x10 },
	{ "[bx+si] with 67 wraps at 64K", 32, BYTES(0x67, 0x8b, 0x00),
	  { [RBX] = 0xffff8000, [RSI] = 0x8000 }, 0, 0 },
	{ "[esp+0x10] wraps at 4G", 32, BYTES(0x8b, 0x44, 0x24, 0x10), { [RSP] = 0xfffffff8 },
	  0, 0x8 },
	{ "[ebx+esi*4-0x80000000] wraps", 32, BYTES(0x8b, 0x84, 0xb3, 0x00, 0x00, 0x00, 0x80),
	  { [RBX] = 0x1000, [RSI] = 0x40000000 }, 0, 0x80001000 },
	{ "[disp32]", 32, BYTES(0x8b, 0x05, 0x00, 0x00, 0x00, 0x80), { 0 }, 0, 0x80000000 },
	{ "[rax+rcx*8-0x10]", 64, BYTES(0x8b, 0x84, 0xc8, 0xf0, 0xff, 0xff, 0xff),
	  { [RAX] = 0x100000000000ULL, [RCX] = 2 }, 0, 0x100000000000ULL },
	{ "[r12+r13*2]", 64, BYTES(0x43, 0x8b, 0x04, 0x6c), { [R12] = 0x1000, [R13] = 0x800 },
	  0, 0x2000 },
	{ "[rip-0x10]", 64, BYTES(0x8b, 0x05, 0xf0, 0xff, 0xff, 0xff), { 0 },
	  0xffffffff80001000ULL, 0xffffffff80000ff6ULL },
	{ "[eip+0x1000] with 67 wraps at 4G", 64, BYTES(0x67, 0x8b, 0x05, 0x00, 0x10, 0x00, 0x00),
	  { 0 }, 0x1fffff800ULL, 0x807 },
	{ "[eax+ecx] with 67 wraps at 4G", 64, BYTES(0x67, 0x8b, 0x04, 0x08),
	  { [RAX] = 0x5ffffffffULL, [RCX] = 1 }, 0, 0 },
	{ "[disp32], sign-extended", 64, BYTES(0x8b, 0x04, 0x25, 0x00, 0x00, 0x00, 0x80), { 0 },
	  0, 0xffffffff80000000ULL },
	{ "[rsp+8] wraps at 2^64", 64, BYTES(0x8b, 0x44, 0x24, 0x08), { [RSP] = ~7ULL }, 0, 0 },
	{ "[moffs64]", 64, BYTES(0xa1, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11), { 0 }, 0,
	  0x1122334455667788ULL },
	{ "[moffs32]", 32, BYTES(0xa1, 0x00, 0x00, 0xc0, 0xfe), { 0 }, 0, 0xfec00000 },
	{ "[moffs16]", 16, BYTES(0xa1, 0xfe, 0xff), { 0 }, 0, 0xfffe },
	{ "lodsb: [rsi]", 64, BYTES(0xac), { [RSI] = 0x123456789ULL }, 0, 0x123456789ULL },
	{ "movsw: [si]", 16, BYTES(0xa5), { [RSI] = 0x123456789ULL }, 0, 0x6789 },
	{ "stosb with 67: [edi]", 64, BYTES(0x67, 0xaa), { [RDI] = 0xffffffff00000010ULL }, 0,
	  0x10 },
};

static void test_effective_address_wraps_to_the_address_size(void **state)
{
	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(ea_cases); k++) {
		const struct ea_case *c = &ea_cases[k];
		struct x86_insn i;

		set_label("", c->bits, c->name);
		assert_int_equal(decode_exact(c->bytes, c->n, c->bits, &i), 0);
		assert_true(i.mem);
		EXPECT_EQ(x86_effective_address(&i, c->gprs, c->rip + i.len), c->ea);
		EXPECT_EQ(x86_operand_address(&i, &i.m, c->gprs, c->rip + i.len), c->ea);
	}
}

static void test_movs_destination_address(void **state)
{
	static const u8 movsd_67[] = { 0x67, 0xa5 };
	u64 gprs[16] = { [RSI] = 0x1111111100002000ULL, [RDI] = 0x22222222fee00000ULL };
	struct x86_insn i;

	(void)state;
	snprintf(unit_label, sizeof(unit_label), "movsd with 67");
	assert_int_equal(x86_decode(movsd_67, sizeof(movsd_67), 64, &i), 0);
	EXPECT_EQ(x86_effective_address(&i, gprs, 0), 0x2000);
	EXPECT_EQ(x86_operand_address(&i, &i.m2, gprs, 0), 0xfee00000);
	EXPECT_EQ(i.m2.seg, SEG_ES);
}

#define RAX_VALUE 0x1122334455667788ULL

struct reg_case {
	const char *name;
	u8 reg, size;
	bool rex;
	u64 read;		/* what x86_reg_read returns from the filled registers */
	u64 value;		/* written back ... */
	u8 changed;		/* ... into this register, which then holds */
	u64 after;
};

/* Register n holds n repeated in every nibble pair: 0x0101..., 0x0202..., RAX is RAX_VALUE. */
static const struct reg_case reg_cases[] = {
	{ "al", RAX, 1, false, 0x88, 0xaa, RAX, 0x11223344556677aaULL },
	{ "ah", 4, 1, false, 0x77, 0xaa, RAX, 0x112233445566aa88ULL },
	{ "ch", 5, 1, false, 0x01, 0xaa, RCX, 0x010101010101aa01ULL },
	{ "dh", 6, 1, false, 0x02, 0xaa, RDX, 0x020202020202aa02ULL },
	{ "bh", 7, 1, false, 0x03, 0xaa, RBX, 0x030303030303aa03ULL },
	{ "spl", 4, 1, true, 0x04, 0xaa, RSP, 0x04040404040404aaULL },
	{ "bpl", 5, 1, true, 0x05, 0xaa, RBP, 0x05050505050505aaULL },
	{ "sil", 6, 1, true, 0x06, 0xaa, RSI, 0x06060606060606aaULL },
	{ "dil", 7, 1, true, 0x07, 0xaa, RDI, 0x07070707070707aaULL },
	{ "r15b", R15, 1, true, 0x0f, 0xaa, R15, 0x0f0f0f0f0f0f0faaULL },
	{ "sp (no byte register rule)", 4, 2, false, 0x0404, 0xbbbb, RSP, 0x040404040404bbbbULL },
	{ "ax", RAX, 2, false, 0x7788, 0x12345, RAX, 0x1122334455662345ULL },
	{ "eax zero-extends", RAX, 4, false, 0x55667788, 0xffffffff87654321ULL, RAX, 0x87654321 },
	{ "r9d zero-extends", R9, 4, true, 0x09090909, 0x1, R9, 0x1 },
	{ "rax", RAX, 8, true, RAX_VALUE, 0xfedcba9876543210ULL, RAX, 0xfedcba9876543210ULL },
	{ "r12w", R12, 2, true, 0x0c0c, 0xffff, R12, 0x0c0c0c0c0c0cffffULL },
};

static void fill_registers(u64 gprs[16])
{
	for (int r = 0; r < 16; r++)
		gprs[r] = 0x0101010101010101ULL * (u64)r;
	gprs[RAX] = RAX_VALUE;
}

static void test_register_access_by_size_and_rex(void **state)
{
	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(reg_cases); k++) {
		const struct reg_case *c = &reg_cases[k];
		u64 gprs[16], want[16];

		snprintf(unit_label, sizeof(unit_label), "%s", c->name);
		fill_registers(gprs);
		fill_registers(want);
		want[c->changed] = c->after;
		EXPECT_EQ(x86_reg_read(gprs, c->reg, c->size, c->rex), c->read);
		x86_reg_write(gprs, c->reg, c->size, c->rex, c->value);
		for (int r = 0; r < 16; r++)
			EXPECT_EQ(gprs[r], want[r]);
	}
}

/* The decoded reg, opsize and rex_present name the register the CPU would use. */
static void test_decoded_byte_register_reads_ah_or_spl(void **state)
{
	static const u8 mov_ah[] = { 0x88, 0x26 }, mov_spl[] = { 0x40, 0x88, 0x26 };
	u64 gprs[16];
	struct x86_insn i;

	(void)state;
	fill_registers(gprs);
	snprintf(unit_label, sizeof(unit_label), "mov [rsi], ah");
	assert_int_equal(x86_decode(mov_ah, sizeof(mov_ah), 64, &i), 0);
	EXPECT_EQ(x86_reg_read(gprs, i.reg, i.opsize, i.rex_present), 0x77);
	snprintf(unit_label, sizeof(unit_label), "mov [rsi], spl");
	assert_int_equal(x86_decode(mov_spl, sizeof(mov_spl), 64, &i), 0);
	EXPECT_EQ(x86_reg_read(gprs, i.reg, i.opsize, i.rex_present), 0x04);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_control_register_instructions),
		cmocka_unit_test(test_mov_forms),
		cmocka_unit_test(test_string_instructions),
		cmocka_unit_test(test_alu_test_and_xchg_forms),
		cmocka_unit_test(test_16bit_addressing),
		cmocka_unit_test(test_32_and_64bit_addressing),
		cmocka_unit_test(test_segment_defaults_and_overrides),
		cmocka_unit_test(test_rex_rules),
		cmocka_unit_test(test_long_instructions),
		cmocka_unit_test(test_every_cut_point_returns_eagain),
		cmocka_unit_test(test_garbage_and_invalid_encodings_are_refused),
		cmocka_unit_test(test_fifteen_byte_limit),
		cmocka_unit_test(test_default_bits_must_be_16_32_or_64),
		cmocka_unit_test(test_effective_address_wraps_to_the_address_size),
		cmocka_unit_test(test_movs_destination_address),
		cmocka_unit_test(test_register_access_by_size_and_rex),
		cmocka_unit_test(test_decoded_byte_register_reads_ah_or_spl),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: MIT */
/* x86 semantics of the decoded memory forms (SDM Vol. 2). Pure: memory is the caller's. */
#include "vmm/x86_emulate.h"

static u64 mask_of(u8 size)
{
	return size >= 8 ? ~0ULL : BIT(8 * size) - 1;
}

static u64 sign_bit(u8 size)
{
	return 1ULL << (8 * size - 1);
}

/* PF: set when the low byte of the result has an even number of ones. */
static bool even_parity(u64 v)
{
	return !(__builtin_popcountll(v & 0xff) & 1);
}

u64 x86_alu(enum x86_alu op, u8 size, u64 dst, u64 src, u64 *rflags)
{
	u64 m = mask_of(size), res, flags = 0;
	u64 carry = *rflags & X86_FLAG_CF ? 1 : 0;

	dst &= m;
	src &= m;
	switch (op) {
	case X86_ALU_ADD:
	case X86_ALU_ADC:
		if (op == X86_ALU_ADD)
			carry = 0;
		res = (dst + src + carry) & m;
		if (carry ? res <= dst : res < dst)
			flags |= X86_FLAG_CF;
		if ((dst ^ res) & (src ^ res) & sign_bit(size))
			flags |= X86_FLAG_OF;
		break;
	case X86_ALU_SUB:
	case X86_ALU_SBB:
	case X86_ALU_CMP:
		if (op != X86_ALU_SBB)
			carry = 0;
		res = (dst - src - carry) & m;
		if (carry ? dst <= src : dst < src)
			flags |= X86_FLAG_CF;
		if ((dst ^ src) & (dst ^ res) & sign_bit(size))
			flags |= X86_FLAG_OF;
		break;
	case X86_ALU_OR: res = dst | src; break;
	case X86_ALU_AND: res = dst & src; break;
	default: res = dst ^ src; break;	/* X86_ALU_XOR */
	}
	if (op != X86_ALU_OR && op != X86_ALU_AND && op != X86_ALU_XOR)
		flags |= (dst ^ src ^ res) & X86_FLAG_AF;
	if (!res)
		flags |= X86_FLAG_ZF;
	if (res & sign_bit(size))
		flags |= X86_FLAG_SF;
	if (even_parity(res))
		flags |= X86_FLAG_PF;
	*rflags = (*rflags & ~(u64)X86_FLAGS_ARITH) | flags;
	return res;
}

static u64 reg_get(const struct x86_insn *i, const struct x86_emulate_cpu *c, u8 reg, u8 size)
{
	return x86_reg_read(c->gprs, reg, size, i->rex_present);
}

static void reg_set(const struct x86_insn *i, struct x86_emulate_cpu *c, u8 reg, u8 size, u64 v)
{
	x86_reg_write(c->gprs, reg, size, i->rex_present, v);
}

/* The register or immediate operand of a two-operand form. */
static u64 other_operand(const struct x86_insn *i, const struct x86_emulate_cpu *c)
{
	return i->has_imm ? i->imm : reg_get(i, c, i->reg, i->opsize);
}

struct access {
	const struct x86_insn *i;
	struct x86_emulate_cpu *c;
	const struct x86_emulate_ops *ops;
	void *ctx;
	u64 ea;			/* the memory operand's offset */
};

static int load(struct access *a, u8 size, u64 *value)
{
	return a->ops->read(a->ctx, &a->i->m, a->ea, size, value);
}

static int store(struct access *a, u64 value)
{
	return a->ops->write(a->ctx, &a->i->m, a->ea, a->i->opsize, value & mask_of(a->i->opsize));
}

static s64 sign_extend(u64 v, u8 size)
{
	u8 shift = 64 - 8 * size;

	return (s64)(v << shift) >> shift;
}

/*
 * ALU and TEST with a memory operand: memory is the destination unless reg_is_dest. The flags
 * change only once the result is written: a write that faults leaves them as they were, as
 * the CPU does (found by fuzz_x86_emulate: ADD [mem], reg with a failing write).
 */
static int alu(struct access *a, bool test)
{
	const struct x86_insn *i = a->i;
	enum x86_alu op = test ? X86_ALU_AND : i->alu;
	u64 mem, res, flags = *a->c->rflags;
	int err = load(a, i->opsize, &mem);

	if (err)
		return err;
	if (i->reg_is_dest) {
		res = x86_alu(op, i->opsize, reg_get(i, a->c, i->reg, i->opsize), mem, &flags);
		if (op != X86_ALU_CMP)
			reg_set(i, a->c, i->reg, i->opsize, res);
	} else {
		res = x86_alu(op, i->opsize, mem, other_operand(i, a->c), &flags);
		err = test || op == X86_ALU_CMP ? 0 : store(a, res);
	}
	if (!err)
		*a->c->rflags = flags;
	return err;
}

static int one_operand(struct access *a)
{
	const struct x86_insn *i = a->i;
	u64 v;
	int err;

	switch (i->op) {
	case X86_OP_MOV_STORE:
		return store(a, other_operand(i, a->c));
	case X86_OP_MOV_LOAD:
	case X86_OP_MOVZX:
	case X86_OP_MOVSX:
		err = load(a, i->srcsize, &v);
		if (!err && i->op == X86_OP_MOVSX)
			v = (u64)sign_extend(v, i->srcsize);
		if (!err)
			reg_set(i, a->c, i->reg, i->opsize, v);
		return err;
	case X86_OP_XCHG:
		err = load(a, i->opsize, &v);
		if (!err)
			err = store(a, reg_get(i, a->c, i->reg, i->opsize));
		if (!err)
			reg_set(i, a->c, i->reg, i->opsize, v);
		return err;
	case X86_OP_TEST:
		return alu(a, true);
	default:
		return alu(a, false);	/* X86_OP_ALU */
	}
}

/* One element of MOVS, STOS or LODS at the current rSI/rDI. */
static int string_element(struct access *a)
{
	const struct x86_insn *i = a->i;
	u64 *g = a->c->gprs;
	u64 v = 0;
	int err = 0;

	if (i->op != X86_OP_STOS)
		err = a->ops->read(a->ctx, &i->m, x86_operand_address(i, &i->m, g, 0), i->opsize, &v);
	if (err)
		return err;
	if (i->op == X86_OP_LODS) {
		reg_set(i, a->c, X86_REG_RAX, i->opsize, v);
		return 0;
	}
	if (i->op == X86_OP_STOS)
		return a->ops->write(a->ctx, &i->m, x86_operand_address(i, &i->m, g, 0), i->opsize,
				     reg_get(i, a->c, X86_REG_RAX, i->opsize));
	return a->ops->write(a->ctx, &i->m2, x86_operand_address(i, &i->m2, g, 0), i->opsize, v);
}

/* rSI and rDI step by the element size, down with RFLAGS.DF, wrapping at the address size. */
static void string_step(struct access *a)
{
	const struct x86_insn *i = a->i;
	u64 step = *a->c->rflags & X86_FLAG_DF ? -(u64)i->opsize : i->opsize;
	u64 *g = a->c->gprs;

	if (i->op != X86_OP_STOS)
		x86_reg_write(g, X86_REG_RSI, i->addrsize, true, g[X86_REG_RSI] + step);
	if (i->op != X86_OP_LODS)
		x86_reg_write(g, X86_REG_RDI, i->addrsize, true, g[X86_REG_RDI] + step);
}

static enum x86_emulate_result string_op(struct access *a)
{
	const struct x86_insn *i = a->i;
	bool rep = i->rep || i->repne;
	u64 *g = a->c->gprs;
	u64 count = rep ? g[X86_REG_RCX] & mask_of(i->addrsize) : 1;

	for (u32 done = 0; count && done < a->c->max_elements; done++) {
		if (string_element(a))
			return X86_EMULATE_ABORTED;
		string_step(a);
		count--;
		if (rep)
			x86_reg_write(g, X86_REG_RCX, i->addrsize, true, count);
	}
	return count ? X86_EMULATE_AGAIN : X86_EMULATE_DONE;
}

enum x86_emulate_result x86_emulate(const struct x86_insn *i, struct x86_emulate_cpu *cpu,
				    const struct x86_emulate_ops *ops, void *ctx)
{
	struct access a = { i, cpu, ops, ctx, 0 };

	switch (i->op) {
	case X86_OP_MOVS:
	case X86_OP_STOS:
	case X86_OP_LODS:
		return string_op(&a);
	case X86_OP_MOV_STORE:
	case X86_OP_MOV_LOAD:
	case X86_OP_MOVZX:
	case X86_OP_MOVSX:
	case X86_OP_ALU:
	case X86_OP_TEST:
	case X86_OP_XCHG:
		if (!i->mem)
			return X86_EMULATE_UNSUPPORTED;
		a.ea = x86_effective_address(i, cpu->gprs, cpu->next_rip);
		return one_operand(&a) ? X86_EMULATE_ABORTED : X86_EMULATE_DONE;
	default:
		return X86_EMULATE_UNSUPPORTED;
	}
}

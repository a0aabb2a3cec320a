/* SPDX-License-Identifier: MIT */
/* The x86 instruction decoder (SDM Vol. 2, chapter 2 and appendix A). Pure: it executes nothing. */
#include "vmm/x86_decode.h"
#include "kernel/errno.h"
#include "kernel/string.h"

#define REX_B BIT(0)
#define REX_X BIT(1)
#define REX_R BIT(2)
#define REX_W BIT(3)

/* CR0, CR2, CR3, CR4 and, in 64-bit mode, CR8; moving any other CR is #UD. */
#define VALID_CRS (BIT(0) | BIT(2) | BIT(3) | BIT(4) | BIT(8))

/* What follows an opcode, and how its operands are sized. */
enum {
	F_MODRM = BIT(0),	/* a ModRM byte (and its SIB and displacement) */
	F_BYTE = BIT(1),	/* 8-bit operands whatever the prefixes */
	F_WORD = BIT(2),	/* a 16-bit operand whatever the prefixes (LMSW) */
	F_IMM8 = BIT(3),	/* an imm8, sign-extended to the operand size */
	F_IMMZ = BIT(4),	/* an imm16 or imm32 by operand size; imm32 for 64-bit operands */
	F_REG_DEST = BIT(5),	/* the ModRM.reg operand, or rAX, is the destination */
	F_LOCK = BIT(6),	/* LOCK is allowed with a memory destination */
	F_MOFFS = BIT(7),	/* an address-size offset instead of a ModRM byte (A0-A3) */
	F_STRING = BIT(8),	/* the implicit operands [rSI] and ES:[rDI] */
	F_SRC8 = BIT(9),	/* MOVZX/MOVSX from r/m8 */
	F_SRC16 = BIT(10),	/* MOVZX/MOVSX from r/m16 */
	F_SRC32 = BIT(11),	/* MOVSXD from r/m32 */
	F_IO = BIT(12),		/* INS, OUTS: 16- or 32-bit operands, REX.W ignored */
};

/* Opcodes whose ModRM.reg is not a register operand. */
enum group {
	GRP_NONE,
	GRP_ALU,		/* 80, 81, 83: ModRM.reg is the ALU operation */
	GRP_DIGIT0,		/* C6, C7, F6, F7: only /0 (MOV, TEST) is decoded */
	GRP_LMSW,		/* 0F 01: only /6 */
	GRP_CR,			/* 0F 20, 0F 22: ModRM.reg is a control register */
	GRP_DR,			/* 0F 21, 0F 23: ModRM.reg is a debug register */
};

struct opcode {
	u8 op;			/* enum x86_op; X86_OP_NONE: refused */
	u8 alu;			/* enum x86_alu, for the two-operand ALU forms */
	u8 group;		/* enum group */
	u16 flags;
};

/* The two-operand ALU forms Eb,Gb  Ev,Gv  Gb,Eb  Gv,Ev, in every row of 00-3F (table A-2). */
#define ALU_ROW(opc, alu, lock)								\
	[(opc) + 0] = { X86_OP_ALU, alu, GRP_NONE, F_MODRM | F_BYTE | (lock) },		\
	[(opc) + 1] = { X86_OP_ALU, alu, GRP_NONE, F_MODRM | (lock) },			\
	[(opc) + 2] = { X86_OP_ALU, alu, GRP_NONE, F_MODRM | F_BYTE | F_REG_DEST },	\
	[(opc) + 3] = { X86_OP_ALU, alu, GRP_NONE, F_MODRM | F_REG_DEST }

/*
 * One-byte opcodes. 82 (an alias of 80 outside 64-bit mode) and the AL/rAX, imm forms (04, 05,
 * ...) are left out: no OS reaches device memory through them.
 */
static const struct opcode one_byte[256] = {
	ALU_ROW(0x00, X86_ALU_ADD, F_LOCK),
	ALU_ROW(0x08, X86_ALU_OR, F_LOCK),
	ALU_ROW(0x10, X86_ALU_ADC, F_LOCK),
	ALU_ROW(0x18, X86_ALU_SBB, F_LOCK),
	ALU_ROW(0x20, X86_ALU_AND, F_LOCK),
	ALU_ROW(0x28, X86_ALU_SUB, F_LOCK),
	ALU_ROW(0x30, X86_ALU_XOR, F_LOCK),
	ALU_ROW(0x38, X86_ALU_CMP, 0),
	[0x63] = { X86_OP_MOVSX, 0, GRP_NONE, F_MODRM | F_REG_DEST | F_SRC32 },
	[0x6c] = { X86_OP_INS, 0, GRP_NONE, F_STRING | F_BYTE },
	[0x6d] = { X86_OP_INS, 0, GRP_NONE, F_STRING | F_IO },
	[0x6e] = { X86_OP_OUTS, 0, GRP_NONE, F_STRING | F_BYTE },
	[0x6f] = { X86_OP_OUTS, 0, GRP_NONE, F_STRING | F_IO },
	[0x80] = { X86_OP_ALU, 0, GRP_ALU, F_MODRM | F_BYTE | F_IMM8 | F_LOCK },
	[0x81] = { X86_OP_ALU, 0, GRP_ALU, F_MODRM | F_IMMZ | F_LOCK },
	[0x83] = { X86_OP_ALU, 0, GRP_ALU, F_MODRM | F_IMM8 | F_LOCK },
	[0x84] = { X86_OP_TEST, 0, GRP_NONE, F_MODRM | F_BYTE },
	[0x85] = { X86_OP_TEST, 0, GRP_NONE, F_MODRM },
	[0x86] = { X86_OP_XCHG, 0, GRP_NONE, F_MODRM | F_BYTE | F_LOCK },
	[0x87] = { X86_OP_XCHG, 0, GRP_NONE, F_MODRM | F_LOCK },
	[0x88] = { X86_OP_MOV_STORE, 0, GRP_NONE, F_MODRM | F_BYTE },
	[0x89] = { X86_OP_MOV_STORE, 0, GRP_NONE, F_MODRM },
	[0x8a] = { X86_OP_MOV_LOAD, 0, GRP_NONE, F_MODRM | F_BYTE | F_REG_DEST },
	[0x8b] = { X86_OP_MOV_LOAD, 0, GRP_NONE, F_MODRM | F_REG_DEST },
	[0xa0] = { X86_OP_MOV_LOAD, 0, GRP_NONE, F_MOFFS | F_BYTE | F_REG_DEST },
	[0xa1] = { X86_OP_MOV_LOAD, 0, GRP_NONE, F_MOFFS | F_REG_DEST },
	[0xa2] = { X86_OP_MOV_STORE, 0, GRP_NONE, F_MOFFS | F_BYTE },
	[0xa3] = { X86_OP_MOV_STORE, 0, GRP_NONE, F_MOFFS },
	[0xa4] = { X86_OP_MOVS, 0, GRP_NONE, F_STRING | F_BYTE },
	[0xa5] = { X86_OP_MOVS, 0, GRP_NONE, F_STRING },
	[0xaa] = { X86_OP_STOS, 0, GRP_NONE, F_STRING | F_BYTE },
	[0xab] = { X86_OP_STOS, 0, GRP_NONE, F_STRING },
	[0xac] = { X86_OP_LODS, 0, GRP_NONE, F_STRING | F_BYTE | F_REG_DEST },
	[0xad] = { X86_OP_LODS, 0, GRP_NONE, F_STRING | F_REG_DEST },
	[0xc6] = { X86_OP_MOV_STORE, 0, GRP_DIGIT0, F_MODRM | F_BYTE | F_IMM8 },
	[0xc7] = { X86_OP_MOV_STORE, 0, GRP_DIGIT0, F_MODRM | F_IMMZ },
	[0xf6] = { X86_OP_TEST, 0, GRP_DIGIT0, F_MODRM | F_BYTE | F_IMM8 },
	[0xf7] = { X86_OP_TEST, 0, GRP_DIGIT0, F_MODRM | F_IMMZ },
};

/* Opcodes after the 0F escape (table A-3). */
static const struct opcode two_byte[256] = {
	[0x01] = { X86_OP_LMSW, 0, GRP_LMSW, F_MODRM | F_WORD },
	[0x06] = { X86_OP_CLTS, 0, GRP_NONE, 0 },
	[0x20] = { X86_OP_MOV_FROM_CR, 0, GRP_CR, F_MODRM },
	[0x21] = { X86_OP_MOV_FROM_DR, 0, GRP_DR, F_MODRM },
	[0x22] = { X86_OP_MOV_TO_CR, 0, GRP_CR, F_MODRM | F_REG_DEST },
	[0x23] = { X86_OP_MOV_TO_DR, 0, GRP_DR, F_MODRM | F_REG_DEST },
	[0xb6] = { X86_OP_MOVZX, 0, GRP_NONE, F_MODRM | F_REG_DEST | F_SRC8 },
	[0xb7] = { X86_OP_MOVZX, 0, GRP_NONE, F_MODRM | F_REG_DEST | F_SRC16 },
	[0xbe] = { X86_OP_MOVSX, 0, GRP_NONE, F_MODRM | F_REG_DEST | F_SRC8 },
	[0xbf] = { X86_OP_MOVSX, 0, GRP_NONE, F_MODRM | F_REG_DEST | F_SRC16 },
};

/* Table 2-1: r/m 0-7 of 16-bit addressing are BX+SI, BX+DI, BP+SI, BP+DI, SI, DI, BP, BX. */
static const s8 base16[8] = {
	X86_REG_RBX, X86_REG_RBX, X86_REG_RBP, X86_REG_RBP,
	X86_REG_RSI, X86_REG_RDI, X86_REG_RBP, X86_REG_RBX,
};
static const s8 index16[8] = {
	X86_REG_RSI, X86_REG_RDI, X86_REG_RSI, X86_REG_RDI,
	X86_REG_NONE, X86_REG_NONE, X86_REG_NONE, X86_REG_NONE,
};

static const struct x86_operand_mem no_operand = { X86_SEG_DS, X86_REG_NONE, X86_REG_NONE, 1, 0 };

/* One decode: the bytes, the prefixes seen so far and the instruction being filled. */
struct ctx {
	const u8 *bytes;
	u32 avail, pos;		/* avail is at most X86_MAX_INSN_LEN */
	u32 bits;		/* the code segment's default size */
	bool opsize_prefix, addrsize_prefix;
	s8 seg_override;	/* enum x86_seg, or -1 */
	u8 rex;			/* the REX prefix right before the opcode, or 0 */
	const struct opcode *e;
	u8 modrm;
	struct x86_insn *i;
};

static u64 size_mask(u8 size)
{
	return size >= 8 ? ~0ULL : BIT(8 * size) - 1;
}

static s64 sign_extend(u64 v, u8 size)
{
	u8 shift = 64 - 8 * size;

	return (s64)(v << shift) >> shift;
}

/* Past 15 bytes the instruction is invalid (#GP) whatever follows; short of it, fetch more. */
static int check_room(const struct ctx *x, u32 n)
{
	if (x->pos + n > X86_MAX_INSN_LEN)
		return -EINVAL;
	return x->pos + n > x->avail ? -EAGAIN : 0;
}

/* Take the next n bytes as a little-endian number. */
static int fetch(struct ctx *x, u32 n, u64 *out)
{
	int err = check_room(x, n);

	if (err)
		return err;
	*out = 0;
	for (u32 k = 0; k < n; k++)
		*out |= (u64)x->bytes[x->pos + k] << (8 * k);
	x->pos += n;
	return 0;
}

static u8 rex_bit(const struct ctx *x, u8 bit)
{
	return x->rex & bit ? 8 : 0;
}

static u8 segment(const struct ctx *x, u8 default_seg)
{
	return x->seg_override >= 0 ? (u8)x->seg_override : default_seg;
}

/* Note a legacy prefix (SDM Vol. 2, 2.1.1); false when b is none. */
static bool legacy_prefix(struct ctx *x, u8 b)
{
	switch (b) {
	case 0x66: x->opsize_prefix = true; return true;
	case 0x67: x->addrsize_prefix = true; return true;
	case 0xf0: x->i->lock = true; return true;
	case 0xf2: x->i->repne = true; x->i->rep = false; return true;
	case 0xf3: x->i->rep = true; x->i->repne = false; return true;
	case 0x64: case 0x65: x->seg_override = (s8)(X86_SEG_FS + b - 0x64); return true;
	case 0x26: case 0x2e: case 0x36: case 0x3e:
		/* Ignored in 64-bit mode, even after 64 or 65 (APM Vol. 3, 1.2.4) */
		if (x->bits != 64)
			x->seg_override = (s8)((b >> 3) & 3);
		return true;
	default:
		return false;
	}
}

/*
 * Prefixes come in any order and number; a REX counts only right before the opcode, and one
 * followed by another prefix is ignored (SDM Vol. 2, 2.2.1). Outside 64-bit mode 40-4F are
 * INC and DEC, which are refused as opcodes.
 */
static int decode_prefixes(struct ctx *x)
{
	int err;

	while (!(err = check_room(x, 1))) {
		u8 b = x->bytes[x->pos];

		if (x->bits == 64 && (b & 0xf0) == 0x40)
			x->rex = b;
		else if (legacy_prefix(x, b))
			x->rex = 0;
		else
			return 0;
		x->pos++;
	}
	return err;
}

static int decode_opcode(struct ctx *x)
{
	const struct opcode *table = one_byte;
	u64 b;
	int err = fetch(x, 1, &b);

	if (!err && b == 0x0f) {
		table = two_byte;
		err = fetch(x, 1, &b);
	}
	if (err)
		return err;
	x->e = &table[b];
	return x->e->op == X86_OP_NONE ? -EINVAL : 0;
}

/* REX.W (only ever seen in 64-bit mode) beats 66 (SDM Vol. 1, table 3-4); MOV CR ignores both. */
static u8 operand_size(const struct ctx *x)
{
	if (x->e->flags & F_BYTE)
		return 1;
	if (x->e->flags & F_WORD)
		return 2;
	if (x->e->group == GRP_CR || x->e->group == GRP_DR)
		return x->bits == 64 ? 8 : 4;
	if (x->rex & REX_W)
		return 8;
	return (x->bits == 16) != x->opsize_prefix ? 2 : 4;
}

static u8 address_size(const struct ctx *x)
{
	if (x->bits == 64)
		return x->addrsize_prefix ? 4 : 8;
	return (x->bits == 16) != x->addrsize_prefix ? 2 : 4;
}

static int set_sizes(struct ctx *x)
{
	struct x86_insn *i = x->i;
	u16 f = x->e->flags;

	/* 63 is ARPL outside 64-bit mode; MOVSXD without REX.W is a plain move, refused */
	if ((f & F_SRC32) && !(x->bits == 64 && (x->rex & REX_W)))
		return -EINVAL;
	i->opsize = operand_size(x);
	if (f & F_IO)
		i->opsize = MIN(i->opsize, 4);	/* no 64-bit port access (SDM Vol. 2, INS) */
	i->srcsize = f & F_SRC8 ? 1 : f & F_SRC16 ? 2 : f & F_SRC32 ? 4 : i->opsize;
	i->addrsize = address_size(x);
	return 0;
}

/*
 * MOV to and from CRn ignore ModRM.mod: the operand is always a GPR, so no SIB or displacement
 * follows (SDM Vol. 2, MOV—Move to/from Control Registers). REX.R reaches CR8.
 */
static int control_register(struct ctx *x)
{
	u8 cr = ((x->modrm >> 3) & 7) | rex_bit(x, REX_R);

	if (!(VALID_CRS & BIT(cr)))
		return -EINVAL;
	x->i->reg = cr;
	return 0;
}

/* MOV DR: like MOV CR, always a register operand; REX.R names no debug register (#UD). */
static int debug_register(struct ctx *x)
{
	if (rex_bit(x, REX_R))
		return -EINVAL;
	x->i->reg = (x->modrm >> 3) & 7;
	return 0;
}

static int decode_modrm(struct ctx *x)
{
	struct x86_insn *i = x->i;
	u8 digit;
	u64 b;
	int err = fetch(x, 1, &b);

	if (err)
		return err;
	x->modrm = (u8)b;
	digit = (x->modrm >> 3) & 7;
	i->has_modrm = true;
	i->mem = x->e->group != GRP_CR && x->e->group != GRP_DR && (x->modrm >> 6) != 3;
	if (!i->mem)
		i->rm = (x->modrm & 7) | rex_bit(x, REX_B);
	switch (x->e->group) {
	case GRP_ALU: i->alu = digit; return 0;
	case GRP_DIGIT0: return digit == 0 ? 0 : -EINVAL;
	/* /7 is INVLPG, or SWAPGS and RDTSCP with mod 3; the rest are table and VM instructions */
	case GRP_LMSW: return digit == 6 ? 0 : -EINVAL;
	case GRP_CR: return control_register(x);
	case GRP_DR: return debug_register(x);
	default: i->reg = digit | rex_bit(x, REX_R); return 0;
	}
}

/*
 * LOCK is #UD but on the memory destination of a read-modify-write instruction (SDM Vol. 2,
 * LOCK); CMP writes nothing. AMD reads LOCK MOV CR0 as MOV CR8 where CPUID has AltMovCr8
 * (APM Vol. 3, MOV CRn); it is refused here, as on Intel.
 */
static int check_lock(const struct ctx *x)
{
	const struct x86_insn *i = x->i;

	if (!i->lock)
		return 0;
	if (!(x->e->flags & F_LOCK) || !i->mem)
		return -EINVAL;
	return i->op == X86_OP_ALU && i->alu == X86_ALU_CMP ? -EINVAL : 0;
}

static int fetch_disp(struct ctx *x, u8 size, struct x86_operand_mem *m)
{
	u64 v = 0;
	int err = size ? fetch(x, size, &v) : 0;

	m->disp = size ? sign_extend(v, size) : 0;
	return err;
}

static int decode_mem16(struct ctx *x)
{
	struct x86_operand_mem *m = &x->i->m;
	u8 mod = x->modrm >> 6, rm = x->modrm & 7;
	u8 disp = mod == 1 ? 1 : mod == 2 ? 2 : 0;

	m->base = base16[rm];
	m->index = index16[rm];
	if (mod == 0 && rm == 6) {
		m->base = X86_REG_NONE;		/* [disp16] takes the place of [BP] */
		disp = 2;
	}
	m->seg = segment(x, m->base == X86_REG_RBP ? X86_SEG_SS : X86_SEG_DS);
	return fetch_disp(x, disp, m);
}

/*
 * Table 2-3: index 100 is none, and then the scale means nothing (with REX.X it is R12, a real
 * index); base 101 with mod 00 is a disp32 and no base, whatever REX.B says (table 2-5).
 */
static int decode_sib(struct ctx *x, u8 mod)
{
	struct x86_operand_mem *m = &x->i->m;
	u8 index, base;
	u64 sib;
	int err = fetch(x, 1, &sib);

	if (err)
		return err;
	index = ((sib >> 3) & 7) | rex_bit(x, REX_X);
	base = (sib & 7) | rex_bit(x, REX_B);
	m->index = index == X86_REG_RSP ? X86_REG_NONE : (s8)index;
	m->scale = m->index == X86_REG_NONE ? 1 : (u8)(1 << (sib >> 6));
	m->base = (sib & 7) == 5 && mod == 0 ? X86_REG_NONE : (s8)base;
	return 0;
}

/* Table 2-2 with SIB, for 32- and 64-bit addressing. */
static int decode_mem32(struct ctx *x)
{
	struct x86_operand_mem *m = &x->i->m;
	u8 mod = x->modrm >> 6, rm = x->modrm & 7;
	u8 disp = mod == 1 ? 1 : mod == 2 ? 4 : 0;
	int err;

	if (rm == 4) {
		err = decode_sib(x, mod);
		if (err)
			return err;
		if (m->base == X86_REG_NONE)
			disp = 4;
	} else if (mod == 0 && rm == 5) {
		/* disp32 alone; in 64-bit mode RIP-relative, even with REX.B or 67 (2.2.1.6) */
		m->base = x->bits == 64 ? X86_REG_RIP : X86_REG_NONE;
		disp = 4;
	} else {
		m->base = (s8)(rm | rex_bit(x, REX_B));
	}
	/* SS for rSP and rBP bases only: R12 and R13 default to DS */
	m->seg = segment(x, m->base == X86_REG_RSP || m->base == X86_REG_RBP ? X86_SEG_SS :
			 X86_SEG_DS);
	return fetch_disp(x, disp, m);
}

/* A0-A3 carry an offset as wide as the address size, and no ModRM (SDM Vol. 2, 2.2.1.4). */
static int decode_moffs(struct ctx *x)
{
	struct x86_insn *i = x->i;
	u64 offset;
	int err = fetch(x, i->addrsize, &offset);

	if (err)
		return err;
	i->m.seg = segment(x, X86_SEG_DS);
	i->m.disp = (s64)offset;
	return 0;
}

/*
 * The destination of MOVS, STOS and INS is ES:[rDI], which no prefix overrides (SDM Vol. 2,
 * MOVS, INS); the source of MOVS, LODS and OUTS is DS:[rSI], or the override's segment.
 */
static void string_operands(struct ctx *x)
{
	struct x86_insn *i = x->i;
	struct x86_operand_mem src = { segment(x, X86_SEG_DS), X86_REG_RSI, X86_REG_NONE, 1, 0 };
	struct x86_operand_mem dst = { X86_SEG_ES, X86_REG_RDI, X86_REG_NONE, 1, 0 };

	i->m = i->op == X86_OP_STOS || i->op == X86_OP_INS ? dst : src;
	if (i->op == X86_OP_MOVS)
		i->m2 = dst;
}

static int decode_memory(struct ctx *x)
{
	if (x->e->flags & F_MOFFS)
		return decode_moffs(x);
	if (x->e->flags & F_STRING) {
		string_operands(x);
		return 0;
	}
	if (!x->i->mem)
		return 0;
	return x->i->addrsize == 2 ? decode_mem16(x) : decode_mem32(x);
}

/* Iz is imm16 or imm32; for 64-bit operands imm32 is sign-extended (SDM Vol. 2, 2.2.1.5). */
static int decode_imm(struct ctx *x)
{
	struct x86_insn *i = x->i;
	u8 size = x->e->flags & F_IMM8 ? 1 : MIN(i->opsize, 4);
	u64 v;
	int err;

	if (!(x->e->flags & (F_IMM8 | F_IMMZ)))
		return 0;
	err = fetch(x, size, &v);
	if (err)
		return err;
	i->has_imm = true;
	i->imm = (u64)sign_extend(v, size) & size_mask(i->opsize);
	return 0;
}

/* Everything after the opcode, in the order of the encoding (SDM Vol. 2, figure 2-1). */
static int decode_rest(struct ctx *x)
{
	struct x86_insn *i = x->i;
	u16 f = x->e->flags;
	int err;

	i->op = x->e->op;
	i->alu = x->e->alu;
	i->rex_present = x->rex != 0;
	i->reg_is_dest = f & F_REG_DEST;
	i->mem = f & (F_MOFFS | F_STRING);
	err = set_sizes(x);
	if (!err && (f & F_MODRM))
		err = decode_modrm(x);
	if (!err)
		err = check_lock(x);
	if (!err)
		err = decode_memory(x);
	if (!err)
		err = decode_imm(x);
	return err;
}

int x86_decode(const u8 *bytes, u32 avail, u32 default_bits, struct x86_insn *out)
{
	struct x86_insn insn;
	struct ctx x = {
		.bytes = bytes, .avail = MIN(avail, X86_MAX_INSN_LEN), .bits = default_bits,
		.seg_override = -1, .i = &insn,
	};
	int err;

	if (default_bits != 16 && default_bits != 32 && default_bits != 64)
		return -EINVAL;
	memset(&insn, 0, sizeof(insn));
	insn.m = insn.m2 = no_operand;
	err = decode_prefixes(&x);
	if (!err)
		err = decode_opcode(&x);
	if (!err)
		err = decode_rest(&x);
	if (err)
		return err;
	insn.len = (u8)x.pos;
	*out = insn;
	return 0;
}

u64 x86_operand_address(const struct x86_insn *i, const struct x86_operand_mem *m,
			const u64 gprs[16], u64 next_rip)
{
	u64 ea = (u64)m->disp;

	if (m->base == X86_REG_RIP)
		ea += next_rip;
	else if (m->base >= 0)
		ea += gprs[m->base & 15];
	if (m->index >= 0)
		ea += gprs[m->index & 15] * m->scale;
	return ea & size_mask(i->addrsize);
}

u64 x86_effective_address(const struct x86_insn *i, const u64 gprs[16], u64 next_rip)
{
	return x86_operand_address(i, &i->m, gprs, next_rip);
}

static bool is_high_byte(u8 reg, u8 size, bool rex_present)
{
	return size == 1 && !rex_present && reg >= 4 && reg < 8;
}

u64 x86_reg_read(const u64 gprs[16], u8 reg, u8 size, bool rex_present)
{
	if (is_high_byte(reg, size, rex_present))
		return (gprs[reg - 4] >> 8) & 0xff;
	return gprs[reg & 15] & size_mask(size);
}

void x86_reg_write(u64 gprs[16], u8 reg, u8 size, bool rex_present, u64 value)
{
	u64 mask = size_mask(size);

	if (is_high_byte(reg, size, rex_present)) {
		reg -= 4;
		mask <<= 8;
		value <<= 8;
	}
	reg &= 15;
	if (size == 4)
		gprs[reg] = value & mask;	/* and bits 63:32 are cleared */
	else
		gprs[reg] = (gprs[reg] & ~mask) | (value & mask);
}

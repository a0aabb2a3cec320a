// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the MMIO instruction emulator (vmm/x86_emulate.c) behind the decoder. The input:
 * a mode byte (16, 32, 64-bit code), RFLAGS's low byte and DF, the memory callback call that
 * fails (0xff: none), the REP batch size, 16 GPRs of 2 bytes each (sign-extended), then the
 * instruction's bytes; what is left is the memory the reads return. Checked: x86_alu against
 * exact wide arithmetic (result, CF, OF, AF, ZF, SF, PF) for every operation and size on the
 * input's values; an emulated instruction touches only the arithmetic flags, accesses memory
 * in sizes of 1-8 bytes, and, when a callback fails, has changed no register or flag (a
 * string instruction: none but those of the elements it completed); a string instruction
 * moves at most the batch, steps rSI/rDI by its element size in DF's direction and counts
 * rCX down by the elements done.
 */
#include <string.h>

#include "tests/fuzz/fuzz_check.h"
#include "vmm/x86_emulate.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

#define HEADER (4 + 16 * 2)
#define NO_FAILURE 0xff

struct memory {
	const u8 *bytes;
	size_t size, next;
	u32 calls, fail_at, reads, writes;
};

static u64 mask_of(u8 size)
{
	return size == 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

static bool even_parity(u8 v)
{
	return !__builtin_parity(v);
}

static int access_allowed(struct memory *mem, u8 size)
{
	fuzz_check(size == 1 || size == 2 || size == 4 || size == 8);
	return mem->calls++ == mem->fail_at ? -1 : 0;
}

static int mem_read(void *ctx, const struct x86_operand_mem *m, u64 ea, u8 size, u64 *value)
{
	struct memory *mem = ctx;
	u64 v = 0;

	(void)m;
	(void)ea;
	if (access_allowed(mem, size))
		return -1;
	for (u8 i = 0; i < size && mem->size; i++)
		v |= (u64)mem->bytes[mem->next++ % mem->size] << (8 * i);
	*value = v;
	mem->reads++;
	return 0;
}

static int mem_write(void *ctx, const struct x86_operand_mem *m, u64 ea, u8 size, u64 value)
{
	struct memory *mem = ctx;

	(void)m;
	(void)ea;
	fuzz_check(!(value & ~mask_of(size)));
	if (access_allowed(mem, size))
		return -1;
	mem->writes++;
	return 0;
}

/* x86_alu against the definition: the operation in 128 bits, the flags from its result. */
static void check_alu(enum x86_alu op, u8 size, u64 dst, u64 src, u64 flags_in)
{
	u64 m = mask_of(size), sign = 1ULL << (8 * size - 1), flags = flags_in, want, got;
	unsigned carry = flags_in & X86_FLAG_CF ? 1 : 0;
	unsigned __int128 wide;
	bool cf = false, of = false, af = false;

	dst &= m;
	src &= m;
	got = x86_alu(op, size, dst, src, &flags);
	switch (op) {
	case X86_ALU_ADD:
	case X86_ALU_ADC:
		wide = (unsigned __int128)dst + src + (op == X86_ALU_ADC ? carry : 0);
		want = (u64)wide & m;
		cf = (wide >> (8 * size)) != 0;
		of = (~(dst ^ src) & (dst ^ want) & sign) != 0;
		af = ((dst ^ src ^ want) & 0x10) != 0;
		break;
	case X86_ALU_SUB:
	case X86_ALU_SBB:
	case X86_ALU_CMP:
		carry = op == X86_ALU_SBB ? carry : 0;
		want = (dst - src - carry) & m;
		cf = (unsigned __int128)dst < (unsigned __int128)src + carry;
		of = ((dst ^ src) & (dst ^ want) & sign) != 0;
		af = ((dst ^ src ^ want) & 0x10) != 0;
		break;
	case X86_ALU_OR: want = dst | src; break;
	case X86_ALU_AND: want = dst & src; break;
	default: want = dst ^ src; break;
	}
	fuzz_check(got == want);
	fuzz_check(flags == ((flags_in & ~(u64)X86_FLAGS_ARITH) |
			     (cf ? X86_FLAG_CF : 0) | (of ? X86_FLAG_OF : 0) |
			     (af ? X86_FLAG_AF : 0) | (want ? 0 : X86_FLAG_ZF) |
			     (want & sign ? X86_FLAG_SF : 0) |
			     (even_parity((u8)want) ? X86_FLAG_PF : 0)));
}

static bool is_string(const struct x86_insn *i)
{
	return i->op == X86_OP_MOVS || i->op == X86_OP_STOS || i->op == X86_OP_LODS;
}

static void check_string(const struct x86_insn *i, const u64 *before, const u64 *after,
			 u64 rflags, const struct memory *mem, u32 batch)
{
	u64 am = mask_of(i->addrsize);
	u32 done = i->op == X86_OP_LODS ? mem->reads : mem->writes;
	u64 step = (rflags & X86_FLAG_DF ? -(u64)i->opsize : i->opsize) * done;

	fuzz_check(done <= batch);
	if (i->rep || i->repne)
		fuzz_check(((before[X86_REG_RCX] - after[X86_REG_RCX]) & am) == done);
	if (i->op != X86_OP_STOS)
		fuzz_check(((after[X86_REG_RSI] - before[X86_REG_RSI] - step) & am) == 0);
	if (i->op != X86_OP_LODS)
		fuzz_check(((after[X86_REG_RDI] - before[X86_REG_RDI] - step) & am) == 0);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static const u32 modes[3] = { 16, 32, 64 };
	static const struct x86_emulate_ops ops = { .read = mem_read, .write = mem_write };
	u64 gprs[16], before[16], rflags, rflags_before;
	struct x86_emulate_cpu cpu;
	struct memory mem;
	struct x86_insn i;
	enum x86_emulate_result r;
	size_t code;

	if (size < HEADER + 1)
		return 0;
	for (u32 g = 0; g < 16; g++)
		gprs[g] = (u64)(s64)(s16)(data[4 + 2 * g] | data[5 + 2 * g] << 8);
	rflags = 0x2 | data[1] | (data[2] & 1 ? X86_FLAG_DF : 0);
	for (u32 op = 0; op < 8; op++)
		for (u8 s = 1; s <= 8; s *= 2)
			check_alu((enum x86_alu)op, s, gprs[op], gprs[8 + op] * 0x9e3779b97f4a7c15ULL,
				  rflags);
	code = size - HEADER < X86_MAX_INSN_LEN ? size - HEADER : X86_MAX_INSN_LEN;
	if (x86_decode(data + HEADER, (u32)code, modes[data[0] % 3], &i))
		return 0;
	mem = (struct memory){ .bytes = data + HEADER + i.len, .size = size - HEADER - i.len,
			       .fail_at = data[2] >> 1 == NO_FAILURE >> 1 ? ~0u : data[2] >> 1 };
	cpu = (struct x86_emulate_cpu){ .gprs = gprs, .rflags = &rflags, .next_rip = 0x1000,
					.max_elements = 1 + data[3] % 16 };
	memcpy(before, gprs, sizeof(before));
	rflags_before = rflags;
	r = x86_emulate(&i, &cpu, &ops, &mem);
	fuzz_check((rflags & ~(u64)X86_FLAGS_ARITH) == (rflags_before & ~(u64)X86_FLAGS_ARITH));
	if (is_string(&i)) {
		fuzz_check(r == X86_EMULATE_DONE || r == X86_EMULATE_AGAIN ||
			   r == X86_EMULATE_ABORTED);
		fuzz_check(rflags == rflags_before);
		check_string(&i, before, gprs, rflags, &mem, cpu.max_elements);
		return 0;
	}
	if (r == X86_EMULATE_ABORTED || r == X86_EMULATE_UNSUPPORTED) {
		fuzz_check(!memcmp(before, gprs, sizeof(before)) && rflags == rflags_before);
		if (r == X86_EMULATE_UNSUPPORTED)
			fuzz_check(mem.calls == 0);
		return 0;
	}
	fuzz_check(r == X86_EMULATE_DONE && mem.writes <= 1 && mem.reads <= 1);
	return 0;
}

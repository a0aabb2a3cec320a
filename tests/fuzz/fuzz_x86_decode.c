// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the x86 instruction decoder (vmm/x86_decode.c) in 16-, 32- and 64-bit code, the
 * first byte choosing the mode. A decoded instruction is 1 to 15 bytes and never longer than
 * the bytes given; its sizes and register numbers are ones the emulator can use.
 */
#include <stdlib.h>
#include <string.h>

#include "vmm/x86_decode.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static bool size_ok(u8 bytes)
{
	return bytes == 1 || bytes == 2 || bytes == 4 || bytes == 8;
}

static void check_mem(const struct x86_operand_mem *m)
{
	if (m->seg > X86_SEG_GS || m->base < X86_REG_NONE || m->base > X86_REG_RIP ||
	    m->index < X86_REG_NONE || m->index > X86_REG_R15 || !size_ok(m->scale))
		abort();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static const u32 modes[] = { 16, 32, 64 };
	struct x86_insn insn;
	u8 *bytes;
	u32 avail;

	if (size < 1)
		return 0;
	avail = size - 1 > 32 ? 32 : size - 1;
	bytes = malloc(avail ? avail : 1);	/* exactly avail bytes: ASan sees a read past */
	memcpy(bytes, data + 1, avail);
	if (x86_decode(bytes, avail, modes[data[0] % 3], &insn) == 0) {
		if (insn.len < 1 || insn.len > X86_MAX_INSN_LEN || insn.len > avail)
			abort();
		if (!size_ok(insn.opsize) || !size_ok(insn.srcsize) || insn.addrsize < 2 ||
		    !size_ok(insn.addrsize) || insn.reg > 15 || insn.rm > 15)
			abort();
		if (insn.mem)
			check_mem(&insn.m);
		if (insn.op == X86_OP_MOVS)
			check_mem(&insn.m2);
	}
	free(bytes);
	return 0;
}

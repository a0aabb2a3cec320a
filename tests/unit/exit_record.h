/* SPDX-License-Identifier: MIT */
/* Comparing neutral exit records, for the tests of both exit decoders. */
#ifndef VIREO_TESTS_EXIT_RECORD_H
#define VIREO_TESTS_EXIT_RECORD_H

#include "tests/unit/unit.h"
#include "vmm/exit.h"

/* An I/O exit record describes this port access. */
static inline void expect_io(const struct vm_exit *out, u16 port, u8 size, bool in, bool string,
			     bool rep)
{
	EXPECT_EQ(out->reason, EXIT_IO);
	EXPECT_EQ(out->io.port, port);
	EXPECT_EQ(out->io.size, size);
	EXPECT_EQ(out->io.in, in);
	EXPECT_EQ(out->io.string, string);
	EXPECT_EQ(out->io.rep, rep);
}

/* The fields of two records of the same exit that its reason makes meaningful agree. */
static inline void expect_same_exit(const struct vm_exit *a, const struct vm_exit *b)
{
	EXPECT_EQ(a->reason, b->reason);
	EXPECT_EQ(a->insn_len, b->insn_len);
	EXPECT_EQ(a->native_code, b->native_code);
	assert_string_equal(a->native_name, b->native_name);
	switch (a->reason) {
	case EXIT_IO:
		expect_io(a, b->io.port, b->io.size, b->io.in, b->io.string, b->io.rep);
		break;
	case EXIT_MEMORY:
		EXPECT_EQ(a->memory.gpa, b->memory.gpa);
		EXPECT_EQ(a->memory.read, b->memory.read);
		EXPECT_EQ(a->memory.write, b->memory.write);
		EXPECT_EQ(a->memory.fetch, b->memory.fetch);
		EXPECT_EQ(a->memory.in_page_walk, b->memory.in_page_walk);
		EXPECT_EQ(a->memory.gla_valid, b->memory.gla_valid);
		EXPECT_EQ(a->memory.gla, b->memory.gla);
		EXPECT_EQ(a->insn_bytes_len, b->insn_bytes_len);
		if (a->insn_bytes_len <= sizeof(a->insn_bytes))
			assert_memory_equal(a->insn_bytes, b->insn_bytes, a->insn_bytes_len);
		break;
	case EXIT_EXCEPTION:
		EXPECT_EQ(a->exception.vector, b->exception.vector);
		EXPECT_EQ(a->exception.has_error_code, b->exception.has_error_code);
		EXPECT_EQ(a->exception.error_code, b->exception.error_code);
		break;
	case EXIT_VIRT_INSN:
	case EXIT_UNOFFERED_INSN:
		assert_string_equal(a->insn.mnemonic, b->insn.mnemonic);
		break;
	case EXIT_ENTRY_FAILED:
		assert_string_equal(a->entry_failed.why, b->entry_failed.why);
		break;
	default:
		break;
	}
}

#endif

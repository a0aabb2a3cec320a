/* SPDX-License-Identifier: MIT */
/* Tests of gdb's breakpoints in the debug registers: slots, DR7's fields, DR6's hits. */
#include "tests/unit/unit.h"
#include "kernel/errno.h"
#include "vmm/gdb_hwbp.h"

#include <string.h>

static void test_four_registers_then_no_room(void **state)
{
	struct gdb_hwbp h;
	(void)state;

	memset(&h, 0, sizeof(h));
	assert_int_equal(gdb_hwbp_insert(&h, GDB_BP_HARDWARE, 0x401000, 1), 0);
	assert_int_equal(gdb_hwbp_insert(&h, GDB_BP_WRITE, 0x403000, 4), 0);
	assert_int_equal(gdb_hwbp_insert(&h, GDB_BP_ACCESS, 0x403008, 8), 0);
	assert_int_equal(gdb_hwbp_insert(&h, GDB_BP_WRITE, 0x403012, 2), 0);
	assert_int_equal(gdb_hwbp_insert(&h, GDB_BP_WRITE, 0x403020, 1), -ENOSPC);
	assert_int_equal(h.used, 0xf);
	/* A removed one frees its register for the next. */
	assert_int_equal(gdb_hwbp_remove(&h, GDB_BP_WRITE, 0x403000, 4), 0);
	assert_int_equal(h.used, 0xd);
	assert_int_equal(gdb_hwbp_insert(&h, GDB_BP_WRITE, 0x403020, 1), 0);
	assert_int_equal(h.used, 0xf);
	assert_int_equal(h.slot[1].addr, 0x403020);
}

static void test_what_the_registers_cannot_do_is_refused(void **state)
{
	struct gdb_hwbp h;
	(void)state;

	memset(&h, 0, sizeof(h));
	assert_int_equal(gdb_hwbp_insert(&h, GDB_BP_WRITE, 0x403002, 4), -EINVAL);	/* unaligned */
	assert_int_equal(gdb_hwbp_insert(&h, GDB_BP_ACCESS, 0x403004, 8), -EINVAL);
	assert_int_equal(gdb_hwbp_insert(&h, GDB_BP_WRITE, 0x403000, 3), -EINVAL);	/* length */
	assert_int_equal(gdb_hwbp_insert(&h, GDB_BP_WRITE, 0x403000, 0), -EINVAL);
	assert_int_equal(gdb_hwbp_insert(&h, GDB_BP_HARDWARE, 0x401000, 2), -EINVAL);
	assert_int_equal(gdb_hwbp_insert(&h, GDB_BP_SOFTWARE, 0x401000, 1), -EINVAL);
	assert_int_equal(gdb_hwbp_insert(&h, (enum gdb_breakpoint_type)3, 0x403000, 4), -EINVAL);
	assert_int_equal(h.used, 0);
	/* Removing what is not there, or with another length or type. */
	assert_int_equal(gdb_hwbp_insert(&h, GDB_BP_WRITE, 0x403000, 4), 0);
	assert_int_equal(gdb_hwbp_remove(&h, GDB_BP_WRITE, 0x403000, 2), -EINVAL);
	assert_int_equal(gdb_hwbp_remove(&h, GDB_BP_ACCESS, 0x403000, 4), -EINVAL);
	assert_int_equal(gdb_hwbp_remove(&h, GDB_BP_WRITE, 0x403004, 4), -EINVAL);
	assert_int_equal(gdb_hwbp_remove(&h, GDB_BP_WRITE, 0x403000, 4), 0);
	assert_int_equal(gdb_hwbp_remove(&h, GDB_BP_WRITE, 0x403000, 4), -EINVAL);
	/* An instruction breakpoint of kind 0 is one of length 1. */
	assert_int_equal(gdb_hwbp_insert(&h, GDB_BP_HARDWARE, 0x401000, 0), 0);
	assert_int_equal(gdb_hwbp_remove(&h, GDB_BP_HARDWARE, 0x401000, 1), 0);
}

/* SDM Vol. 3B figure 17-1: L0 bit 0, R/W0 bits 17:16, LEN0 bits 19:18, 4 bits per register. */
static void test_dr7_arms_each_register_as_asked(void **state)
{
	struct gdb_hwbp h;
	u64 dr[4];
	(void)state;

	memset(&h, 0, sizeof(h));
	assert_int_equal(gdb_hwbp_dr7(&h), 0x400);
	assert_int_equal(gdb_hwbp_insert(&h, GDB_BP_HARDWARE, 0x401000, 1), 0);
	assert_int_equal(gdb_hwbp_dr7(&h), 0x401);	/* R/W 00, LEN 00; no LE for code */
	assert_int_equal(gdb_hwbp_insert(&h, GDB_BP_WRITE, 0x403000, 4), 0);
	/* DR1: L1 (bit 2), R/W 01 (bits 21:20), LEN 11 (bits 23:22), and LE (bit 8). */
	assert_int_equal(gdb_hwbp_dr7(&h), 0x401 | 0x4 | 0x100 | 0x1ULL << 20 | 0x3ULL << 22);
	assert_int_equal(gdb_hwbp_insert(&h, GDB_BP_ACCESS, 0x403008, 8), 0);
	assert_int_equal(gdb_hwbp_insert(&h, GDB_BP_ACCESS, 0x403012, 2), 0);
	/* DR2: L2 bit 4, R/W 11 bits 25:24, LEN 10 bits 27:26; DR3: L3 bit 6, 11, LEN 01. */
	assert_int_equal(gdb_hwbp_dr7(&h), 0x401 | 0x4 | 0x100 | 0x1ULL << 20 | 0x3ULL << 22 |
					   0x10 | 0x3ULL << 24 | 0x2ULL << 26 |
					   0x40 | 0x3ULL << 28 | 0x1ULL << 30);
	gdb_hwbp_addresses(&h, dr);
	assert_int_equal(dr[0], 0x401000);
	assert_int_equal(dr[3], 0x403012);
	assert_int_equal(gdb_hwbp_remove(&h, GDB_BP_WRITE, 0x403000, 4), 0);
	gdb_hwbp_addresses(&h, dr);
	assert_int_equal(dr[1], 0);
	assert_int_equal(gdb_hwbp_dr7(&h) & (0x3 << 2 | 0xfULL << 20), 0);
}

static void test_dr6_names_the_hit_among_those_in_use(void **state)
{
	struct gdb_hwbp h;
	struct gdb_stop stop;
	(void)state;

	memset(&h, 0, sizeof(h));
	memset(&stop, 0, sizeof(stop));
	assert_int_equal(gdb_hwbp_insert(&h, GDB_BP_HARDWARE, 0x401000, 1), 0);
	assert_int_equal(gdb_hwbp_insert(&h, GDB_BP_ACCESS, 0x403008, 8), 0);
	/* A single step, or registers gdb does not use (B bits are set even when disabled). */
	assert_int_equal(gdb_hwbp_hit(&h, 0xffff4ff0, &stop), 0);
	assert_int_equal(gdb_hwbp_hit(&h, 0xffff0ffc, &stop), 0);
	assert_int_equal(gdb_hwbp_hit(&h, 0xffff0ff1, &stop), 1);
	assert_int_equal(stop.reason, GDB_STOP_HW_BREAKPOINT);
	assert_int_equal(gdb_hwbp_hit(&h, 0xffff4ffe, &stop), 2);
	assert_int_equal(stop.reason, GDB_STOP_WATCHPOINT);
	assert_int_equal(stop.watch_type, GDB_BP_ACCESS);
	assert_int_equal(stop.watch_addr, 0x403008);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_four_registers_then_no_room),
		cmocka_unit_test(test_what_the_registers_cannot_do_is_refused),
		cmocka_unit_test(test_dr7_arms_each_register_as_asked),
		cmocka_unit_test(test_dr6_names_the_hit_among_those_in_use),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

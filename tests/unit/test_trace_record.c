/* SPDX-License-Identifier: MIT */
/* Tests of traced exits' records: what each reason keeps, and their text for show and dump. */
#include "tests/unit/unit.h"
#include "vmm/trace_record.h"

#include <string.h>

static const struct vcpu_regs regs = {
	.rax = 0x1122334455667788ULL, .rcx = 0xc0000080ULL, .rdx = 0xaabbccddULL, .rip = 0x1234,
};

static struct trace_record record_of(const struct vm_exit *e)
{
	struct trace_record r;

	memset(&r, 0xa5, sizeof(r));	/* nothing of an earlier record may stay */
	trace_record_exit(&r, e, &regs, 1000);
	return r;
}

static void expect_details(const struct trace_record *r, const char *want)
{
	char buf[160];

	trace_record_details(buf, sizeof(buf), r);
	assert_string_equal(buf, want);
}

static void test_an_out_keeps_port_size_and_the_bytes_written(void **state)
{
	struct vm_exit e = { .reason = EXIT_IO, .native_name = "IOIO",
			     .io = { .port = 0x80, .size = 1 } };
	struct trace_record r = record_of(&e);
	(void)state;

	EXPECT_EQ(r.tsc, 1000);
	EXPECT_EQ(r.took, 0);
	EXPECT_EQ(r.rip, 0x1234);
	EXPECT_EQ(r.reason, EXIT_IO);
	expect_details(&r, " port=0x80 size=1 dir=out value=0x88");
	e.io.size = 2;
	r = record_of(&e);
	expect_details(&r, " port=0x80 size=2 dir=out value=0x7788");
	e.io.size = 4;
	r = record_of(&e);
	expect_details(&r, " port=0x80 size=4 dir=out value=0x55667788");
}

static void test_an_in_keeps_the_value_its_handler_read(void **state)
{
	struct vm_exit e = { .reason = EXIT_IO, .io = { .port = 0x3f8, .size = 1, .in = true } };
	struct trace_record r = record_of(&e);
	struct vcpu_regs after = regs;
	(void)state;

	expect_details(&r, " port=0x3f8 size=1 dir=in value=0");
	after.rax = 0xffffffffffffff41ULL;
	trace_record_result(&r, &after);
	expect_details(&r, " port=0x3f8 size=1 dir=in value=0x41");
}

static void test_string_io_has_no_value(void **state)
{
	struct vm_exit e = { .reason = EXIT_IO,
			     .io = { .port = 0xe9, .size = 1, .string = true, .rep = true } };
	struct trace_record r = record_of(&e);
	(void)state;

	trace_record_result(&r, &regs);	/* an INS's data went to memory, not RAX */
	expect_details(&r, " port=0xe9 size=1 dir=out string=rep");
	e.io.in = true;
	e.io.rep = false;
	r = record_of(&e);
	trace_record_result(&r, &regs);
	expect_details(&r, " port=0xe9 size=1 dir=in string=once");
}

static void test_each_reason_keeps_its_details(void **state)
{
	struct {
		struct vm_exit exit;
		const char *details;
	} cases[] = {
		{ { .reason = EXIT_CPUID }, " leaf=0x55667788 subleaf=0xc0000080" },
		{ { .reason = EXIT_MSR_READ }, " msr=0xc0000080" },
		{ { .reason = EXIT_MSR_WRITE }, " msr=0xc0000080 value=0xaabbccdd55667788" },
		{ { .reason = EXIT_HYPERCALL, .hypercall = { .cpl = 3 } }, " nr=1432778632 cpl=3" },
		{ { .reason = EXIT_MEMORY, .memory = { .gpa = 0xfee00000, .write = true } },
		  " gpa=0xfee00000 access=w" },
		{ { .reason = EXIT_MEMORY, .memory = { .gpa = 0x1000, .read = true,
						       .fetch = true } }, " gpa=0x1000 access=rx" },
		{ { .reason = EXIT_EXCEPTION, .exception = { .vector = 1 } }, " vector=1" },
		{ { .reason = EXIT_EXCEPTION, .exception = { .vector = 17, .has_error_code = true,
							     .error_code = 0 } },
		  " vector=17 error=0" },
		{ { .reason = EXIT_CR_ACCESS, .cr = { .cr = 4, .kind = CR_MOV_TO } },
		  " cr=4 kind=mov-to" },
		{ { .reason = EXIT_CR_ACCESS, .cr = { .cr = 0, .kind = CR_LMSW } },
		  " cr=0 kind=lmsw" },
		{ { .reason = EXIT_VIRT_INSN, .native_name = "VMRUN", .insn = { "VMRUN" } },
		  " exit=VMRUN" },
		{ { .reason = EXIT_UNOFFERED_INSN, .insn = { "XSETBV" } }, " exit=XSETBV" },
		{ { .reason = EXIT_NONE, .native_name = "INTR" }, " exit=INTR" },
		{ { .reason = EXIT_NONE, .native_name = "preemption timer" },
		  " exit=preemption_timer" },
		{ { .reason = EXIT_UNSUPPORTED, .native_name = "RSM" }, " exit=RSM" },
		{ { .reason = EXIT_HLT, .native_name = "HLT" }, "" },
		{ { .reason = EXIT_TRIPLE_FAULT }, "" },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct trace_record r = record_of(&cases[i].exit);

		EXPECT_EQ(r.reason, cases[i].exit.reason);
		expect_details(&r, cases[i].details);
	}
}

static void test_an_unknown_reason_is_traced_as_unsupported(void **state)
{
	struct vm_exit e = { .reason = EXIT_REASON_COUNT + 3, .native_name = "??" };
	struct trace_record r = record_of(&e);
	(void)state;

	EXPECT_EQ(r.reason, EXIT_UNSUPPORTED);
}

static void test_the_monitor_line_has_time_reason_rip_details_and_cost(void **state)
{
	struct vm_exit e = { .reason = EXIT_IO, .io = { .port = 0x80, .size = 1 } };
	struct trace_record r = record_of(&e);
	char buf[160];
	(void)state;

	trace_record_describe(buf, sizeof(buf), &r, "I/O", 1234567, 0);
	assert_string_equal(buf, "+1234.567 us I/O rip=0x1234 port=0x80 size=1 dir=out value=0x88"
			    ", in Vireo now");
	r.took = 500;
	trace_record_describe(buf, sizeof(buf), &r, "I/O", 5, 2001);
	assert_string_equal(buf, "+0.005 us I/O rip=0x1234 port=0x80 size=1 dir=out value=0x88"
			    ", 2.001 us in Vireo");
}

static void test_the_dump_line_is_hex_with_one_word_reason(void **state)
{
	struct vm_exit e = { .reason = EXIT_CR_ACCESS, .cr = { .cr = 3, .kind = CR_MOV_FROM } };
	struct trace_record r = record_of(&e);
	char buf[160];
	(void)state;

	r.took = 0x2a;
	trace_record_line(buf, sizeof(buf), &r, 2, "CR access");
	assert_string_equal(buf, "E 2 3e8 2a 1234 reason=CR_access cr=3 kind=mov-from");
}

static void test_a_short_buffer_is_cut_not_overrun(void **state)
{
	struct vm_exit e = { .reason = EXIT_MSR_WRITE };
	struct trace_record r = record_of(&e);
	char buf[24];
	(void)state;

	memset(buf, 'x', sizeof(buf));
	trace_record_line(buf, 20, &r, 0, "WRMSR");
	EXPECT_EQ(strlen(buf), 19);
	EXPECT_EQ(buf[20], 'x');
	trace_record_describe(buf, 20, &r, "WRMSR", 0, 0);
	EXPECT_EQ(strlen(buf), 19);
	trace_record_details(buf, 1, &r);
	EXPECT_EQ(buf[0], '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_an_out_keeps_port_size_and_the_bytes_written),
		cmocka_unit_test(test_an_in_keeps_the_value_its_handler_read),
		cmocka_unit_test(test_string_io_has_no_value),
		cmocka_unit_test(test_each_reason_keeps_its_details),
		cmocka_unit_test(test_an_unknown_reason_is_traced_as_unsupported),
		cmocka_unit_test(test_the_monitor_line_has_time_reason_rip_details_and_cost),
		cmocka_unit_test(test_the_dump_line_is_hex_with_one_word_reason),
		cmocka_unit_test(test_a_short_buffer_is_cut_not_overrun),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

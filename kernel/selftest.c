/* SPDX-License-Identifier: MIT */
/* Self-tests: deliberate hypervisor faults, each a few calls deep so backtraces show something. */
#include "kernel/selftest.h"
#include "kernel/format.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"

#define NOINLINE __attribute__((noinline))

/*
 * The faults use volatile accesses, and addresses the compiler cannot see through, so that it
 * emits exactly the faulting instruction.
 */
static volatile u64 null_member_address = 0x8;	/* a member of a struct at NULL */
static volatile u64 non_canonical_address = 0x8000000000000000ULL;

static NOINLINE void fault_invalid_opcode(void)
{
	__asm__ volatile("ud2");
}

static NOINLINE void fault_null_write(void)
{
	*(volatile u64 *)null_member_address = 1;
}

static NOINLINE void fault_non_canonical(void)
{
	(void)*(volatile u64 *)non_canonical_address;
}

static NOINLINE void fault_divide(void)
{
	volatile u32 dividend = 1000, divisor = 0;
	volatile u32 quotient = dividend / divisor;

	(void)quotient;
}

/* A #PF that cannot be delivered on the broken stack becomes a #DF, taken on its IST stack. */
static NOINLINE void fault_double(void)
{
	__asm__ volatile("movq $0xdead0000, %%rsp\n\t"
			 "pushq %%rax" : : : "memory");
}

static NOINLINE void explicit_panic(void)
{
	panic("selftest: explicit panic requested on the command line");
}

static const struct {
	const char *name;
	const char *what;
	void (*run)(void);
} tests[] = {
	{ "ud", "executing ud2 (invalid opcode)", fault_invalid_opcode },
	{ "pf", "writing through a NULL pointer (page fault)", fault_null_write },
	{ "gp", "reading a non-canonical address (general protection)", fault_non_canonical },
	{ "de", "dividing by zero (divide error)", fault_divide },
	{ "df", "pushing onto an unmapped stack (double fault)", fault_double },
	{ "panic", "calling panic()", explicit_panic },
};

static NOINLINE void run_test(unsigned i)
{
	pr_notice("selftest %s: %s\n", tests[i].name, tests[i].what);
	tests[i].run();
	pr_err("selftest %s: returned, but it should not have\n", tests[i].name);
}

void selftest_run(const char *name)
{
	char known[128];
	size_t n = 0;

	if (!name[0])
		return;
	for (unsigned i = 0; i < ARRAY_SIZE(tests); i++) {
		if (strcmp(name, tests[i].name) == 0) {
			run_test(i);
			return;
		}
	}
	for (unsigned i = 0; i < ARRAY_SIZE(tests) && n < sizeof(known); i++)
		n += (size_t)format(known + n, sizeof(known) - n, "%s%s", i ? ", " : "",
				    tests[i].name);
	pr_warn("selftest '%s' does not exist (known: %s); none run\n", name, known);
}

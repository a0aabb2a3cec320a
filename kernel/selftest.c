/* SPDX-License-Identifier: MIT */
/* Self-tests: deliberate hypervisor faults, each a few calls deep so backtraces show something. */
#include "kernel/selftest.h"
#include "arch/x86/lapic.h"
#include "kernel/format.h"
#include "kernel/panic.h"
#include "kernel/percpu.h"
#include "kernel/printk.h"
#include "kernel/smp_call.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/timer.h"

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

/*
 * SMP check: a cross-CPU call must reach every online CPU (each records who it is), and a
 * periodic per-CPU timer armed on each must fire TIMER_FIRES times, never early.
 */
#define TIMER_FIRES 5
#define TIMER_PERIOD_NS (2 * NSEC_PER_MSEC)
#define SMP_CHECK_TIMEOUT_NS (10 * NSEC_PER_SEC)	/* emulators with more CPUs than cores are slow */

static struct {
	u32 called_apic_id[MAX_CPUS];
	bool called[MAX_CPUS];
	struct timer timers[MAX_CPUS];
	u32 fires[MAX_CPUS];
	u64 armed_at[MAX_CPUS], last_fire[MAX_CPUS];
} smp_check;

static void record_caller(void *arg)
{
	u32 id = this_cpu()->id;

	(void)arg;
	smp_check.called[id] = true;
	smp_check.called_apic_id[id] = lapic_id();
}

static void check_timer_fired(struct timer *t)
{
	u32 id = (u32)(t - smp_check.timers);

	smp_check.last_fire[id] = rdtsc();
	if (__atomic_add_fetch(&smp_check.fires[id], 1, __ATOMIC_RELEASE) < TIMER_FIRES)
		timer_arm(t, t->deadline + time_ns_to_tsc(TIMER_PERIOD_NS));
}

static void start_check_timer(void *arg)
{
	u32 id = this_cpu()->id;

	(void)arg;
	smp_check.timers[id].fn = check_timer_fired;
	smp_check.armed_at[id] = rdtsc();
	timer_arm_ns(&smp_check.timers[id], TIMER_PERIOD_NS);
}

static bool all_timers_done(void)
{
	for (u32 id = 0; id < percpu_count; id++)
		if (__atomic_load_n(&smp_check.fires[id], __ATOMIC_ACQUIRE) < TIMER_FIRES)
			return false;
	return true;
}

static NOINLINE void check_smp(void)
{
	u64 give_up = rdtsc() + time_ns_to_tsc(SMP_CHECK_TIMEOUT_NS);
	u32 called = smp_call_all(record_caller, NULL), timed = 0;

	smp_call_all(start_check_timer, NULL);
	/* Poll, not halt: the other CPUs' timers finishing sends this one no interrupt. */
	while (!all_timers_done() && (s64)(rdtsc() - give_up) < 0)
		cpu_relax();
	for (u32 id = 0; id < percpu_count; id++) {
		u64 span = time_tsc_to_ns(smp_check.last_fire[id] - smp_check.armed_at[id]);

		pr_info("selftest smp: CPU %u (APIC ID %u) %s the call; its timer fired %u times in "
			"%llu us (period %llu us)\n", id, smp_check.called_apic_id[id],
			smp_check.called[id] ? "took" : "did NOT take", smp_check.fires[id],
			span / NSEC_PER_USEC, TIMER_PERIOD_NS / NSEC_PER_USEC);
		if (smp_check.fires[id] == TIMER_FIRES)
			timed++;
	}
	if (called == percpu_count && timed == percpu_count)
		pr_info("selftest smp: passed on %u CPU(s)\n", percpu_count);
	else
		pr_err("selftest smp: FAILED: the call reached %u and timers completed on %u of %u "
		       "CPU(s)\n", called, timed, percpu_count);
}

/* printk check: every CPU prints a burst of lines at the same moment; none may interleave. */
#define BURST_LINES 5

static struct {
	struct timer timers[MAX_CPUS];
	u32 done;
} burst;

static void print_burst(struct timer *t)
{
	u32 id = (u32)(t - burst.timers);

	for (u32 i = 1; i <= BURST_LINES; i++)
		pr_info("selftest printk: CPU %u line %u of %u: the quick brown fox jumps over the "
			"lazy dog\n", id, i, BURST_LINES);
	__atomic_add_fetch(&burst.done, 1, __ATOMIC_RELEASE);
}

static void arm_burst(void *deadline)
{
	struct timer *t = &burst.timers[this_cpu()->id];

	t->fn = print_burst;
	timer_arm(t, *(u64 *)deadline);
}

static NOINLINE void check_printk(void)
{
	u64 start = rdtsc() + time_ns_to_tsc(20 * NSEC_PER_MSEC);
	u64 give_up = start + time_ns_to_tsc(SMP_CHECK_TIMEOUT_NS);
	u32 armed = smp_call_all(arm_burst, &start);

	while (__atomic_load_n(&burst.done, __ATOMIC_ACQUIRE) < armed &&
	       (s64)(rdtsc() - give_up) < 0)
		cpu_relax();
	pr_info("selftest printk: %u of %u CPU(s) printed their %u lines\n", burst.done, armed,
		BURST_LINES);
}

static const struct {
	const char *name;
	const char *what;
	void (*run)(void);
	bool returns;	/* a check that reports, rather than a fault that stops Vireo */
} tests[] = {
	{ "ud", "executing ud2 (invalid opcode)", fault_invalid_opcode, false },
	{ "pf", "writing through a NULL pointer (page fault)", fault_null_write, false },
	{ "gp", "reading a non-canonical address (general protection)", fault_non_canonical, false },
	{ "de", "dividing by zero (divide error)", fault_divide, false },
	{ "df", "pushing onto an unmapped stack (double fault)", fault_double, false },
	{ "panic", "calling panic()", explicit_panic, false },
	{ "smp", "a cross-CPU call to every CPU and a periodic timer on each", check_smp, true },
	{ "printk", "all CPUs printing at the same moment", check_printk, true },
};

static NOINLINE void run_test(unsigned i)
{
	pr_notice("selftest %s: %s\n", tests[i].name, tests[i].what);
	tests[i].run();
	if (tests[i].returns)
		return;
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

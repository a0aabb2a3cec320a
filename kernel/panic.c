/* SPDX-License-Identifier: MIT */
/* Fatal errors: the panic report (reason, CPU, registers, backtrace), then stop everything. */
#include "kernel/panic.h"
#include "arch/x86/cpu.h"
#include "arch/x86/paging.h"
#include "arch/x86/smp.h"
#include "arch/x86/traps.h"
#include "arch/x86/vectors.h"
#include "kernel/console.h"
#include "kernel/format.h"
#include "kernel/ksyms.h"
#include "kernel/percpu.h"
#include "kernel/power.h"
#include "kernel/printk.h"

#define BACKTRACE_MAX 24

void trap_capture_registers(struct trap_frame *f);

static u32 panic_cpu = CPU_NONE;
static enum power_action panic_action = POWER_HALT;

void panic_set_action(enum power_action a)
{
	panic_action = a;
}

static __printf(1, 2) void report(const char *fmt, ...)
{
	char line[160];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = format_v(line, sizeof(line), fmt, ap);
	va_end(ap);
	console_write_line(line, MIN((size_t)n, sizeof(line) - 1));
}

/* "<name+0xoff>" for a code address, or "" when it is not in the kernel. */
static void symbolize(char *buf, size_t size, u64 address)
{
	u64 offset;
	const char *name = ksym_lookup(address, &offset);

	if (name)
		format(buf, size, " <%s+0x%llx>", name, offset);
	else
		buf[0] = '\0';
}

static void dump_registers(const struct trap_frame *f)
{
	char sym[96];

	symbolize(sym, sizeof(sym), f->rip);
	report("RIP: %04llx:%016llx%s\n", f->cs, f->rip, sym);
	report("RSP: %04llx:%016llx  RFLAGS: %016llx\n", f->ss, f->rsp, f->rflags);
	report("RAX: %016llx RBX: %016llx RCX: %016llx\n", f->rax, f->rbx, f->rcx);
	report("RDX: %016llx RSI: %016llx RDI: %016llx\n", f->rdx, f->rsi, f->rdi);
	report("RBP: %016llx R8:  %016llx R9:  %016llx\n", f->rbp, f->r8, f->r9);
	report("R10: %016llx R11: %016llx R12: %016llx\n", f->r10, f->r11, f->r12);
	report("R13: %016llx R14: %016llx R15: %016llx\n", f->r13, f->r14, f->r15);
	report("CR0: %016llx CR2: %016llx CR3: %016llx CR4: %016llx\n", read_cr0(), read_cr2(),
	       read_cr3(), read_cr4());
}

static bool is_code_address(u64 a)
{
	u64 offset;

	return ksym_lookup(a, &offset) != NULL;
}

/*
 * Follow the frame-pointer chain (every file is built with -fno-omit-frame-pointer). GCC still
 * gives leaf functions no frame, so when the trap hit one, its return address is only at [RSP]
 * and the chain skips its caller: that entry is printed first, marked "?" as a guess.
 */
static void backtrace(const struct trap_frame *f, bool from_trap)
{
	u64 rbp = f->rbp;
	char sym[96];
	int depth = 1;

	report("Backtrace:\n");
	symbolize(sym, sizeof(sym), f->rip);
	report("  #0  %016llx%s\n", f->rip, sym);
	if (from_trap && paging_readable(f->rsp, 8) && is_code_address(*(u64 *)f->rsp) &&
	    !(paging_readable(rbp, 16) && ((u64 *)rbp)[1] == *(u64 *)f->rsp)) {
		symbolize(sym, sizeof(sym), *(u64 *)f->rsp);
		report("  #%-2d %016llx ?%s\n", depth++, *(u64 *)f->rsp, sym);
	}
	for (; depth < BACKTRACE_MAX; depth++) {
		u64 *frame = (u64 *)rbp;

		if (!rbp || (rbp & 7) || !paging_readable(rbp, 16) || !is_code_address(frame[1]))
			break;
		symbolize(sym, sizeof(sym), frame[1]);
		report("  #%-2d %016llx%s\n", depth, frame[1], sym);
		if (frame[0] <= rbp)
			break;	/* frames must move up the stack */
		rbp = frame[0];
	}
}

/* The common part: claim the panic, report, stop the machine. */
static __noreturn void panic_report(const struct trap_frame *f, bool from_trap,
				    const char *reason)
{
	u32 cpu = this_cpu_id();
	u32 expected = CPU_NONE;

	irq_disable();
	if (!__atomic_compare_exchange_n(&panic_cpu, &expected, cpu, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_RELAXED)) {
		if (expected != cpu)
			smp_park_this_cpu();	/* another CPU is already reporting */
		console_force_unlock();
		report("\nrecursive panic on CPU %u: %s\n", cpu, reason);
		power_halt();
	}
	smp_stop_others();
	console_force_unlock();
	printk(LOG_ERR, "PANIC on CPU %u: %s\n", cpu, reason);
	dump_registers(f);
	backtrace(f, from_trap);
	report("Vireo stopped: panic on CPU %u (onpanic=%s).\n", cpu,
	       cmdline_power_action_name(panic_action));
	power_act(panic_action);
}

void panic(const char *fmt, ...)
{
	struct trap_frame f = { 0 };	/* the capture stores CS and SS as 16 bits */
	char reason[200];
	va_list ap;

	trap_capture_registers(&f);
	va_start(ap, fmt);
	format_v(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	panic_report(&f, false, reason);
}

static void describe_page_fault(char *buf, size_t size, u64 error)
{
	format(buf, size, " (%s %s page%s%s), CR2 %#llx",
	       error & BIT(4) ? "instruction fetch from a" : error & BIT(1) ? "write to a" : "read of a",
	       error & BIT(0) ? "protected" : "not-present", error & BIT(3) ? ", reserved bit set" : "",
	       error & BIT(2) ? ", user mode" : "", read_cr2());
}

void panic_on_trap(const struct trap_frame *f)
{
	char reason[200], detail[120] = "", sym[96];

	if (f->vector == VECTOR_PAGE_FAULT)
		describe_page_fault(detail, sizeof(detail), f->error_code);
	symbolize(sym, sizeof(sym), f->rip);
	format(reason, sizeof(reason), "%s %s (vector %llu, error code %#llx%s) at %#llx%s",
	       trap_mnemonic(f->vector), trap_description(f->vector), f->vector, f->error_code,
	       detail, f->rip, sym);
	panic_report(f, true, reason);
}

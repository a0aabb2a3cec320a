/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor console. A timer on the boot CPU polls COM1 (no interrupt routing is needed)
 * and echoes what is typed; a finished line becomes work for the boot CPU (kernel/cpu_work.h),
 * which runs the command between guest time slices, never inside an interrupt. Ctrl-] gives
 * the keys to the next VM in turn (its getchar), and after the last back to the monitor.
 */
#include "vmm/monitor.h"
#include "drivers/uart16550.h"
#include "kernel/console.h"
#include "kernel/cpu_work.h"
#include "kernel/errno.h"
#include "kernel/memory.h"
#include "kernel/percpu.h"
#include "kernel/power.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "vmm/gdb_server.h"
#include "vmm/sched.h"
#include "vmm/trace.h"
#include "vmm/trace_ring.h"
#include "vmm/vcpu_run.h"
#include "vmm/virt.h"
#include "vmm/vm.h"
#include "vmm/vmm.h"

#define POLL_NS (20 * NSEC_PER_MSEC)
#define LINE_MAX 80
#define LINES_WAITING 4		/* typed ahead while a command runs */
#define ARGS_MAX 4
#define MONITOR_CPU 0
#define FOCUS_KEY 0x1d		/* Ctrl-]: as virsh console and telnet; QEMU's mux keeps Ctrl-A */

struct command {
	const char *name, *args, *help;
	u32 min_args;
	void (*run)(u32 argc, char **argv);
};

static struct {
	struct timer poll;
	char typing[LINE_MAX];
	u32 len;
	struct spinlock lock;	/* the lines typed, between the poll timer and the work */
	char lines[LINES_WAITING][LINE_MAX];
	u32 first, count;
	struct work work;
	u32 focus;		/* the VM keys go to, 0 for the monitor */
} mon;

static void cmd_help(u32 argc, char **argv);

static void cmd_cpus(u32 argc, char **argv)
{
	(void)argc, (void)argv;
	for (u32 id = 0; id < percpu_count; id++) {
		struct percpu *p = percpu_of[id];
		u64 idle = cpu_idle_tsc(id), switches;
		u32 placed, waiting;

		sched_cpu_counts(id, &placed, &waiting, &switches);
		pr_info("monitor: CPU %u: APIC ID %u, %u vCPU(s), %u waiting, %llu slices run, idle "
			"%llu ms, %llu%% of the time since boot\n", id, p->apic_id, placed, waiting,
			switches, time_tsc_to_ns(idle) / NSEC_PER_MSEC, idle * 100 / (rdtsc() - boot_tsc));
	}
}

static void cmd_mem(u32 argc, char **argv)
{
	(void)argc, (void)argv;
	memory_report_counters();
	if (vmm_available())
		pr_info("monitor: %u vCPU tag(s) in use (%s: ASIDs or VPIDs)\n",
			virt->tags_in_use(), virt->name);
}

static void cmd_vms(u32 argc, char **argv)
{
	(void)argc, (void)argv;
	vmm_report();
}

static void pause_vm(struct vm *vm, void *arg)
{
	(void)arg;
	vm_pause(vm);
	pr_info("monitor: vm%u %s paused\n", vm->id, vm->config.name);
}

static void resume_vm(struct vm *vm, void *arg)
{
	(void)arg;
	vm_resume(vm);
	pr_info("monitor: vm%u %s resumed\n", vm->id, vm->config.name);
}

/* "NAME" or "NAME.N" (vCPU N): the VM's name, and the vCPU (-1: all of them). */
static s32 split_vcpu(char *target)
{
	char *dot = strchr(target, '.');
	u64 n;

	if (!dot)
		return -1;
	*dot = '\0';
	return str_to_u64(dot + 1, strlen(dot + 1), &n) < 0 || n >= VM_VCPUS_MAX ? -2 : (s32)n;
}

struct vcpu_op {
	s32 vcpu;		/* -1: every vCPU */
	u64 value;		/* the command's number: a CPU, a vector */
	void (*apply)(struct vcpu *v, u64 value);
	u32 done;
};

static void on_vcpus(struct vm *vm, void *arg)
{
	struct vcpu_op *op = arg;

	for (u32 i = 0; i < vm->vcpu_count; i++) {
		if (op->vcpu >= 0 && (u32)op->vcpu != i)
			continue;
		op->apply(vm->vcpus[i], op->value);
		op->done++;
	}
}

/* The VM (or vCPU) named by argv[0], with op applied; says what went wrong if it did not. */
static void for_target(char *target, struct vcpu_op *op)
{
	op->vcpu = split_vcpu(target);
	if (op->vcpu == -2 || !vmm_with_vm(target, on_vcpus, op) || !op->done)
		pr_warn("monitor: no running VM or vCPU '%s' ('vms' lists them)\n", target);
}

static bool parse_number(const char *s, u64 limit, u64 *n)
{
	if (str_to_u64(s, strlen(s), n) < 0 || *n >= limit) {
		pr_warn("monitor: '%s' is not a number below %llu\n", s, limit);
		return false;
	}
	return true;
}

static void move_vcpu(struct vcpu *v, u64 cpu)
{
	int err = vcpu_move(v, (u32)cpu);

	if (err == 0)
		pr_info("monitor: vm%u %s vCPU %u goes to CPU %llu\n", v->vm->id, v->vm->config.name,
			v->id, cpu);
	else if (err == -EPERM)
		pr_warn("monitor: vm%u %s may not run on CPU %llu (its cpus = [...] leaves it out)\n",
			v->vm->id, v->vm->config.name, cpu);
}

static void raise_interrupt(struct vcpu *v, u64 vector)
{
	if (vcpu_raise_interrupt(v, (u8)vector))
		pr_info("monitor: interrupt %#llx raised for vm%u %s vCPU %u\n", vector, v->vm->id,
			v->vm->config.name, v->id);
	else
		pr_warn("monitor: vector %#llx is an exception vector (below 0x20)\n", vector);
}

static void raise_nmi(struct vcpu *v, u64 unused)
{
	(void)unused;
	vcpu_raise_nmi(v);
	pr_info("monitor: NMI raised for vm%u %s vCPU %u\n", v->vm->id, v->vm->config.name, v->id);
}

/* The answer to a command for the running VM name, when there was none. */
static void expect_running(bool found, const char *name)
{
	if (!found)
		pr_warn("monitor: no running VM '%s' ('vms' lists them)\n", name);
}

static void cmd_pause(u32 argc, char **argv)
{
	(void)argc;
	expect_running(vmm_with_vm(argv[0], pause_vm, NULL), argv[0]);
}

static void cmd_resume(u32 argc, char **argv)
{
	(void)argc;
	expect_running(vmm_with_vm(argv[0], resume_vm, NULL), argv[0]);
}

static void stats_vm(struct vm *vm, void *arg)
{
	(void)arg;
	vm_log_stats(vm);
	vm_log_vcpu_exits(vm);
}

static void cmd_stats(u32 argc, char **argv)
{
	(void)argc;
	expect_running(vmm_with_vm(argv[0], stats_vm, NULL), argv[0]);
}

struct trace_op {
	const char *what;	/* on, off, show, dump */
	u32 count;		/* records to show */
};

static void trace_vm(struct vm *vm, void *arg)
{
	const struct trace_op *op = arg;
	bool on = strcmp(op->what, "on") == 0;

	if (on || strcmp(op->what, "off") == 0) {
		if (trace_vm_set(vm, on) == 0)
			pr_info("monitor: vm%u %s: tracing %s\n", vm->id, vm->config.name, op->what);
	} else if (strcmp(op->what, "show") == 0) {
		trace_vm_show(vm, op->count);
	} else {
		trace_vm_dump(vm);
	}
}

static void cmd_trace(u32 argc, char **argv)
{
	static const char *const whats[] = { "on", "off", "show", "dump" };
	struct trace_op op = { argv[1], 20 };
	u64 count;
	bool known = false;

	for (u32 i = 0; i < ARRAY_SIZE(whats); i++)
		known |= strcmp(argv[1], whats[i]) == 0;
	if (!known) {
		pr_warn("monitor: usage: trace NAME on|off|show [COUNT]|dump\n");
		return;
	}
	if (argc > 2 && strcmp(argv[1], "show") == 0) {
		if (!parse_number(argv[2], TRACE_ENTRIES_MAX + 1, &count))
			return;
		op.count = (u32)count;
	}
	expect_running(vmm_with_vm(argv[0], trace_vm, &op), argv[0]);
}

/* The VM's 80x25 text screen as its RAM at 0xb8000 holds it, and where its cursor is. */
static void screen_vm(struct vm *vm, void *arg)
{
	static u8 text[VVGA_TEXT_BYTES];	/* the monitor's work runs one at a time */
	char row[VVGA_COLUMNS + 1];
	u16 cursor = vvga_cursor(&vm->vga);

	(void)arg;
	if (!(vm->config.devices & VM_DEVICE_VGA) ||
	    guest_memory_read(&vm->mem, VVGA_TEXT_BASE, text, sizeof(text)) < 0) {
		pr_warn("monitor: vm%u %s has no VGA text screen (devices: \"vga\", and 1 MiB of "
			"RAM)\n", vm->id, vm->config.name);
		return;
	}
	pr_info("vm%u %s: screen, cursor at row %u column %u:\n", vm->id, vm->config.name,
		cursor / VVGA_COLUMNS, cursor % VVGA_COLUMNS);
	for (u32 r = 0; r < VVGA_ROWS; r++) {
		vvga_render_row(&text[r * VVGA_COLUMNS * 2], row);
		pr_info("vm%u %s: screen %02u|%s\n", vm->id, vm->config.name, r, row);
	}
}

static void cmd_screen(u32 argc, char **argv)
{
	(void)argc;
	expect_running(vmm_with_vm(argv[0], screen_vm, NULL), argv[0]);
}

static void cmd_destroy(u32 argc, char **argv)
{
	(void)argc;
	expect_running(vmm_destroy(argv[0]), argv[0]);
}

static void cmd_restart(u32 argc, char **argv)
{
	(void)argc;
	expect_running(vmm_restart(argv[0]), argv[0]);
}

static void cmd_start(u32 argc, char **argv)
{
	(void)argc;
	if (!vmm_start_again(argv[0]))
		pr_warn("monitor: no VM '%s' that has ended ('vms' lists them)\n", argv[0]);
}

static void cmd_move(u32 argc, char **argv)
{
	struct vcpu_op op = { .apply = move_vcpu };

	(void)argc;
	if (parse_number(argv[1], percpu_count, &op.value))
		for_target(argv[0], &op);
}

static void cmd_irq(u32 argc, char **argv)
{
	struct vcpu_op op = { .apply = raise_interrupt };

	(void)argc;
	if (parse_number(argv[1], 256, &op.value))
		for_target(argv[0], &op);
}

static void cmd_nmi(u32 argc, char **argv)
{
	struct vcpu_op op = { .apply = raise_nmi };

	(void)argc;
	for_target(argv[0], &op);
}

static void cmd_gdb(u32 argc, char **argv)
{
	(void)argc;
	if (!gdb_server_choose(argv[0]))
		pr_info("monitor: there is no GDB port (gdb=off, or no UART there)\n");
	else
		pr_info("monitor: gdb debugs %s from its next connection\n", argv[0]);
}

static void cmd_poweroff(u32 argc, char **argv)
{
	(void)argc, (void)argv;
	power_act(POWER_POWEROFF);
}

static void cmd_reboot(u32 argc, char **argv)
{
	(void)argc, (void)argv;
	power_act(POWER_REBOOT);
}

static const struct command commands[] = {
	{ "help", "", "list the commands", 0, cmd_help },
	{ "cpus", "", "the CPUs: what runs there, how idle they have been", 0, cmd_cpus },
	{ "mem", "", "memory use", 0, cmd_mem },
	{ "vms", "", "the virtual machines and where their vCPUs run", 0, cmd_vms },
	{ "list", "", "the same as vms", 0, cmd_vms },
	{ "stats", "NAME", "a VM's exits by reason, run time, slices, moves", 1, cmd_stats },
	{ "pause", "NAME", "hold every vCPU of a VM", 1, cmd_pause },
	{ "resume", "NAME", "let a paused VM go on", 1, cmd_resume },
	{ "destroy", "NAME", "end a VM for good and free all it holds", 1, cmd_destroy },
	{ "restart", "NAME", "end a VM and make it again from its module", 1, cmd_restart },
	{ "start", "NAME", "make a VM that has ended (or waits) from its modules", 1, cmd_start },
	{ "move", "NAME[.VCPU] CPU", "run a VM's vCPUs (or one) on another CPU", 2, cmd_move },
	{ "irq", "NAME[.VCPU] VECTOR", "raise an interrupt for a guest (0x20-0xff)", 2, cmd_irq },
	{ "nmi", "NAME[.VCPU]", "raise an NMI for a guest", 1, cmd_nmi },
	{ "gdb", "NAME", "debug VM NAME with gdb over the GDB port", 1, cmd_gdb },
	{ "trace", "NAME on|off|show [N]|dump", "trace a VM's exits, show the last N, dump them "
	  "all", 2, cmd_trace },
	{ "screen", "NAME", "a VM's VGA text screen", 1, cmd_screen },
	{ "poweroff", "", "power the machine off", 0, cmd_poweroff },
	{ "reboot", "", "reset the machine", 0, cmd_reboot },
};

static void cmd_help(u32 argc, char **argv)
{
	(void)argc, (void)argv;
	for (u32 i = 0; i < ARRAY_SIZE(commands); i++)
		pr_info("monitor: %-8s %-19s %s\n", commands[i].name, commands[i].args,
			commands[i].help);
}

/* Split line into words in place; returns how many (at most max). */
static u32 split_words(char *line, char **words, u32 max)
{
	u32 n = 0;

	for (char *s = line; *s && n < max;) {
		while (*s == ' ')
			*s++ = '\0';
		if (!*s)
			break;
		words[n++] = s;
		while (*s && *s != ' ')
			s++;
	}
	return n;
}

static void run_line(char *line)
{
	char *words[ARGS_MAX + 1];
	u32 n = split_words(line, words, ARRAY_SIZE(words));

	if (!n)
		return;
	for (u32 i = 0; i < ARRAY_SIZE(commands); i++) {
		if (strcmp(words[0], commands[i].name) != 0)
			continue;
		if (n - 1 < commands[i].min_args)
			pr_warn("monitor: usage: %s %s\n", commands[i].name, commands[i].args);
		else
			commands[i].run(n - 1, words + 1);
		return;
	}
	pr_warn("monitor: unknown command '%s'; 'help' lists them\n", words[0]);
}

/* The work: every line typed so far, in order. */
static void run_lines(struct work *w)
{
	char line[LINE_MAX];

	(void)w;
	for (;;) {
		u64 flags = spin_lock_irqsave(&mon.lock);

		if (!mon.count) {
			spin_unlock_irqrestore(&mon.lock, flags);
			return;
		}
		str_copy(line, mon.lines[mon.first], sizeof(line));
		mon.first = (mon.first + 1) % LINES_WAITING;
		mon.count--;
		spin_unlock_irqrestore(&mon.lock, flags);
		run_line(line);
	}
}

/* A line is typed: hand it to the work (typed-ahead lines past LINES_WAITING are dropped). */
static void line_done(void)
{
	u64 flags = spin_lock_irqsave(&mon.lock);
	bool kept = mon.count < LINES_WAITING;

	if (kept) {
		mon.typing[mon.len] = '\0';
		str_copy(mon.lines[(mon.first + mon.count) % LINES_WAITING], mon.typing, LINE_MAX);
		mon.count++;
	}
	spin_unlock_irqrestore(&mon.lock, flags);
	mon.len = 0;
	if (kept)
		work_queue(MONITOR_CPU, &mon.work);
	else
		pr_warn("monitor: busy; line dropped\n");
}

static void take_char(int c)
{
	char echo = (char)c;

	if (c == FOCUS_KEY) {
		mon.focus = vmm_focus_after(mon.focus);
		return;
	}
	if (mon.focus && !vmm_type_key(mon.focus, (u8)c))
		mon.focus = vmm_focus_after(~0u);	/* it has ended: back to the monitor */
	if (mon.focus)
		return;	/* the guest echoes what it wants to */

	if (c == '\r' || c == '\n') {
		console_write("\n", 1);
		line_done();
		return;
	}
	if ((c == 0x7f || c == '\b') && mon.len) {
		mon.len--;
		console_write("\b \b", 3);
		return;
	}
	if (c < 0x20 || c >= 0x7f || mon.len + 1 >= sizeof(mon.typing))
		return;
	mon.typing[mon.len++] = echo;
	console_write(&echo, 1);
}

static void poll(struct timer *t)
{
	int c;

	while ((c = uart16550_getc(&host_uart)) >= 0)
		take_char(c);
	timer_arm(t, t->deadline + time_ns_to_tsc(POLL_NS));
}

void monitor_start(void)
{
	if (!host_uart.present)
		return;
	pr_notice("monitor: the hypervisor console is ready: type 'help' and Enter\n");
	mon.work.fn = run_lines;
	mon.poll.fn = poll;
	timer_arm_ns(&mon.poll, POLL_NS);
}

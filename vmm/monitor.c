/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor console. The boot CPU polls COM1 from a timer (no interrupt routing is needed,
 * and it works while that CPU runs a guest), echoes what is typed, and runs a command per line.
 */
#include "vmm/monitor.h"
#include "drivers/uart16550.h"
#include "kernel/console.h"
#include "kernel/memory.h"
#include "kernel/percpu.h"
#include "kernel/power.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "vmm/vmm.h"

#define POLL_NS (20 * NSEC_PER_MSEC)
#define LINE_MAX 80

static struct {
	struct timer poll;
	char line[LINE_MAX];
	u32 len;
} mon;

static void cmd_help(void);

static void cmd_cpus(void)
{
	for (u32 id = 0; id < percpu_count; id++)
		pr_info("monitor: CPU %u: APIC ID %u, %s\n", id, percpu_of[id]->apic_id,
			percpu_of[id]->job_fn ? "running a VM" : "idle");
}

static void cmd_mem(void)
{
	memory_report_counters();
}

static void cmd_vms(void)
{
	vmm_report();
}

static void cmd_poweroff(void)
{
	power_act(POWER_POWEROFF);
}

static void cmd_reboot(void)
{
	power_act(POWER_REBOOT);
}

static const struct {
	const char *name;
	const char *help;
	void (*run)(void);
} commands[] = {
	{ "help", "list the commands", cmd_help },
	{ "cpus", "the CPUs and what they run", cmd_cpus },
	{ "mem", "memory use", cmd_mem },
	{ "vms", "the virtual machines", cmd_vms },
	{ "poweroff", "power the machine off", cmd_poweroff },
	{ "reboot", "reset the machine", cmd_reboot },
};

static void cmd_help(void)
{
	for (u32 i = 0; i < ARRAY_SIZE(commands); i++)
		pr_info("monitor: %-9s %s\n", commands[i].name, commands[i].help);
}

static void run_line(void)
{
	mon.line[mon.len] = '\0';
	mon.len = 0;
	if (!mon.line[0])
		return;
	for (u32 i = 0; i < ARRAY_SIZE(commands); i++) {
		if (strcmp(mon.line, commands[i].name) == 0) {
			commands[i].run();
			return;
		}
	}
	pr_warn("monitor: unknown command '%s'; 'help' lists them\n", mon.line);
}

static void take_char(int c)
{
	char echo[3] = { (char)c, 0, 0 };

	if (c == '\r' || c == '\n') {
		console_write("\n", 1);
		run_line();
		return;
	}
	if ((c == 0x7f || c == '\b') && mon.len) {
		mon.len--;
		console_write("\b \b", 3);
		return;
	}
	if (c < 0x20 || c >= 0x7f || mon.len + 1 >= sizeof(mon.line))
		return;
	mon.line[mon.len++] = (char)c;
	console_write(echo, 1);
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
	mon.poll.fn = poll;
	timer_arm_ns(&mon.poll, POLL_NS);
}

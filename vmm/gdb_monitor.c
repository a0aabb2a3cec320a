/* SPDX-License-Identifier: MIT */
/* The GDB stub's monitor commands. Pure. */
#include "vmm/gdb_monitor.h"
#include "kernel/format.h"
#include "kernel/string.h"
#include "vmm/gdb_stub.h"

static const char *const layout_names[] = {
	[GDB_LAYOUT_I8086] = "real mode (i8086 registers)",
	[GDB_LAYOUT_I386] = "protected mode (i386 registers)",
	[GDB_LAYOUT_AMD64] = "long mode (x86-64 registers)",
};

static int monitor_help(char *out, u32 size)
{
	return format(out, size,
		      "help          this list\n"
		      "phys on|off   memory access by guest-physical address, or by guest-virtual\n"
		      "              address through the vCPU's page tables (the default)\n"
		      "phys          which one is in use\n"
		      "mode          the vCPU's CPU mode and the register layout gdb was given\n");
}

static int monitor_phys(struct gdb_stub *s, const char *arg, char *out, u32 size)
{
	if (strcmp(arg, "on") == 0)
		s->phys = true;
	else if (strcmp(arg, "off") == 0)
		s->phys = false;
	else if (*arg)
		return format(out, size, "usage: phys on|off\n");
	return format(out, size, "memory: guest-%s addresses\n", s->phys ? "physical" : "virtual");
}

static int monitor_mode(struct gdb_stub *s, char *out, u32 size)
{
	struct vcpu_state st;
	int err = s->ops->get_state(s->ctx, s->thread, &st);
	enum gdb_layout_id now;

	if (err)
		return format(out, size, "vCPU %u: no state (error %d)\n", s->thread, err);
	now = gdb_layout_for(&st);
	return format(out, size, "vCPU %u (thread %u): %s; gdb was given %s%s\n", s->thread,
		      s->thread + 1, layout_names[now], layout_names[s->layout],
		      now == s->layout ? "" : ": reconnect to see the new layout");
}

u32 gdb_monitor_run(struct gdb_stub *s, const char *cmd, char *out, u32 size)
{
	int n;

	while (*cmd == ' ')
		cmd++;
	if (strcmp(cmd, "help") == 0 || *cmd == 0)
		n = monitor_help(out, size);
	else if (strcmp(cmd, "phys") == 0 || str_starts_with(cmd, "phys "))
		n = monitor_phys(s, cmd[4] ? cmd + 5 : cmd + 4, out, size);
	else if (strcmp(cmd, "mode") == 0)
		n = monitor_mode(s, out, size);
	else
		n = format(out, size, "unknown command \"%s\": try \"monitor help\"\n", cmd);
	return (u32)MIN((u32)n, size ? size - 1 : 0);
}

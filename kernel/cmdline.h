/* SPDX-License-Identifier: MIT */
/* The hypervisor command line: every option Vireo takes from GRUB, parsed in one place. */
#ifndef VIREO_CMDLINE_H
#define VIREO_CMDLINE_H

#include "kernel/types.h"

/* What to do when the hypervisor panics, or when every guest has stopped. */
enum power_action {
	POWER_HALT,
	POWER_REBOOT,
	POWER_POWEROFF,
	POWER_KEEP_RUNNING,	/* "console": only for ondone; the console stays up */
};

#define CMDLINE_WARNINGS_MAX 8
#define CMDLINE_WARNING_LEN 160
#define CMDLINE_SELFTEST_MAX 16
#define CMDLINE_GDB_VM_MAX 24		/* a VM name (VM_NAME_MAX) */
#define CMDLINE_COM1_PORT 0x3f8		/* the PC's serial ports, as gdb= names them */
#define CMDLINE_COM2_PORT 0x2f8

struct options {
	int loglevel;			/* loglevel=0..4: error, warning, notice, info, debug */
	u32 smp;			/* smp=N: use at most N CPUs (0: all) */
	char selftest[CMDLINE_SELFTEST_MAX];	/* selftest=NAME: deliberate fault or check */
	enum power_action on_panic;	/* onpanic=halt|reboot|poweroff */
	enum power_action on_done;	/* ondone=halt|reboot|poweroff|console: after the last VM */
	bool x2apic;			/* x2apic=on|off: use x2APIC mode when the CPU has it */
	bool tsc_deadline;		/* tscdeadline=on|off: use the TSC-deadline timer if present */
	bool color;			/* color=on|off: VMs' console lines in colour */
	u16 gdb_port;			/* gdb=com2|com1|off: the GDB stub's UART, 0 for none */
	char gdb_vm[CMDLINE_GDB_VM_MAX];	/* gdbvm=NAME: the VM it debugs ("": the first) */

	u32 warning_count;		/* diagnostics, for the caller to print once it can */
	char warnings[CMDLINE_WARNINGS_MAX][CMDLINE_WARNING_LEN];
};

/*
 * The defaults: loglevel=3, all CPUs, onpanic=halt, ondone=poweroff, x2apic=on, tscdeadline=on,
 * color=on, gdb=com2.
 */
void cmdline_defaults(struct options *o);

/*
 * Parse a command line of space-separated key=value words into o (which holds the defaults).
 * An unknown key or a bad value leaves that option unchanged and adds a warning; parsing goes
 * on with the next word. Never fails.
 */
void cmdline_parse(const char *line, struct options *o);

/* The name of a power action, as written on the command line. */
const char *cmdline_power_action_name(enum power_action a);

#endif

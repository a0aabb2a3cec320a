/* SPDX-License-Identifier: MIT */
/*
 * A VM's console: what the guest writes (debug port, hypercall, mini-kvm port) gathered into
 * lines and logged as "vmN NAME> text", with control characters escaped and a rate limit, so
 * that a chatty or hostile guest cannot flood the host console. The "> " after the VM's name
 * marks a line as the guest's: the host's own lines about a VM read "vmN NAME: ...", and since
 * a guest's text always comes after its marker, no guest can print a line that reads as the
 * host's. The marker is in the VM's colour (an ANSI SGR sequence) unless that is off for it
 * or for all (color=off on the hypervisor's command line).
 */
#ifndef VIREO_VMM_VM_CONSOLE_H
#define VIREO_VMM_VM_CONSOLE_H

#include "kernel/types.h"
#include "vmm/vm_config.h"

#define VM_CONSOLE_LINE_MAX 160
#define VM_CONSOLE_LINES_PER_SECOND 100
#define VM_CONSOLE_BURST_LINES 400

struct vm_console {
	u32 vm_id;
	const char *vm_name;
	const char *sgr;	/* the colour's SGR parameters ("36"), NULL for none */
	char line[VM_CONSOLE_LINE_MAX];
	u32 len;
	u32 shown;		/* of line[0..len), what is on the console already (flushed) */
	u64 allowance;		/* lines that may be logged now (a token bucket) */
	u64 refilled_ns;
	u64 lines;		/* every line the guest wrote */
	u64 dropped;		/* of those, the ones over the rate limit */
	u64 dropped_unreported;	/* dropped since the last "lines dropped" notice */
};

/* Start a console for a VM, its lines in color (VM_COLOR_AUTO: one by its number). */
void vm_console_init(struct vm_console *c, u32 vm_id, const char *vm_name, enum vm_color color);

/* Whether any VM's lines are coloured (the hypervisor's color=on|off); on by default. */
void vm_console_use_color(bool on);

/* Guest output, byte by byte or a buffer at a time. */
void vm_console_putc(struct vm_console *c, u8 ch);
void vm_console_write(struct vm_console *c, const u8 *buf, u64 len);

/*
 * Show what the current line has so far (a prompt, an echo) and keep the line open: its rest
 * follows on the console as it comes, and its end ends it there. Within the rate limit.
 */
void vm_console_flush(struct vm_console *c);

/*
 * The VM has stopped: log what is left of the current line (past the rate limit too: it is the
 * last) and how many lines were dropped since the last notice, so that no loss goes unreported.
 */
void vm_console_close(struct vm_console *c);

#endif

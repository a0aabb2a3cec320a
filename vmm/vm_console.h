/* SPDX-License-Identifier: MIT */
/*
 * A VM's console: what the guest writes (debug port, hypercall, mini-kvm port) gathered into
 * lines and logged as "vmN NAME> text", with control characters escaped and a rate limit, so
 * that a chatty or hostile guest cannot flood the host console. The "> " after the VM's name
 * marks a line as the guest's: the host's own lines about a VM read "vmN NAME: ...", and since
 * a guest's text always comes after its marker, no guest can print a line that reads as the
 * host's.
 */
#ifndef VIREO_VMM_VM_CONSOLE_H
#define VIREO_VMM_VM_CONSOLE_H

#include "kernel/types.h"

#define VM_CONSOLE_LINE_MAX 160
#define VM_CONSOLE_LINES_PER_SECOND 100
#define VM_CONSOLE_BURST_LINES 400

struct vm_console {
	u32 vm_id;
	const char *vm_name;
	char line[VM_CONSOLE_LINE_MAX];
	u32 len;
	u64 allowance;		/* lines that may be logged now (a token bucket) */
	u64 refilled_ns;
	u64 lines;		/* every line the guest wrote */
	u64 dropped;		/* of those, the ones over the rate limit */
	u64 dropped_unreported;	/* dropped since the last "lines dropped" notice */
};

/* Start a console for a VM. */
void vm_console_init(struct vm_console *c, u32 vm_id, const char *vm_name);

/* Guest output, byte by byte or a buffer at a time. */
void vm_console_putc(struct vm_console *c, u8 ch);
void vm_console_write(struct vm_console *c, const u8 *buf, u64 len);

/*
 * The VM has stopped: log what is left of the current line (past the rate limit too: it is the
 * last) and how many lines were dropped since the last notice, so that no loss goes unreported.
 */
void vm_console_close(struct vm_console *c);

#endif

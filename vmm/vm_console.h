/* SPDX-License-Identifier: MIT */
/*
 * A VM's console: what the guest writes (debug port, hypercall, mini-kvm port) gathered into
 * lines and logged as "vmN NAME: text", with control characters escaped and a rate limit, so
 * that a chatty or hostile guest cannot flood the host console.
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
	u64 lines, dropped;
};

/* Start a console for a VM. */
void vm_console_init(struct vm_console *c, u32 vm_id, const char *vm_name);

/* Guest output, byte by byte or a buffer at a time. */
void vm_console_putc(struct vm_console *c, u8 ch);
void vm_console_write(struct vm_console *c, const u8 *buf, u64 len);

/* Log what is left of the current line (when the VM stops). */
void vm_console_flush(struct vm_console *c);

#endif

/* SPDX-License-Identifier: MIT */
/* INS and OUTS, with or without REP: guest memory to and from the VM's port bus. */
#ifndef VIREO_VMM_STRING_IO_H
#define VIREO_VMM_STRING_IO_H

#include "vmm/exit.h"

struct vcpu;

/*
 * Emulate the string I/O instruction that exited (e->io.string): up to a page of elements per
 * exit; a REP instruction with elements left runs again (RIP stays), so interrupts and the
 * scheduler get their turn between pages. A fault in guest memory goes to the guest with the
 * registers at the element that faulted, as the CPU leaves them.
 */
enum exit_action string_io_emulate(struct vcpu *v, const struct vm_exit *e);

#endif

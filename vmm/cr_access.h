/* SPDX-License-Identifier: MIT */
/*
 * The exits for guest control-register accesses: MOV to CR0/CR4/CR8 (and from CR8), CLTS and
 * LMSW, checked by vmm/control_regs.c and applied through the backend, on both vendors. When
 * the backend could not describe the instruction (AMD-V without decode assists), it is
 * fetched and decoded here.
 */
#ifndef VIREO_VMM_CR_ACCESS_H
#define VIREO_VMM_CR_ACCESS_H

#include "kernel/types.h"
#include "vmm/control_regs.h"
#include "vmm/exit.h"

struct vcpu;

/* The exit handler (vmm/exit.c's table). Returns what happens next. */
enum exit_action handle_cr_access(struct vcpu *v, const struct vm_exit *e);

/* The guest's control state, for the checks of vmm/control_regs.h. */
void vcpu_cr_state(struct vcpu *v, struct cr_state *s);

/* Work out, once at boot, the CR4 bits guests may set: those their CPUID offers. */
void cr_access_init(void);

/* Those bits. */
u64 guest_cr4_allowed(void);

#endif

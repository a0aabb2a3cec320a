/* SPDX-License-Identifier: MIT */
/* Hypercalls: the VMCALL/VMMCALL interface of vmm/guest_abi.h, and mini-kvm's port 0x500. */
#ifndef VIREO_VMM_HYPERCALL_H
#define VIREO_VMM_HYPERCALL_H

#include "kernel/types.h"
#include "vmm/exit.h"

struct vcpu;

/* A VMCALL/VMMCALL exit; returns what happens next. */
enum exit_action hypercall_handle(struct vcpu *v);

/* An OUT to port 0x500 with value (the mini-kvm protocol); returns what happens next. */
enum exit_action hypercall_minikvm(struct vcpu *v, u32 value);

#endif

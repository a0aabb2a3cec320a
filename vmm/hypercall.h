/* SPDX-License-Identifier: MIT */
/* Hypercalls: the VMCALL/VMMCALL interface of vmm/guest_abi.h, and mini-kvm's port 0x500. */
#ifndef VIREO_VMM_HYPERCALL_H
#define VIREO_VMM_HYPERCALL_H

#include "kernel/types.h"

struct vcpu;

/* A VMCALL/VMMCALL exit. Returns true to resume the guest, false when the VM stopped. */
bool hypercall_handle(struct vcpu *v);

/* An OUT to port 0x500 with value (the mini-kvm protocol). Same return convention. */
bool hypercall_minikvm(struct vcpu *v, u32 value);

#endif

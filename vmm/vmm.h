/* SPDX-License-Identifier: MIT */
/* The VMM at boot: choose the backend, enable it on every CPU, create and start the VMs. */
#ifndef VIREO_VMM_VMM_H
#define VIREO_VMM_VMM_H

#include "kernel/boot_info.h"
#include "kernel/cmdline.h"

struct vm;

/*
 * Pick VT-x or AMD-V, enable it on every online CPU, create a VM for every "guest" module and
 * start each on a CPU of its own. Returns the number of VMs started; 0 when none could be
 * (no virtualization, no guests, or none valid), every reason logged.
 */
u32 vmm_start(const struct boot_info *bi, enum power_action on_done);

/* True when guests can run here (a backend was chosen and enabled). */
bool vmm_available(void);

/* Called on a VM's CPU once it has stopped; after the last one, the ondone action runs. */
void vmm_vm_stopped(struct vm *vm);

/* Log every VM created: where it runs, or why it stopped. */
void vmm_report(void);

#endif

/* SPDX-License-Identifier: MIT */
/* The debug console port (0xE9, as in Bochs and QEMU): bytes written go to the VM's console. */
#ifndef VIREO_VMM_DEV_VDEBUGCON_H
#define VIREO_VMM_DEV_VDEBUGCON_H

#include "vmm/pio.h"

/* The device is the VM's struct vm_console. Reads return 0xE9, so guests can detect it. */
extern const struct pio_ops vdebugcon_ops;

#endif

/* SPDX-License-Identifier: MIT */
/*
 * MMIO emulation: a nested-paging violation on a device's range is decoded and executed by
 * the VMM, its accesses going to the vCPU's own devices or the VM's MMIO bus.
 */
#ifndef VIREO_VMM_MMIO_EMULATE_H
#define VIREO_VMM_MMIO_EMULATE_H

#include "kernel/types.h"
#include "vmm/exit.h"

struct vcpu;

/*
 * The one way to a device's registers: an access of size bytes (1, 2, 4, 8) at gpa, tried
 * first on the vCPU's own bus (v->mmio: its local APIC's window), then on its VM's bus
 * (vm->mmio, under the VM's devices lock). A read returns the value in *value, masked to
 * size; a write takes it from *value. Returns 0, -ENODEV when no device claims gpa, or
 * -ERANGE when the access runs past the end of the device's range. From an exit handler.
 */
int mmio_access(struct vcpu *v, u64 gpa, u8 size, bool write, u64 *value);

/* Whether a device claims gpa, on the vCPU's bus or its VM's. */
bool mmio_claimed(struct vcpu *v, u64 gpa);

/*
 * The exit e is an access to a claimed gpa: fetch the instruction through the guest's page
 * tables, decode and execute it (vmm/x86_emulate.c), step RIP. One the decoder or emulator
 * does not know stops the VM, naming its bytes.
 */
enum exit_action mmio_emulate(struct vcpu *v, const struct vm_exit *e);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * What a PC's firmware leaves a VM's OS, built from its config once its image is loaded
 * (docs/PLATFORM.md): the BIOS data area and the EBDA's head, the ACPI and MP tables in the
 * BIOS area, and the fw_cfg device with its items and files.
 */
#ifndef VIREO_VMM_FIRMWARE_H
#define VIREO_VMM_FIRMWARE_H

#include "kernel/types.h"
#include "vmm/dev/vacpi_pm.h"
#include "vmm/dev/vfw_cfg.h"
#include "vmm/e820.h"
#include "vmm/vm_config.h"

struct vm;

/* The devices (the ACPI PM block, fw_cfg) and the files fw_cfg hands out, for the VM's life. */
struct firmware {
	struct vm *vm;
	struct vacpi_pm acpi_pm;
	struct vfw_cfg fw_cfg;
	char vm_name[VM_NAME_MAX];
	struct e820_entry e820[E820_ENTRIES_MAX];
};

/*
 * Fill the VM's firmware areas and attach the ACPI PM block and fw_cfg, as far as its
 * config's devices ask ("acpi", "mptable", "fwcfg"; nothing for none). The loader has kept
 * the image out of those areas. Returns 0 or -ENOMEM, -EEXIST (the ports are taken).
 */
int firmware_install(struct vm *vm);

/* Free what firmware_install allocated (nothing to do for a VM without it). */
void firmware_remove(struct vm *vm);

#endif

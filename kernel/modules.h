/* SPDX-License-Identifier: MIT */
/*
 * Boot modules: what each one is for, told by the first word of its GRUB command line
 * ("module2 /boot/guests/hello16.bin guest hello16 ..." is a guest image). A first word that
 * is no kind is the module's name: "module2 /boot/guests/hello16.bin hello16.bin" is a file
 * that the VM config file names.
 */
#ifndef VIREO_MODULES_H
#define VIREO_MODULES_H

#include "kernel/boot_info.h"

enum module_kind {
	MODULE_UNNAMED,		/* an empty command line */
	MODULE_GUEST,		/* "guest NAME [options]": a guest image to run as a VM */
	MODULE_ACPI_TABLE,	/* "acpi-table": replaces the firmware table of the same signature */
	MODULE_VM_CONFIG,	/* "vmconfig [LABEL]": the VM config file (docs/CONFIG.md) */
	MODULE_FILE,		/* "NAME ...": a file named NAME, for the VM config file */
};

/* The kind named by the module's first word. */
enum module_kind module_kind_of(const struct boot_module *m);

/* The MODULE_FILE module named name, and its index in bi->modules; NULL when there is none. */
const struct boot_module *modules_find_file(const struct boot_info *bi, const char *name,
					    u32 *index);

/* The module's command line after its first word (may be empty). */
const char *module_args(const struct boot_module *m);

/* Print the module list, warning about modules without a name and about having no modules. */
void modules_report(const struct boot_info *bi);

#endif

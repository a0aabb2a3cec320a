/* SPDX-License-Identifier: MIT */
/*
 * Boot modules: what each one is for, told by the first word of its GRUB command line
 * ("module2 /boot/guests/hello16.bin guest hello16 ..." is a guest image).
 */
#ifndef VIREO_MODULES_H
#define VIREO_MODULES_H

#include "kernel/boot_info.h"

enum module_kind {
	MODULE_UNKNOWN,
	MODULE_GUEST,		/* "guest NAME [options]": a guest image to run as a VM */
	MODULE_ACPI_TABLE,	/* "acpi-table": replaces the firmware table of the same signature */
};

/* The kind named by the module's first word. */
enum module_kind module_kind_of(const struct boot_module *m);

/* The module's command line after its first word (may be empty). */
const char *module_args(const struct boot_module *m);

/* Print the module list, warning about modules of unknown kind and about having no modules. */
void modules_report(const struct boot_info *bi);

#endif

/* SPDX-License-Identifier: MIT */
/*
 * The VM config file: [vm.NAME] tables of Vireo's TOML subset (vmm/toml.h), each a VM made
 * from named boot modules, with the options of vmm/vm_config.c. Every mistake is reported as
 * "FILE:LINE: what was expected"; a VM with one is skipped, the others are kept. Pure: the
 * kernel reads the boot module with it, tools/vireo-config a file on the host.
 */
#ifndef VIREO_VMM_CONFIG_FILE_H
#define VIREO_VMM_CONFIG_FILE_H

#include "kernel/types.h"
#include "vmm/toml.h"
#include "vmm/vm_config.h"

#define CONFIG_FILE_VMS_MAX 64		/* as many as the VMM keeps */
#define CONFIG_FILE_NAME_MAX 64		/* a boot module's name, with its NUL */
#define CONFIG_FILE_MESSAGE_MAX 256
#define CONFIG_FILE_TABLES_MAX 128	/* tables remembered to find a name given twice */
#define CONFIG_FILE_KEYS_MAX 32		/* keys remembered in one table, for the same */

struct config_file_vm {
	struct vm_config config;
	char image[CONFIG_FILE_NAME_MAX];	/* the boot module of its kernel */
	u32 module_count;
	char modules[VM_MODULES_MAX][CONFIG_FILE_NAME_MAX];	/* handed to the guest */
	u32 line, image_line, modules_line;	/* of its header, image and modules, for messages */
};

struct config_file_seen {
	const char *text;
	size_t len;
	u32 line;
};

struct config_file {
	const char *label;		/* the file's name in messages */
	void (*report)(void *ctx, const char *message);
	void *ctx;
	u32 error_count;
	u32 vm_count;
	struct config_file_vm vms[CONFIG_FILE_VMS_MAX];	/* the good ones, in file order */

	/* While parsing: the table being read, and what came before it. */
	struct config_file_vm current;
	bool in_vm;			/* keys go to current */
	bool in_bad_table;		/* a header that was refused: its keys are ignored */
	u32 current_errors;
	u32 load_address_line, entry_line;
	u32 table_count, key_count;
	struct config_file_seen tables[CONFIG_FILE_TABLES_MAX];
	struct config_file_seen keys[CONFIG_FILE_KEYS_MAX];
	struct toml_parser toml;
};

/*
 * Read text[0..len) into f->vms, handing report(ctx, message) every message, each one line
 * such as 'vms.toml:12: memory: expected a size such as "64M" (2M to 64G)' (label is the
 * file's name). f->error_count says how many there were.
 */
void config_file_parse(struct config_file *f, const char *label, const char *text, size_t len,
		       void (*report)(void *ctx, const char *message), void *ctx);

/* One more message about line of the file, in the same form (and counted as an error). */
void config_file_error(struct config_file *f, u32 line, const char *fmt, ...) __printf(3, 4);

#endif

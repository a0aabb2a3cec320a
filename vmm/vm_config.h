/* SPDX-License-Identifier: MIT */
/*
 * A VM's settings, parsed from its module's command line:
 *   guest NAME [mem=SIZE] [cpu=N] [vcpus=N] [timeout=DURATION] [-- ARGS FOR THE GUEST]
 */
#ifndef VIREO_VMM_VM_CONFIG_H
#define VIREO_VMM_VM_CONFIG_H

#include "kernel/types.h"

#define VM_NAME_MAX 24
#define VM_ARGS_MAX 128
#define VM_CONFIG_ERROR_MAX 128
#define VM_MEM_DEFAULT (16 * MiB)
#define VM_MEM_MIN (2 * MiB)
#define VM_MEM_MAX (64 * GiB)
#define VM_CPU_ANY (-1)
#define VM_VCPUS_MAX 16
#define VM_PRIORITY_MAX 3
#define VM_PRIORITY_DEFAULT 1
#define VM_TIMEOUT_MAX_MS (30ULL * 24 * 3600 * 1000)	/* 30 days */

/* What happens when the guest exits by itself (a stop for a fault always stays a stop). */
enum vm_on_exit { VM_ON_EXIT_STOP, VM_ON_EXIT_RESTART };

/* How the image is loaded; auto tells by its contents (vmm/loader.c). */
enum vm_format { VM_FORMAT_AUTO, VM_FORMAT_FLAT, VM_FORMAT_ELF, VM_FORMAT_MULTIBOOT };

#define VM_MODULES_MAX 8	/* boot modules handed to one guest, besides its kernel */

/* A boot module a VM is made from: its kernel, or a module handed to the guest. */
struct vm_image {
	const char *name;	/* the module's name, for the log and the guest */
	const void *data;
	size_t size;
};

struct vm_images {
	struct vm_image kernel;
	u32 module_count;
	struct vm_image modules[VM_MODULES_MAX];
};

struct vm_config {
	char name[VM_NAME_MAX];
	u64 mem_bytes;		/* guest RAM from guest-physical 0, a multiple of 2 MiB */
	s32 cpu;		/* host CPU to run on, or VM_CPU_ANY */
	u32 vcpus;		/* virtual CPUs, 1 to VM_VCPUS_MAX */
	u64 timeout_ms;		/* stop the VM after this long (0: never) */
	enum vm_on_exit on_exit;	/* onexit=stop (the default) or onexit=restart */
	u8 priority;		/* 0 to VM_PRIORITY_MAX: a runnable vCPU of a higher one goes first */
	enum vm_format format;
	char args[VM_ARGS_MAX];	/* handed to the guest in its boot information */
};

/*
 * Parse the words after "guest": a name (letters, digits, '-', '_', '.'), then key=value
 * options, then optionally "--" and the guest's own arguments. mem= takes a size with an
 * optional K/M/G suffix, rounded up to 2 MiB; timeout= takes a number with an ms or s suffix,
 * from 1 ms to VM_TIMEOUT_MAX_MS; onexit= takes stop or restart; priority= 0 to
 * VM_PRIORITY_MAX.
 * Returns 0, or -EINVAL with a message in error (the VM must then not be created).
 */
int vm_config_parse(const char *line, struct vm_config *c, char *error, size_t error_size);

#endif

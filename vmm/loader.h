/* SPDX-License-Identifier: MIT */
/*
 * Guest loaders: put a guest image into a VM's RAM and give its vCPU the state it starts in.
 *   - ELF64 (x86-64): 64-bit long mode, identity-mapped RAM, RDI = boot information;
 *   - ELF32 (i386): 32-bit protected mode, flat segments, paging off, EBX = boot information;
 *   - Multiboot1 kernels (ELF, or flat with the header's address fields): 32-bit protected
 *     mode as Multiboot 0.6.96 says, EAX = its magic, EBX = a Multiboot information, modules;
 *   - anything else: a flat real-mode binary at 0000:7C00 like a boot sector (or where its
 *     config says: load_address, entry).
 */
#ifndef VIREO_VMM_LOADER_H
#define VIREO_VMM_LOADER_H

#include "kernel/types.h"
#include "vmm/vcpu_state.h"
#include "vmm/vm_config.h"

struct vm;

#define LOADER_ERROR_MAX 128

/*
 * Load the kernel (and its modules, for formats that take them) into vm's RAM as
 * vm->config.format says, and fill *s. Returns 0, or -ENOEXEC/-E2BIG/-ENOMEM with a message in
 * error; the VM must then not run.
 */
int loader_load(struct vm *vm, const struct vm_images *images, struct vcpu_state *s,
		char *error, size_t error_size);

/* The kind of image loader_load loaded ("64-bit ELF", ...), for the log. */
const char *loader_kind(const struct vm_image *kernel, enum vm_format how);

#endif

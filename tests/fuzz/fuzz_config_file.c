// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the VM config file parser (vmm/config_file.c over vmm/toml.c) on arbitrary bytes
 * given as the file. Every VM it keeps must be one the VMM could make: a good name, memory
 * and vCPUs within vmm/vm_config.h's limits, NUL-terminated module names.
 */
#include <stdlib.h>
#include <string.h>

#include "vmm/config_file.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static void ignore_message(void *ctx, const char *message)
{
	(void)ctx;
	if (strnlen(message, CONFIG_FILE_MESSAGE_MAX) == CONFIG_FILE_MESSAGE_MAX)
		abort();	/* a message must fit its buffer, NUL included */
}

static void check_vm(const struct config_file_vm *vm)
{
	const struct vm_config *c = &vm->config;

	if (!vm_config_name_ok(c->name, strnlen(c->name, VM_NAME_MAX)))
		abort();
	if (c->mem_bytes < VM_MEM_MIN || c->mem_bytes > VM_MEM_MAX || c->mem_bytes % (2 * MiB))
		abort();
	if (c->vcpus < 1 || c->vcpus > VM_VCPUS_MAX || c->priority > VM_PRIORITY_MAX)
		abort();
	if (c->timeout_ms > VM_TIMEOUT_MAX_MS || (c->devices & ~VM_DEVICES_ALL))
		abort();
	if (strnlen(vm->image, CONFIG_FILE_NAME_MAX) == CONFIG_FILE_NAME_MAX ||
	    vm->module_count > VM_MODULES_MAX)
		abort();
	for (u32 i = 0; i < vm->module_count; i++)
		if (strnlen(vm->modules[i], CONFIG_FILE_NAME_MAX) == CONFIG_FILE_NAME_MAX)
			abort();
	if (strnlen(c->args, VM_ARGS_MAX) == VM_ARGS_MAX)
		abort();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	/* A copy of exactly size bytes: ASan then catches a read past the file's end. */
	char *text = malloc(size ? size : 1);
	static struct config_file f;

	memcpy(text, data, size);
	config_file_parse(&f, "fuzz.toml", text, size, ignore_message, NULL);
	if (f.vm_count > CONFIG_FILE_VMS_MAX)
		abort();
	for (u32 i = 0; i < f.vm_count; i++)
		check_vm(&f.vms[i]);
	free(text);
	return 0;
}

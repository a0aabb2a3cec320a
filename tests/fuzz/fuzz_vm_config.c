// SPDX-License-Identifier: MIT
/*
 * libFuzzer: a guest module's command line (vmm/vm_config.c's vm_config_parse) on arbitrary
 * bytes made a C string. An accepted line gives a config within vmm/vm_config.h's limits; a
 * refused one a NUL-terminated message.
 */
#include <stdlib.h>
#include <string.h>

#include "vmm/vm_config.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	char *line = malloc(size + 1);
	char error[VM_CONFIG_ERROR_MAX];
	struct vm_config c;

	memcpy(line, data, size);
	line[size] = '\0';
	if (vm_config_parse(line, &c, error, sizeof(error)) == 0) {
		if (!vm_config_name_ok(c.name, strnlen(c.name, VM_NAME_MAX)))
			abort();
		if (c.mem_bytes < VM_MEM_MIN || c.mem_bytes > VM_MEM_MAX ||
		    c.mem_bytes % (2 * MiB))
			abort();
		if (c.vcpus < 1 || c.vcpus > VM_VCPUS_MAX || c.priority > VM_PRIORITY_MAX ||
		    c.timeout_ms > VM_TIMEOUT_MAX_MS)
			abort();
		if (strnlen(c.args, VM_ARGS_MAX) == VM_ARGS_MAX)
			abort();
	} else if (strnlen(error, sizeof(error)) == sizeof(error)) {
		abort();
	}
	free(line);
	return 0;
}

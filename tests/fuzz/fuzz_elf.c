// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the ELF guest image parser (vmm/elf.c). What it accepts must be what its header
 * promises: at most ELF_MAX_SEGMENTS segments, each inside the file, file size <= memory size.
 */
#include <stdlib.h>
#include <string.h>

#include "vmm/elf.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u8 *image = malloc(size ? size : 1);	/* exactly size bytes: ASan sees any overrun */
	char error[128];
	struct elf_image elf;

	memcpy(image, data, size);
	if (elf_parse(image, size, &elf, error, sizeof(error)) == 0) {
		if (elf.segment_count > ELF_MAX_SEGMENTS)
			abort();
		for (u32 i = 0; i < elf.segment_count; i++) {
			const struct elf_segment *s = &elf.segments[i];

			if (s->offset > size || s->file_size > size - s->offset ||
			    s->file_size > s->mem_size)
				abort();
		}
	} else if (strnlen(error, sizeof(error)) == sizeof(error)) {
		abort();
	}
	free(image);
	return 0;
}

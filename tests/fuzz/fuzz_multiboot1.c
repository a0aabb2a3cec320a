// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the Multiboot1 header parser (vmm/multiboot1.c). An accepted kernel's header lies
 * in the search area and the file, and every part it loads lies inside the file, below 4 GiB;
 * a refused one (-ENOEXEC: not -ENOENT, which has no message) says why in a terminated message.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel/errno.h"
#include "vmm/multiboot1.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	u8 *image = malloc(size ? size : 1);	/* exactly size bytes: ASan sees any overrun */
	char error[128];
	struct multiboot1_kernel k;
	int ret;

	memcpy(image, data, size);
	ret = multiboot1_parse(image, size, &k, error, sizeof(error));
	if (ret == 0) {
		const struct elf_image *l = &k.layout;

		if (k.header_offset % 4 || k.header_offset >= MULTIBOOT1_SEARCH_BYTES ||
		    k.header_offset >= size)
			abort();
		if (l->segment_count > ELF_MAX_SEGMENTS || l->entry > 0xffffffffull)
			abort();
		for (u32 i = 0; i < l->segment_count; i++) {
			const struct elf_segment *s = &l->segments[i];

			if (s->offset > size || s->file_size > size - s->offset ||
			    s->file_size > s->mem_size || s->paddr + s->mem_size < s->paddr ||
			    s->paddr + s->mem_size > 0x100000000ull)
				abort();
		}
	} else if (ret == -ENOEXEC && strnlen(error, sizeof(error)) == sizeof(error)) {
		abort();
	}
	free(image);
	return 0;
}

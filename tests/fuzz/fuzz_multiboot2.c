// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the Multiboot2 information parser (kernel/multiboot2.c) on arbitrary bytes as
 * the block GRUB hands over, in a buffer of exactly their size (ASan catches a read past it).
 * Whatever it returns, what it kept is sound: counts within their arrays, the command line
 * and the module strings inside the block and terminated there, the loader name and the error
 * terminated in their buffers, an RSDP copy of 20 to 36 bytes, modules that end after they
 * start, and an error message exactly when it refused the block.
 */
#include <string.h>

#include "kernel/multiboot2.h"
#include "tests/fuzz/fuzz_check.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static void check_in_block(const u8 *block, size_t size, const char *s)
{
	const u8 *p = (const u8 *)s;

	fuzz_check(p >= block && p < block + size);
	fuzz_check(memchr(p, 0, size - (size_t)(p - block)) != NULL);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct boot_info bi;
	/* GRUB aligns the block to 8 bytes: malloc gives at least that. */
	u8 *block = malloc(size ? size : 1);
	int err;

	memcpy(block, data, size);
	memset(&bi, 0x5a, sizeof(bi));
	err = mb2_parse(block, size, 0x10000, &bi);
	fuzz_check(err == 0 || err == -22);	/* -EINVAL */
	fuzz_check(strnlen(bi.error, BOOT_ERROR_MAX) < BOOT_ERROR_MAX);
	fuzz_check(!err == !bi.error[0] && (err || bi.info_size <= size));
	fuzz_check(strnlen(bi.loader_name, BOOT_LOADER_NAME_MAX) < BOOT_LOADER_NAME_MAX);
	fuzz_check(bi.mmap_count <= BOOT_MMAP_MAX && bi.module_count <= BOOT_MODULES_MAX);
	fuzz_check(bi.rsdp_len == 0 || (bi.rsdp_len >= 20 && bi.rsdp_len <= sizeof(bi.rsdp)));
	if (bi.cmdline[0])
		check_in_block(block, size, bi.cmdline);
	for (u32 i = 0; i < bi.module_count; i++) {
		fuzz_check(bi.modules[i].end >= bi.modules[i].start);
		check_in_block(block, size, bi.modules[i].string);
	}
	free(block);
	return 0;
}

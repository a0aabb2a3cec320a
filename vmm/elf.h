/* SPDX-License-Identifier: MIT */
/* ELF executables as guest images: the header and loadable segments, checked against the file. */
#ifndef VIREO_VMM_ELF_H
#define VIREO_VMM_ELF_H

#include "kernel/types.h"

#define ELF_MAX_SEGMENTS 16

struct elf_segment {
	u64 paddr;		/* where it goes in guest-physical memory */
	u64 vaddr;
	u64 offset;		/* in the file */
	u64 file_size;
	u64 mem_size;		/* the rest, past file_size, is zeroed */
};

struct elf_image {
	bool is64;		/* ELF64 for x86-64; else ELF32 for i386 */
	u64 entry;
	u32 segment_count;
	struct elf_segment segments[ELF_MAX_SEGMENTS];
};

/* True when the image starts with the ELF magic. */
bool elf_is_elf(const void *image, size_t size);

/*
 * Parse an x86-64 or i386 executable (ET_EXEC, little endian). Every program header and
 * every PT_LOAD segment must lie inside the file, and file size <= memory size.
 * Returns 0, or -ENOEXEC with the first problem in error.
 */
int elf_parse(const void *image, size_t size, struct elf_image *out, char *error,
	      size_t error_size);

#endif

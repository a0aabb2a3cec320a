/* SPDX-License-Identifier: MIT */
/* Memory and string helpers: the C library subset the kernel needs, plus bounded copies. */
#ifndef VIREO_STRING_H
#define VIREO_STRING_H

#include "kernel/types.h"

#ifdef VIREO_HOST
#include <string.h>
#else
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
void *memchr(const void *s, int c, size_t n);
#endif

/*
 * Copy at most size-1 bytes of src into dst and always NUL-terminate (when size > 0).
 * Returns strlen(src), so a result >= size means the copy was truncated.
 */
size_t str_copy(char *dst, const char *src, size_t size);

/* True when s starts with prefix. */
bool str_starts_with(const char *s, const char *prefix);

/*
 * Parse an unsigned number in decimal, or hex with a 0x prefix, from s[0..len).
 * Returns 0 and sets *out, or -EINVAL for anything else (empty, junk, overflow).
 */
int str_to_u64(const char *s, size_t len, u64 *out);

/*
 * Parse a size such as "64M", "2G", "4096" or "512K" from s[0..len) into bytes.
 * Returns 0 or -EINVAL (junk, or a result that overflows 64 bits).
 */
int str_to_size(const char *s, size_t len, u64 *out);

#endif

/* SPDX-License-Identifier: MIT */
/* printf-style formatting into a bounded buffer: the one number formatter of the kernel. */
#ifndef VIREO_FORMAT_H
#define VIREO_FORMAT_H

#include "kernel/types.h"

/*
 * Format into buf[0..size). Supports the flags '-', '0', '+', ' ', '#', a field width and a
 * precision (numbers or '*'), the length modifiers hh h l ll z, and the conversions
 * d i u x X o c s p %. The output is always NUL-terminated when size > 0; the return value
 * is the length the whole output would have had, so a result >= size means truncation.
 * An unknown conversion is copied through literally, so a bad format shows in the log.
 */
int format_v(char *buf, size_t size, const char *fmt, va_list ap);

/* format_v with variable arguments. */
int format(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/* Write a byte count the way people read it: "512 B", "640 KiB", "255 MiB", "1.5 GiB". */
void format_size(char *buf, size_t size, u64 bytes);

/* Write bytes as lowercase hex pairs apart: "0f 01 d9" (an empty string for count 0). */
void format_hex_bytes(char *buf, size_t size, const u8 *bytes, u32 count);

#endif

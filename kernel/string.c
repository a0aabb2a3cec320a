/* SPDX-License-Identifier: MIT */
/* Memory and string helpers; the C-library ones are built only into the kernel (hosts have libc). */
#include "kernel/string.h"
#include "kernel/errno.h"

#ifndef VIREO_HOST
/* rep movsb/stosb: short to read, and fast both on hardware (ERMSB) and under emulators. */
void *memcpy(void *dst, const void *src, size_t n)
{
	void *d = dst;

	if (IS_ALIGNED((uintptr_t)dst | (uintptr_t)src | n, 8)) {
		size_t count = n / 8;

		__asm__ volatile("rep movsq" : "+D"(d), "+S"(src), "+c"(count) : : "memory");
		return dst;
	}
	__asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

/* Whole aligned quadwords go eight bytes at a time: zeroing guest RAM is the big user. */
void *memset(void *dst, int c, size_t n)
{
	void *d = dst;

	if (IS_ALIGNED((uintptr_t)dst | n, 8)) {
		u64 q = 0x0101010101010101ULL * (u8)c;
		size_t count = n / 8;

		__asm__ volatile("rep stosq" : "+D"(d), "+c"(count) : "a"(q) : "memory");
		return dst;
	}
	__asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (u8)*a - (u8)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (u8)*a - (u8)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const u8 *p = s;

	for (; n; n--, p++)
		if (*p == (u8)c)
			return (void *)p;
	return NULL;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}
#endif

size_t str_copy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

bool str_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

int str_to_u64(const char *s, size_t len, u64 *out)
{
	u64 base = 10, v = 0;
	size_t i = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == len)
		return -EINVAL;
	for (; i < len; i++) {
		u64 d = (u64)digit_value(s[i]);
		if (d >= base || v > (UINT64_MAX - d) / base)
			return -EINVAL;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

int str_to_size(const char *s, size_t len, u64 *out)
{
	u64 unit = 1, v;

	if (len == 0)
		return -EINVAL;
	switch (s[len - 1]) {
	case 'K': case 'k': unit = KiB; break;
	case 'M': case 'm': unit = MiB; break;
	case 'G': case 'g': unit = GiB; break;
	default: break;
	}
	if (unit != 1)
		len--;
	if (str_to_u64(s, len, &v) < 0 || v > UINT64_MAX / unit)
		return -EINVAL;
	*out = v * unit;
	return 0;
}

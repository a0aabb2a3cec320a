/* SPDX-License-Identifier: MIT */
/* printf-style formatting into a bounded buffer; pure, so the unit tests run it on the host. */
#include "kernel/format.h"

#define FORMAT_FIELD_MAX 4096	/* widths and precisions are clamped to this */

struct out {
	char *buf;
	size_t size;
	size_t len;	/* characters produced so far, stored or not */
};

struct spec {
	bool left, zero, plus, space, alt;
	bool pointer;	/* %p: the 0x prefix even for NULL */
	int width;
	int precision;	/* -1: none given */
	int length;	/* 0 int, 1 long, 2 long long, -1 short, -2 char, 3 size_t */
};

static void out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_repeat(struct out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

static void out_padded(struct out *o, const struct spec *sp, const char *s, int n)
{
	int pad = sp->width > n ? sp->width - n : 0;

	if (!sp->left)
		out_repeat(o, ' ', pad);
	for (int i = 0; i < n; i++)
		out_char(o, s[i]);
	if (sp->left)
		out_repeat(o, ' ', pad);
}

static void out_number(struct out *o, const struct spec *sp, u64 v, bool negative,
		       unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	bool nonzero = v != 0;
	char tmp[24];
	char prefix[3];
	int n = 0, plen = 0, zeros, pad, total;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (sp->precision == 0 && !nonzero)
		n = 0;	/* C: "%.0d" of zero prints nothing */
	zeros = sp->precision > n ? sp->precision - n : 0;

	if (negative)
		prefix[plen++] = '-';
	else if (sp->plus)
		prefix[plen++] = '+';
	else if (sp->space)
		prefix[plen++] = ' ';
	if (sp->alt && base == 16 && (nonzero || sp->pointer)) {
		prefix[plen++] = '0';
		prefix[plen++] = upper ? 'X' : 'x';
	} else if (sp->alt && base == 8 && zeros == 0 && (n == 0 || tmp[n - 1] != '0')) {
		prefix[plen++] = '0';	/* C: '#' makes the first octal digit a zero */
	}

	total = plen + zeros + n;
	pad = sp->width > total ? sp->width - total : 0;
	if (sp->zero && !sp->left && sp->precision < 0) {
		zeros += pad;
		pad = 0;
	}
	if (!sp->left)
		out_repeat(o, ' ', pad);
	for (int i = 0; i < plen; i++)
		out_char(o, prefix[i]);
	out_repeat(o, '0', zeros);
	while (n)
		out_char(o, tmp[--n]);
	if (sp->left)
		out_repeat(o, ' ', pad);
}

static const char *parse_flags(const char *f, struct spec *sp)
{
	for (;; f++) {
		switch (*f) {
		case '-': sp->left = true; break;
		case '0': sp->zero = true; break;
		case '+': sp->plus = true; break;
		case ' ': sp->space = true; break;
		case '#': sp->alt = true; break;
		default: return f;
		}
	}
}

static const char *parse_int(const char *f, int *out, va_list *ap)
{
	if (*f == '*') {
		*out = va_arg(*ap, int);
		return f + 1;
	}
	*out = 0;
	while (*f >= '0' && *f <= '9') {
		if (*out < FORMAT_FIELD_MAX)
			*out = *out * 10 + (*f - '0');
		f++;
	}
	if (*out > FORMAT_FIELD_MAX)
		*out = FORMAT_FIELD_MAX;	/* an absurd width must not overflow an int */
	return f;
}

static const char *parse_length(const char *f, struct spec *sp)
{
	if (f[0] == 'h' && f[1] == 'h') {
		sp->length = -2;
		return f + 2;
	}
	if (f[0] == 'l' && f[1] == 'l') {
		sp->length = 2;
		return f + 2;
	}
	switch (*f) {
	case 'h': sp->length = -1; return f + 1;
	case 'l': sp->length = 1; return f + 1;
	case 'z': sp->length = 3; return f + 1;
	default: return f;
	}
}

static s64 fetch_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case -2: return (s8)va_arg(*ap, int);
	case -1: return (s16)va_arg(*ap, int);
	case 1: return va_arg(*ap, long);
	case 2: return va_arg(*ap, long long);
	case 3: return (s64)va_arg(*ap, size_t);
	default: return va_arg(*ap, int);
	}
}

static u64 fetch_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case -2: return (u8)va_arg(*ap, unsigned int);
	case -1: return (u16)va_arg(*ap, unsigned int);
	case 1: return va_arg(*ap, unsigned long);
	case 2: return va_arg(*ap, unsigned long long);
	case 3: return va_arg(*ap, size_t);
	default: return va_arg(*ap, unsigned int);
	}
}

/* Emit one conversion; returns false for an unknown conversion character. */
static bool convert(struct out *o, struct spec *sp, char conv, va_list *ap)
{
	switch (conv) {
	case 'd':
	case 'i': {
		s64 v = fetch_signed(sp, ap);
		out_number(o, sp, v < 0 ? 0 - (u64)v : (u64)v, v < 0, 10, false);
		return true;
	}
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		sp->plus = sp->space = false;	/* C: signs are for signed conversions only */
		out_number(o, sp, fetch_unsigned(sp, ap), false,
			   conv == 'u' ? 10 : conv == 'o' ? 8 : 16, conv == 'X');
		return true;
	case 'p':
		sp->alt = true;
		sp->pointer = true;
		sp->zero = true;
		sp->width = 18;
		out_number(o, sp, (u64)(uintptr_t)va_arg(*ap, void *), false, 16, false);
		return true;
	case 'c': {
		char c = (char)va_arg(*ap, int);
		out_padded(o, sp, &c, 1);
		return true;
	}
	case 's': {
		const char *s = va_arg(*ap, const char *);
		int n = 0;

		if (!s)
			s = "(null)";
		while (s[n] && (sp->precision < 0 || n < sp->precision))
			n++;
		out_padded(o, sp, s, n);
		return true;
	}
	case '%': out_char(o, '%'); return true;
	default: return false;
	}
}

int format_v(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size, .len = 0 };
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		const char *start = fmt;
		struct spec sp = { .precision = -1 };

		if (*fmt != '%') {
			out_char(&o, *fmt++);
			continue;
		}
		fmt = parse_flags(fmt + 1, &sp);
		fmt = parse_int(fmt, &sp.width, &args);
		if (sp.width < 0) {
			sp.left = true;
			sp.width = -sp.width;
		}
		if (*fmt == '.') {
			fmt = parse_int(fmt + 1, &sp.precision, &args);
			if (sp.precision < 0)
				sp.precision = -1;
		}
		fmt = parse_length(fmt, &sp);
		if (*fmt && convert(&o, &sp, *fmt, &args)) {
			fmt++;
			continue;
		}
		/* Unknown or truncated conversion: show it as written. */
		while (start < fmt)
			out_char(&o, *start++);
		if (*fmt)
			out_char(&o, *fmt++);
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = format_v(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void format_size(char *buf, size_t size, u64 bytes)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	unsigned u = 0;
	u64 scale = 1;

	while (u + 1 < ARRAY_SIZE(units) && bytes >= scale * 1024)
		scale *= 1024, u++;
	if (bytes % scale == 0)
		format(buf, size, "%llu %s", bytes / scale, units[u]);
	else
		format(buf, size, "%llu.%llu %s", bytes / scale, bytes % scale * 10 / scale, units[u]);
}

void format_hex_bytes(char *buf, size_t size, const u8 *bytes, u32 count)
{
	size_t n = 0;

	if (size)
		buf[0] = '\0';
	for (u32 i = 0; i < count && n < size; i++)
		n += (size_t)format(buf + n, size - n, "%s%02x", i ? " " : "", bytes[i]);
}

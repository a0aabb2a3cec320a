// SPDX-License-Identifier: MIT
/*
 * printf for 64-bit guests, with the kernel's own formatter (kernel/format.c). 32-bit guests
 * go without: the formatter's 64-bit divisions would need libgcc.
 */
#include "guests/lib/guest.h"
#include "kernel/format.h"

int guest_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = format_v(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	return (int)hypercall(VIREO_HC_WRITE, (long)(unsigned long)buf, n);
}

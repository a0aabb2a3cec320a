// SPDX-License-Identifier: MIT
/*
 * 64-bit division on a 32-bit CPU. DIV divides a 64-bit number by a 32-bit one at most, so
 * for u64 / u64 the compiler calls helpers from its support library, libgcc. A freestanding
 * kernel without one (the formatter, kernel/format.c, prints 64-bit numbers) supplies them:
 * long division in binary, one quotient bit per step, as on paper.
 */
#include "kernel/types.h"

u64 __udivmoddi4(u64 n, u64 d, u64 *rem);
u64 __udivdi3(u64 n, u64 d);

u64 __udivmoddi4(u64 n, u64 d, u64 *rem)
{
	u64 q = 0, r = 0;

	for (int bit = 63; bit >= 0; bit--) {
		r = r << 1 | (n >> bit & 1);	/* bring down the next digit */
		if (r >= d) {
			r -= d;
			q |= 1ULL << bit;
		}
	}
	if (rem)
		*rem = r;
	return q;
}

u64 __udivdi3(u64 n, u64 d)
{
	return __udivmoddi4(n, d, NULL);
}

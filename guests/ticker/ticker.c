// SPDX-License-Identifier: MIT
/*
 * ticker: prints "tick 1 of N" ... with a busy pause between lines, then exits. N comes from
 * its arguments (default 5). Tests run it beside a misbehaving guest to show it carries on.
 */
#include "guests/lib/guest.h"

#define PAUSE_ITERATIONS 3000000u

static u32 parse_count(const char *s)
{
	u32 n = 0;

	while (*s >= '0' && *s <= '9')
		n = n * 10 + (u32)(*s++ - '0');
	return n ? n : 5;
}

int main(const struct vireo_boot_info *bi)
{
	u32 ticks = parse_count(bi->args);

	for (u32 i = 1; i <= ticks; i++) {
		for (volatile u32 spin = 0; spin < PAUSE_ITERATIONS; spin++)
			;
		guest_printf("tick %u of %u\n", i, ticks);
	}
	return 0;
}

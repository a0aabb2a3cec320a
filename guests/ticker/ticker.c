// SPDX-License-Identifier: MIT
/*
 * ticker: prints "tick 1 of N" ... with a busy pause between lines, then exits. Its arguments:
 * N (default 5), the pause in loop iterations (default 3000000), and a sleep after each line
 * in milliseconds (VIREO_HC_SLEEP; default none). Tests run it beside a misbehaving guest to
 * show it carries on, and many of them at once as progress counters.
 */
#include "guests/lib/guest.h"

#define PAUSE_ITERATIONS 3000000u

int main(const struct vireo_boot_info *bi)
{
	const char *args = bi->args;
	u32 ticks = guest_next_number(&args), pause = guest_next_number(&args), sleep_ms = guest_next_number(&args);

	if (!ticks)
		ticks = 5;
	if (!pause)
		pause = PAUSE_ITERATIONS;
	for (u32 i = 1; i <= ticks; i++) {
		for (volatile u32 spin = 0; spin < pause; spin++)
			;
		guest_printf("tick %u of %u\n", i, ticks);
		if (sleep_ms && hypercall(VIREO_HC_SLEEP, (long)sleep_ms * 1000000, 0) != 0)
			guest_printf("FAIL: SLEEP %u ms refused\n", sleep_ms);
	}
	return 0;
}

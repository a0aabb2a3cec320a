// SPDX-License-Identifier: MIT
/*
 * ticket: lab 5's guest (docs/LABS.md, make lab-add-a-device). It takes tickets from the
 * ticket dispenser the lab adds at port 0x5F0: each 32-bit IN returns the next number, 1 first;
 * an OUT sets the number the next IN returns. It prints one line per check and "ticket: N
 * check(s) failed"; with no device at the port, it reads all ones and says so.
 */
#include "guests/lib/guest.h"

#define TICKET_PORT 0x5f0
#define NO_DEVICE 0xffffffffu

static u32 failed;

static u32 take(void)
{
	u32 v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"((u16)TICKET_PORT));
	return v;
}

static void set_next(u32 v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"((u16)TICKET_PORT));
}

static void expect(const char *what, u32 got, u32 want)
{
	if (got != want)
		failed++;
	guest_printf("%s: %u (%s %u)\n", what, got, got == want ? "ok, want" : "wrong: want",
		     want);
}

int main(const struct vireo_boot_info *bi)
{
	u32 first = take();

	(void)bi;
	if (first == NO_DEVICE) {
		guest_printf("ticket: no device answers at port 0x5f0 yet (it read all ones)\n");
		return 1;
	}
	expect("first ticket", first, 1);
	expect("second ticket", take(), 2);
	expect("third ticket", take(), 3);
	set_next(1000);
	expect("after OUT 1000", take(), 1000);
	expect("and then", take(), 1001);
	guest_printf("ticket: %u check(s) failed\n", failed);
	return (int)failed;
}

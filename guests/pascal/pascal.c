// SPDX-License-Identifier: MIT
/*
 * pascal: the guest you write in lab 3 (docs/LABS.md). Its module line gives it a number of
 * rows after "--", 1 to 20:
 *
 *     module2 /boot/guests/pascal.elf guest tri mem=4M -- 5
 *
 * and it must print a line that names itself from its boot information, then that many rows
 * of Pascal's triangle, a row a line, the numbers one space apart, and exit with code 0:
 *
 *     pascal: 5 rows for VM 'tri'
 *     1
 *     1 1
 *     1 2 1
 *     1 3 3 1
 *     1 4 6 4 1
 *
 * `make lab-write-a-guest` boots it with rows and names of its own choosing and checks that.
 * As shipped it only says what it was given.
 */
#include "guests/lib/guest.h"

int main(const struct vireo_boot_info *bi)
{
	guest_printf("pascal: not written yet; my arguments are '%s'\n", bi->args);
	return 0;
}

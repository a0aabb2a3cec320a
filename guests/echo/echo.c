// SPDX-License-Identifier: MIT
/*
 * echo: a 64-bit guest that answers typed input. Give it the keyboard at the console with
 * Ctrl-], type a line and Enter: it prints the line back. "quit" ends it. It waits for each
 * key in VIREO_HC_GETCHAR, costing no CPU meanwhile.
 */
#include "guests/lib/guest.h"

#define LINE_MAX 64

static int getchar_waiting(void)
{
	return (int)hypercall(VIREO_HC_GETCHAR, 1, 0);
}

static bool same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

int main(const struct vireo_boot_info *bi)
{
	char line[LINE_MAX];

	guest_printf("echo: type a line (Ctrl-] gives me the keyboard), 'quit' to end\n");
	guest_printf("echo: waiting without a key: %s\n",
		     hypercall(VIREO_HC_GETCHAR, 0, 0) == -11 ? "-EAGAIN" : "a key (wrong)");
	for (;;) {
		u32 len = 0;
		int c;

		while ((c = getchar_waiting()) != '\r' && c != '\n')
			if (c >= 0x20 && c < 0x7f && len + 1 < LINE_MAX)
				line[len++] = (char)c;
		line[len] = '\0';
		if (same(line, "quit"))
			break;
		guest_printf("you typed: %s\n", line);
	}
	guest_printf("echo: bye from %s\n", bi->name);
	return 0;
}

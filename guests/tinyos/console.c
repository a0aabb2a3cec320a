// SPDX-License-Identifier: MIT
/*
 * The console: what the OS prints goes to the serial port and the screen, and what is typed
 * at either the serial port or the keyboard comes in here. The interrupt handlers put
 * characters into a ring buffer; the shell takes them out, sleeping in HLT while it is empty.
 */
#include "guests/tinyos/tinyos.h"
#include "guests/tinyos/io.h"
#include "kernel/format.h"

#define INPUT_SIZE 64		/* a power of two: the counters below may then wrap at 2^32 */

/*
 * Written by interrupt handlers, read by the shell: volatile, so the compiler reads them
 * again each time. The handlers only ever advance head, the shell only tail, and the shell
 * looks at them with interrupts off (console_getc), so they are never half-updated.
 */
static volatile char input[INPUT_SIZE];
static volatile u32 input_head, input_tail;

static void put_char(char c)
{
	if (c == '\n')
		uart_putc('\r');	/* a terminal wants CR LF */
	uart_putc(c);
	vga_putc(c);
}

void console_write(const char *s)
{
	while (*s)
		put_char(*s++);
	vga_sync_cursor();
}

int console_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = format_v(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf);
	return n;
}

void console_input(char c)
{
	if (c == '\r')		/* Enter on a serial terminal */
		c = '\n';
	if (input_head - input_tail == INPUT_SIZE)
		return;		/* full: the key is lost, as on a real keyboard buffer */
	input[input_head % INPUT_SIZE] = c;
	input_head++;
}

char console_getc(void)
{
	char c;

	cli();
	while (input_head == input_tail)
		cpu_sleep();
	c = input[input_tail % INPUT_SIZE];
	input_tail++;
	sti();
	return c;
}

u32 console_readline(char *buf, u32 size)
{
	u32 len = 0;
	char c;

	while ((c = console_getc()) != '\n') {
		if (c == '\b' || c == 0x7f) {	/* Backspace: a keyboard's, or a terminal's DEL */
			if (len > 0) {
				len--;
				console_write("\b \b");
			}
		} else if (c >= ' ' && c < 0x7f && len < size - 1) {
			buf[len++] = c;
			console_write((char[]){ c, '\0' });
		}
	}
	buf[len] = '\0';
	console_write("\n");
	return len;
}

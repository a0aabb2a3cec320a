/* SPDX-License-Identifier: MIT */
/* The VGA text screen console: write, wrap, scroll. */
#include "drivers/vga_text.h"
#include "arch/x86/paging.h"
#include "kernel/console.h"
#include "kernel/string.h"

#define VGA_ATTR 0x0700	/* light grey on black */

static struct {
	struct console console;
	volatile u16 *cells;
	u32 columns, rows;
	u32 x, y;
} vga;

static void vga_scroll(void)
{
	u32 last = (vga.rows - 1) * vga.columns;

	for (u32 i = 0; i < last; i++)
		vga.cells[i] = vga.cells[i + vga.columns];
	for (u32 i = 0; i < vga.columns; i++)
		vga.cells[last + i] = VGA_ATTR | ' ';
	vga.y = vga.rows - 1;
}

static void vga_putc(char c)
{
	if (c == '\n') {
		vga.x = 0;
		vga.y++;
	} else if (c != '\r') {
		vga.cells[vga.y * vga.columns + vga.x] = VGA_ATTR | (u8)c;
		if (++vga.x == vga.columns) {
			vga.x = 0;
			vga.y++;
		}
	}
	if (vga.y == vga.rows)
		vga_scroll();
}

static void vga_console_write(struct console *con, const char *s, size_t n)
{
	(void)con;
	for (size_t i = 0; i < n; i++)
		vga_putc(s[i]);
}

void vga_text_init(u64 phys, u32 columns, u32 rows)
{
	vga.cells = phys_to_virt(phys);
	vga.columns = columns;
	vga.rows = rows;
	for (u32 i = 0; i < columns * rows; i++)
		vga.cells[i] = VGA_ATTR | ' ';
	vga.console.name = "vga";
	vga.console.write = vga_console_write;
	console_register(&vga.console);
}

/* SPDX-License-Identifier: MIT */
/* The VGA text screen console: write, wrap, scroll, and the colours of VMs' lines. */
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
	u16 attr;		/* of the cells written now */
	bool in_escape;		/* within an ANSI escape sequence ("\x1b[96m") */
	u32 sgr;		/* its number so far */
} vga;

/* The VGA colours of ANSI's bright foreground colours 91-96 (red ... cyan). */
static const u8 vga_of_ansi[] = { 0xc, 0xa, 0xe, 0x9, 0xd, 0xb };

static void vga_scroll(void)
{
	u32 last = (vga.rows - 1) * vga.columns;

	for (u32 i = 0; i < last; i++)
		vga.cells[i] = vga.cells[i + vga.columns];
	for (u32 i = 0; i < vga.columns; i++)
		vga.cells[last + i] = VGA_ATTR | ' ';
	vga.y = vga.rows - 1;
}

/*
 * The VM console colours its lines with SGR sequences (vmm/vm_console.c): a bright colour sets
 * the cells' colour, anything else restores the default; no sequence shows as text.
 */
static void vga_escape(char c)
{
	if (c >= '0' && c <= '9') {
		vga.sgr = vga.sgr * 10 + (u32)(c - '0');
	} else if (c != '[') {
		vga.in_escape = false;
		vga.attr = c == 'm' && vga.sgr >= 91 && vga.sgr <= 96 ?
			   (u16)(vga_of_ansi[vga.sgr - 91] << 8) : VGA_ATTR;
	}
}

static void vga_putc(char c)
{
	if (vga.in_escape) {
		vga_escape(c);
		return;
	}
	if (c == '\x1b') {
		vga.in_escape = true;
		vga.sgr = 0;
		return;
	}
	if (c == '\n') {
		vga.x = 0;
		vga.y++;
	} else if (c != '\r') {
		vga.cells[vga.y * vga.columns + vga.x] = vga.attr | (u8)c;
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
	vga.attr = VGA_ATTR;
	for (u32 i = 0; i < columns * rows; i++)
		vga.cells[i] = VGA_ATTR | ' ';
	vga.console.name = "vga";
	vga.console.write = vga_console_write;
	console_register(&vga.console);
}

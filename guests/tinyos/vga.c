// SPDX-License-Identifier: MIT
/*
 * The text screen of a VGA adapter: 80 x 25 cells at physical 0xB8000, each two bytes, the
 * character (code page 437) and its colours. Writing a cell changes the screen at once. The
 * blinking cursor is separate: the CRT controller draws it where its registers 0x0E and 0x0F
 * say (IBM VGA technical reference, "CRT Controller Registers"), reached through an index
 * port 0x3D4 and a data port 0x3D5.
 */
#include "guests/tinyos/tinyos.h"
#include "guests/tinyos/io.h"

#define VGA_TEXT ((volatile u16 *)0xb8000)
#define COLUMNS 80
#define ROWS 25
#define LIGHT_GREY_ON_BLACK 0x0700
#define CRTC_INDEX 0x3d4
#define CRTC_DATA 0x3d5
#define CRTC_CURSOR_HIGH 0x0e
#define CRTC_CURSOR_LOW 0x0f

static u32 row, column;

static void clear_row(u32 r)
{
	for (u32 c = 0; c < COLUMNS; c++)
		VGA_TEXT[r * COLUMNS + c] = LIGHT_GREY_ON_BLACK | ' ';
}

void vga_init(void)
{
	for (u32 r = 0; r < ROWS; r++)
		clear_row(r);
	row = column = 0;
	vga_sync_cursor();
}

void vga_putc(char c)
{
	if (c == '\n') {
		column = 0;
		row++;
	} else if (c == '\b') {
		if (column > 0)
			VGA_TEXT[row * COLUMNS + --column] = LIGHT_GREY_ON_BLACK | ' ';
	} else {
		VGA_TEXT[row * COLUMNS + column] = LIGHT_GREY_ON_BLACK | (u8)c;
		if (++column == COLUMNS) {
			column = 0;
			row++;
		}
	}
	if (row == ROWS) {	/* scroll: every line one up, a blank one at the bottom */
		for (u32 i = 0; i < (ROWS - 1) * COLUMNS; i++)
			VGA_TEXT[i] = VGA_TEXT[i + COLUMNS];
		clear_row(ROWS - 1);
		row = ROWS - 1;
	}
}

/* The cursor's position is a cell number, written a byte at a time. */
void vga_sync_cursor(void)
{
	u32 cell = row * COLUMNS + column;

	outb(CRTC_INDEX, CRTC_CURSOR_HIGH);
	outb(CRTC_DATA, (u8)(cell >> 8));
	outb(CRTC_INDEX, CRTC_CURSOR_LOW);
	outb(CRTC_DATA, (u8)cell);
}

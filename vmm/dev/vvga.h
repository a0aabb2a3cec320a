/* SPDX-License-Identifier: MIT */
/*
 * VGA text mode, as much as kernels that print to the screen touch: the CRTC's index and
 * data ports (0x3D4/0x3D5) with every register reading back, the cursor among them, and
 * minimal answers on 0x3C0-0x3CF and 0x3DA (registers that read back, a status that toggles
 * retrace). The text itself is guest RAM at 0xB8000, which the VGA never copies: the screen
 * is read from there (vvga_render_row). Pure.
 */
#ifndef VIREO_VMM_DEV_VVGA_H
#define VIREO_VMM_DEV_VVGA_H

#include "kernel/types.h"
#include "vmm/pio.h"

#define VVGA_TEXT_BASE 0xb8000ULL
#define VVGA_COLUMNS 80
#define VVGA_ROWS 25
#define VVGA_TEXT_BYTES (VVGA_COLUMNS * VVGA_ROWS * 2)	/* a character and an attribute */

#define VVGA_PORT 0x3c0			/* 0x3c0-0x3cf: attribute, misc, sequencer, DAC, graphics */
#define VVGA_PORTS 16
#define VVGA_CRTC_PORT 0x3d4		/* the index; the data at 0x3d5 */
#define VVGA_STATUS_PORT 0x3da		/* input status 1 */

#define VVGA_CRTC_REGS 0x19		/* CRTC indexes 0x00-0x18 */
#define VVGA_CRTC_CURSOR_HIGH 0x0e
#define VVGA_CRTC_CURSOR_LOW 0x0f

struct vvga {
	u8 crtc_index;
	u8 crtc[VVGA_CRTC_REGS];
	u8 seq_index, seq[8];		/* 0x3c4/0x3c5 */
	u8 gfx_index, gfx[16];		/* 0x3ce/0x3cf */
	u8 attr_index, attr[32];	/* 0x3c0 (index, then data), read at 0x3c1 */
	bool attr_data_next;		/* the 0x3c0 flip-flop: the next write is data */
	u8 misc;			/* written at 0x3c2, read at 0x3cc */
	u8 dac_write_index, dac_read_index;	/* 0x3c8, 0x3c7 (colours are not kept) */
	u8 status;			/* input status 1: retrace bits toggle on each read */
};

/* The state of 80x25 text mode after the BIOS set it: cursor at 0, misc = 0x67 (I/O at 0x3Dx). */
void vvga_init(struct vvga *vga);

/* The cursor's cell, row * 80 + column, from CRTC 0x0E and 0x0F. */
u16 vvga_cursor(const struct vvga *vga);

/*
 * One row of the screen as text: cells are the row's 80 character/attribute pairs from
 * guest RAM; out gets 80 characters, printable ASCII kept and the rest (NUL, control and
 * code-page 437 characters) as spaces, trailing spaces cut, and a NUL.
 */
void vvga_render_row(const u8 cells[VVGA_COLUMNS * 2], char out[VVGA_COLUMNS + 1]);

/*
 * Its ports, dev a struct vvga: register 0x3C0-0x3CF, 0x3D4-0x3D5 and 0x3DA with the same
 * ops. A wider access is bytes at consecutive ports: a 16-bit OUT to 0x3D4 writes the index,
 * then the data, as on a VGA.
 */
extern const struct pio_ops vvga_ops;

#endif

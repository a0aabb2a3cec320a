/* SPDX-License-Identifier: MIT */
/* VGA text mode's registers (IBM VGA technical reference; FreeVGA's register lists). Pure. */
#include "vmm/dev/vvga.h"
#include "kernel/string.h"

#define STATUS_DISPLAY_OFF BIT(0)	/* input status 1: not in the active display */
#define STATUS_VRETRACE BIT(3)		/* in vertical retrace */
#define MISC_TEXT_COLOUR 0x67		/* I/O at 0x3Dx, 28 MHz clock, RAM on, sync polarities */
#define CURSOR_START_DEFAULT 0x0d	/* scan lines 13-14 of a 16-line cell: an underline */
#define CURSOR_END_DEFAULT 0x0e
#define MAX_SCAN_LINE_DEFAULT 0x4f	/* 16-line characters */

void vvga_init(struct vvga *vga)
{
	memset(vga, 0, sizeof(*vga));
	vga->misc = MISC_TEXT_COLOUR;
	vga->crtc[0x09] = MAX_SCAN_LINE_DEFAULT;
	vga->crtc[0x0a] = CURSOR_START_DEFAULT;
	vga->crtc[0x0b] = CURSOR_END_DEFAULT;
}

u16 vvga_cursor(const struct vvga *vga)
{
	return (u16)(vga->crtc[VVGA_CRTC_CURSOR_HIGH] << 8 | vga->crtc[VVGA_CRTC_CURSOR_LOW]);
}

void vvga_render_row(const u8 cells[VVGA_COLUMNS * 2], char out[VVGA_COLUMNS + 1])
{
	u32 end = 0;

	for (u32 col = 0; col < VVGA_COLUMNS; col++) {
		u8 c = cells[2 * col];

		out[col] = c >= 0x20 && c < 0x7f ? (char)c : ' ';
		if (out[col] != ' ')
			end = col + 1;
	}
	out[end] = '\0';
}

/* An indexed register: the index masked to the bank's size, as the hardware ignores high bits. */
static u8 *indexed(u8 *bank, u32 size, u8 index)
{
	return &bank[index & (size - 1)];
}

static u8 *crtc_data(struct vvga *vga)
{
	return vga->crtc_index < VVGA_CRTC_REGS ? &vga->crtc[vga->crtc_index] : NULL;
}

static u8 read_status(struct vvga *vga)
{
	/* retrace and display-off flip on each read, so a guest's wait for either ends */
	vga->status ^= STATUS_VRETRACE | STATUS_DISPLAY_OFF;
	vga->attr_data_next = false;	/* reading input status 1 resets the 0x3C0 flip-flop */
	return vga->status;
}

static u8 read_byte(struct vvga *vga, u16 port)
{
	u8 *r;

	switch (port) {
	case 0x3c0: return vga->attr_index;
	case 0x3c1: return *indexed(vga->attr, sizeof(vga->attr), vga->attr_index);
	case 0x3c4: return vga->seq_index;
	case 0x3c5: return *indexed(vga->seq, sizeof(vga->seq), vga->seq_index);
	case 0x3c7: return vga->dac_read_index;
	case 0x3c8: return vga->dac_write_index;
	case 0x3cc: return vga->misc;
	case 0x3ce: return vga->gfx_index;
	case 0x3cf: return *indexed(vga->gfx, sizeof(vga->gfx), vga->gfx_index);
	case VVGA_CRTC_PORT: return vga->crtc_index;
	case VVGA_CRTC_PORT + 1: r = crtc_data(vga); return r ? *r : 0;
	case VVGA_STATUS_PORT: return read_status(vga);
	default: return 0;	/* 0x3c2 (input status 0), 0x3c9 (colours), the rest */
	}
}

static void write_attribute(struct vvga *vga, u8 value)
{
	if (vga->attr_data_next)
		*indexed(vga->attr, sizeof(vga->attr), vga->attr_index) = value;
	else
		vga->attr_index = value & 0x3f;	/* bit 5 is palette address source */
	vga->attr_data_next = !vga->attr_data_next;
}

static void write_byte(struct vvga *vga, u16 port, u8 value)
{
	u8 *r;

	switch (port) {
	case 0x3c0: write_attribute(vga, value); break;
	case 0x3c2: vga->misc = value; break;
	case 0x3c4: vga->seq_index = value; break;
	case 0x3c5: *indexed(vga->seq, sizeof(vga->seq), vga->seq_index) = value; break;
	case 0x3c7: vga->dac_read_index = value; break;
	case 0x3c8: vga->dac_write_index = value; break;
	case 0x3ce: vga->gfx_index = value; break;
	case 0x3cf: *indexed(vga->gfx, sizeof(vga->gfx), vga->gfx_index) = value; break;
	case VVGA_CRTC_PORT: vga->crtc_index = value; break;
	case VVGA_CRTC_PORT + 1:
		r = crtc_data(vga);
		if (r)
			*r = value;
		break;
	default: break;	/* 0x3c9 (colours), 0x3da (feature control), the rest */
	}
}

static u32 vga_read(void *dev, u16 port, u8 size)
{
	struct vvga *vga = dev;
	u32 value = 0;

	for (u8 i = 0; i < size; i++)
		value |= (u32)read_byte(vga, (u16)(port + i)) << (8 * i);
	return value;
}

static void vga_write(void *dev, u16 port, u8 size, u32 value)
{
	struct vvga *vga = dev;

	for (u8 i = 0; i < size; i++)
		write_byte(vga, (u16)(port + i), (u8)(value >> (8 * i)));
}

const struct pio_ops vvga_ops = { .read = vga_read, .write = vga_write };

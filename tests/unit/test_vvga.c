/* SPDX-License-Identifier: MIT */
/* Host unit tests of VGA text mode: registers that read back, the status port, a row rendered. */
#include "tests/unit/unit.h"
#include "vmm/dev/vvga.h"

static u8 in(struct vvga *v, u16 port)
{
	return (u8)vvga_ops.read(v, port, 1);
}

static void out(struct vvga *v, u16 port, u8 value)
{
	vvga_ops.write(v, port, 1, value);
}

static void test_init_is_bios_text_mode(void **state)
{
	struct vvga v;
	(void)state;

	memset(&v, 0xee, sizeof(v));
	vvga_init(&v);
	assert_int_equal(vvga_cursor(&v), 0);
	assert_int_equal(in(&v, 0x3cc), 0x67);
	out(&v, 0x3d4, 0x0a);
	assert_int_equal(in(&v, 0x3d5), 0x0d);
	out(&v, 0x3d4, 0x0e);
	assert_int_equal(in(&v, 0x3d5), 0);
}

static void test_cursor_registers_move_the_cursor_and_read_back(void **state)
{
	struct vvga v;
	(void)state;

	vvga_init(&v);
	out(&v, 0x3d4, 0x0e);
	out(&v, 0x3d5, 0x07);
	out(&v, 0x3d4, 0x0f);
	out(&v, 0x3d5, 0xd0);
	assert_int_equal(vvga_cursor(&v), 0x7d0);	/* row 25, column 0: past the screen */
	assert_int_equal(in(&v, 0x3d4), 0x0f);
	assert_int_equal(in(&v, 0x3d5), 0xd0);
	/* a 16-bit OUT writes index and data: row 1, column 2 */
	vvga_ops.write(&v, 0x3d4, 2, 0x520f);
	vvga_ops.write(&v, 0x3d4, 2, 0x000e);
	assert_int_equal(vvga_cursor(&v), 82);
	/* every CRTC register reads back; past 0x18 reads 0 and ignores writes */
	for (u8 i = 0; i < VVGA_CRTC_REGS; i++) {
		out(&v, 0x3d4, i);
		out(&v, 0x3d5, (u8)(0xa0 + i));
	}
	for (u8 i = 0; i < VVGA_CRTC_REGS; i++) {
		out(&v, 0x3d4, i);
		assert_int_equal(in(&v, 0x3d5), 0xa0 + i);
	}
	out(&v, 0x3d4, 0x40);
	out(&v, 0x3d5, 0x55);
	assert_int_equal(in(&v, 0x3d5), 0);
}

static void test_sequencer_graphics_misc_and_attribute_read_back(void **state)
{
	struct vvga v;
	(void)state;

	vvga_init(&v);
	out(&v, 0x3c4, 0x02);
	out(&v, 0x3c5, 0x03);
	out(&v, 0x3ce, 0x06);
	out(&v, 0x3cf, 0x0e);
	out(&v, 0x3c2, 0x63);
	out(&v, 0x3c4, 0x02);
	assert_int_equal(in(&v, 0x3c5), 0x03);
	out(&v, 0x3ce, 0x06);
	assert_int_equal(in(&v, 0x3cf), 0x0e);
	assert_int_equal(in(&v, 0x3cc), 0x63);
	/* the attribute flip-flop: index, data; reading 0x3da resets it to index */
	in(&v, 0x3da);
	out(&v, 0x3c0, 0x10);
	out(&v, 0x3c0, 0x0c);
	assert_int_equal(in(&v, 0x3c1), 0x0c);
	out(&v, 0x3c0, 0x11);	/* an index */
	in(&v, 0x3da);
	out(&v, 0x3c0, 0x10);	/* an index again, not data */
	assert_int_equal(in(&v, 0x3c1), 0x0c);
}

static void test_status_toggles_retrace_so_waits_end(void **state)
{
	struct vvga v;
	u8 a, b;
	(void)state;

	vvga_init(&v);
	a = in(&v, 0x3da);
	b = in(&v, 0x3da);
	assert_int_equal((a ^ b) & 0x09, 0x09);
}

static void test_render_row_keeps_ascii_and_cuts_trailing_blanks(void **state)
{
	u8 cells[VVGA_COLUMNS * 2];
	char row[VVGA_COLUMNS + 1];
	const char *text = "Hi\x01 VGA\xdb";
	(void)state;

	memset(cells, 0, sizeof(cells));
	for (u32 i = 0; text[i]; i++) {
		cells[2 * i] = (u8)text[i];
		cells[2 * i + 1] = 0x1f;
	}
	vvga_render_row(cells, row);
	assert_string_equal(row, "Hi  VGA");
	memset(cells, 0, sizeof(cells));
	vvga_render_row(cells, row);
	assert_string_equal(row, "");
	for (u32 i = 0; i < VVGA_COLUMNS; i++)
		cells[2 * i] = 'x';
	vvga_render_row(cells, row);
	assert_int_equal(strlen(row), VVGA_COLUMNS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_is_bios_text_mode),
		cmocka_unit_test(test_cursor_registers_move_the_cursor_and_read_back),
		cmocka_unit_test(test_sequencer_graphics_misc_and_attribute_read_back),
		cmocka_unit_test(test_status_toggles_retrace_so_waits_end),
		cmocka_unit_test(test_render_row_keeps_ascii_and_cuts_trailing_blanks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

// SPDX-License-Identifier: MIT
/*
 * The keyboard, behind the 8042 keyboard controller (Intel 8042 / IBM PC/AT technical
 * reference): port 0x60 is its data (scancodes from the keyboard, answers to commands), port
 * 0x64 its status when read and its command register when written. Each key pressed sends a
 * "make" code, each key released a "break" code, and the controller raises IRQ 1 for every
 * byte. Keys have no characters: which character a key means (and whether Shift is held) is
 * for the OS to decide, here with a table for a US layout.
 */
#include "guests/tinyos/tinyos.h"
#include "guests/tinyos/io.h"

#define KBD_DATA 0x60
#define KBD_STATUS 0x64
#define KBD_COMMAND 0x64
#define STATUS_OUTPUT_FULL 0x01	/* a byte waits at port 0x60 for us */
#define STATUS_INPUT_FULL 0x02	/* the controller has not taken our last byte yet */
#define STATUS_FROM_MOUSE 0x20	/* the waiting byte is the mouse's */
#define CMD_READ_CONFIG 0x20
#define CMD_WRITE_CONFIG 0x60
#define CONFIG_KBD_IRQ 0x01	/* raise IRQ 1 when a keyboard byte arrives */
#define CONFIG_KBD_CLOCK_OFF 0x10
#define CONFIG_TRANSLATE 0x40	/* turn the keyboard's scancode set 2 into set 1 */
#define WAIT_LOOPS 100000	/* an absent controller reads as 0xFF: do not wait for ever */

/*
 * Scancode set 1: make codes are below 0x80, a break code is its make code plus 0x80. 0xE0
 * comes before the codes of keys the original keyboard lacked (arrows, right Ctrl): not in
 * these tables, so they are ignored.
 */
#define SC_BREAK 0x80
#define SC_EXTENDED 0xe0
#define SC_LEFT_SHIFT 0x2a
#define SC_RIGHT_SHIFT 0x36
#define SC_CAPS_LOCK 0x3a

static const char plain[0x3a] = {
	0, 27, '1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '-', '=', '\b',
	'\t', 'q', 'w', 'e', 'r', 't', 'y', 'u', 'i', 'o', 'p', '[', ']', '\n',
	0, 'a', 's', 'd', 'f', 'g', 'h', 'j', 'k', 'l', ';', '\'', '`',
	0, '\\', 'z', 'x', 'c', 'v', 'b', 'n', 'm', ',', '.', '/', 0, '*', 0, ' ',
};

static const char shifted[0x3a] = {
	0, 27, '!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '_', '+', '\b',
	'\t', 'Q', 'W', 'E', 'R', 'T', 'Y', 'U', 'I', 'O', 'P', '{', '}', '\n',
	0, 'A', 'S', 'D', 'F', 'G', 'H', 'J', 'K', 'L', ':', '"', '~',
	0, '|', 'Z', 'X', 'C', 'V', 'B', 'N', 'M', '<', '>', '?', 0, '*', 0, ' ',
};

static bool shift_left, shift_right, caps_lock, after_e0;

static void decode(u8 code)
{
	bool released = code & SC_BREAK;
	u8 key = code & ~SC_BREAK;
	bool shift = shift_left || shift_right;
	char c;

	if (code == SC_EXTENDED) {
		after_e0 = true;
		return;
	}
	if (after_e0) {		/* the second byte of an extended key */
		after_e0 = false;
		return;
	}
	if (key == SC_LEFT_SHIFT)
		shift_left = !released;
	else if (key == SC_RIGHT_SHIFT)
		shift_right = !released;
	else if (key == SC_CAPS_LOCK && !released)
		caps_lock = !caps_lock;
	if (released || key >= sizeof(plain) || !plain[key])
		return;
	c = plain[key];
	/* Caps Lock shifts letters only, and Shift undoes it. */
	if (c >= 'a' && c <= 'z' ? shift != caps_lock : shift)
		c = shifted[key];
	console_input(c);
}

static void kbd_interrupt(void)
{
	u8 status;

	for (int i = 0; i < 16 && ((status = inb(KBD_STATUS)) & STATUS_OUTPUT_FULL); i++) {
		u8 byte = inb(KBD_DATA);

		if (!(status & STATUS_FROM_MOUSE))
			decode(byte);
	}
}

/* Wait until the controller's status has the bits of mask equal to want; false on timeout. */
static bool wait_status(u8 mask, u8 want)
{
	for (int i = 0; i < WAIT_LOOPS; i++)
		if ((inb(KBD_STATUS) & mask) == want)
			return true;
	return false;
}

bool kbd_init(void)
{
	u8 config;

	/* Bytes typed before we were ready, or left over from the BIOS. */
	for (int i = 0; i < 16 && (inb(KBD_STATUS) & STATUS_OUTPUT_FULL); i++)
		inb(KBD_DATA);
	/*
	 * Whoever ran before us (a BIOS, or nobody under a hypervisor) left the controller's
	 * configuration byte as it liked: read it, switch on the keyboard's IRQ, its clock and
	 * the translation to set 1, and write it back. Every byte we send waits for the input
	 * buffer to be empty; every byte we read, for the output buffer to be full.
	 */
	if (!wait_status(STATUS_INPUT_FULL, 0))
		return false;
	outb(KBD_COMMAND, CMD_READ_CONFIG);
	if (!wait_status(STATUS_OUTPUT_FULL, STATUS_OUTPUT_FULL))
		return false;
	config = inb(KBD_DATA);
	config = (config | CONFIG_KBD_IRQ | CONFIG_TRANSLATE) & ~CONFIG_KBD_CLOCK_OFF;
	outb(KBD_COMMAND, CMD_WRITE_CONFIG);
	if (!wait_status(STATUS_INPUT_FULL, 0))
		return false;
	outb(KBD_DATA, config);
	pic_enable(IRQ_KEYBOARD, kbd_interrupt);
	return true;
}

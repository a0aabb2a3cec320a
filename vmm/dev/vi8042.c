/* SPDX-License-Identifier: MIT */
/*
 * The PS/2 controller and keyboard model (Intel 8042; IBM PS/2 keyboard technical reference).
 *
 * IRQ1 is the 8042's "output buffer full" pin: its level is high while a byte waits in the
 * output buffer (and the config byte enables it) and falls when the guest reads port 0x60.
 * The next queued byte then fills the buffer at once, so the edge-triggered PIC sees one
 * rising edge per byte, as on a PC.
 */
#include "vmm/dev/vi8042.h"
#include "vmm/dev/scancode.h"

#define VI8042_DEFAULT_TYPEMATIC 0x2b	/* 10.9 characters/s after 500 ms */

static void vi8042_update_irq(struct vi8042 *k)
{
	bool high = k->out_full && (k->config & VI8042_CONFIG_KBD_IRQ);

	if (high != k->irq_high) {
		k->irq_high = high;
		irq_line_set(&k->irq, high);
	}
}

/* Answers go first, then typed keys, which wait while the keyboard interface is disabled. */
static void vi8042_fill_output(struct vi8042 *k)
{
	int byte;

	if (k->out_full)
		return;
	byte = input_ring_pop(&k->replies);
	if (byte < 0 && !(k->config & VI8042_CONFIG_KBD_DISABLE))
		byte = input_ring_pop(&k->keys);
	if (byte < 0)
		return;
	k->out = (u8)byte;
	k->out_full = true;
}

static void vi8042_reply(struct vi8042 *k, u8 byte)
{
	input_ring_push(&k->replies, byte);
}

/*
 * With translation on, the controller turns everything the keyboard sends from set 2 into
 * set 1. Of the keyboard's answers only the scancode set numbers and the second ID byte are
 * key codes that translate (as F9, F7, F5); ACK, echo, self-test and the first ID byte pass.
 */
static u8 vi8042_translate_answer(u8 byte)
{
	switch (byte) {
	case 0x01:
		return 0x43;
	case 0x02:
	case 0x83:
		return 0x41;
	case 0x03:
		return 0x3f;
	default:
		return byte;
	}
}

static void vi8042_keyboard_reply(struct vi8042 *k, u8 byte)
{
	if (k->config & VI8042_CONFIG_TRANSLATE)
		byte = vi8042_translate_answer(byte);
	vi8042_reply(k, byte);
}

/* What the keyboard does on reset, F5 and F6: forget typed keys, power-on defaults. */
static void vi8042_keyboard_defaults(struct vi8042 *k)
{
	input_ring_init(&k->keys);
	k->scancode_set = SCANCODE_SET2;
	k->typematic = VI8042_DEFAULT_TYPEMATIC;
}

static void vi8042_reset_machine(struct vi8042 *k)
{
	if (k->reset.reset)
		k->reset.reset(k->reset.ctx);
}

/* The data byte of a keyboard command that takes one. */
static void vi8042_keyboard_data(struct vi8042 *k, u8 cmd, u8 value)
{
	switch (cmd) {
	case VI8042_KBD_SET_LEDS:
		k->leds = value & 0x07;
		break;
	case VI8042_KBD_TYPEMATIC:
		k->typematic = value & 0x7f;
		break;
	case VI8042_KBD_SCANCODE_SET:
		if (value > 3) {
			vi8042_keyboard_reply(k, VI8042_KBD_RESEND);
			return;
		}
		vi8042_keyboard_reply(k, VI8042_KBD_ACK);
		if (value == 0) {
			vi8042_keyboard_reply(k, k->scancode_set);
		} else {
			k->scancode_set = value;
			input_ring_init(&k->keys);
		}
		return;
	}
	vi8042_keyboard_reply(k, VI8042_KBD_ACK);
}

static void vi8042_keyboard_command(struct vi8042 *k, u8 cmd)
{
	switch (cmd) {
	case VI8042_KBD_SET_LEDS:
	case VI8042_KBD_TYPEMATIC:
	case VI8042_KBD_SCANCODE_SET:
		k->keyboard_cmd = cmd;
		break;
	case VI8042_KBD_ECHO:
		vi8042_keyboard_reply(k, VI8042_KBD_ECHO);
		return;
	case VI8042_KBD_IDENTIFY:
		vi8042_keyboard_reply(k, VI8042_KBD_ACK);
		vi8042_keyboard_reply(k, VI8042_KBD_ID0);
		vi8042_keyboard_reply(k, VI8042_KBD_ID1);
		return;
	case VI8042_KBD_ENABLE:
		input_ring_init(&k->keys);
		k->scanning = true;
		break;
	case VI8042_KBD_DISABLE:
		vi8042_keyboard_defaults(k);
		k->scanning = false;
		break;
	case VI8042_KBD_DEFAULTS:
		vi8042_keyboard_defaults(k);
		break;
	case VI8042_KBD_RESET:
		vi8042_keyboard_defaults(k);
		k->leds = 0;
		k->scanning = true;
		vi8042_keyboard_reply(k, VI8042_KBD_ACK);
		vi8042_keyboard_reply(k, VI8042_KBD_SELF_TEST_OK);	/* its BAT passed */
		return;
	default:
		vi8042_keyboard_reply(k, VI8042_KBD_RESEND);
		return;
	}
	vi8042_keyboard_reply(k, VI8042_KBD_ACK);
}

static void vi8042_keyboard_write(struct vi8042 *k, u8 byte)
{
	u8 cmd = k->keyboard_cmd;

	/* Sending to the keyboard enables its interface again, as PS/2 controllers do. */
	k->config &= ~VI8042_CONFIG_KBD_DISABLE;
	k->keyboard_cmd = 0;
	if (cmd)
		vi8042_keyboard_data(k, cmd, byte);
	else
		vi8042_keyboard_command(k, byte);
}

/* The data byte of a controller command that takes one. */
static void vi8042_controller_data(struct vi8042 *k, u8 cmd, u8 value)
{
	switch (cmd) {
	case VI8042_CMD_WRITE_CONFIG:
		k->config = value & 0x7f;
		break;
	case VI8042_CMD_WRITE_OUTPORT:
		k->output_port = value;
		if (!(value & VI8042_OUTPORT_RESET))
			vi8042_reset_machine(k);
		break;
	case VI8042_CMD_WRITE_KBD_BUFFER:
		vi8042_reply(k, value);	/* as if the keyboard had sent it */
		break;
	default:
		break;	/* for the mouse port, where no device listens */
	}
}

static void vi8042_controller_command(struct vi8042 *k, u8 cmd)
{
	switch (cmd) {
	case VI8042_CMD_READ_CONFIG:
		vi8042_reply(k, k->config);
		break;
	case VI8042_CMD_WRITE_CONFIG:
	case VI8042_CMD_WRITE_OUTPORT:
	case VI8042_CMD_WRITE_KBD_BUFFER:
	case VI8042_CMD_WRITE_AUX_BUFFER:
	case VI8042_CMD_WRITE_AUX:
		k->controller_cmd = cmd;
		break;
	case VI8042_CMD_DISABLE_AUX:
		k->config |= VI8042_CONFIG_AUX_DISABLE;
		break;
	case VI8042_CMD_ENABLE_AUX:
		k->config &= ~VI8042_CONFIG_AUX_DISABLE;
		break;
	case VI8042_CMD_TEST_AUX:
		vi8042_reply(k, VI8042_AUX_NO_DEVICE);
		break;
	case VI8042_CMD_SELF_TEST:
		k->config |= VI8042_CONFIG_SYS;
		vi8042_reply(k, VI8042_SELF_TEST_OK);
		break;
	case VI8042_CMD_TEST_KBD:
		vi8042_reply(k, VI8042_INTERFACE_OK);
		break;
	case VI8042_CMD_DISABLE_KBD:
		k->config |= VI8042_CONFIG_KBD_DISABLE;
		break;
	case VI8042_CMD_ENABLE_KBD:
		k->config &= ~VI8042_CONFIG_KBD_DISABLE;
		break;
	case VI8042_CMD_READ_OUTPORT:
		vi8042_reply(k, k->output_port);
		break;
	default:
		/* 0xF0-0xFF pulse the output port's low lines whose bits are 0: bit 0 resets. */
		if ((cmd & 0xf0) == 0xf0 && !(cmd & VI8042_OUTPORT_RESET))
			vi8042_reset_machine(k);
		break;
	}
}

static u8 vi8042_read_data(struct vi8042 *k)
{
	u8 byte = k->out;	/* an empty buffer reads its last byte again */

	k->out_full = false;
	vi8042_update_irq(k);	/* the falling edge, before the next byte fills it */
	return byte;
}

static u8 vi8042_read_status(const struct vi8042 *k)
{
	return VI8042_STATUS_UNLOCKED | (k->out_full ? VI8042_STATUS_OBF : 0) |
	       (k->config & VI8042_CONFIG_SYS ? VI8042_STATUS_SYS : 0) |
	       (k->last_write_command ? VI8042_STATUS_A2 : 0);
}

static u32 vi8042_read(void *dev, u16 port, u8 size)
{
	struct vi8042 *k = dev;
	u8 value;

	(void)size;
	value = port == VI8042_DATA_PORT ? vi8042_read_data(k) : vi8042_read_status(k);
	vi8042_fill_output(k);
	vi8042_update_irq(k);
	return value;
}

static void vi8042_write(void *dev, u16 port, u8 size, u32 value)
{
	struct vi8042 *k = dev;
	u8 cmd = k->controller_cmd;

	(void)size;
	k->controller_cmd = 0;	/* a new write ends any wait for a command's data */
	k->last_write_command = port != VI8042_DATA_PORT;
	if (k->last_write_command)
		vi8042_controller_command(k, (u8)value);
	else if (cmd)
		vi8042_controller_data(k, cmd, (u8)value);
	else
		vi8042_keyboard_write(k, (u8)value);
	vi8042_fill_output(k);
	vi8042_update_irq(k);
}

const struct pio_ops vi8042_ops = {
	.read = vi8042_read,
	.write = vi8042_write,
};

void vi8042_init(struct vi8042 *k, const struct irq_line *irq, const struct vi8042_reset *reset)
{
	*k = (struct vi8042){
		.irq = *irq,
		.reset = *reset,
		.config = VI8042_CONFIG_KBD_IRQ | VI8042_CONFIG_SYS | VI8042_CONFIG_AUX_DISABLE |
			  VI8042_CONFIG_TRANSLATE,
		.output_port = VI8042_OUTPORT_RESET | VI8042_OUTPORT_A20,
		.scanning = true,
	};
	input_ring_init(&k->replies);
	vi8042_keyboard_defaults(k);
}

/*
 * The set the guest reads. The controller's translation makes set 2 look like set 1. Set 3,
 * which a guest may select and read back, is typed as set 2: no common guest uses it.
 */
static enum scancode_set vi8042_guest_set(const struct vi8042 *k)
{
	if ((k->config & VI8042_CONFIG_TRANSLATE) || k->scancode_set == SCANCODE_SET1)
		return SCANCODE_SET1;
	return SCANCODE_SET2;
}

bool vi8042_type_ascii(struct vi8042 *k, u8 ch)
{
	u8 bytes[SCANCODE_MAX_BYTES];
	u32 n;

	if (!k->scanning)
		return false;
	n = scancode_type_ascii(ch, vi8042_guest_set(k), bytes);
	if (INPUT_RING_SIZE - k->keys.count < n)
		return false;
	for (u32 i = 0; i < n; i++)
		input_ring_push(&k->keys, bytes[i]);
	vi8042_fill_output(k);
	vi8042_update_irq(k);
	return true;
}

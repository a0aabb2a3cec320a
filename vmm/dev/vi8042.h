/* SPDX-License-Identifier: MIT */
/*
 * The PS/2 controller (Intel 8042) at ports 0x60 and 0x64 with a keyboard behind it, typed on
 * from the VM's console. No mouse is emulated: the auxiliary port reports no device. Pure:
 * the VM glue brings IRQ1 and the reset of the VM.
 */
#ifndef VIREO_VMM_DEV_VI8042_H
#define VIREO_VMM_DEV_VI8042_H

#include "vmm/pio.h"
#include "vmm/input_ring.h"
#include "vmm/dev/irq_line.h"

#define VI8042_DATA_PORT	0x60
#define VI8042_COMMAND_PORT	0x64	/* the status register when read */
#define VI8042_IRQ		1

/* The status register. */
#define VI8042_STATUS_OBF	0x01	/* output buffer full: port 0x60 has a byte */
#define VI8042_STATUS_IBF	0x02	/* input buffer full: never, commands act at once */
#define VI8042_STATUS_SYS	0x04	/* the system flag, config bit 2 */
#define VI8042_STATUS_A2	0x08	/* the last write was a command (port 0x64) */
#define VI8042_STATUS_UNLOCKED	0x10	/* the keyboard lock switch is off */

/* The configuration byte (the 8042's RAM byte 0). */
#define VI8042_CONFIG_KBD_IRQ		0x01
#define VI8042_CONFIG_AUX_IRQ		0x02
#define VI8042_CONFIG_SYS		0x04
#define VI8042_CONFIG_KBD_DISABLE	0x10
#define VI8042_CONFIG_AUX_DISABLE	0x20
#define VI8042_CONFIG_TRANSLATE		0x40

/* The output port. */
#define VI8042_OUTPORT_RESET	0x01	/* the CPU's reset line: 0 resets */
#define VI8042_OUTPORT_A20	0x02

/* Controller commands (written to port 0x64). */
#define VI8042_CMD_READ_CONFIG		0x20
#define VI8042_CMD_WRITE_CONFIG		0x60
#define VI8042_CMD_DISABLE_AUX		0xa7
#define VI8042_CMD_ENABLE_AUX		0xa8
#define VI8042_CMD_TEST_AUX		0xa9
#define VI8042_CMD_SELF_TEST		0xaa
#define VI8042_CMD_TEST_KBD		0xab
#define VI8042_CMD_DISABLE_KBD		0xad
#define VI8042_CMD_ENABLE_KBD		0xae
#define VI8042_CMD_READ_OUTPORT		0xd0
#define VI8042_CMD_WRITE_OUTPORT	0xd1
#define VI8042_CMD_WRITE_KBD_BUFFER	0xd2
#define VI8042_CMD_WRITE_AUX_BUFFER	0xd3
#define VI8042_CMD_WRITE_AUX		0xd4
#define VI8042_CMD_PULSE_RESET		0xfe

#define VI8042_SELF_TEST_OK	0x55
#define VI8042_INTERFACE_OK	0x00
/* The answer to VI8042_CMD_TEST_AUX: "clock line stuck high", as with nothing plugged in. */
#define VI8042_AUX_NO_DEVICE	0x02

/* Keyboard commands (written to port 0x60) and its answers. */
#define VI8042_KBD_SET_LEDS	0xed
#define VI8042_KBD_ECHO		0xee
#define VI8042_KBD_SCANCODE_SET	0xf0
#define VI8042_KBD_IDENTIFY	0xf2
#define VI8042_KBD_TYPEMATIC	0xf3
#define VI8042_KBD_ENABLE	0xf4
#define VI8042_KBD_DISABLE	0xf5
#define VI8042_KBD_DEFAULTS	0xf6
#define VI8042_KBD_RESET	0xff
#define VI8042_KBD_ACK		0xfa
#define VI8042_KBD_RESEND	0xfe
#define VI8042_KBD_SELF_TEST_OK	0xaa
#define VI8042_KBD_ID0		0xab
#define VI8042_KBD_ID1		0x83

/* How the controller resets the VM (command 0xFE, or the output port's bit 0 written as 0). */
struct vi8042_reset {
	void (*reset)(void *ctx);
	void *ctx;
};

struct vi8042 {
	struct irq_line irq;
	struct vi8042_reset reset;
	struct input_ring replies;	/* answers of the controller and the keyboard */
	struct input_ring keys;		/* scancodes typed, behind the answers */
	u8 out;				/* the output buffer, port 0x60 */
	bool out_full;
	u8 config, output_port;
	bool last_write_command;	/* status bit A2 */
	u8 controller_cmd;		/* a controller command waiting for its data byte, or 0 */
	u8 keyboard_cmd;		/* a keyboard command waiting for its data byte, or 0 */
	u8 scancode_set;		/* the keyboard's set: 1, 2 or 3 */
	u8 leds, typematic;
	bool scanning;
	bool irq_high;
};

/*
 * Reset the controller and keyboard to the state a PC BIOS leaves them in: keyboard IRQ
 * on, translation on, mouse port off, A20 on, the keyboard scanning in set 2. IRQ1 is irq
 * (its level follows the output buffer, see vi8042.c); reset is called when the guest resets
 * the machine, and the glue then resets the VM (and this device with it). The glue
 * registers ports 0x60 and 0x64, one port each, with &vi8042_ops.
 */
void vi8042_init(struct vi8042 *k, const struct irq_line *irq, const struct vi8042_reset *reset);

/*
 * Type a character from the console: its make and break codes (see scancode.h) queue for
 * the guest, in set 1 when translation is on or the keyboard uses set 1, else in set 2. False
 * when the keyboard does not take it now (scanning disabled, or the queue is full): the glue
 * keeps the character for later. A character no key types is dropped and true returned.
 */
bool vi8042_type_ascii(struct vi8042 *k, u8 ch);

/* The device is a struct vi8042, at ports 0x60 and 0x64. */
extern const struct pio_ops vi8042_ops;

#endif

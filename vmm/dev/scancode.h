/* SPDX-License-Identifier: MIT */
/*
 * What a PS/2 keyboard with the US layout sends when a console character is typed on it:
 * make and break codes of scancode set 1 or set 2. Pure.
 */
#ifndef VIREO_VMM_DEV_SCANCODE_H
#define VIREO_VMM_DEV_SCANCODE_H

#include "kernel/types.h"

enum scancode_set {
	SCANCODE_SET1 = 1,
	SCANCODE_SET2 = 2,
};

/*
 * The longest stroke: Shift's make, the key's make and break, Shift's break; set 2 breaks
 * take two bytes each.
 */
#define SCANCODE_MAX_BYTES 6

/*
 * Fill bytes with the codes of typing ch: printable ASCII (Shift held for capitals and
 * shifted symbols), Enter (CR or LF), Backspace (BS or DEL), Tab, Esc, and Ctrl-A to Ctrl-Z
 * (Ctrl held) for the other control characters. Returns the number of bytes, 0 when no key
 * types ch.
 */
u32 scancode_type_ascii(u8 ch, enum scancode_set set, u8 bytes[SCANCODE_MAX_BYTES]);

#endif

/* SPDX-License-Identifier: MIT */
/* Console characters to PS/2 scancodes (IBM PS/2 keyboard technical reference, sets 1, 2). */
#include "vmm/dev/scancode.h"
#include "kernel/string.h"

/* A key's make code in each set. Set 1 breaks are make | 0x80, set 2 breaks F0 then make. */
struct scancode_key {
	u8 set1, set2;
};

#define SET2_BREAK_PREFIX 0xf0

/* The keys that type a character without a modifier, by that character. */
static const struct scancode_key keys_by_char[128] = {
	['\x1b'] = { 0x01, 0x76 }, ['\b'] = { 0x0e, 0x66 }, ['\t'] = { 0x0f, 0x0d },
	['\r'] = { 0x1c, 0x5a }, [' '] = { 0x39, 0x29 },
	['1'] = { 0x02, 0x16 }, ['2'] = { 0x03, 0x1e }, ['3'] = { 0x04, 0x26 },
	['4'] = { 0x05, 0x25 }, ['5'] = { 0x06, 0x2e }, ['6'] = { 0x07, 0x36 },
	['7'] = { 0x08, 0x3d }, ['8'] = { 0x09, 0x3e }, ['9'] = { 0x0a, 0x46 },
	['0'] = { 0x0b, 0x45 }, ['-'] = { 0x0c, 0x4e }, ['='] = { 0x0d, 0x55 },
	['q'] = { 0x10, 0x15 }, ['w'] = { 0x11, 0x1d }, ['e'] = { 0x12, 0x24 },
	['r'] = { 0x13, 0x2d }, ['t'] = { 0x14, 0x2c }, ['y'] = { 0x15, 0x35 },
	['u'] = { 0x16, 0x3c }, ['i'] = { 0x17, 0x43 }, ['o'] = { 0x18, 0x44 },
	['p'] = { 0x19, 0x4d }, ['['] = { 0x1a, 0x54 }, [']'] = { 0x1b, 0x5b },
	['a'] = { 0x1e, 0x1c }, ['s'] = { 0x1f, 0x1b }, ['d'] = { 0x20, 0x23 },
	['f'] = { 0x21, 0x2b }, ['g'] = { 0x22, 0x34 }, ['h'] = { 0x23, 0x33 },
	['j'] = { 0x24, 0x3b }, ['k'] = { 0x25, 0x42 }, ['l'] = { 0x26, 0x4b },
	[';'] = { 0x27, 0x4c }, ['\''] = { 0x28, 0x52 }, ['`'] = { 0x29, 0x0e },
	['\\'] = { 0x2b, 0x5d }, ['z'] = { 0x2c, 0x1a }, ['x'] = { 0x2d, 0x22 },
	['c'] = { 0x2e, 0x21 }, ['v'] = { 0x2f, 0x2a }, ['b'] = { 0x30, 0x32 },
	['n'] = { 0x31, 0x31 }, ['m'] = { 0x32, 0x3a }, [','] = { 0x33, 0x41 },
	['.'] = { 0x34, 0x49 }, ['/'] = { 0x35, 0x4a },
};

static const struct scancode_key key_left_shift = { 0x2a, 0x12 };
static const struct scancode_key key_left_ctrl = { 0x1d, 0x14 };

/* Shifted symbols and, at the same place, the character of their key. */
static const char shifted_symbols[] = "!@#$%^&*()_+{}|:\"<>?~";
static const char symbol_keys[] = "1234567890-=[]\\;',./`";

/* The unmodified character whose key types ch, and the modifier to hold (or NULL). */
static u8 scancode_base_char(u8 ch, const struct scancode_key **modifier)
{
	const char *symbol;

	*modifier = NULL;
	if (ch == '\n')
		return '\r';
	if (ch == 0x7f)
		return '\b';
	if (ch >= 'A' && ch <= 'Z') {
		*modifier = &key_left_shift;
		return (u8)(ch - 'A' + 'a');
	}
	symbol = ch ? strchr(shifted_symbols, ch) : NULL;
	if (symbol) {
		*modifier = &key_left_shift;
		return (u8)symbol_keys[symbol - shifted_symbols];
	}
	/* Control characters without a key of their own are Ctrl and a letter. */
	if (ch >= 0x01 && ch <= 0x1a && !keys_by_char[ch].set1) {
		*modifier = &key_left_ctrl;
		return (u8)(ch - 1 + 'a');
	}
	return ch;
}

static u32 scancode_emit(u8 *bytes, const struct scancode_key *key, enum scancode_set set,
			 bool is_break)
{
	if (set == SCANCODE_SET1) {
		bytes[0] = is_break ? (u8)(key->set1 | 0x80) : key->set1;
		return 1;
	}
	if (!is_break) {
		bytes[0] = key->set2;
		return 1;
	}
	bytes[0] = SET2_BREAK_PREFIX;
	bytes[1] = key->set2;
	return 2;
}

u32 scancode_type_ascii(u8 ch, enum scancode_set set, u8 bytes[SCANCODE_MAX_BYTES])
{
	const struct scancode_key *modifier, *key;
	u8 base = scancode_base_char(ch, &modifier);
	u32 n = 0;

	if (base >= ARRAY_SIZE(keys_by_char) || !keys_by_char[base].set1)
		return 0;
	key = &keys_by_char[base];
	if (modifier)
		n += scancode_emit(bytes + n, modifier, set, false);
	n += scancode_emit(bytes + n, key, set, false);
	n += scancode_emit(bytes + n, key, set, true);
	if (modifier)
		n += scancode_emit(bytes + n, modifier, set, true);
	return n;
}

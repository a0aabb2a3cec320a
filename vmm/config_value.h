/* SPDX-License-Identifier: MIT */
/*
 * A value given to a VM option: a word of a guest module line (to be read as what the option
 * takes), or a typed value of the VM config file (vmm/toml.c makes them).
 */
#ifndef VIREO_VMM_CONFIG_VALUE_H
#define VIREO_VMM_CONFIG_VALUE_H

#include "kernel/types.h"

enum config_value_kind {
	CONFIG_WORD,		/* module line: text that may stand for a number */
	CONFIG_STRING,
	CONFIG_INTEGER,
	CONFIG_BOOL,
	CONFIG_LIST,		/* of strings or of integers, never mixed or nested */
};

struct config_value {
	enum config_value_kind kind;
	const char *text;	/* CONFIG_WORD, CONFIG_STRING: not NUL-terminated */
	size_t len;
	u64 integer;
	bool boolean;
	u32 count;		/* CONFIG_LIST */
	const struct config_value *items;
};

#endif

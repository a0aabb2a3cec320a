/* SPDX-License-Identifier: MIT */
/*
 * Vireo's subset of TOML, for the VM config file: comments, [a.b] table headers of bare keys,
 * key = value lines whose values are "basic strings" (escapes \" \\ \b \t \n \f \r), decimal
 * and 0x integers (with _ between digits), true and false, and lists of one kind of those,
 * over several lines if need be. Anything else TOML has is refused by name, with its line, so
 * that every file this parser takes reads the same in any TOML library. Pure: it reports
 * through callbacks and allocates nothing.
 */
#ifndef VIREO_VMM_TOML_H
#define VIREO_VMM_TOML_H

#include "kernel/types.h"
#include "vmm/config_value.h"

#define TOML_LIST_MAX 64		/* items in one list */
#define TOML_TEXT_MAX 1024		/* bytes of string text in one value, after escapes */
#define TOML_TABLE_PARTS_MAX 4		/* [a.b.c.d] */
#define TOML_MESSAGE_MAX 160

struct toml_key {
	const char *text;	/* in the parsed text, not NUL-terminated */
	size_t len;
};

struct toml_ops {
	/* A [a.b] header: its parts, on line (from 1). */
	void (*table)(void *ctx, const struct toml_key *parts, u32 count, u32 line);
	/* A key = value line (the value lives until the callback returns). */
	void (*pair)(void *ctx, struct toml_key key, const struct config_value *value, u32 line);
	/* A line that is not good TOML of the subset: it is skipped, parsing goes on after it. */
	void (*error)(void *ctx, u32 line, const char *message);
};

/* The parser's state and scratch space: large, so the caller finds room for it. */
struct toml_parser {
	const char *text;
	size_t len, pos;
	u32 line;
	u32 error_line;
	char message[TOML_MESSAGE_MAX];
	struct config_value items[TOML_LIST_MAX];
	char strings[TOML_TEXT_MAX];
	size_t strings_used;
};

/* Parse text[0..len) from its start to its end, calling ops with ctx for what it holds. */
void toml_parse(struct toml_parser *p, const char *text, size_t len, const struct toml_ops *ops,
		void *ctx);

#endif

// SPDX-License-Identifier: MIT
/*
 * libFuzzer: the TOML subset parser (vmm/toml.c) on arbitrary bytes, alone, with callbacks
 * that check what it reports: table headers of 1 to TOML_TABLE_PARTS_MAX non-empty bare keys
 * and pair keys that lie in the text, line numbers in order and within the text's lines,
 * strings inside the text or the parser's scratch space, integers TOML can hold, lists of
 * one kind of scalars within TOML_LIST_MAX, and error messages that fit their buffer.
 */
#include <string.h>

#include "tests/fuzz/fuzz_check.h"
#include "vmm/toml.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

struct run {
	const char *text;
	size_t len;
	u32 lines;		/* newlines + 1 */
	u32 last_line;
	const struct toml_parser *parser;
};

static bool in_text(const struct run *run, const char *s, size_t len)
{
	return s >= run->text && len <= run->len && (size_t)(s - run->text) <= run->len - len;
}

static bool bare_key(const struct run *run, struct toml_key key)
{
	if (!key.len || !in_text(run, key.text, key.len))
		return false;
	for (size_t i = 0; i < key.len; i++) {
		char c = key.text[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return false;
	}
	return true;
}

static void check_line(struct run *run, u32 line)
{
	fuzz_check(line >= 1 && line <= run->lines && line >= run->last_line);
	run->last_line = line;
}

static void check_scalar(const struct run *run, const struct config_value *v)
{
	const char *scratch = run->parser->strings;

	switch (v->kind) {
	case CONFIG_STRING:
		fuzz_check(in_text(run, v->text, v->len) ||
			   (v->text >= scratch && v->len <= TOML_TEXT_MAX &&
			    (size_t)(v->text - scratch) <= TOML_TEXT_MAX - v->len));
		break;
	case CONFIG_INTEGER:
		fuzz_check(v->integer <= 0x7fffffffffffffffULL);
		break;
	default:
		fuzz_check(v->kind == CONFIG_BOOL);
		break;
	}
}

static void on_table(void *ctx, const struct toml_key *parts, u32 count, u32 line)
{
	struct run *run = ctx;

	check_line(run, line);
	fuzz_check(count >= 1 && count <= TOML_TABLE_PARTS_MAX);
	for (u32 i = 0; i < count; i++)
		fuzz_check(bare_key(run, parts[i]));
}

static void on_pair(void *ctx, struct toml_key key, const struct config_value *value, u32 line)
{
	struct run *run = ctx;

	check_line(run, line);
	fuzz_check(bare_key(run, key));
	if (value->kind != CONFIG_LIST) {
		check_scalar(run, value);
		return;
	}
	fuzz_check(value->count <= TOML_LIST_MAX);
	for (u32 i = 0; i < value->count; i++) {
		fuzz_check(value->items[i].kind == value->items[0].kind);
		check_scalar(run, &value->items[i]);
	}
}

static void on_error(void *ctx, u32 line, const char *message)
{
	struct run *run = ctx;

	check_line(run, line);
	fuzz_check(message[0] && strnlen(message, TOML_MESSAGE_MAX) < TOML_MESSAGE_MAX);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static const struct toml_ops ops = { .table = on_table, .pair = on_pair,
					     .error = on_error };
	static struct toml_parser parser;
	/* A copy of exactly size bytes: ASan then catches a read past the end. */
	char *text = malloc(size ? size : 1);
	struct run run = { .text = text, .len = size, .lines = 1, .parser = &parser };

	memcpy(text, data, size);
	for (size_t i = 0; i < size; i++)
		run.lines += text[i] == '\n';
	toml_parse(&parser, text, size, &ops, &run);
	free(text);
	return 0;
}

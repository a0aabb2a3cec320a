/* SPDX-License-Identifier: MIT */
/* Vireo's TOML subset: a line-at-a-time parser that names what it does not take. Pure. */
#include "vmm/toml.h"
#include "kernel/format.h"
#include "kernel/string.h"

#define TOML_INTEGER_MAX 0x7fffffffffffffffULL	/* TOML integers are signed 64-bit */
#define NOT_IN_SUBSET "Vireo's TOML subset does not have "

static int peek_at(const struct toml_parser *p, size_t ahead)
{
	return p->pos + ahead < p->len ? (u8)p->text[p->pos + ahead] : -1;
}

static int peek(const struct toml_parser *p)
{
	return peek_at(p, 0);
}

static __printf(2, 3) bool fail(struct toml_parser *p, const char *fmt, ...)
{
	va_list ap;

	p->error_line = p->line;
	va_start(ap, fmt);
	format_v(p->message, sizeof(p->message), fmt, ap);
	va_end(ap);
	return false;
}

static bool is_control(int c)
{
	return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7f;
}

/* What is wrong with the character at pos, given what should have been there. */
static bool unexpected(struct toml_parser *p, const char *expected)
{
	int c = peek(p);

	if (c >= 0x80)
		return fail(p, NOT_IN_SUBSET "non-ASCII characters");
	if (c == -1)
		return fail(p, "expected %s, found the end of the file", expected);
	if (c == '\n' || c == '\r')
		return fail(p, "expected %s, found the end of the line", expected);
	if (is_control(c))
		return fail(p, "expected %s, found the control character %#04x", expected, c);
	return fail(p, "expected %s, found '%c'", expected, c);
}

static bool is_bare_key_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int digit_value(int c, u32 base)
{
	if (is_digit(c))
		return c - '0';
	if (base == 16 && c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (base == 16 && c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void skip_blanks(struct toml_parser *p)
{
	while (peek(p) == ' ' || peek(p) == '\t')
		p->pos++;
}

/* A '#' comment up to (not including) the line end. */
static bool skip_comment(struct toml_parser *p)
{
	if (peek(p) != '#')
		return true;
	for (p->pos++; peek(p) != -1 && peek(p) != '\n'; p->pos++) {
		int c = peek(p);

		if (c == '\r' && peek_at(p, 1) == '\n')
			continue;
		if (c >= 0x80)
			return fail(p, NOT_IN_SUBSET "non-ASCII characters");
		if (is_control(c))
			return fail(p, "a control character (%#04x) in a comment", c);
	}
	return true;
}

/* A line break (LF or CR LF); false when there is none at pos. */
static bool take_newline(struct toml_parser *p)
{
	size_t n = peek(p) == '\r' && peek_at(p, 1) == '\n' ? 2 : peek(p) == '\n' ? 1 : 0;

	if (!n)
		return false;
	p->pos += n;
	p->line++;
	return true;
}

/* Blanks, a comment, then the end of the line or of the file. */
static bool end_of_line(struct toml_parser *p, const char *after)
{
	skip_blanks(p);
	if (!skip_comment(p))
		return false;
	if (peek(p) == -1 || take_newline(p))
		return true;
	return unexpected(p, after);
}

static bool bare_key(struct toml_parser *p, struct toml_key *key, const char *what)
{
	int c = peek(p);

	if (c == '"' || c == '\'')
		return fail(p, NOT_IN_SUBSET "quoted keys: write %s bare (letters, digits, - and _)",
			    what);
	key->text = p->text + p->pos;
	while (is_bare_key_char(peek(p)))
		p->pos++;
	key->len = (size_t)(p->text + p->pos - key->text);
	return key->len ? true : unexpected(p, what);
}

static bool header(struct toml_parser *p, const struct toml_ops *ops, void *ctx)
{
	struct toml_key parts[TOML_TABLE_PARTS_MAX];
	u32 count = 0, line = p->line;

	p->pos++;
	if (peek(p) == '[')
		return fail(p, NOT_IN_SUBSET "arrays of tables ([[...]])");
	for (;;) {
		skip_blanks(p);
		if (count == TOML_TABLE_PARTS_MAX)
			return fail(p, "a table name of more than %u parts", TOML_TABLE_PARTS_MAX);
		if (!bare_key(p, &parts[count++], "a table name"))
			return false;
		skip_blanks(p);
		if (peek(p) == ']')
			break;
		if (peek(p) != '.')
			return unexpected(p, "'.' or ']' in the table name");
		p->pos++;
	}
	p->pos++;
	if (!end_of_line(p, "the end of the line after the table name"))
		return false;
	ops->table(ctx, parts, count, line);
	return true;
}

static bool at_value_end(const struct toml_parser *p)
{
	int c = peek(p);

	return c == -1 || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '#' ||
	       c == ',' || c == ']';
}

/* After the digits of a number: what follows tells what it was meant to be. */
static bool number_end(struct toml_parser *p)
{
	int c = peek(p);

	if (at_value_end(p))
		return true;
	if (c == '.' || c == 'e' || c == 'E')
		return fail(p, NOT_IN_SUBSET "floating-point numbers");
	if (c == '-' || c == ':')
		return fail(p, NOT_IN_SUBSET "dates and times");
	return fail(p, "expected the end of the number, found '%c' (a size such as 64M is "
		    "written \"64M\")", c >= 0x20 && c < 0x7f ? c : '?');
}

/* Digits of base 10 or 16 with single underscores between them. */
static bool digits(struct toml_parser *p, u32 base, u64 *out)
{
	u64 n = 0;
	bool any = false;

	for (;;) {
		int c = peek(p), d = digit_value(c, base);

		if (c == '_' && any && digit_value(peek_at(p, 1), base) >= 0) {
			p->pos++;	/* TOML's underscores stand between two digits */
			continue;
		}
		if (d < 0)
			break;
		if (n > (TOML_INTEGER_MAX - (u64)d) / base)
			return fail(p, "a number larger than TOML's integers go (2^63 - 1)");
		n = n * base + (u64)d;
		any = true;
		p->pos++;
	}
	if (!any)
		return unexpected(p, base == 16 ? "hex digits after 0x" : "a digit");
	*out = n;
	return number_end(p);
}

static bool number(struct toml_parser *p, struct config_value *v)
{
	int next = peek_at(p, 1);

	v->kind = CONFIG_INTEGER;
	if (peek(p) == '0' && next == 'x') {
		p->pos += 2;
		return digits(p, 16, &v->integer);
	}
	if (peek(p) == '0' && (next == 'o' || next == 'b'))
		return fail(p, NOT_IN_SUBSET "0o and 0b numbers: write decimal or 0x");
	if (peek(p) == '0' && (is_digit(next) || next == '_'))
		return fail(p, "a number with a leading zero, which TOML forbids");
	return digits(p, 10, &v->integer);
}

static bool escape(struct toml_parser *p, char *out)
{
	static const char from[] = "\"\\btnfr", to[] = "\"\\\b\t\n\f\r";
	int c = peek_at(p, 1);
	const char *hit = c > 0 ? strchr(from, c) : NULL;

	if (c == 'u' || c == 'U')
		return fail(p, NOT_IN_SUBSET "\\u escapes");
	if (!hit)
		return fail(p, "a bad escape in a string (Vireo takes \\\" \\\\ \\b \\t \\n \\f \\r)");
	*out = to[hit - from];
	p->pos += 2;
	return true;
}

static bool string(struct toml_parser *p, struct config_value *v)
{
	v->kind = CONFIG_STRING;
	v->text = p->strings + p->strings_used;
	v->len = 0;
	if (peek_at(p, 1) == '"' && peek_at(p, 2) == '"')
		return fail(p, NOT_IN_SUBSET "multi-line strings (\"\"\")");
	for (p->pos++;;) {
		int c = peek(p);
		char ch = (char)c;

		if (c == '"')
			break;
		if (c == -1 || c == '\n' || c == '\r')
			return fail(p, "a string must end on its line (a closing \" is missing)");
		if (c >= 0x80)
			return fail(p, NOT_IN_SUBSET "non-ASCII characters");
		if (is_control(c))
			return fail(p, "a control character (%#04x) in a string (write \\t, \\n, ...)",
				    c);
		if (c == '\\') {
			if (!escape(p, &ch))
				return false;
		} else {
			p->pos++;
		}
		if (p->strings_used == sizeof(p->strings))
			return fail(p, "more than %zu bytes of text in one value", sizeof(p->strings));
		p->strings[p->strings_used++] = ch;
		v->len++;
	}
	p->pos++;
	return at_value_end(p) ? true : unexpected(p, "the end of the string");
}

static bool word_is(const struct toml_parser *p, const char *word)
{
	size_t n = strlen(word);

	return p->pos + n <= p->len && strncmp(p->text + p->pos, word, n) == 0 &&
	       (p->pos + n == p->len || !is_bare_key_char((u8)p->text[p->pos + n]));
}

static bool value(struct toml_parser *p, struct config_value *v, bool in_list);

/* Blanks, comments and line breaks: a list may go on over several lines. */
static bool skip_list_space(struct toml_parser *p)
{
	for (;;) {
		skip_blanks(p);
		if (!skip_comment(p))
			return false;
		if (!take_newline(p))
			return true;
	}
}

static bool list(struct toml_parser *p, struct config_value *v)
{
	*v = (struct config_value){ .kind = CONFIG_LIST, .items = p->items };
	for (p->pos++;;) {
		if (!skip_list_space(p))
			return false;
		if (peek(p) == ']')
			break;
		if (v->count == TOML_LIST_MAX)
			return fail(p, "a list of more than %u items", TOML_LIST_MAX);
		if (!value(p, &p->items[v->count], true))
			return false;
		if (p->items[v->count].kind != p->items[0].kind)
			return fail(p, NOT_IN_SUBSET "lists of mixed kinds of values");
		v->count++;
		if (!skip_list_space(p))
			return false;
		if (peek(p) == ']')
			break;
		if (peek(p) != ',')
			return unexpected(p, "',' or ']' in the list");
		p->pos++;
	}
	p->pos++;
	return true;
}

static bool value(struct toml_parser *p, struct config_value *v, bool in_list)
{
	int c = peek(p);

	*v = (struct config_value){ .kind = CONFIG_BOOL };
	if (c == '"')
		return string(p, v);
	if (is_digit(c))
		return number(p, v);
	if (c == '[')
		return in_list ? fail(p, NOT_IN_SUBSET "lists in lists") : list(p, v);
	if (word_is(p, "true") || word_is(p, "false")) {
		v->boolean = c == 't';
		p->pos += v->boolean ? 4 : 5;
		return true;
	}
	if (c == '\'')
		return fail(p, NOT_IN_SUBSET "literal strings ('...'): write \"...\"");
	if (c == '{')
		return fail(p, NOT_IN_SUBSET "inline tables ({...})");
	if (c == '+' || c == '-')
		return fail(p, NOT_IN_SUBSET "signed numbers");
	if (word_is(p, "inf") || word_is(p, "nan"))
		return fail(p, NOT_IN_SUBSET "floating-point numbers");
	return unexpected(p, "a value: \"text\", a number, true, false or a [list]");
}

static bool pair(struct toml_parser *p, const struct toml_ops *ops, void *ctx)
{
	struct config_value v;
	struct toml_key key;
	u32 line = p->line;

	if (!bare_key(p, &key, "a key"))
		return false;
	skip_blanks(p);
	if (peek(p) == '.')
		return fail(p, NOT_IN_SUBSET "dotted keys (a.b = ...)");
	if (peek(p) != '=')
		return unexpected(p, "'=' after the key");
	p->pos++;
	skip_blanks(p);
	p->strings_used = 0;
	if (!value(p, &v, false) || !end_of_line(p, "the end of the line after the value"))
		return false;
	ops->pair(ctx, key, &v, line);
	return true;
}

static void skip_rest_of_line(struct toml_parser *p)
{
	while (peek(p) != -1 && !take_newline(p))
		p->pos++;
}

void toml_parse(struct toml_parser *p, const char *text, size_t len, const struct toml_ops *ops,
		void *ctx)
{
	p->text = text;
	p->len = len;
	p->pos = 0;
	p->line = 1;
	while (p->pos < p->len) {
		bool ok;

		skip_blanks(p);
		if (peek(p) == '[')
			ok = header(p, ops, ctx);
		else if (peek(p) == '#' || peek(p) == '\n' || peek(p) == '\r' || peek(p) == -1)
			ok = end_of_line(p, "the end of the line");
		else
			ok = pair(p, ops, ctx);
		if (!ok) {
			ops->error(ctx, p->error_line, p->message);
			skip_rest_of_line(p);
		}
	}
}

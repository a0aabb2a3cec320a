/* SPDX-License-Identifier: MIT */
/*
 * vireo-config: check a VM config file on the host with the parser the hypervisor uses.
 *   vireo-config check FILE   print every mistake as the boot log would; exit 1 if any
 *   vireo-config show FILE    the same check, then the file's values as JSON (for the tests,
 *                             which compare them with what a TOML library reads)
 */
#include <stdio.h>
#include <stdlib.h>

#include "kernel/string.h"
#include "vmm/config_file.h"

static struct config_file config;
static struct toml_parser parser;

static char *read_file(const char *path, size_t *len)
{
	FILE *in = fopen(path, "rb");
	char *text = NULL;
	long size;

	if (!in)
		return NULL;
	if (fseek(in, 0, SEEK_END) == 0 && (size = ftell(in)) >= 0 && fseek(in, 0, SEEK_SET) == 0 &&
	    (text = malloc((size_t)size + 1)) && fread(text, 1, (size_t)size, in) == (size_t)size) {
		*len = (size_t)size;
	} else {
		free(text);
		text = NULL;
	}
	fclose(in);
	return text;
}

static void print_message(void *ctx, const char *message)
{
	(void)ctx;
	fprintf(stderr, "%s\n", message);
}

static void print_json_string(const char *s, size_t len)
{
	putchar('"');
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void print_json_value(const struct config_value *v)
{
	switch (v->kind) {
	case CONFIG_WORD:
	case CONFIG_STRING:
		print_json_string(v->text, v->len);
		break;
	case CONFIG_INTEGER:
		printf("%llu", v->integer);
		break;
	case CONFIG_BOOL:
		fputs(v->boolean ? "true" : "false", stdout);
		break;
	case CONFIG_LIST:
		putchar('[');
		for (u32 i = 0; i < v->count; i++) {
			if (i)
				fputs(", ", stdout);
			print_json_value(&v->items[i]);
		}
		putchar(']');
		break;
	}
}

/* A checked file has [vm.NAME] tables only: {"vm": {"NAME": {"key": value, ...}, ...}}. */
static struct {
	u32 tables, keys;
} json;

static void json_table(void *ctx, const struct toml_key *parts, u32 count, u32 line)
{
	(void)ctx, (void)count, (void)line;
	fputs(json.tables++ ? "}, " : "{\"vm\": {", stdout);
	print_json_string(parts[1].text, parts[1].len);
	fputs(": {", stdout);
	json.keys = 0;
}

static void json_pair(void *ctx, struct toml_key key, const struct config_value *v, u32 line)
{
	(void)ctx, (void)line;
	if (json.keys++)
		fputs(", ", stdout);
	print_json_string(key.text, key.len);
	fputs(": ", stdout);
	print_json_value(v);
}

static void json_error(void *ctx, u32 line, const char *message)
{
	(void)ctx, (void)line, (void)message;	/* not reached: the file was checked */
}

static const struct toml_ops json_ops = { json_table, json_pair, json_error };

int main(int argc, char **argv)
{
	bool show = argc == 3 && strcmp(argv[1], "show") == 0;
	size_t len = 0;
	char *text;

	if (argc != 3 || (!show && strcmp(argv[1], "check") != 0)) {
		fprintf(stderr, "usage: vireo-config check FILE   (or show FILE: the values as "
			"JSON)\n");
		return 2;
	}
	text = read_file(argv[2], &len);
	if (!text) {
		perror(argv[2]);
		return 2;
	}
	config_file_parse(&config, argv[2], text, len, print_message, NULL);
	if (!config.error_count && show) {
		toml_parse(&parser, text, len, &json_ops, NULL);
		puts(json.tables ? "}}}" : "{}");
	} else if (!config.error_count) {
		printf("%s: %u VM(s), no errors\n", argv[2], config.vm_count);
	}
	free(text);
	return config.error_count ? 1 : 0;
}

/* SPDX-License-Identifier: MIT */
/* The VM config file: [vm.NAME] tables of TOML read into VM configurations. Pure. */
#include "vmm/config_file.h"
#include "kernel/errno.h"
#include "kernel/format.h"
#include "kernel/string.h"

void config_file_error(struct config_file *f, u32 line, const char *fmt, ...)
{
	char message[CONFIG_FILE_MESSAGE_MAX];
	size_t n = (size_t)format(message, sizeof(message), "%s:%u: ", f->label, line);
	va_list ap;

	va_start(ap, fmt);
	format_v(message + MIN(n, sizeof(message)), sizeof(message) - MIN(n, sizeof(message)), fmt,
		 ap);
	va_end(ap);
	f->error_count++;
	if (f->in_vm)
		f->current_errors++;
	f->report(f->ctx, message);
}

static bool key_is(struct toml_key key, const char *word)
{
	return strlen(word) == key.len && strncmp(key.text, word, key.len) == 0;
}

/* The earlier of text[0..len) in seen, or NULL; else it is added (when there is room). */
static const struct config_file_seen *seen_before(struct config_file_seen *seen, u32 *count,
						   u32 max, const char *text, size_t len, u32 line)
{
	for (u32 i = 0; i < *count; i++)
		if (seen[i].len == len && strncmp(seen[i].text, text, len) == 0)
			return &seen[i];
	if (*count < max)
		seen[(*count)++] = (struct config_file_seen){ text, len, line };
	return NULL;
}

/* A boot module's name: the first word of its module2 line, so printable and no blanks. */
static bool module_name(const struct config_value *v, char *out)
{
	if (v->kind != CONFIG_STRING || v->len == 0 || v->len >= CONFIG_FILE_NAME_MAX)
		return false;
	for (size_t i = 0; i < v->len; i++)
		if (v->text[i] <= ' ' || v->text[i] >= 0x7f)
			return false;
	memcpy(out, v->text, v->len);
	out[v->len] = '\0';
	return true;
}

static void set_modules(struct config_file *f, const struct config_value *v, u32 line)
{
	struct config_file_vm *vm = &f->current;

	vm->modules_line = line;
	if (v->kind == CONFIG_LIST && v->count <= VM_MODULES_MAX) {
		for (vm->module_count = 0; vm->module_count < v->count; vm->module_count++)
			if (!module_name(&v->items[vm->module_count], vm->modules[vm->module_count]))
				break;
		if (vm->module_count == v->count)
			return;
	}
	_Static_assert(VM_MODULES_MAX == 8, "the message names the limit");
	config_file_error(f, line, "modules: expected a list of up to 8 boot module names, such as "
			  "[\"initrd\"]");
}

static void set_option(struct config_file *f, struct toml_key key, const struct config_value *v,
		       u32 line)
{
	const char *expected = "";
	int err = vm_config_set(&f->current.config, key.text, key.len, v, &expected);

	if (err == -ENOENT)
		config_file_error(f, line, "unknown key '%.*s' (the keys: image, modules, %s)",
				  (int)MIN(key.len, 32u), key.text, vm_config_keys());
	else if (err < 0)
		config_file_error(f, line, "%.*s: expected %s", (int)key.len, key.text, expected);
	else if (key_is(key, "load_address"))
		f->load_address_line = line;
	else if (key_is(key, "entry"))
		f->entry_line = line;
}

static void on_pair(void *ctx, struct toml_key key, const struct config_value *v, u32 line)
{
	struct config_file *f = ctx;
	const struct config_file_seen *first;

	if (f->in_bad_table)
		return;
	if (!f->in_vm) {
		config_file_error(f, line, "'%.*s' outside a [vm.NAME] table", (int)MIN(key.len, 32u),
				  key.text);
		return;
	}
	first = seen_before(f->keys, &f->key_count, CONFIG_FILE_KEYS_MAX, key.text, key.len, line);
	if (first) {
		config_file_error(f, line, "%.*s: given a second time (first on line %u)",
				  (int)MIN(key.len, 32u), key.text, first->line);
		return;
	}
	if (key_is(key, "image")) {
		f->current.image_line = line;
		if (!module_name(v, f->current.image))
			config_file_error(f, line, "image: expected the name of a boot module, such "
					  "as \"hello16.bin\"");
	} else if (key_is(key, "modules")) {
		set_modules(f, v, line);
	} else {
		set_option(f, key, v, line);
	}
}

/* Checks of the table as a whole, then keep the VM or say why not. */
static void finish_vm(struct config_file *f)
{
	struct config_file_vm *vm = &f->current;
	bool flat = vm->config.format == VM_FORMAT_FLAT;

	if (!f->in_vm)
		return;
	if (!vm->image_line)
		config_file_error(f, vm->line, "[vm.%s]: no image (image = \"NAME\" names the boot "
				  "module of its kernel)", vm->config.name);
	if (f->load_address_line && !flat)
		config_file_error(f, f->load_address_line, "load_address: only with format = "
				  "\"flat\"");
	if (f->entry_line && !flat)
		config_file_error(f, f->entry_line, "entry: only with format = \"flat\"");
	if (f->load_address_line && !f->entry_line)
		vm->config.entry = vm->config.load_address;
	f->in_vm = false;
	if (f->current_errors)
		config_file_error(f, vm->line, "[vm.%s]: not made, for its %u error(s)",
				  vm->config.name, f->current_errors);
	else
		f->vms[f->vm_count++] = *vm;
}

static void start_vm(struct config_file *f, struct toml_key name, u32 line)
{
	memset(&f->current, 0, sizeof(f->current));
	vm_config_defaults(&f->current.config, name.text, name.len);
	f->current.line = line;
	f->current_errors = 0;
	f->load_address_line = f->entry_line = 0;
	f->key_count = 0;
	f->in_vm = true;
}

static void on_table(void *ctx, const struct toml_key *parts, u32 count, u32 line)
{
	struct config_file *f = ctx;
	const struct config_file_seen *first;

	finish_vm(f);
	f->in_bad_table = true;
	if (count != 2 || !key_is(parts[0], "vm")) {
		config_file_error(f, line, "expected a [vm.NAME] table (a config has no others)");
		return;
	}
	if (!vm_config_name_ok(parts[1].text, parts[1].len)) {
		config_file_error(f, line, "[vm.%.*s]: a VM name is 1 to %u letters, digits, '-' and "
				  "'_'", (int)MIN(parts[1].len, 32u), parts[1].text, VM_NAME_MAX - 1);
		return;
	}
	first = seen_before(f->tables, &f->table_count, CONFIG_FILE_TABLES_MAX, parts[1].text,
			    parts[1].len, line);
	if (first) {
		config_file_error(f, line, "[vm.%.*s]: a second VM of this name (the first is on line "
				  "%u)", (int)parts[1].len, parts[1].text, first->line);
		return;
	}
	if (f->vm_count == CONFIG_FILE_VMS_MAX) {
		config_file_error(f, line, "[vm.%.*s]: more than %u VMs; this one is not made",
				  (int)parts[1].len, parts[1].text, CONFIG_FILE_VMS_MAX);
		return;
	}
	f->in_bad_table = false;
	start_vm(f, parts[1], line);
}

static void on_error(void *ctx, u32 line, const char *message)
{
	config_file_error(ctx, line, "%s", message);
}

static const struct toml_ops config_toml_ops = {
	.table = on_table,
	.pair = on_pair,
	.error = on_error,
};

void config_file_parse(struct config_file *f, const char *label, const char *text, size_t len,
		       void (*report)(void *ctx, const char *message), void *ctx)
{
	memset(f, 0, sizeof(*f));
	f->label = label;
	f->report = report;
	f->ctx = ctx;
	toml_parse(&f->toml, text, len, &config_toml_ops, f);
	finish_vm(f);
}

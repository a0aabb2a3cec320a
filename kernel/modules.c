/* SPDX-License-Identifier: MIT */
/* Boot modules: classification by their first word, look-up by name, and the boot-log list. */
#include "kernel/modules.h"
#include "kernel/format.h"
#include "kernel/printk.h"
#include "kernel/string.h"

static const struct {
	const char *word;
	enum module_kind kind;
} kinds[] = {
	{ "guest", MODULE_GUEST },
	{ "acpi-table", MODULE_ACPI_TABLE },
	{ "vmconfig", MODULE_VM_CONFIG },
};

static size_t first_word_len(const char *s)
{
	size_t n = 0;

	while (s[n] && s[n] != ' ')
		n++;
	return n;
}

enum module_kind module_kind_of(const struct boot_module *m)
{
	size_t n = first_word_len(m->string);

	if (n == 0)
		return MODULE_UNNAMED;
	for (u32 i = 0; i < ARRAY_SIZE(kinds); i++)
		if (strlen(kinds[i].word) == n && strncmp(m->string, kinds[i].word, n) == 0)
			return kinds[i].kind;
	return MODULE_FILE;
}

const struct boot_module *modules_find_file(const struct boot_info *bi, const char *name,
					    u32 *index)
{
	size_t n = strlen(name);

	for (u32 i = 0; i < bi->module_count; i++) {
		const struct boot_module *m = &bi->modules[i];

		if (first_word_len(m->string) == n && strncmp(m->string, name, n) == 0 &&
		    module_kind_of(m) == MODULE_FILE) {
			*index = i;
			return m;
		}
	}
	return NULL;
}

const char *module_args(const struct boot_module *m)
{
	const char *s = m->string + first_word_len(m->string);

	while (*s == ' ')
		s++;
	return s;
}

void modules_report(const struct boot_info *bi)
{
	char size[24];

	if (bi->module_count == 0) {
		pr_warn("modules: none given, so there are no guests to run (add module2 lines to "
			"grub.cfg)\n");
		return;
	}
	pr_info("modules (%u):\n", bi->module_count);
	if (bi->modules_dropped)
		pr_err("modules: %u given, Vireo takes at most %u: the last %u are ignored\n",
		       bi->module_count + bi->modules_dropped, BOOT_MODULES_MAX, bi->modules_dropped);
	for (u32 i = 0; i < bi->module_count; i++) {
		const struct boot_module *m = &bi->modules[i];
		char prefix[16], where[64];

		format_size(size, sizeof(size), m->end - m->start);
		format(prefix, sizeof(prefix), "  %u: ", i);
		format(where, sizeof(where), " at %#llx, %s", m->start, size);
		printk_text(LOG_INFO, prefix, m->string, where);
		if (module_kind_of(m) == MODULE_UNNAMED)
			pr_warn("module %u: no kind (guest, acpi-table, vmconfig) or name on its line; "
				"ignored\n", i);
	}
}

/* SPDX-License-Identifier: MIT */
/* Host unit tests of the VM config file: VMs read, and every mistake reported by its line. */
#include "tests/unit/unit.h"
#include "vmm/config_file.h"

#include <stdio.h>

static struct config_file f;
static char messages[16384];

static void collect(void *ctx, const char *message)
{
	assert_null(ctx);
	assert_true(strlen(message) < CONFIG_FILE_MESSAGE_MAX - 1);
	strncat(messages, message, sizeof(messages) - strlen(messages) - 2);
	strcat(messages, "\n");
}

static const char *parse(const char *text)
{
	messages[0] = '\0';
	config_file_parse(&f, "vms.toml", text, strlen(text), collect, NULL);
	return messages;
}

static const struct config_file_vm *vm_named(const char *name)
{
	for (u32 i = 0; i < f.vm_count; i++)
		if (strcmp(f.vms[i].config.name, name) == 0)
			return &f.vms[i];
	fail_msg("no VM '%s' among the %u read", name, f.vm_count);
	return NULL;
}

static void test_a_config_of_several_vms_reads_every_setting(void **state)
{
	const struct config_file_vm *vm;
	(void)state;

	assert_string_equal(parse(
		"# two VMs\n"
		"[vm.hello16]\n"
		"image = \"hello16.bin\"\n"
		"memory = \"2M\"\n"
		"format = \"flat\"\n"
		"load_address = 0x1000\n"
		"color = \"off\"\n"
		"devices = [\"debugcon\"]\n"
		"\n"
		"[vm.tour]\n"
		"image = \"exits.elf\"\n"
		"memory = 8388608\n"
		"vcpus = 2\n"
		"cpus = [1, 3]\n"
		"priority = 2\n"
		"timeout = \"10s\"\n"
		"onexit = \"restart\"\n"
		"cmdline = \"from the config\"\n"
		"modules = [\"initrd\", \"extra.bin\"]\n"
		"autostart = false\n"
		"gdb = true\n"), "");
	assert_int_equal(f.error_count, 0);
	assert_int_equal(f.vm_count, 2);
	vm = vm_named("hello16");
	assert_string_equal(vm->image, "hello16.bin");
	assert_int_equal(vm->config.mem_bytes, 2 * MiB);
	assert_int_equal(vm->config.format, VM_FORMAT_FLAT);
	assert_int_equal(vm->config.load_address, 0x1000);
	assert_int_equal(vm->config.entry, 0x1000);	/* the load address unless entry is given */
	assert_int_equal(vm->config.color, VM_COLOR_OFF);
	assert_int_equal(vm->config.devices, VM_DEVICE_DEBUGCON);
	assert_int_equal(vm->config.cpus, VM_CPUS_ANY);
	assert_true(vm->config.autostart);
	assert_false(vm->config.gdb);
	assert_int_equal(vm->line, 2);
	vm = vm_named("tour");
	assert_string_equal(vm->image, "exits.elf");
	assert_int_equal(vm->config.mem_bytes, 8 * MiB);
	assert_int_equal(vm->config.vcpus, 2);
	assert_int_equal(vm->config.cpus, BIT(1) | BIT(3));
	assert_int_equal(vm->config.priority, 2);
	assert_int_equal(vm->config.timeout_ms, 10000);
	assert_int_equal(vm->config.on_exit, VM_ON_EXIT_RESTART);
	assert_string_equal(vm->config.args, "from the config");
	assert_int_equal(vm->module_count, 2);
	assert_string_equal(vm->modules[0], "initrd");
	assert_string_equal(vm->modules[1], "extra.bin");
	assert_int_equal(vm->modules_line, 19);
	assert_false(vm->config.autostart);
	assert_true(vm->config.gdb);
	assert_int_equal(vm->config.devices, VM_DEVICES_DEFAULT);
	assert_int_equal(vm->config.entry, 0x7c00);
}

static void test_each_error_has_its_line_and_the_good_vms_stay(void **state)
{
	(void)state;
	assert_string_equal(parse(
		"[vm.good1]\n"			/* 1 */
		"image = \"a.bin\"\n"
		"\n"
		"[vm.bad]\n"			/* 4 */
		"image = \"b.bin\"\n"
		"memory = \"1M\"\n"		/* 6 */
		"vcpus = 2.5\n"			/* 7 */
		"colour = \"red\"\n"		/* 8 */
		"memory = \"4M\"\n"		/* 9: a second time */
		"\n"
		"[vm.good2]\n"			/* 11 */
		"image = \"c.bin\"\n"
		"[vm.good1]\n"			/* 13 */
		"image = \"d.bin\"\n"
		"[vm.noimage]\n"		/* 15 */
		"memory = \"4M\"\n"
		"[vm.notflat]\n"		/* 17 */
		"image = \"e.elf\"\n"
		"entry = 0x7c00\n"		/* 19 */
		"[host]\n"			/* 20 */
		"smp = 2\n"
		"[vm.has.dots]\n"		/* 22 */
		"[vm.a-name-that-is-far-too-long]\n"	/* 23 */
		"[vm.last]\n"			/* 24 */
		"image = \"hello world\"\n"	/* 25 */
		"modules = [\"1\", \"2\", \"3\", \"4\", \"5\", \"6\", \"7\", \"8\", \"9\"]\n"),
		"vms.toml:6: memory: expected a size such as \"64M\" (2M to 64G)\n"
		"vms.toml:7: Vireo's TOML subset does not have floating-point numbers\n"
		"vms.toml:8: unknown key 'colour' (the keys: image, modules, memory, vcpus, cpus, "
		"priority, timeout, onexit, format, cmdline, devices, input, autostart, gdb, color, "
		"load_address, entry, trace, trace_entries, on_reset)\n"
		"vms.toml:9: memory: given a second time (first on line 6)\n"
		"vms.toml:4: [vm.bad]: not made, for its 4 error(s)\n"
		"vms.toml:13: [vm.good1]: a second VM of this name (the first is on line 1)\n"
		"vms.toml:15: [vm.noimage]: no image (image = \"NAME\" names the boot module of its "
		"kernel)\n"
		"vms.toml:15: [vm.noimage]: not made, for its 1 error(s)\n"
		"vms.toml:19: entry: only with format = \"flat\"\n"
		"vms.toml:17: [vm.notflat]: not made, for its 1 error(s)\n"
		"vms.toml:20: expected a [vm.NAME] table (a config has no others)\n"
		"vms.toml:22: expected a [vm.NAME] table (a config has no others)\n"
		"vms.toml:23: [vm.a-name-that-is-far-too-long]: a VM name is 1 to 23 letters, "
		"digits, '-' and '_'\n"
		"vms.toml:25: image: expected the name of a boot module, such as \"hello16.bin\"\n"
		"vms.toml:26: modules: expected a list of up to 8 boot module names, such as "
		"[\"initrd\"]\n"
		"vms.toml:24: [vm.last]: not made, for its 2 error(s)\n");
	assert_int_equal(f.vm_count, 2);
	assert_string_equal(vm_named("good1")->image, "a.bin");
	assert_string_equal(vm_named("good2")->image, "c.bin");
	assert_int_equal(f.error_count, 16);
}

static void test_keys_outside_a_vm_table_are_refused(void **state)
{
	(void)state;
	assert_string_equal(parse("image = \"a\"\n[vm.x]\nimage = \"x\"\n"),
			    "vms.toml:1: 'image' outside a [vm.NAME] table\n");
	assert_int_equal(f.vm_count, 1);
}

static void test_at_most_the_vmm_s_number_of_vms(void **state)
{
	static char text[CONFIG_FILE_VMS_MAX * 40 + 100];
	char expected[128];
	(void)state;

	text[0] = '\0';
	for (u32 i = 0; i <= CONFIG_FILE_VMS_MAX; i++)
		sprintf(text + strlen(text), "[vm.v%u]\nimage = \"g\"\n", i);
	snprintf(expected, sizeof(expected), "vms.toml:%u: [vm.v64]: more than 64 VMs; this one "
		 "is not made\n", 2 * CONFIG_FILE_VMS_MAX + 1);
	assert_string_equal(parse(text), expected);
	assert_int_equal(f.vm_count, CONFIG_FILE_VMS_MAX);
	assert_string_equal(f.vms[CONFIG_FILE_VMS_MAX - 1].config.name, "v63");
}

static void test_an_empty_file_has_no_vms_and_no_errors(void **state)
{
	(void)state;
	assert_string_equal(parse("# nothing yet\n"), "");
	assert_int_equal(f.vm_count, 0);
	assert_int_equal(f.error_count, 0);
}

static void test_extra_messages_take_the_same_form(void **state)
{
	(void)state;
	parse("[vm.x]\nimage = \"x\"\n");
	config_file_error(&f, 2, "image: no boot module named '%s'", "x");
	assert_string_equal(messages, "vms.toml:2: image: no boot module named 'x'\n");
	assert_int_equal(f.error_count, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_config_of_several_vms_reads_every_setting),
		cmocka_unit_test(test_each_error_has_its_line_and_the_good_vms_stay),
		cmocka_unit_test(test_keys_outside_a_vm_table_are_refused),
		cmocka_unit_test(test_at_most_the_vmm_s_number_of_vms),
		cmocka_unit_test(test_an_empty_file_has_no_vms_and_no_errors),
		cmocka_unit_test(test_extra_messages_take_the_same_form),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

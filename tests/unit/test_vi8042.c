/* SPDX-License-Identifier: MIT */
/* Host unit tests of the PS/2 controller and keyboard: commands, answers, typing, IRQ1. */
#include "tests/unit/unit.h"
#include "tests/unit/fake_irq_line.h"
#include "vmm/dev/vi8042.h"
#include "vmm/dev/scancode.h"

#include <stdio.h>

static void fake_reset(void *ctx)
{
	(*(u32 *)ctx)++;
}

struct bench {
	struct vi8042 kbc;
	struct fake_line line;
	u32 resets;
};

static void bench_init(struct bench *b)
{
	struct irq_line line = { .set = fake_line_set, .ctx = &b->line, .irq = VI8042_IRQ };
	struct vi8042_reset reset = { .reset = fake_reset, .ctx = &b->resets };

	memset(b, 0x5a, sizeof(*b));
	b->line = (struct fake_line){ 0 };
	b->resets = 0;
	vi8042_init(&b->kbc, &line, &reset);
}

static u8 status(struct bench *b)
{
	return (u8)vi8042_ops.read(&b->kbc, VI8042_COMMAND_PORT, 1);
}

static void command(struct bench *b, u8 cmd)
{
	vi8042_ops.write(&b->kbc, VI8042_COMMAND_PORT, 1, cmd);
}

static void data_write(struct bench *b, u8 byte)
{
	vi8042_ops.write(&b->kbc, VI8042_DATA_PORT, 1, byte);
}

/* Read a byte the guest's way: it must be there (OBF), then read port 0x60. */
static u8 data_read(struct bench *b)
{
	if (!(status(b) & VI8042_STATUS_OBF))
		fail_msg("%s: output buffer empty", unit_label);
	return (u8)vi8042_ops.read(&b->kbc, VI8042_DATA_PORT, 1);
}

/* Every byte waiting must be want[0..n), and then nothing. */
static void expect_bytes(struct bench *b, const u8 *want, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		u8 got = data_read(b);

		if (got != want[i])
			fail_msg("%s: byte %zu is %#x, expected %#x", unit_label, i, got, want[i]);
	}
	if (status(b) & VI8042_STATUS_OBF)
		fail_msg("%s: an extra byte %#x", unit_label,
			 (u8)vi8042_ops.read(&b->kbc, VI8042_DATA_PORT, 1));
}

#define EXPECT_BYTES(b, ...)							\
	do {									\
		const u8 want_[] = { __VA_ARGS__ };				\
		expect_bytes(b, want_, sizeof(want_));				\
	} while (0)

static void set_config(struct bench *b, u8 config)
{
	command(b, VI8042_CMD_WRITE_CONFIG);
	data_write(b, config);
}

static void test_reset_state_is_what_a_bios_leaves(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b);
	snprintf(unit_label, sizeof(unit_label), "reset");
	assert_int_equal(status(&b), VI8042_STATUS_SYS | VI8042_STATUS_UNLOCKED);
	command(&b, VI8042_CMD_READ_CONFIG);
	assert_int_equal(status(&b), VI8042_STATUS_OBF | VI8042_STATUS_SYS | VI8042_STATUS_A2 |
					     VI8042_STATUS_UNLOCKED);
	EXPECT_BYTES(&b, 0x65);
	command(&b, VI8042_CMD_READ_OUTPORT);
	EXPECT_BYTES(&b, VI8042_OUTPORT_RESET | VI8042_OUTPORT_A20);
	assert_int_equal(b.kbc.scancode_set, 2);
	assert_int_equal(b.resets, 0);
}

static void test_controller_tests_answer(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b);
	snprintf(unit_label, sizeof(unit_label), "tests");
	set_config(&b, 0);
	assert_int_equal(status(&b) & VI8042_STATUS_SYS, 0);
	command(&b, VI8042_CMD_SELF_TEST);
	EXPECT_BYTES(&b, VI8042_SELF_TEST_OK);
	assert_int_equal(status(&b) & VI8042_STATUS_SYS, VI8042_STATUS_SYS);
	command(&b, VI8042_CMD_TEST_KBD);
	EXPECT_BYTES(&b, 0x00);
	command(&b, VI8042_CMD_TEST_AUX);	/* no mouse */
	EXPECT_BYTES(&b, VI8042_AUX_NO_DEVICE);
}

static void test_config_byte_is_written_and_read(void **state)
{
	static const u8 values[] = { 0x00, 0x01, 0x45, 0x47, 0x74, 0x7f };
	struct bench b;
	(void)state;

	bench_init(&b);
	for (size_t i = 0; i < ARRAY_SIZE(values); i++) {
		snprintf(unit_label, sizeof(unit_label), "config %#x", values[i]);
		set_config(&b, values[i]);
		assert_int_equal(status(&b) & VI8042_STATUS_A2, 0);	/* data went last */
		command(&b, VI8042_CMD_READ_CONFIG);
		EXPECT_BYTES(&b, values[i]);
		EXPECT_EQ(!!(status(&b) & VI8042_STATUS_SYS), !!(values[i] & VI8042_CONFIG_SYS));
	}
}

static void test_port_enable_commands_change_the_config_byte(void **state)
{
	static const struct {
		u8 cmd, set, clear;
	} cases[] = {
		{ VI8042_CMD_DISABLE_AUX, VI8042_CONFIG_AUX_DISABLE, 0 },
		{ VI8042_CMD_ENABLE_AUX, 0, VI8042_CONFIG_AUX_DISABLE },
		{ VI8042_CMD_DISABLE_KBD, VI8042_CONFIG_KBD_DISABLE, 0 },
		{ VI8042_CMD_ENABLE_KBD, 0, VI8042_CONFIG_KBD_DISABLE },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		for (u32 start = 0; start < 2; start++) {
			struct bench b;
			u8 before = start ? 0x75 : 0x05;

			bench_init(&b);
			snprintf(unit_label, sizeof(unit_label), "command %#x from %#x",
				 cases[i].cmd, before);
			set_config(&b, before);
			command(&b, cases[i].cmd);
			command(&b, VI8042_CMD_READ_CONFIG);
			EXPECT_BYTES(&b, (u8)((before | cases[i].set) & ~cases[i].clear));
		}
	}
}

static void test_disabled_keyboard_holds_keys_until_enabled(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b);
	snprintf(unit_label, sizeof(unit_label), "disabled");
	command(&b, VI8042_CMD_DISABLE_KBD);
	assert_true(vi8042_type_ascii(&b.kbc, 'a'));
	assert_int_equal(status(&b) & VI8042_STATUS_OBF, 0);
	/* Controller answers still come through. */
	command(&b, VI8042_CMD_SELF_TEST);
	EXPECT_BYTES(&b, VI8042_SELF_TEST_OK);
	command(&b, VI8042_CMD_ENABLE_KBD);
	EXPECT_BYTES(&b, 0x1e, 0x9e);

	/* A byte sent to the keyboard enables the interface too. */
	command(&b, VI8042_CMD_DISABLE_KBD);
	data_write(&b, VI8042_KBD_ECHO);
	EXPECT_BYTES(&b, VI8042_KBD_ECHO);
	command(&b, VI8042_CMD_READ_CONFIG);
	EXPECT_BYTES(&b, 0x65);
}

static void test_output_port_reset_line_and_a20(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b);
	snprintf(unit_label, sizeof(unit_label), "output port");
	command(&b, VI8042_CMD_WRITE_OUTPORT);
	data_write(&b, VI8042_OUTPORT_RESET);	/* A20 off, no reset */
	assert_int_equal(b.resets, 0);
	command(&b, VI8042_CMD_READ_OUTPORT);
	EXPECT_BYTES(&b, VI8042_OUTPORT_RESET);
	command(&b, VI8042_CMD_WRITE_OUTPORT);
	data_write(&b, VI8042_OUTPORT_A20);	/* bit 0 clear: reset */
	assert_int_equal(b.resets, 1);
	/* The data byte went to the output port, not to the keyboard. */
	assert_int_equal(status(&b) & VI8042_STATUS_OBF, 0);
}

static void test_pulse_commands_reset_when_bit_0_is_pulsed(void **state)
{
	(void)state;

	for (u32 cmd = 0xf0; cmd <= 0xff; cmd++) {
		struct bench b;

		bench_init(&b);
		snprintf(unit_label, sizeof(unit_label), "pulse %#x", cmd);
		command(&b, (u8)cmd);
		EXPECT_EQ(b.resets, (cmd & 1) ? 0 : 1);
		EXPECT_EQ(status(&b) & VI8042_STATUS_OBF, 0);
	}
}

static void test_write_keyboard_buffer_looks_like_keyboard_data(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b);
	snprintf(unit_label, sizeof(unit_label), "0xD2");
	command(&b, VI8042_CMD_WRITE_KBD_BUFFER);
	data_write(&b, 0x83);
	assert_true(b.line.high);
	EXPECT_BYTES(&b, 0x83);
	assert_false(b.line.high);
	/* Bytes for the mouse port find no device: nothing reaches the keyboard. */
	command(&b, VI8042_CMD_WRITE_AUX);
	data_write(&b, VI8042_KBD_RESET);
	command(&b, VI8042_CMD_WRITE_AUX_BUFFER);
	data_write(&b, 0x5a);
	EXPECT_BYTES(&b);
}

static void test_keyboard_reset_and_identify(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b);
	snprintf(unit_label, sizeof(unit_label), "keyboard");
	data_write(&b, VI8042_KBD_RESET);
	EXPECT_BYTES(&b, VI8042_KBD_ACK, VI8042_KBD_SELF_TEST_OK);
	/* Translation on: the second ID byte reads as its set 1 translation. */
	data_write(&b, VI8042_KBD_IDENTIFY);
	EXPECT_BYTES(&b, VI8042_KBD_ACK, VI8042_KBD_ID0, 0x41);
	set_config(&b, VI8042_CONFIG_KBD_IRQ);
	data_write(&b, VI8042_KBD_IDENTIFY);
	EXPECT_BYTES(&b, VI8042_KBD_ACK, VI8042_KBD_ID0, VI8042_KBD_ID1);
	data_write(&b, VI8042_KBD_ECHO);
	EXPECT_BYTES(&b, VI8042_KBD_ECHO);
	data_write(&b, 0x42);
	EXPECT_BYTES(&b, VI8042_KBD_RESEND);
}

static void test_keyboard_commands_with_data(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b);
	snprintf(unit_label, sizeof(unit_label), "LEDs");
	data_write(&b, VI8042_KBD_SET_LEDS);
	EXPECT_BYTES(&b, VI8042_KBD_ACK);
	data_write(&b, 0xff);
	EXPECT_BYTES(&b, VI8042_KBD_ACK);
	assert_int_equal(b.kbc.leds, 7);
	snprintf(unit_label, sizeof(unit_label), "typematic");
	data_write(&b, VI8042_KBD_TYPEMATIC);
	data_write(&b, 0x20);
	EXPECT_BYTES(&b, VI8042_KBD_ACK, VI8042_KBD_ACK);
	assert_int_equal(b.kbc.typematic, 0x20);
	/* F6 restores the typematic default; reset turns the LEDs off too. */
	data_write(&b, VI8042_KBD_DEFAULTS);
	EXPECT_BYTES(&b, VI8042_KBD_ACK);
	assert_int_equal(b.kbc.typematic, 0x2b);
	assert_int_equal(b.kbc.leds, 7);
	data_write(&b, VI8042_KBD_RESET);
	EXPECT_BYTES(&b, VI8042_KBD_ACK, VI8042_KBD_SELF_TEST_OK);
	assert_int_equal(b.kbc.leds, 0);
}

static void test_scancode_set_is_kept_and_reported(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b);
	set_config(&b, VI8042_CONFIG_KBD_IRQ);	/* translation off: plain answers */
	for (u8 set = 1; set <= 3; set++) {
		snprintf(unit_label, sizeof(unit_label), "set %u", set);
		data_write(&b, VI8042_KBD_SCANCODE_SET);
		data_write(&b, set);
		EXPECT_BYTES(&b, VI8042_KBD_ACK, VI8042_KBD_ACK);
		data_write(&b, VI8042_KBD_SCANCODE_SET);
		data_write(&b, 0);
		EXPECT_BYTES(&b, VI8042_KBD_ACK, VI8042_KBD_ACK, set);
	}
	snprintf(unit_label, sizeof(unit_label), "bad set");
	data_write(&b, VI8042_KBD_SCANCODE_SET);
	data_write(&b, 4);
	EXPECT_BYTES(&b, VI8042_KBD_ACK, VI8042_KBD_RESEND);
	assert_int_equal(b.kbc.scancode_set, 3);
	/* With translation on, the set number reads translated (set 2 reads 0x41). */
	data_write(&b, VI8042_KBD_RESET);
	EXPECT_BYTES(&b, VI8042_KBD_ACK, VI8042_KBD_SELF_TEST_OK);
	set_config(&b, VI8042_CONFIG_KBD_IRQ | VI8042_CONFIG_TRANSLATE);
	data_write(&b, VI8042_KBD_SCANCODE_SET);
	data_write(&b, 0);
	EXPECT_BYTES(&b, VI8042_KBD_ACK, VI8042_KBD_ACK, 0x41);
}

static void test_typing_a_gives_set_1_with_translation(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b);
	snprintf(unit_label, sizeof(unit_label), "'A', set 1");
	assert_true(vi8042_type_ascii(&b.kbc, 'A'));
	EXPECT_BYTES(&b, 0x2a, 0x1e, 0x9e, 0xaa);
}

static void test_typing_in_set_2_without_translation(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b);
	set_config(&b, VI8042_CONFIG_KBD_IRQ);
	snprintf(unit_label, sizeof(unit_label), "'A', set 2");
	assert_true(vi8042_type_ascii(&b.kbc, 'A'));
	EXPECT_BYTES(&b, 0x12, 0x1c, 0xf0, 0x1c, 0xf0, 0x12);
	/* A keyboard in set 1 sends set 1 either way. */
	data_write(&b, VI8042_KBD_SCANCODE_SET);
	data_write(&b, 1);
	EXPECT_BYTES(&b, VI8042_KBD_ACK, VI8042_KBD_ACK);
	snprintf(unit_label, sizeof(unit_label), "'a', keyboard in set 1");
	vi8042_type_ascii(&b.kbc, 'a');
	EXPECT_BYTES(&b, 0x1e, 0x9e);
}

static void test_console_characters_in_both_sets(void **state)
{
	static const struct {
		u8 ch;
		u8 set1[SCANCODE_MAX_BYTES], set2[SCANCODE_MAX_BYTES];
		u32 n1, n2;
	} cases[] = {
		{ 'a', { 0x1e, 0x9e }, { 0x1c, 0xf0, 0x1c }, 2, 3 },
		{ 'z', { 0x2c, 0xac }, { 0x1a, 0xf0, 0x1a }, 2, 3 },
		{ '0', { 0x0b, 0x8b }, { 0x45, 0xf0, 0x45 }, 2, 3 },
		{ ' ', { 0x39, 0xb9 }, { 0x29, 0xf0, 0x29 }, 2, 3 },
		{ '\r', { 0x1c, 0x9c }, { 0x5a, 0xf0, 0x5a }, 2, 3 },
		{ '\n', { 0x1c, 0x9c }, { 0x5a, 0xf0, 0x5a }, 2, 3 },
		{ '\b', { 0x0e, 0x8e }, { 0x66, 0xf0, 0x66 }, 2, 3 },
		{ 0x7f, { 0x0e, 0x8e }, { 0x66, 0xf0, 0x66 }, 2, 3 },
		{ '\t', { 0x0f, 0x8f }, { 0x0d, 0xf0, 0x0d }, 2, 3 },
		{ 0x1b, { 0x01, 0x81 }, { 0x76, 0xf0, 0x76 }, 2, 3 },
		{ '/', { 0x35, 0xb5 }, { 0x4a, 0xf0, 0x4a }, 2, 3 },
		{ '!', { 0x2a, 0x02, 0x82, 0xaa }, { 0x12, 0x16, 0xf0, 0x16, 0xf0, 0x12 }, 4, 6 },
		{ '~', { 0x2a, 0x29, 0xa9, 0xaa }, { 0x12, 0x0e, 0xf0, 0x0e, 0xf0, 0x12 }, 4, 6 },
		{ '"', { 0x2a, 0x28, 0xa8, 0xaa }, { 0x12, 0x52, 0xf0, 0x52, 0xf0, 0x12 }, 4, 6 },
		{ 'Z', { 0x2a, 0x2c, 0xac, 0xaa }, { 0x12, 0x1a, 0xf0, 0x1a, 0xf0, 0x12 }, 4, 6 },
		/* Ctrl-C: Ctrl make, C make and break, Ctrl break. */
		{ 0x03, { 0x1d, 0x2e, 0xae, 0x9d }, { 0x14, 0x21, 0xf0, 0x21, 0xf0, 0x14 }, 4, 6 },
		{ 0x1a, { 0x1d, 0x2c, 0xac, 0x9d }, { 0x14, 0x1a, 0xf0, 0x1a, 0xf0, 0x14 }, 4, 6 },
	};
	static const u8 no_key[] = { 0x00, 0x1c, 0x1f, 0x80, 0xe9, 0xff };
	u8 bytes[SCANCODE_MAX_BYTES];
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(unit_label, sizeof(unit_label), "char %#x", cases[i].ch);
		EXPECT_EQ(scancode_type_ascii(cases[i].ch, SCANCODE_SET1, bytes), cases[i].n1);
		if (memcmp(bytes, cases[i].set1, cases[i].n1))
			fail_msg("%s: set 1 codes differ", unit_label);
		EXPECT_EQ(scancode_type_ascii(cases[i].ch, SCANCODE_SET2, bytes), cases[i].n2);
		if (memcmp(bytes, cases[i].set2, cases[i].n2))
			fail_msg("%s: set 2 codes differ", unit_label);
	}
	for (size_t i = 0; i < ARRAY_SIZE(no_key); i++) {
		snprintf(unit_label, sizeof(unit_label), "char %#x", no_key[i]);
		EXPECT_EQ(scancode_type_ascii(no_key[i], SCANCODE_SET1, bytes), 0);
	}
	/* Every printable character has a key, in both sets. */
	for (u8 ch = 0x20; ch < 0x7f; ch++) {
		snprintf(unit_label, sizeof(unit_label), "char '%c'", ch);
		assert_true(scancode_type_ascii(ch, SCANCODE_SET1, bytes) >= 2);
		assert_true(scancode_type_ascii(ch, SCANCODE_SET2, bytes) >= 3);
	}
}

static void test_irq1_rises_once_per_byte(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b);
	snprintf(unit_label, sizeof(unit_label), "irq");
	vi8042_type_ascii(&b.kbc, 'A');
	assert_true(b.line.high);
	assert_int_equal(b.line.irq, VI8042_IRQ);
	for (u32 i = 1; i <= 4; i++) {
		assert_int_equal(b.line.rises, i);
		data_read(&b);
	}
	assert_false(b.line.high);
	assert_int_equal(b.line.rises, 4);
	/* Reading status does not take the byte. */
	vi8042_type_ascii(&b.kbc, 'a');
	status(&b);
	status(&b);
	assert_int_equal(b.line.rises, 5);

	/* With the config's IRQ bit clear the line stays low; setting it raises it. */
	set_config(&b, VI8042_CONFIG_TRANSLATE);
	assert_false(b.line.high);
	EXPECT_BYTES(&b, 0x1e, 0x9e);
	vi8042_type_ascii(&b.kbc, 'a');
	assert_false(b.line.high);
	set_config(&b, VI8042_CONFIG_TRANSLATE | VI8042_CONFIG_KBD_IRQ);
	assert_true(b.line.high);
	assert_int_equal(b.line.rises, 6);
}

static void test_disabled_scanning_and_a_full_queue_refuse_keys(void **state)
{
	struct bench b;
	u32 taken = 0;
	(void)state;

	bench_init(&b);
	snprintf(unit_label, sizeof(unit_label), "scanning");
	data_write(&b, VI8042_KBD_DISABLE);
	EXPECT_BYTES(&b, VI8042_KBD_ACK);
	assert_false(vi8042_type_ascii(&b.kbc, 'a'));
	EXPECT_BYTES(&b);
	data_write(&b, VI8042_KBD_ENABLE);
	EXPECT_BYTES(&b, VI8042_KBD_ACK);
	assert_true(vi8042_type_ascii(&b.kbc, 'a'));
	EXPECT_BYTES(&b, 0x1e, 0x9e);
	assert_true(vi8042_type_ascii(&b.kbc, 0x00));	/* no key: dropped */
	EXPECT_BYTES(&b);

	while (vi8042_type_ascii(&b.kbc, 'A'))
		taken++;
	/* One stroke sits in the output buffer; the queue holds the rest. */
	assert_int_equal(taken, (INPUT_RING_SIZE + 1) / 4);
	/* Reset empties the queue: the answers come next, then nothing. */
	data_write(&b, VI8042_KBD_RESET);
	data_read(&b);		/* the byte that was already in the buffer */
	EXPECT_BYTES(&b, VI8042_KBD_ACK, VI8042_KBD_SELF_TEST_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_state_is_what_a_bios_leaves),
		cmocka_unit_test(test_controller_tests_answer),
		cmocka_unit_test(test_config_byte_is_written_and_read),
		cmocka_unit_test(test_port_enable_commands_change_the_config_byte),
		cmocka_unit_test(test_disabled_keyboard_holds_keys_until_enabled),
		cmocka_unit_test(test_output_port_reset_line_and_a20),
		cmocka_unit_test(test_pulse_commands_reset_when_bit_0_is_pulsed),
		cmocka_unit_test(test_write_keyboard_buffer_looks_like_keyboard_data),
		cmocka_unit_test(test_keyboard_reset_and_identify),
		cmocka_unit_test(test_keyboard_commands_with_data),
		cmocka_unit_test(test_scancode_set_is_kept_and_reported),
		cmocka_unit_test(test_typing_a_gives_set_1_with_translation),
		cmocka_unit_test(test_typing_in_set_2_without_translation),
		cmocka_unit_test(test_console_characters_in_both_sets),
		cmocka_unit_test(test_irq1_rises_once_per_byte),
		cmocka_unit_test(test_disabled_scanning_and_a_full_queue_refuse_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

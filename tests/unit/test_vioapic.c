/* SPDX-License-Identifier: MIT */
/*
 * Host unit tests of the I/O APIC model: the register window, the redirection table, edge and
 * level triggering, polarity, masking, remote IRR and the EOI broadcast, the messages sent.
 */
#include "tests/unit/unit.h"
#include "vmm/dev/vioapic.h"

struct sink {
	u32 count;
	struct vioapic_message last;
};

static void record(void *ctx, const struct vioapic_message *m)
{
	struct sink *s = ctx;

	s->count++;
	s->last = *m;
}

struct fixture {
	struct vioapic io;
	struct sink sink;
};

static void setup(struct fixture *f)
{
	memset(f, 0x5a, sizeof(*f));
	memset(&f->sink, 0, sizeof(f->sink));
	f->io.deliver = record;
	f->io.deliver_ctx = &f->sink;
	vioapic_init(&f->io);
}

static u32 reg_read(struct fixture *f, u8 index)
{
	vioapic_ops.write(&f->io, VIOAPIC_IOREGSEL, 4, index);
	return (u32)vioapic_ops.read(&f->io, VIOAPIC_IOWIN, 4);
}

static void reg_write(struct fixture *f, u8 index, u32 value)
{
	vioapic_ops.write(&f->io, VIOAPIC_IOREGSEL, 4, index);
	vioapic_ops.write(&f->io, VIOAPIC_IOWIN, 4, value);
}

static void program(struct fixture *f, u8 pin, u32 low, u8 dest)
{
	reg_write(f, (u8)(VIOAPIC_REG_REDIR + 2 * pin + 1), (u32)dest << 24);
	reg_write(f, (u8)(VIOAPIC_REG_REDIR + 2 * pin), low);
}

static void test_reset_state_and_identification_registers(void **state)
{
	struct fixture f;
	(void)state;

	setup(&f);
	assert_int_equal(reg_read(&f, VIOAPIC_REG_VERSION), 0x00170011);
	assert_int_equal(reg_read(&f, VIOAPIC_REG_ID), 0);
	for (u8 pin = 0; pin < VIOAPIC_PINS; pin++) {
		assert_int_equal(reg_read(&f, (u8)(VIOAPIC_REG_REDIR + 2 * pin)), VIOAPIC_MASKED);
		assert_int_equal(reg_read(&f, (u8)(VIOAPIC_REG_REDIR + 2 * pin + 1)), 0);
	}
	/* past the 24th entry and unknown indexes read 0 */
	assert_int_equal(reg_read(&f, VIOAPIC_REG_REDIR + 2 * VIOAPIC_PINS), 0);
	assert_int_equal(reg_read(&f, 0x03), 0);
	assert_int_equal(f.sink.count, 0);
}

static void test_id_is_writable_version_and_arbitration_are_not(void **state)
{
	struct fixture f;
	(void)state;

	setup(&f);
	reg_write(&f, VIOAPIC_REG_ID, 0xff000000);
	assert_int_equal(reg_read(&f, VIOAPIC_REG_ID), 0x0f000000);
	assert_int_equal(reg_read(&f, VIOAPIC_REG_ARBITRATION), 0x0f000000);
	reg_write(&f, VIOAPIC_REG_VERSION, 0);
	reg_write(&f, VIOAPIC_REG_ARBITRATION, 0);
	assert_int_equal(reg_read(&f, VIOAPIC_REG_VERSION), 0x00170011);
	assert_int_equal(reg_read(&f, VIOAPIC_REG_ARBITRATION), 0x0f000000);
	/* IOREGSEL reads back; other offsets of the page read 0 and ignore writes */
	vioapic_ops.write(&f.io, VIOAPIC_IOREGSEL, 1, 0x12);
	assert_int_equal(vioapic_ops.read(&f.io, VIOAPIC_IOREGSEL, 4), 0x12);
	vioapic_ops.write(&f.io, 0x20, 4, 0xffffffff);
	assert_int_equal(vioapic_ops.read(&f.io, 0x20, 4), 0);
}

static void test_redirection_entry_reads_back_without_read_only_bits(void **state)
{
	struct fixture f;
	(void)state;

	setup(&f);
	/* all writable low bits, plus delivery status and remote IRR, which stay 0 */
	reg_write(&f, VIOAPIC_REG_REDIR + 4, 0xffffffff);
	assert_int_equal(reg_read(&f, VIOAPIC_REG_REDIR + 4), 0x1afff);
	reg_write(&f, VIOAPIC_REG_REDIR + 5, 0xffffffff);
	assert_int_equal(reg_read(&f, VIOAPIC_REG_REDIR + 5), 0xff000000);
	/* a byte write to IOWIN's second byte changes only that byte */
	reg_write(&f, VIOAPIC_REG_REDIR + 6, 0x10030);
	vioapic_ops.write(&f.io, VIOAPIC_IOREGSEL, 4, VIOAPIC_REG_REDIR + 6);
	vioapic_ops.write(&f.io, VIOAPIC_IOWIN + 1, 1, 0x08);
	assert_int_equal(reg_read(&f, VIOAPIC_REG_REDIR + 6), 0x10830);
	assert_int_equal(vioapic_ops.read(&f.io, VIOAPIC_IOWIN + 2, 1), 0x01);
}

static void test_edge_entry_sends_its_message_on_each_rising_edge(void **state)
{
	struct fixture f;
	(void)state;

	setup(&f);
	program(&f, 2, 0x30 | VIOAPIC_LOWEST_PRIORITY << 8 | VIOAPIC_DEST_LOGICAL, 0x03);
	vioapic_set_irq(&f.io, 2, true);
	assert_int_equal(f.sink.count, 1);
	assert_int_equal(f.sink.last.pin, 2);
	assert_int_equal(f.sink.last.vector, 0x30);
	assert_int_equal(f.sink.last.delivery, VIOAPIC_LOWEST_PRIORITY);
	assert_true(f.sink.last.logical);
	assert_int_equal(f.sink.last.destination, 0x03);
	assert_false(f.sink.last.level);
	vioapic_set_irq(&f.io, 2, true);	/* still high: no new edge */
	assert_int_equal(f.sink.count, 1);
	vioapic_set_irq(&f.io, 2, false);
	vioapic_set_irq(&f.io, 2, true);
	assert_int_equal(f.sink.count, 2);
	/* edges never set remote IRR */
	assert_int_equal(reg_read(&f, VIOAPIC_REG_REDIR + 4) & VIOAPIC_REMOTE_IRR, 0);
}

static void test_masked_edge_is_lost_and_unmasking_does_not_replay_it(void **state)
{
	struct fixture f;
	(void)state;

	setup(&f);
	program(&f, 4, 0x24 | VIOAPIC_MASKED, 0);
	vioapic_set_irq(&f.io, 4, true);
	assert_int_equal(f.sink.count, 0);
	program(&f, 4, 0x24, 0);
	assert_int_equal(f.sink.count, 0);
	vioapic_set_irq(&f.io, 4, false);
	vioapic_set_irq(&f.io, 4, true);
	assert_int_equal(f.sink.count, 1);
	assert_int_equal(f.sink.last.vector, 0x24);
	assert_false(f.sink.last.logical);
}

static void test_active_low_edge_fires_on_the_falling_edge(void **state)
{
	struct fixture f;
	(void)state;

	setup(&f);
	vioapic_set_irq(&f.io, 9, true);	/* idle high, as an active-low line is */
	program(&f, 9, 0x49 | VIOAPIC_ACTIVE_LOW, 1);
	assert_int_equal(f.sink.count, 0);
	vioapic_set_irq(&f.io, 9, false);
	assert_int_equal(f.sink.count, 1);
	vioapic_set_irq(&f.io, 9, true);
	assert_int_equal(f.sink.count, 1);
}

static void test_level_entry_waits_for_the_eoi_of_its_vector(void **state)
{
	struct fixture f;
	(void)state;

	setup(&f);
	program(&f, 10, 0x5a | VIOAPIC_LEVEL, 0);
	vioapic_set_irq(&f.io, 10, true);
	assert_int_equal(f.sink.count, 1);
	assert_true(f.sink.last.level);
	assert_true(reg_read(&f, VIOAPIC_REG_REDIR + 20) & VIOAPIC_REMOTE_IRR);
	/* still asserted: nothing more until the EOI; another vector's EOI does nothing */
	vioapic_set_irq(&f.io, 10, true);
	vioapic_eoi(&f.io, 0x5b);
	assert_int_equal(f.sink.count, 1);
	/* EOI with the line still high: sent again */
	vioapic_eoi(&f.io, 0x5a);
	assert_int_equal(f.sink.count, 2);
	/* the line goes low, then the EOI: remote IRR clears, nothing sent */
	vioapic_set_irq(&f.io, 10, false);
	vioapic_eoi(&f.io, 0x5a);
	assert_int_equal(f.sink.count, 2);
	assert_int_equal(reg_read(&f, VIOAPIC_REG_REDIR + 20) & VIOAPIC_REMOTE_IRR, 0);
	/* a guest write cannot set or clear remote IRR */
	vioapic_set_irq(&f.io, 10, true);
	assert_int_equal(f.sink.count, 3);
	program(&f, 10, 0x5a | VIOAPIC_LEVEL, 0);
	assert_true(reg_read(&f, VIOAPIC_REG_REDIR + 20) & VIOAPIC_REMOTE_IRR);
	assert_int_equal(f.sink.count, 3);
}

static void test_unmasking_an_asserted_level_entry_sends_at_once(void **state)
{
	struct fixture f;
	(void)state;

	setup(&f);
	program(&f, 11, 0x61 | VIOAPIC_LEVEL | VIOAPIC_MASKED, 2);
	vioapic_set_irq(&f.io, 11, true);
	assert_int_equal(f.sink.count, 0);
	program(&f, 11, 0x61 | VIOAPIC_LEVEL | VIOAPIC_NMI << 8, 2);
	assert_int_equal(f.sink.count, 1);
	assert_int_equal(f.sink.last.delivery, VIOAPIC_NMI);
	assert_int_equal(f.sink.last.destination, 2);
	assert_int_equal(f.io.messages, 1);
}

static void test_pins_out_of_range_are_ignored(void **state)
{
	struct fixture f;
	(void)state;

	setup(&f);
	for (u8 pin = 0; pin < VIOAPIC_PINS; pin++)
		program(&f, pin, 0x20 + pin, 0);
	vioapic_set_irq(&f.io, VIOAPIC_PINS, true);
	vioapic_set_irq(&f.io, 255, true);
	assert_int_equal(f.sink.count, 0);
	vioapic_set_irq(&f.io, VIOAPIC_PINS - 1, true);
	assert_int_equal(f.sink.count, 1);
	assert_int_equal(f.sink.last.vector, 0x20 + VIOAPIC_PINS - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_state_and_identification_registers),
		cmocka_unit_test(test_id_is_writable_version_and_arbitration_are_not),
		cmocka_unit_test(test_redirection_entry_reads_back_without_read_only_bits),
		cmocka_unit_test(test_edge_entry_sends_its_message_on_each_rising_edge),
		cmocka_unit_test(test_masked_edge_is_lost_and_unmasking_does_not_replay_it),
		cmocka_unit_test(test_active_low_edge_fires_on_the_falling_edge),
		cmocka_unit_test(test_level_entry_waits_for_the_eoi_of_its_vector),
		cmocka_unit_test(test_unmasking_an_asserted_level_entry_sends_at_once),
		cmocka_unit_test(test_pins_out_of_range_are_ignored),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

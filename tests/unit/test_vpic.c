/* SPDX-License-Identifier: MIT */
/* Host unit tests of the 8259A pair: initialization, masks, priorities, EOI, cascade, ELCR. */
#include "tests/unit/unit.h"
#include "vmm/dev/vpic.h"

#include <stdio.h>

struct fixture {
	struct vpic pic;
	unsigned rises, falls;	/* INT notifications */
};

static void on_intr(void *ctx, bool high)
{
	struct fixture *f = ctx;

	if (high)
		f->rises++;
	else
		f->falls++;
}

static void out(struct fixture *f, u16 port, u8 value)
{
	vpic_ops.write(&f->pic, port, 1, value);
}

static u8 in(struct fixture *f, u16 port)
{
	return (u8)vpic_ops.read(&f->pic, port, 1);
}

/* The sequence Linux and most BIOSes use: edge, cascade, ICW4, 8086 mode, normal EOI. */
static void init_pair(struct fixture *f, u8 master_base, u8 slave_base, u8 icw4)
{
	out(f, 0x20, 0x11);
	out(f, 0x21, master_base);
	out(f, 0x21, 0x04);	/* a slave on IR2 */
	out(f, 0x21, icw4);
	out(f, 0xa0, 0x11);
	out(f, 0xa1, slave_base);
	out(f, 0xa1, 0x02);	/* slave ID 2 */
	out(f, 0xa1, icw4);
}

/* A fixture filled with junk first, so vpic_init must really set every field. */
static struct fixture *setup(struct fixture *f, u8 icw4)
{
	memset(f, 0x5a, sizeof(*f));
	unit_label[0] = '\0';
	f->rises = f->falls = 0;
	f->pic.intr_changed = on_intr;
	f->pic.intr_ctx = f;
	vpic_init(&f->pic);
	init_pair(f, 0x20, 0x28, icw4);
	return f;
}

static void pulse(struct fixture *f, u8 irq)
{
	vpic_set_irq(&f->pic, irq, true);
	vpic_set_irq(&f->pic, irq, false);
}

/* What the event model does: ask for the vector, then acknowledge it when injected. */
static u8 take(struct fixture *f)
{
	int pending = vpic_pending_vector(&f->pic);
	u8 vector;

	if (pending < 0)
		fail_msg("%s: no vector pending", unit_label);
	vector = vpic_acknowledge(&f->pic);
	EXPECT_EQ(vector, (u8)pending);
	return vector;
}

static void eoi(struct fixture *f, u16 port)
{
	out(f, port, 0x20);
}

static u8 read_isr(struct fixture *f, u16 port)
{
	out(f, port, 0x0b);
	return in(f, port);
}

static u8 read_irr(struct fixture *f, u16 port)
{
	out(f, port, 0x0a);
	return in(f, port);
}

static void test_init_leaves_nothing_pending(void **state)
{
	struct fixture fx, *f = setup(&fx, 0x01);
	(void)state;

	assert_int_equal(vpic_pending_vector(&f->pic), -1);
	assert_int_equal(in(f, 0x21), 0);
	assert_int_equal(in(f, 0xa1), 0);
	assert_int_equal(read_irr(f, 0x20), 0);
	assert_int_equal(read_isr(f, 0x20), 0);
	assert_int_equal(f->rises, 0);
}

static void test_icw2_sets_the_vector_base_of_each_chip(void **state)
{
	static const struct {
		u8 master, slave;
	} bases[] = { { 0x08, 0x70 }, { 0x20, 0x28 }, { 0xf8, 0x30 }, { 0x47, 0x5f } };
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(bases); i++) {
		struct fixture fx, *f = setup(&fx, 0x01);

		snprintf(unit_label, sizeof(unit_label), "bases %#x/%#x", bases[i].master,
			 bases[i].slave);
		init_pair(f, bases[i].master, bases[i].slave, 0x01);
		pulse(f, 5);
		EXPECT_EQ(take(f), (bases[i].master & 0xf8) + 5);
		pulse(f, 11);
		eoi(f, 0x20);
		EXPECT_EQ(take(f), (bases[i].slave & 0xf8) + 3);
	}
}

static void test_data_port_writes_during_init_are_icws_not_the_imr(void **state)
{
	struct fixture fx, *f = setup(&fx, 0x01);
	(void)state;

	out(f, 0x21, 0xff);
	out(f, 0x20, 0x11);
	/* ICW1 cleared the IMR; the next three data writes are ICW2-4. */
	assert_int_equal(in(f, 0x21), 0);
	out(f, 0x21, 0x40);
	out(f, 0x21, 0x04);
	out(f, 0x21, 0x01);
	assert_int_equal(in(f, 0x21), 0);
	out(f, 0x21, 0xfe);	/* now OCW1: only IR0 unmasked */
	assert_int_equal(in(f, 0x21), 0xfe);
	pulse(f, 1);
	assert_int_equal(vpic_pending_vector(&f->pic), -1);
	pulse(f, 0);
	assert_int_equal(take(f), 0x40);
}

static void test_single_mode_without_icw4_skips_icw3_and_icw4(void **state)
{
	struct fixture fx, *f = setup(&fx, 0x01);
	(void)state;

	out(f, 0x20, 0x12);	/* single, no ICW4 */
	out(f, 0x21, 0x60);
	out(f, 0x21, 0x04);	/* already OCW1 */
	assert_int_equal(in(f, 0x21), 0x04);
	/* Single: IR2 is a plain input with the master's own vector, not a cascade. */
	pulse(f, 3);
	assert_int_equal(take(f), 0x63);
	eoi(f, 0x20);
	out(f, 0x21, 0x00);
	pulse(f, 10);	/* the slave requests, its INT reaches IR2 */
	assert_int_equal(take(f), 0x62);
}

static void test_cascade_without_icw4_takes_icw3_then_ocw1(void **state)
{
	struct fixture fx, *f = setup(&fx, 0x01);
	(void)state;

	out(f, 0x20, 0x10);	/* cascade, no ICW4: normal EOI */
	out(f, 0x21, 0x30);
	out(f, 0x21, 0x04);
	out(f, 0x21, 0x80);
	assert_int_equal(in(f, 0x21), 0x80);
	pulse(f, 0);
	assert_int_equal(take(f), 0x30);
	assert_int_equal(read_isr(f, 0x20), 0x01);
}

static void test_masked_requests_wait_in_the_irr(void **state)
{
	struct fixture fx, *f = setup(&fx, 0x01);
	(void)state;

	out(f, 0x21, 0x10);
	pulse(f, 4);
	assert_int_equal(vpic_pending_vector(&f->pic), -1);
	assert_int_equal(read_irr(f, 0x20), 0x10);
	assert_int_equal(f->rises, 0);
	out(f, 0x21, 0x00);
	assert_int_equal(f->rises, 1);
	assert_int_equal(take(f), 0x24);
	assert_int_equal(f->falls, 1);
	assert_int_equal(read_irr(f, 0x20), 0);
	assert_int_equal(read_isr(f, 0x20), 0x10);
}

static void test_fixed_priority_and_nesting(void **state)
{
	struct fixture fx, *f = setup(&fx, 0x01);
	(void)state;

	pulse(f, 6);
	pulse(f, 3);
	pulse(f, 5);
	assert_int_equal(take(f), 0x23);
	/* A lower request waits behind IR3 in service; a higher one nests. */
	assert_int_equal(vpic_pending_vector(&f->pic), -1);
	pulse(f, 1);
	assert_int_equal(take(f), 0x21);
	assert_int_equal(read_isr(f, 0x20), 0x0a);
	eoi(f, 0x20);	/* non-specific: the highest in service, IR1 */
	assert_int_equal(read_isr(f, 0x20), 0x08);
	assert_int_equal(vpic_pending_vector(&f->pic), -1);
	eoi(f, 0x20);
	assert_int_equal(take(f), 0x25);
	eoi(f, 0x20);
	assert_int_equal(take(f), 0x26);
	eoi(f, 0x20);
	assert_int_equal(read_isr(f, 0x20), 0);
	assert_int_equal(vpic_pending_vector(&f->pic), -1);
}

static void test_specific_eoi_clears_only_its_level(void **state)
{
	struct fixture fx, *f = setup(&fx, 0x01);
	(void)state;

	pulse(f, 4);
	take(f);
	pulse(f, 2 + 7);	/* IRQ 9, through IR2, nests above IR4 */
	take(f);
	assert_int_equal(read_isr(f, 0x20), 0x14);
	out(f, 0x20, 0x64);	/* specific EOI IR4 */
	assert_int_equal(read_isr(f, 0x20), 0x04);
	out(f, 0x20, 0x67);	/* IR7: not in service, nothing changes */
	assert_int_equal(read_isr(f, 0x20), 0x04);
	out(f, 0x20, 0x62);
	assert_int_equal(read_isr(f, 0x20), 0);
}

static void test_rotate_on_non_specific_eoi_makes_the_level_lowest(void **state)
{
	struct fixture fx, *f = setup(&fx, 0x01);
	(void)state;

	pulse(f, 0);
	assert_int_equal(take(f), 0x20);
	out(f, 0x20, 0xa0);	/* rotate on non-specific EOI: IR0 now lowest, IR1 highest */
	pulse(f, 0);
	pulse(f, 7);
	pulse(f, 1);
	assert_int_equal(take(f), 0x21);
	out(f, 0x20, 0xa0);	/* IR1 lowest: IR2..IR7, IR0, IR1 */
	assert_int_equal(take(f), 0x27);
	/* IR7 in service ranks above IR0 now: IR0 waits. */
	assert_int_equal(vpic_pending_vector(&f->pic), -1);
	out(f, 0x20, 0xa0);	/* IR7 lowest: IR0 highest again */
	assert_int_equal(take(f), 0x20);
}

static void test_rotate_on_specific_eoi_and_set_priority(void **state)
{
	struct fixture fx, *f = setup(&fx, 0x01);
	(void)state;

	pulse(f, 3);
	take(f);
	out(f, 0x20, 0xe3);	/* rotate on specific EOI IR3: IR4 highest */
	assert_int_equal(read_isr(f, 0x20), 0);
	pulse(f, 2 + 7);	/* cascade on IR2 */
	pulse(f, 4);
	assert_int_equal(take(f), 0x24);
	eoi(f, 0x20);
	out(f, 0x20, 0xc5);	/* set priority: IR5 lowest, IR6 highest */
	pulse(f, 6);
	assert_int_equal(take(f), 0x26);
	eoi(f, 0x20);
	out(f, 0x20, 0xc1);	/* IR1 lowest, IR2 highest */
	assert_int_equal(take(f), 0x29);
}

static void test_auto_eoi_leaves_nothing_in_service(void **state)
{
	struct fixture fx, *f = setup(&fx, 0x03);
	(void)state;

	pulse(f, 5);
	assert_int_equal(take(f), 0x25);
	assert_int_equal(read_isr(f, 0x20), 0);
	pulse(f, 6);	/* nothing in service: a lower one is taken at once */
	assert_int_equal(take(f), 0x26);
	/* Through the cascade both chips end their cycles by themselves. */
	pulse(f, 12);
	assert_int_equal(take(f), 0x2c);
	assert_int_equal(read_isr(f, 0x20), 0);
	assert_int_equal(read_isr(f, 0xa0), 0);
	/* Two slave requests: the slave's INT stays high, yet the second one comes through. */
	pulse(f, 13);
	pulse(f, 9);
	assert_int_equal(take(f), 0x29);
	assert_int_equal(take(f), 0x2d);
	assert_int_equal(vpic_pending_vector(&f->pic), -1);
}

static void test_rotate_in_auto_eoi_mode(void **state)
{
	struct fixture fx, *f = setup(&fx, 0x03);
	(void)state;

	out(f, 0x20, 0x80);	/* set rotate in AEOI mode */
	pulse(f, 1);
	pulse(f, 4);
	assert_int_equal(take(f), 0x21);	/* IR1 becomes lowest */
	pulse(f, 1);
	assert_int_equal(take(f), 0x24);	/* IR4 becomes lowest: IR5..IR4 */
	assert_int_equal(take(f), 0x21);	/* IR1 lowest again */
	out(f, 0x20, 0x00);	/* clear rotate in AEOI mode */
	pulse(f, 3);
	assert_int_equal(take(f), 0x23);	/* IR1 stays lowest: rotating would make it IR3 */
	pulse(f, 1);
	pulse(f, 3);
	assert_int_equal(take(f), 0x23);
	assert_int_equal(take(f), 0x21);
}

static void test_slave_request_reaches_the_cpu_through_master_ir2(void **state)
{
	struct fixture fx, *f = setup(&fx, 0x01);
	(void)state;

	vpic_set_irq(&f->pic, 14, true);
	assert_int_equal(f->rises, 1);
	assert_int_equal(read_irr(f, 0x20), 0x04);
	assert_int_equal(read_irr(f, 0xa0), 0x40);
	assert_int_equal(vpic_pending_vector(&f->pic), 0x2e);
	assert_int_equal(vpic_acknowledge(&f->pic), 0x2e);
	assert_int_equal(read_isr(f, 0x20), 0x04);
	assert_int_equal(read_isr(f, 0xa0), 0x40);
	assert_int_equal(read_irr(f, 0xa0), 0);
	/* A masked slave level, or a masked IR2, keeps the slave away from the CPU. */
	eoi(f, 0xa0);
	eoi(f, 0x20);
	out(f, 0xa1, 0x02);
	pulse(f, 9);
	assert_int_equal(vpic_pending_vector(&f->pic), -1);
	out(f, 0x21, 0x04);
	out(f, 0xa1, 0x00);
	assert_int_equal(vpic_pending_vector(&f->pic), -1);
	out(f, 0x21, 0x00);
	assert_int_equal(take(f), 0x29);
}

static void test_slave_priorities_are_its_own(void **state)
{
	struct fixture fx, *f = setup(&fx, 0x01);
	(void)state;

	pulse(f, 15);
	pulse(f, 8);
	pulse(f, 3);
	/* Master: IR2 (cascade) over IR3; slave: IR0 (IRQ 8) over IR7. */
	assert_int_equal(take(f), 0x28);
	eoi(f, 0xa0);
	eoi(f, 0x20);
	assert_int_equal(take(f), 0x2f);
	eoi(f, 0xa0);
	eoi(f, 0x20);
	assert_int_equal(take(f), 0x23);
}

static void test_special_fully_nested_lets_a_higher_slave_request_through(void **state)
{
	struct fixture fnm, sfnm, *master_fnm = setup(&fnm, 0x01), *master_sfnm = setup(&sfnm, 0x11);
	struct fixture *both[] = { master_fnm, master_sfnm };
	(void)state;

	for (int i = 0; i < 2; i++) {
		struct fixture *f = both[i];

		pulse(f, 12);
		assert_int_equal(take(f), 0x2c);
		pulse(f, 9);	/* higher on the slave, while IR2 is in service on the master */
	}
	assert_int_equal(vpic_pending_vector(&master_fnm->pic), -1);
	assert_int_equal(take(master_sfnm), 0x29);
}

static void test_spurious_irq7_when_a_level_request_vanishes(void **state)
{
	struct fixture fx, *f = setup(&fx, 0x01);
	(void)state;

	out(f, 0x4d0, 0x20);	/* IRQ 5 level-triggered */
	vpic_set_irq(&f->pic, 5, true);
	assert_int_equal(vpic_pending_vector(&f->pic), 0x25);
	vpic_set_irq(&f->pic, 5, false);
	assert_int_equal(vpic_acknowledge(&f->pic), 0x27);
	assert_int_equal(read_isr(f, 0x20), 0);
	assert_int_equal(f->rises, 1);
	assert_int_equal(f->falls, 1);
}

static void test_spurious_irq7_when_masked_before_acknowledge(void **state)
{
	struct fixture fx, *f = setup(&fx, 0x01);
	(void)state;

	pulse(f, 3);
	out(f, 0x21, 0x08);
	assert_int_equal(vpic_acknowledge(&f->pic), 0x27);
	assert_int_equal(read_isr(f, 0x20), 0);
	out(f, 0x21, 0x00);
	assert_int_equal(take(f), 0x23);	/* the edge is still latched */
}

static void test_spurious_irq15_puts_ir2_but_not_the_slave_in_service(void **state)
{
	struct fixture fx, *f = setup(&fx, 0x01);
	(void)state;

	out(f, 0x4d1, 0x08);	/* IRQ 11 level-triggered */
	vpic_set_irq(&f->pic, 11, true);
	assert_int_equal(read_irr(f, 0x20), 0x04);
	vpic_set_irq(&f->pic, 11, false);
	/* The master latched the slave's INT edge on IR2; the slave has nothing left. */
	assert_int_equal(vpic_pending_vector(&f->pic), 0x2f);
	assert_int_equal(vpic_acknowledge(&f->pic), 0x2f);
	assert_int_equal(read_isr(f, 0x20), 0x04);
	assert_int_equal(read_isr(f, 0xa0), 0);
}

static void test_an_edge_held_high_requests_once(void **state)
{
	struct fixture fx, *f = setup(&fx, 0x01);
	(void)state;

	vpic_set_irq(&f->pic, 4, true);
	assert_int_equal(take(f), 0x24);
	eoi(f, 0x20);
	vpic_set_irq(&f->pic, 4, true);
	assert_int_equal(vpic_pending_vector(&f->pic), -1);
	assert_int_equal(read_irr(f, 0x20), 0);
	vpic_set_irq(&f->pic, 4, false);
	vpic_set_irq(&f->pic, 4, true);
	assert_int_equal(take(f), 0x24);
}

static void test_a_level_requests_again_after_eoi_while_high(void **state)
{
	struct fixture fx, *f = setup(&fx, 0x01);
	(void)state;

	out(f, 0x4d0, 0x10);
	vpic_set_irq(&f->pic, 4, true);
	assert_int_equal(take(f), 0x24);
	/* In service: blocked, though the IRR still shows the line. */
	assert_int_equal(vpic_pending_vector(&f->pic), -1);
	assert_int_equal(read_irr(f, 0x20), 0x10);
	eoi(f, 0x20);
	assert_int_equal(take(f), 0x24);
	vpic_set_irq(&f->pic, 4, false);
	eoi(f, 0x20);
	assert_int_equal(vpic_pending_vector(&f->pic), -1);
	assert_int_equal(read_irr(f, 0x20), 0);
}

static void test_icw1_ltim_makes_every_input_level_triggered(void **state)
{
	struct fixture fx, *f = setup(&fx, 0x01);
	(void)state;

	out(f, 0xa0, 0x19);
	out(f, 0xa1, 0x70);
	out(f, 0xa1, 0x02);
	out(f, 0xa1, 0x01);
	vpic_set_irq(&f->pic, 8, true);	/* ELCR can never make IRQ 8 level-triggered */
	assert_int_equal(take(f), 0x70);
	eoi(f, 0xa0);
	eoi(f, 0x20);
	assert_int_equal(take(f), 0x70);
}

static void test_elcr_fixed_bits_and_readback(void **state)
{
	static const struct {
		u16 port;
		u8 written, read;
	} cases[] = {
		{ 0x4d0, 0xff, 0xf8 }, { 0x4d0, 0x07, 0x00 }, { 0x4d0, 0x28, 0x28 },
		{ 0x4d1, 0xff, 0xde }, { 0x4d1, 0x21, 0x00 }, { 0x4d1, 0x8e, 0x8e },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct fixture fx, *f = setup(&fx, 0x01);
		u16 other = cases[i].port ^ 1;

		snprintf(unit_label, sizeof(unit_label), "ELCR %#x <- %#x", cases[i].port,
			 cases[i].written);
		out(f, cases[i].port, cases[i].written);
		EXPECT_EQ(in(f, cases[i].port), cases[i].read);
		EXPECT_EQ(in(f, other), 0);
	}
}

static void test_elcr_survives_icw1_and_a_newly_level_input_requests(void **state)
{
	struct fixture fx, *f = setup(&fx, 0x01);
	(void)state;

	vpic_set_irq(&f->pic, 10, true);
	assert_int_equal(take(f), 0x2a);
	eoi(f, 0xa0);
	eoi(f, 0x20);
	out(f, 0x4d1, 0x04);	/* IRQ 10 level now: its high line requests again */
	assert_int_equal(take(f), 0x2a);
	init_pair(f, 0x20, 0x28, 0x01);
	assert_int_equal(in(f, 0x4d1), 0x04);
	assert_int_equal(take(f), 0x2a);
}

static void test_icw1_resets_the_edge_sense_and_the_imr(void **state)
{
	struct fixture fx, *f = setup(&fx, 0x01);
	(void)state;

	vpic_set_irq(&f->pic, 3, true);
	out(f, 0x21, 0xff);
	init_pair(f, 0x20, 0x28, 0x01);
	/* The request latched before is gone, and the high line must fall and rise again. */
	assert_int_equal(in(f, 0x21), 0);
	assert_int_equal(vpic_pending_vector(&f->pic), -1);
	pulse(f, 3);
	assert_int_equal(vpic_pending_vector(&f->pic), -1);
	vpic_set_irq(&f->pic, 3, true);
	assert_int_equal(take(f), 0x23);
}

static void test_poll_mode_reads_the_request_and_acknowledges_it(void **state)
{
	struct fixture fx, *f = setup(&fx, 0x01);
	(void)state;

	out(f, 0x20, 0x0c);
	assert_int_equal(in(f, 0x20), 0);	/* nothing pending */
	pulse(f, 6);
	pulse(f, 1);
	out(f, 0x20, 0x0c);
	assert_int_equal(in(f, 0x20), 0x81);
	/* A poll is one read: the next read gives the selected register (the IRR) again. */
	assert_int_equal(in(f, 0x20), 0x40);
	assert_int_equal(read_isr(f, 0x20), 0x02);
	eoi(f, 0x20);
	out(f, 0x20, 0x0c);
	assert_int_equal(in(f, 0x20), 0x86);
	eoi(f, 0x20);
	/* Polling the pair: the master says IR2, the slave says which of its own. */
	pulse(f, 13);
	out(f, 0x20, 0x0c);
	assert_int_equal(in(f, 0x20), 0x82);
	out(f, 0xa0, 0x0c);
	assert_int_equal(in(f, 0xa0), 0x85);
	assert_int_equal(read_isr(f, 0xa0), 0x20);
	assert_int_equal(vpic_pending_vector(&f->pic), -1);
}

static void test_ocw3_selects_irr_or_isr_and_keeps_it(void **state)
{
	struct fixture fx, *f = setup(&fx, 0x01);
	(void)state;

	pulse(f, 2 + 7);
	pulse(f, 5);
	take(f);
	pulse(f, 7);
	out(f, 0x20, 0x0b);
	assert_int_equal(in(f, 0x20), 0x04);
	assert_int_equal(in(f, 0x20), 0x04);	/* the selection stays */
	out(f, 0x20, 0x08);	/* RR=0: no change */
	assert_int_equal(in(f, 0x20), 0x04);
	out(f, 0x20, 0x0a);
	assert_int_equal(in(f, 0x20), 0xa0);
	assert_int_equal(in(f, 0xa0), 0);	/* the slave's IRR: IRQ 9 was taken */
	out(f, 0xa0, 0x0b);
	assert_int_equal(in(f, 0xa0), 0x02);
}

static void test_special_mask_mode_enables_lower_levels(void **state)
{
	struct fixture fx, *f = setup(&fx, 0x01);
	(void)state;

	pulse(f, 3);
	assert_int_equal(take(f), 0x23);
	out(f, 0x21, 0x08);
	out(f, 0x20, 0x68);	/* ESMM, SMM: set */
	pulse(f, 6);
	assert_int_equal(take(f), 0x26);
	/* A level in service still inhibits itself. */
	pulse(f, 6);
	assert_int_equal(vpic_pending_vector(&f->pic), -1);
	out(f, 0x20, 0x48);	/* ESMM, SMM clear: back to nesting */
	out(f, 0x21, 0x00);
	out(f, 0x20, 0x66);	/* specific EOI IR6 */
	pulse(f, 7);
	assert_int_equal(vpic_pending_vector(&f->pic), -1);	/* IR3 in service */
	out(f, 0x20, 0x28);	/* SMM without ESMM: ignored */
	assert_int_equal(vpic_pending_vector(&f->pic), -1);
	eoi(f, 0x20);
	assert_int_equal(take(f), 0x26);
}

static void test_intr_notifications_follow_the_output(void **state)
{
	struct fixture fx, *f = setup(&fx, 0x01);
	(void)state;

	pulse(f, 1);
	assert_int_equal(f->rises, 1);
	pulse(f, 0);	/* INT already high */
	assert_int_equal(f->rises, 1);
	assert_int_equal(take(f), 0x20);
	/* IR0 in service outranks IR1: INT falls, and rises again at the EOI. */
	assert_int_equal(f->falls, 1);
	eoi(f, 0x20);
	assert_int_equal(f->rises, 2);
	assert_int_equal(take(f), 0x21);
	assert_int_equal(f->falls, 2);
	eoi(f, 0x20);
	assert_int_equal(f->rises, 2);
	assert_int_equal(f->falls, 2);
}

static void test_irq_line_reaches_the_pic_and_irq2_is_irq9(void **state)
{
	struct fixture fx, *f = setup(&fx, 0x01);
	struct irq_line line = vpic_irq_line(&f->pic, 2);
	(void)state;

	irq_line_pulse(&line);
	assert_int_equal(read_irr(f, 0xa0), 0x02);
	assert_int_equal(take(f), 0x29);
	line = vpic_irq_line(&f->pic, 16);
	irq_line_pulse(&line);	/* no such line: ignored */
	assert_int_equal(read_irr(f, 0x20), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_leaves_nothing_pending),
		cmocka_unit_test(test_icw2_sets_the_vector_base_of_each_chip),
		cmocka_unit_test(test_data_port_writes_during_init_are_icws_not_the_imr),
		cmocka_unit_test(test_single_mode_without_icw4_skips_icw3_and_icw4),
		cmocka_unit_test(test_cascade_without_icw4_takes_icw3_then_ocw1),
		cmocka_unit_test(test_masked_requests_wait_in_the_irr),
		cmocka_unit_test(test_fixed_priority_and_nesting),
		cmocka_unit_test(test_specific_eoi_clears_only_its_level),
		cmocka_unit_test(test_rotate_on_non_specific_eoi_makes_the_level_lowest),
		cmocka_unit_test(test_rotate_on_specific_eoi_and_set_priority),
		cmocka_unit_test(test_auto_eoi_leaves_nothing_in_service),
		cmocka_unit_test(test_rotate_in_auto_eoi_mode),
		cmocka_unit_test(test_slave_request_reaches_the_cpu_through_master_ir2),
		cmocka_unit_test(test_slave_priorities_are_its_own),
		cmocka_unit_test(test_special_fully_nested_lets_a_higher_slave_request_through),
		cmocka_unit_test(test_spurious_irq7_when_a_level_request_vanishes),
		cmocka_unit_test(test_spurious_irq7_when_masked_before_acknowledge),
		cmocka_unit_test(test_spurious_irq15_puts_ir2_but_not_the_slave_in_service),
		cmocka_unit_test(test_an_edge_held_high_requests_once),
		cmocka_unit_test(test_a_level_requests_again_after_eoi_while_high),
		cmocka_unit_test(test_icw1_ltim_makes_every_input_level_triggered),
		cmocka_unit_test(test_elcr_fixed_bits_and_readback),
		cmocka_unit_test(test_elcr_survives_icw1_and_a_newly_level_input_requests),
		cmocka_unit_test(test_icw1_resets_the_edge_sense_and_the_imr),
		cmocka_unit_test(test_poll_mode_reads_the_request_and_acknowledges_it),
		cmocka_unit_test(test_ocw3_selects_irr_or_isr_and_keeps_it),
		cmocka_unit_test(test_special_mask_mode_enables_lower_levels),
		cmocka_unit_test(test_intr_notifications_follow_the_output),
		cmocka_unit_test(test_irq_line_reaches_the_pic_and_irq2_is_irq9),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

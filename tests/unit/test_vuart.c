/* SPDX-License-Identifier: MIT */
/* Host unit tests of the 16550A model: every register, FIFOs, loopback, interrupts. */
#include "tests/unit/unit.h"
#include "tests/unit/fake_irq_line.h"
#include "vmm/dev/vuart.h"

#include <stdio.h>

/* An interrupt line that remembers its level and counts its rising edges. */
/* A console that keeps what it is sent. */
struct fake_console {
	u8 bytes[64];
	u32 count;
};

static void fake_console_put(void *ctx, u8 byte)
{
	struct fake_console *c = ctx;

	assert_true(c->count < sizeof(c->bytes));
	c->bytes[c->count++] = byte;
}

struct bench {
	struct vuart uart;
	struct fake_line line;
	struct fake_console console;
};

static void bench_init_at(struct bench *b, u16 base, u8 irq)
{
	struct irq_line line = { .set = fake_line_set, .ctx = &b->line, .irq = irq };
	struct vuart_output output = { .put = fake_console_put, .ctx = &b->console };

	memset(b, 0x5a, sizeof(*b));
	b->line = (struct fake_line){ 0 };
	b->console = (struct fake_console){ 0 };
	vuart_init(&b->uart, base, &line, &output);
}

static void bench_init(struct bench *b)
{
	bench_init_at(b, VUART_COM1_BASE, VUART_COM1_IRQ);
}

static u8 rd(struct bench *b, enum vuart_reg reg)
{
	return (u8)vuart_ops.read(&b->uart, (u16)(b->uart.base + reg), 1);
}

static void wr(struct bench *b, enum vuart_reg reg, u8 value)
{
	vuart_ops.write(&b->uart, (u16)(b->uart.base + reg), 1, value);
}

static void test_reset_state(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b);
	assert_int_equal(rd(&b, VUART_IER_DLM), 0);
	assert_int_equal(rd(&b, VUART_IIR_FCR), VUART_IIR_NONE);
	assert_int_equal(rd(&b, VUART_LCR), 0);
	assert_int_equal(rd(&b, VUART_MCR), 0);
	assert_int_equal(rd(&b, VUART_LSR), VUART_LSR_THRE | VUART_LSR_TEMT);
	/* The null-modem console: CTS, DSR and DCD asserted, nothing changed yet. */
	assert_int_equal(rd(&b, VUART_MSR), VUART_MSR_CTS | VUART_MSR_DSR | VUART_MSR_DCD);
	assert_int_equal(rd(&b, VUART_RBR_THR_DLL), 0);
	assert_false(b.line.high);
	assert_int_equal(b.line.sets, 0);
}

static void test_transmitted_bytes_reach_the_console_at_once(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b);
	for (u8 c = 'a'; c <= 'e'; c++) {
		wr(&b, VUART_RBR_THR_DLL, c);
		assert_int_equal(rd(&b, VUART_LSR) & (VUART_LSR_THRE | VUART_LSR_TEMT),
				 VUART_LSR_THRE | VUART_LSR_TEMT);
	}
	assert_int_equal(b.console.count, 5);
	assert_memory_equal(b.console.bytes, "abcde", 5);
	/* Nothing loops into the receiver outside loopback. */
	assert_int_equal(rd(&b, VUART_LSR) & VUART_LSR_DR, 0);
}

static void test_divisor_latch_shadows_thr_and_ier(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b);
	wr(&b, VUART_IER_DLM, VUART_IER_RDA);
	wr(&b, VUART_LCR, VUART_LCR_DLAB | 0x03);
	wr(&b, VUART_RBR_THR_DLL, 0x0c);
	wr(&b, VUART_IER_DLM, 0x01);
	assert_int_equal(b.console.count, 0);	/* DLL took the byte, not THR */
	assert_int_equal(rd(&b, VUART_RBR_THR_DLL), 0x0c);
	assert_int_equal(rd(&b, VUART_IER_DLM), 0x01);
	assert_int_equal(rd(&b, VUART_LCR), VUART_LCR_DLAB | 0x03);

	wr(&b, VUART_LCR, 0x03);
	assert_int_equal(rd(&b, VUART_IER_DLM), VUART_IER_RDA);	/* IER kept its value */
	wr(&b, VUART_RBR_THR_DLL, 'x');
	assert_int_equal(b.console.count, 1);
	wr(&b, VUART_LCR, VUART_LCR_DLAB);
	assert_int_equal(rd(&b, VUART_RBR_THR_DLL), 0x0c);	/* the latch kept its value */
	assert_int_equal(rd(&b, VUART_IER_DLM), 0x01);
}

static void test_scratch_and_ier_keep_what_is_written(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b);
	for (u32 v = 0; v < 256; v++) {
		wr(&b, VUART_SCR, (u8)v);
		assert_int_equal(rd(&b, VUART_SCR), v);
	}
	/* IER bits 7-4 and MCR bits 7-5 always read 0. */
	wr(&b, VUART_IER_DLM, 0xff);
	assert_int_equal(rd(&b, VUART_IER_DLM), 0x0f);
	wr(&b, VUART_MCR, 0xff);
	assert_int_equal(rd(&b, VUART_MCR), 0x1f);
}

static void test_received_bytes_come_out_in_order(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b);
	wr(&b, VUART_IIR_FCR, VUART_FCR_ENABLE);
	for (u8 c = '0'; c < '0' + VUART_FIFO_SIZE; c++)
		assert_true(vuart_receive(&b.uart, c));
	/* A full FIFO refuses the console's byte: the glue keeps it. No overrun. */
	assert_false(vuart_receive(&b.uart, 'X'));
	for (u8 c = '0'; c < '0' + VUART_FIFO_SIZE; c++) {
		assert_int_equal(rd(&b, VUART_LSR), VUART_LSR_DR | VUART_LSR_THRE | VUART_LSR_TEMT);
		assert_int_equal(rd(&b, VUART_RBR_THR_DLL), c);
	}
	assert_int_equal(rd(&b, VUART_LSR), VUART_LSR_THRE | VUART_LSR_TEMT);
}

static void test_without_fifos_the_receiver_holds_one_byte(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b);
	assert_true(vuart_receive(&b.uart, 'a'));
	assert_false(vuart_receive(&b.uart, 'b'));
	assert_int_equal(rd(&b, VUART_RBR_THR_DLL), 'a');
	assert_true(vuart_receive(&b.uart, 'b'));
	assert_int_equal(rd(&b, VUART_RBR_THR_DLL), 'b');
}

static void test_fcr_clears_the_receiver_and_shows_in_iir(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b);
	wr(&b, VUART_IIR_FCR, VUART_FCR_ENABLE);
	assert_int_equal(rd(&b, VUART_IIR_FCR), VUART_IIR_FIFO_ON | VUART_IIR_NONE);
	vuart_receive(&b.uart, 'a');
	vuart_receive(&b.uart, 'b');
	wr(&b, VUART_IIR_FCR, VUART_FCR_ENABLE | VUART_FCR_CLEAR_TX);
	assert_int_equal(rd(&b, VUART_LSR) & VUART_LSR_DR, VUART_LSR_DR);	/* RX untouched */
	wr(&b, VUART_IIR_FCR, VUART_FCR_ENABLE | VUART_FCR_CLEAR_RX);
	assert_int_equal(rd(&b, VUART_LSR) & VUART_LSR_DR, 0);

	/* Leaving FIFO mode empties the FIFO too. */
	vuart_receive(&b.uart, 'c');
	wr(&b, VUART_IIR_FCR, 0);
	assert_int_equal(rd(&b, VUART_LSR) & VUART_LSR_DR, 0);
	assert_int_equal(rd(&b, VUART_IIR_FCR), VUART_IIR_NONE);
	/* Without bit 0 the trigger bits are not programmed. */
	wr(&b, VUART_IIR_FCR, 0xc0);
	assert_int_equal(rd(&b, VUART_IIR_FCR), VUART_IIR_NONE);
	assert_int_equal(b.uart.fcr, 0);
}

static void test_trigger_levels_separate_data_available_from_timeout(void **state)
{
	static const struct {
		u8 fcr;
		u32 level;
	} cases[] = {
		{ 0x00, 1 }, { 0x40, 4 }, { 0x80, 8 }, { 0xc0, 14 },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct bench b;

		bench_init(&b);
		wr(&b, VUART_IIR_FCR, VUART_FCR_ENABLE | cases[i].fcr);
		wr(&b, VUART_IER_DLM, VUART_IER_RDA);
		for (u32 n = 1; n <= VUART_FIFO_SIZE; n++) {
			u8 want = n < cases[i].level ? VUART_IIR_TIMEOUT : VUART_IIR_RDA;

			vuart_receive(&b.uart, (u8)n);
			snprintf(unit_label, sizeof(unit_label), "level %u, %u bytes",
				 cases[i].level, n);
			EXPECT_EQ(rd(&b, VUART_IIR_FCR), VUART_IIR_FIFO_ON | want);
		}
		/* Reading below the level turns it back into a timeout, then into nothing. */
		while (b.uart.rx.count >= cases[i].level)
			rd(&b, VUART_RBR_THR_DLL);
		if (b.uart.rx.count) {
			EXPECT_EQ(rd(&b, VUART_IIR_FCR), VUART_IIR_FIFO_ON | VUART_IIR_TIMEOUT);
			while (b.uart.rx.count)
				rd(&b, VUART_RBR_THR_DLL);
		}
		EXPECT_EQ(rd(&b, VUART_IIR_FCR), VUART_IIR_FIFO_ON | VUART_IIR_NONE);
	}
}

static void test_without_fifos_one_byte_is_data_available(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b);
	wr(&b, VUART_IER_DLM, VUART_IER_RDA);
	vuart_receive(&b.uart, 'k');
	assert_int_equal(rd(&b, VUART_IIR_FCR), VUART_IIR_RDA);
	assert_int_equal(rd(&b, VUART_RBR_THR_DLL), 'k');
	assert_int_equal(rd(&b, VUART_IIR_FCR), VUART_IIR_NONE);
}

static void test_loopback_sends_tx_to_rx_and_mcr_to_msr(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b);
	rd(&b, VUART_MSR);
	wr(&b, VUART_MCR, VUART_MCR_LOOP);
	/* All four lines fall: CTS, DSR and DCD change; RI was low. */
	assert_int_equal(rd(&b, VUART_MSR), VUART_MSR_DCTS | VUART_MSR_DDSR | VUART_MSR_DDCD);
	assert_int_equal(rd(&b, VUART_MSR), 0);	/* deltas clear on read */

	static const struct {
		u8 mcr, msr;
	} lines[] = {
		{ VUART_MCR_RTS, VUART_MSR_CTS },
		{ VUART_MCR_DTR, VUART_MSR_DSR },
		{ VUART_MCR_OUT1, VUART_MSR_RI },
		{ VUART_MCR_OUT2, VUART_MSR_DCD },
	};
	for (size_t i = 0; i < ARRAY_SIZE(lines); i++) {
		u8 rise_delta = lines[i].msr == VUART_MSR_RI ? 0 : lines[i].msr >> 4;

		snprintf(unit_label, sizeof(unit_label), "MCR %#x", lines[i].mcr);
		wr(&b, VUART_MCR, VUART_MCR_LOOP | lines[i].mcr);
		EXPECT_EQ(rd(&b, VUART_MSR), lines[i].msr | rise_delta);
		wr(&b, VUART_MCR, VUART_MCR_LOOP);
		/* On the fall RI's delta (TERI) is set too: it marks the trailing edge. */
		EXPECT_EQ(rd(&b, VUART_MSR), lines[i].msr >> 4);
	}

	wr(&b, VUART_IIR_FCR, VUART_FCR_ENABLE);
	wr(&b, VUART_RBR_THR_DLL, 0x55);
	wr(&b, VUART_RBR_THR_DLL, 0xaa);
	assert_int_equal(b.console.count, 0);
	assert_false(vuart_receive(&b.uart, 'z'));	/* the serial input is cut off */
	assert_int_equal(rd(&b, VUART_LSR), VUART_LSR_DR | VUART_LSR_THRE | VUART_LSR_TEMT);
	assert_int_equal(rd(&b, VUART_RBR_THR_DLL), 0x55);
	assert_int_equal(rd(&b, VUART_RBR_THR_DLL), 0xaa);

	wr(&b, VUART_MCR, 0);
	assert_int_equal(rd(&b, VUART_MSR), VUART_MSR_CTS | VUART_MSR_DSR | VUART_MSR_DCD |
				      VUART_MSR_DCTS | VUART_MSR_DDSR | VUART_MSR_DDCD);
	wr(&b, VUART_RBR_THR_DLL, 'o');
	assert_int_equal(b.console.count, 1);
}

static void test_loopback_overrun_sets_oe(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b);
	wr(&b, VUART_MCR, VUART_MCR_LOOP);
	wr(&b, VUART_IIR_FCR, VUART_FCR_ENABLE);
	for (u32 i = 0; i <= VUART_FIFO_SIZE; i++)
		wr(&b, VUART_RBR_THR_DLL, (u8)i);
	/* In FIFO mode the byte past the sixteenth is lost. */
	assert_int_equal(rd(&b, VUART_LSR), VUART_LSR_OE | VUART_LSR_DR | VUART_LSR_THRE |
				      VUART_LSR_TEMT);
	assert_int_equal(rd(&b, VUART_LSR) & VUART_LSR_OE, 0);	/* cleared by the read */
	for (u32 i = 0; i < VUART_FIFO_SIZE; i++)
		assert_int_equal(rd(&b, VUART_RBR_THR_DLL), i);
	assert_int_equal(rd(&b, VUART_LSR) & VUART_LSR_DR, 0);

	/* In 16450 mode the new byte replaces the unread one. */
	wr(&b, VUART_IIR_FCR, 0);
	wr(&b, VUART_RBR_THR_DLL, 1);
	wr(&b, VUART_RBR_THR_DLL, 2);
	assert_int_equal(rd(&b, VUART_LSR) & VUART_LSR_OE, VUART_LSR_OE);
	assert_int_equal(rd(&b, VUART_RBR_THR_DLL), 2);
}

static void test_thre_interrupt_is_cleared_by_reading_iir(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b);
	wr(&b, VUART_IER_DLM, VUART_IER_THRE);	/* THR is empty: pending at once */
	assert_int_equal(rd(&b, VUART_IIR_FCR), VUART_IIR_THRE);
	assert_int_equal(rd(&b, VUART_IIR_FCR), VUART_IIR_NONE);
	wr(&b, VUART_RBR_THR_DLL, 'q');		/* sent at once: empty again */
	assert_int_equal(rd(&b, VUART_IIR_FCR), VUART_IIR_THRE);
	assert_int_equal(rd(&b, VUART_IIR_FCR), VUART_IIR_NONE);
	/* Rewriting IER with THRE still set does not raise it again. */
	wr(&b, VUART_IER_DLM, VUART_IER_THRE);
	assert_int_equal(rd(&b, VUART_IIR_FCR), VUART_IIR_NONE);
}

static void test_iir_reports_sources_by_priority(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b);
	wr(&b, VUART_MCR, VUART_MCR_LOOP);
	wr(&b, VUART_RBR_THR_DLL, 1);
	wr(&b, VUART_RBR_THR_DLL, 2);		/* overrun: a line status error */
	wr(&b, VUART_MCR, VUART_MCR_LOOP | VUART_MCR_RTS);	/* a modem status change */
	wr(&b, VUART_IER_DLM, 0x0f);
	assert_int_equal(rd(&b, VUART_IIR_FCR), VUART_IIR_RLS);
	assert_int_equal(rd(&b, VUART_IIR_FCR), VUART_IIR_RLS);	/* until LSR is read */
	rd(&b, VUART_LSR);
	assert_int_equal(rd(&b, VUART_IIR_FCR), VUART_IIR_RDA);
	rd(&b, VUART_RBR_THR_DLL);
	assert_int_equal(rd(&b, VUART_IIR_FCR), VUART_IIR_THRE);
	assert_int_equal(rd(&b, VUART_IIR_FCR), VUART_IIR_MSI);
	assert_int_equal(rd(&b, VUART_IIR_FCR), VUART_IIR_MSI);	/* until MSR is read */
	rd(&b, VUART_MSR);
	assert_int_equal(rd(&b, VUART_IIR_FCR), VUART_IIR_NONE);
}

static void test_disabled_sources_do_not_interrupt(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b);
	wr(&b, VUART_MCR, VUART_MCR_OUT2);
	vuart_receive(&b.uart, 'a');
	rd(&b, VUART_MSR);
	wr(&b, VUART_MCR, VUART_MCR_OUT2 | VUART_MCR_LOOP);
	wr(&b, VUART_RBR_THR_DLL, 1);
	assert_int_equal(rd(&b, VUART_IIR_FCR), VUART_IIR_NONE);
	assert_false(b.line.high);
}

static void test_line_follows_pending_interrupts_gated_by_out2(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b);
	wr(&b, VUART_IER_DLM, VUART_IER_RDA);
	vuart_receive(&b.uart, 'a');
	assert_false(b.line.high);		/* OUT2 clear: the PIC sees nothing */
	wr(&b, VUART_MCR, VUART_MCR_OUT2);
	assert_true(b.line.high);
	assert_int_equal(b.line.irq, VUART_COM1_IRQ);
	rd(&b, VUART_LSR);
	assert_true(b.line.high);		/* still pending */
	rd(&b, VUART_RBR_THR_DLL);
	assert_false(b.line.high);
	vuart_receive(&b.uart, 'b');
	assert_true(b.line.high);
	assert_int_equal(b.line.rises, 2);
	wr(&b, VUART_MCR, 0);
	assert_false(b.line.high);

	/* Loopback forces OUT2's pin inactive: no interrupt reaches the PIC. */
	wr(&b, VUART_MCR, VUART_MCR_OUT2 | VUART_MCR_LOOP);
	assert_false(b.line.high);
	assert_int_equal(rd(&b, VUART_IIR_FCR), VUART_IIR_RDA);
	wr(&b, VUART_MCR, VUART_MCR_OUT2);
	assert_true(b.line.high);
	assert_int_equal(b.line.rises, 3);
}

static void test_thre_interrupt_edges_per_byte(void **state)
{
	struct bench b;
	(void)state;

	bench_init(&b);
	wr(&b, VUART_MCR, VUART_MCR_OUT2);
	wr(&b, VUART_IER_DLM, VUART_IER_THRE);
	assert_true(b.line.high);
	for (u32 i = 0; i < 3; i++) {
		assert_int_equal(rd(&b, VUART_IIR_FCR), VUART_IIR_THRE);
		assert_false(b.line.high);
		wr(&b, VUART_RBR_THR_DLL, 'x');
		assert_true(b.line.high);
	}
	assert_int_equal(b.line.rises, 4);
}

static void test_com2_answers_at_its_own_base(void **state)
{
	struct bench b;
	(void)state;

	bench_init_at(&b, VUART_COM2_BASE, VUART_COM2_IRQ);
	vuart_ops.write(&b.uart, VUART_COM2_BASE + VUART_SCR, 1, 0x42);
	assert_int_equal(vuart_ops.read(&b.uart, VUART_COM2_BASE + VUART_SCR, 1), 0x42);
	vuart_ops.write(&b.uart, VUART_COM2_BASE + VUART_MCR, 1, VUART_MCR_OUT2);
	vuart_ops.write(&b.uart, VUART_COM2_BASE + VUART_IER_DLM, 1, VUART_IER_THRE);
	assert_true(b.line.high);
	assert_int_equal(b.line.irq, VUART_COM2_IRQ);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_state),
		cmocka_unit_test(test_transmitted_bytes_reach_the_console_at_once),
		cmocka_unit_test(test_divisor_latch_shadows_thr_and_ier),
		cmocka_unit_test(test_scratch_and_ier_keep_what_is_written),
		cmocka_unit_test(test_received_bytes_come_out_in_order),
		cmocka_unit_test(test_without_fifos_the_receiver_holds_one_byte),
		cmocka_unit_test(test_fcr_clears_the_receiver_and_shows_in_iir),
		cmocka_unit_test(test_trigger_levels_separate_data_available_from_timeout),
		cmocka_unit_test(test_without_fifos_one_byte_is_data_available),
		cmocka_unit_test(test_loopback_sends_tx_to_rx_and_mcr_to_msr),
		cmocka_unit_test(test_loopback_overrun_sets_oe),
		cmocka_unit_test(test_thre_interrupt_is_cleared_by_reading_iir),
		cmocka_unit_test(test_iir_reports_sources_by_priority),
		cmocka_unit_test(test_disabled_sources_do_not_interrupt),
		cmocka_unit_test(test_line_follows_pending_interrupts_gated_by_out2),
		cmocka_unit_test(test_thre_interrupt_edges_per_byte),
		cmocka_unit_test(test_com2_answers_at_its_own_base),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

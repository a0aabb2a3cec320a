/* SPDX-License-Identifier: MIT */
/* Tests of the ACPI PM block: the PM timer against a fake clock, PM1 status, enable, control. */
#include "tests/unit/unit.h"
#include "vmm/dev/vacpi_pm.h"

#include <stdio.h>

#define BASE 0xb000

static u64 now;
static int sleeps;
static u8 slept_typ;
static struct vacpi_pm pm;

static u64 fake_now(void *ctx)
{
	(void)ctx;
	return now;
}

static void fake_sleep(void *ctx, u8 typ)
{
	(void)ctx;
	sleeps++;
	slept_typ = typ;
}

static void setup(void)
{
	now = 0;
	sleeps = 0;
	slept_typ = 0xff;
	vacpi_pm_init(&pm, BASE, &(struct dev_clock){ fake_now, NULL },
		      &(struct vacpi_pm_sleep){ fake_sleep, NULL });
}

static u32 rd(u16 off, u8 size)
{
	return vacpi_pm_ops.read(&pm, (u16)(BASE + off), size);
}

static void wr(u16 off, u8 size, u32 v)
{
	vacpi_pm_ops.write(&pm, (u16)(BASE + off), size, v);
}

/* The reference: ticks since 0 in 128 bits, truncated to the timer's 24. */
static u32 reference_ticks(u64 ns)
{
	return (u32)((unsigned __int128)ns * VACPI_PM_TIMER_HZ / 1000000000 & 0xffffff);
}

static void test_timer_counts_at_3_579545_mhz_in_24_bits(void **state)
{
	static const struct { u64 ns; u32 ticks; } cases[] = {
		{ 0, 0 }, { 1000, 3 }, { 1000000, 3579 }, { 1000000000, 3579545 },
		{ 4686968874ULL, 0xffffff },	/* the last ns of tick 2^24 - 1 */
		{ 4686968875ULL, 0 },		/* tick 2^24: wrapped */
	};
	static const u64 far[] = { 3600ULL * 1000000000, 30ULL * 24 * 3600 * 1000000000 + 999999999,
				   ~0ULL };
	(void)state;

	for (u32 k = 0; k < ARRAY_SIZE(cases); k++) {
		snprintf(unit_label, sizeof(unit_label), "%llu ns", cases[k].ns);
		setup();
		now = cases[k].ns;
		EXPECT_EQ(vacpi_pm_timer(&pm), cases[k].ticks);
		EXPECT_EQ(rd(VACPI_PM_TMR, 4), cases[k].ticks);
		EXPECT_EQ(rd(VACPI_PM_TMR + 2, 1), cases[k].ticks >> 16 & 0xff);
	}
	for (u32 k = 0; k < ARRAY_SIZE(far); k++) {
		snprintf(unit_label, sizeof(unit_label), "%llu ns", far[k]);
		setup();
		now = far[k];
		EXPECT_EQ(vacpi_pm_timer(&pm), reference_ticks(now));
	}
}

static void test_timer_ignores_writes_and_keeps_counting(void **state)
{
	(void)state;
	snprintf(unit_label, sizeof(unit_label), "timer writes");
	setup();
	now = 1000000;
	wr(VACPI_PM_TMR, 4, 0);
	EXPECT_EQ(rd(VACPI_PM_TMR, 4), 3579);
	now += 1000000;
	EXPECT_EQ(rd(VACPI_PM_TMR, 4), 7159);
}

static void test_status_clears_by_writing_one_and_enable_is_kept(void **state)
{
	(void)state;
	snprintf(unit_label, sizeof(unit_label), "status, enable");
	setup();
	pm.status = 0x8101;	/* WAK_STS, PWRBTN_STS, TMR_STS: what an SCI source would set */
	wr(VACPI_PM_STS, 2, 0x0001);
	EXPECT_EQ(rd(VACPI_PM_STS, 2), 0x8100);
	wr(VACPI_PM_STS + 1, 1, 0x80);
	EXPECT_EQ(rd(VACPI_PM_STS, 2), 0x0100);
	wr(VACPI_PM_EN, 2, 0x0121);
	EXPECT_EQ(rd(VACPI_PM_EN, 2), 0x0121);
	EXPECT_EQ(rd(VACPI_PM_STS, 4), 0x01210100);	/* a dword read spans both */
	EXPECT_EQ(rd(6, 2), 0);			/* reserved */
}

static void test_control_keeps_sci_en_and_slp_en_enters_the_state(void **state)
{
	(void)state;
	snprintf(unit_label, sizeof(unit_label), "control");
	setup();
	EXPECT_EQ(rd(VACPI_PM_CNT, 2) & VACPI_PM_CNT_SCI_EN, 1);
	wr(VACPI_PM_CNT, 2, 0);
	EXPECT_EQ(rd(VACPI_PM_CNT, 2), VACPI_PM_CNT_SCI_EN);
	wr(VACPI_PM_CNT, 2, 5u << VACPI_PM_CNT_SLP_TYP_SHIFT);	/* the type alone: nothing */
	EXPECT_EQ(sleeps, 0);
	EXPECT_EQ(rd(VACPI_PM_CNT, 2), (5u << VACPI_PM_CNT_SLP_TYP_SHIFT) | 1);
	wr(VACPI_PM_CNT, 2, 5u << VACPI_PM_CNT_SLP_TYP_SHIFT | VACPI_PM_CNT_SLP_EN);
	EXPECT_EQ(sleeps, 1);
	EXPECT_EQ(slept_typ, 5);
	EXPECT_EQ(rd(VACPI_PM_CNT, 2) & VACPI_PM_CNT_SLP_EN, 0);	/* write-only */
	wr(VACPI_PM_CNT + 1, 1, (VACPI_PM_CNT_SLP_EN | 1u << VACPI_PM_CNT_SLP_TYP_SHIFT) >> 8);
	EXPECT_EQ(sleeps, 2);
	EXPECT_EQ(slept_typ, 1);
}

static void test_accesses_past_the_block_read_zero(void **state)
{
	(void)state;
	snprintf(unit_label, sizeof(unit_label), "edge");
	setup();
	now = 1000000000;
	/* Two of the four bytes are in the block. */
	EXPECT_EQ(rd(VACPI_PM_TMR + 2, 4), (3579545u >> 16) & 0xff);
	wr(VACPI_PM_TMR + 3, 4, 0xffffffff);
	EXPECT_EQ(rd(VACPI_PM_TMR, 4), 3579545);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timer_counts_at_3_579545_mhz_in_24_bits),
		cmocka_unit_test(test_timer_ignores_writes_and_keeps_counting),
		cmocka_unit_test(test_status_clears_by_writing_one_and_enable_is_kept),
		cmocka_unit_test(test_control_keeps_sci_en_and_slp_en_enters_the_state),
		cmocka_unit_test(test_accesses_past_the_block_read_zero),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

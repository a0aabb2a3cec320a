/* SPDX-License-Identifier: MIT */
/* Host unit tests of the local APIC: registers, priorities, EOI, timer modes, ICR, x2APIC. */
#include "tests/unit/unit.h"
#include "vmm/dev/vlapic.h"

#define TPT 10	/* TSC ticks per timer input clock */
#define PHYS_MASK ((1ULL << 36) - 1)

struct fixture {
	struct vlapic l;
	struct vlapic_ipi ipis[8];
	unsigned ipi_count;
	int eoi_vector;
	unsigned eois;
};

static void on_ipi(void *ctx, const struct vlapic_ipi *ipi)
{
	struct fixture *f = ctx;

	if (f->ipi_count < 8)
		f->ipis[f->ipi_count] = *ipi;
	f->ipi_count++;
}

static void on_eoi(void *ctx, u8 vector)
{
	struct fixture *f = ctx;

	f->eoi_vector = vector;
	f->eois++;
}

static struct fixture *make(u32 id, bool bsp)
{
	struct fixture *f = calloc(1, sizeof(*f));

	vlapic_init(&f->l, id, bsp, TPT, &(struct vlapic_hooks){ on_ipi, on_eoi, f });
	f->eoi_vector = -1;
	return f;
}

static u32 rd(struct fixture *f, u32 off)
{
	return vlapic_mmio_read(&f->l, off, 0);
}

static void wr(struct fixture *f, u32 off, u32 value)
{
	vlapic_mmio_write(&f->l, off, value, 0);
}

static void enable(struct fixture *f)
{
	wr(f, VLAPIC_SVR, VLAPIC_SVR_ENABLE | 0xff);
}

static void test_reset_state(void **state)
{
	struct fixture *bsp = make(0, true), *ap = make(3, false);

	(void)state;
	EXPECT_EQ(vlapic_apic_base(&bsp->l), 0xfee00000ULL | BIT(11) | BIT(8));
	EXPECT_EQ(vlapic_apic_base(&ap->l), 0xfee00000ULL | BIT(11));
	EXPECT_EQ(rd(ap, VLAPIC_ID), 3u << 24);
	EXPECT_EQ(rd(ap, VLAPIC_VER), 0x50014);
	EXPECT_EQ(rd(ap, VLAPIC_SVR), 0xff);
	EXPECT_EQ(rd(ap, VLAPIC_DFR), 0xffffffff);
	EXPECT_EQ(rd(ap, VLAPIC_LVT_TIMER), VLAPIC_LVT_MASKED);
	EXPECT_EQ(rd(ap, VLAPIC_LVT_LINT0), VLAPIC_LVT_MASKED);
	/* The BSP's LINT0 is in virtual-wire ExtINT mode: the PIC reaches it; the AP's not. */
	EXPECT_EQ(rd(bsp, VLAPIC_LVT_LINT0), 0x700);
	assert_true(vlapic_accepts_extint(&bsp->l));
	assert_false(vlapic_accepts_extint(&ap->l));
	/* Software-disabled: fixed interrupts are dropped. */
	assert_false(vlapic_accept(&ap->l, 0x40, false));
	EXPECT_EQ(vlapic_pending_vector(&ap->l), (u64)-1);
	free(bsp);
	free(ap);
}

static void test_priority_and_eoi(void **state)
{
	struct fixture *f = make(0, true);

	(void)state;
	enable(f);
	assert_true(vlapic_accept(&f->l, 0x41, false));
	assert_true(vlapic_accept(&f->l, 0x92, true));
	EXPECT_EQ(rd(f, VLAPIC_IRR + 0x40), BIT(0x92 - 0x80));
	EXPECT_EQ(rd(f, VLAPIC_TMR + 0x40), BIT(0x92 - 0x80));
	EXPECT_EQ(vlapic_pending_vector(&f->l), 0x92);
	/* A TPR of class 9 holds back 0x92 (same class) and 0x41. */
	wr(f, VLAPIC_TPR, 0x90);
	EXPECT_EQ(vlapic_pending_vector(&f->l), (u64)-1);
	EXPECT_EQ(rd(f, VLAPIC_PPR), 0x90);
	wr(f, VLAPIC_TPR, 0);
	vlapic_ack(&f->l, 0x92);
	EXPECT_EQ(rd(f, VLAPIC_ISR + 0x40), BIT(0x92 - 0x80));
	EXPECT_EQ(rd(f, VLAPIC_PPR), 0x90);
	/* In service at class 9: 0x41 waits; a higher class would not. */
	EXPECT_EQ(vlapic_pending_vector(&f->l), (u64)-1);
	vlapic_accept(&f->l, 0xa0, false);
	EXPECT_EQ(vlapic_pending_vector(&f->l), 0xa0);
	vlapic_ack(&f->l, 0xa0);
	/* EOI ends the highest in service: 0xa0 (edge, no broadcast), then 0x92 (level). */
	wr(f, VLAPIC_EOI, 0);
	EXPECT_EQ(f->eois, 0);
	EXPECT_EQ(rd(f, VLAPIC_ISR + 0x50), 0);
	wr(f, VLAPIC_EOI, 0);
	EXPECT_EQ(f->eois, 1);
	EXPECT_EQ(f->eoi_vector, 0x92);
	EXPECT_EQ(vlapic_pending_vector(&f->l), 0x41);
	EXPECT_EQ(rd(f, VLAPIC_PPR), 0);
	free(f);
}

/* CR8 is TPR[7:4]: it reads the class, and a write sets the class and clears TPR[3:0]. */
static void test_cr8_is_the_tpr_class(void **state)
{
	struct fixture *f = make(0, true);

	(void)state;
	enable(f);
	wr(f, VLAPIC_TPR, 0x3a);
	EXPECT_EQ(vlapic_cr8(&f->l), 3);
	vlapic_set_cr8(&f->l, 5);
	EXPECT_EQ(rd(f, VLAPIC_TPR), 0x50);
	EXPECT_EQ(rd(f, VLAPIC_PPR), 0x50);
	assert_true(vlapic_accept(&f->l, 0x55, false));
	EXPECT_EQ(vlapic_pending_vector(&f->l), (u64)-1);	/* class 5: held */
	vlapic_set_cr8(&f->l, 4);
	EXPECT_EQ(vlapic_pending_vector(&f->l), 0x55);
	vlapic_set_cr8(&f->l, 0x1f);	/* only the class bits: cr8_write_valid refuses more */
	EXPECT_EQ(rd(f, VLAPIC_TPR), 0xf0);
	free(f);
}

static void test_errors(void **state)
{
	struct fixture *f = make(0, true);

	(void)state;
	enable(f);
	assert_false(vlapic_accept(&f->l, 5, false));
	/* The ESR shows errors only after a write latches them. */
	EXPECT_EQ(rd(f, VLAPIC_ESR), 0);
	wr(f, VLAPIC_ESR, 0);
	EXPECT_EQ(rd(f, VLAPIC_ESR), VLAPIC_ESR_RECEIVE_ILLEGAL_VECTOR);
	/* An error interrupt through the error LVT, for a fixed IPI with vector 3. */
	wr(f, VLAPIC_LVT_ERROR, 0xfe);
	wr(f, VLAPIC_ICR_LO, 3);
	EXPECT_EQ(f->ipi_count, 0);
	EXPECT_EQ(vlapic_pending_vector(&f->l), 0xfe);
	wr(f, VLAPIC_ESR, 0);
	EXPECT_EQ(rd(f, VLAPIC_ESR), VLAPIC_ESR_SEND_ILLEGAL_VECTOR);
	wr(f, 0x2f0, 1);	/* no CMCI LVT on this APIC */
	wr(f, VLAPIC_ESR, 0);
	EXPECT_EQ(rd(f, VLAPIC_ESR), VLAPIC_ESR_ILLEGAL_REGISTER);
	free(f);
}

static void test_svr_disable_masks_lvts(void **state)
{
	struct fixture *f = make(0, false);

	(void)state;
	wr(f, VLAPIC_LVT_TIMER, 0x30);
	EXPECT_EQ(rd(f, VLAPIC_LVT_TIMER), VLAPIC_LVT_MASKED | 0x30);	/* stays masked */
	enable(f);
	wr(f, VLAPIC_LVT_TIMER, 0x30);
	EXPECT_EQ(rd(f, VLAPIC_LVT_TIMER), 0x30);
	wr(f, VLAPIC_SVR, 0xff);
	EXPECT_EQ(rd(f, VLAPIC_LVT_TIMER), VLAPIC_LVT_MASKED | 0x30);
	free(f);
}

static void test_timer_one_shot(void **state)
{
	struct fixture *f = make(0, false);
	struct vlapic *l = &f->l;

	(void)state;
	enable(f);
	vlapic_mmio_write(l, VLAPIC_LVT_TIMER, 0x30, 1000);
	vlapic_mmio_write(l, VLAPIC_TIMER_DIVIDE, 0x3, 1000);	/* divide by 16 */
	vlapic_mmio_write(l, VLAPIC_TIMER_INITIAL, 100, 1000);
	EXPECT_EQ(vlapic_next_expiry(l), 1000 + 100 * 16 * TPT);
	EXPECT_EQ(vlapic_mmio_read(l, VLAPIC_TIMER_CURRENT, 1000 + 16 * TPT * 40), 60);
	vlapic_update(l, 1000 + 100 * 16 * TPT - 1);
	EXPECT_EQ(vlapic_pending_vector(l), (u64)-1);
	vlapic_update(l, 1000 + 100 * 16 * TPT);
	EXPECT_EQ(vlapic_pending_vector(l), 0x30);
	EXPECT_EQ(vlapic_next_expiry(l), 0);
	EXPECT_EQ(vlapic_mmio_read(l, VLAPIC_TIMER_CURRENT, 1000000), 0);
	EXPECT_EQ(l->timer_fired, 1);
	/* Divide value 0xb is divide by 1. */
	vlapic_mmio_write(l, VLAPIC_TIMER_DIVIDE, 0xb, 2000000);
	vlapic_mmio_write(l, VLAPIC_TIMER_INITIAL, 7, 2000000);
	EXPECT_EQ(vlapic_next_expiry(l), 2000000 + 7 * TPT);
	/* Writing 0 stops it. */
	vlapic_mmio_write(l, VLAPIC_TIMER_INITIAL, 0, 2000001);
	EXPECT_EQ(vlapic_next_expiry(l), 0);
	free(f);
}

static void test_timer_periodic(void **state)
{
	struct fixture *f = make(0, false);
	struct vlapic *l = &f->l;
	u64 p = 50 * 2 * TPT;	/* count 50, divide by 2 */

	(void)state;
	enable(f);
	vlapic_mmio_write(l, VLAPIC_LVT_TIMER, VLAPIC_TIMER_PERIODIC | 0x31, 0);
	vlapic_mmio_write(l, VLAPIC_TIMER_DIVIDE, 0, 0);
	vlapic_mmio_write(l, VLAPIC_TIMER_INITIAL, 50, 0);
	for (int i = 1; i <= 3; i++) {
		vlapic_update(l, i * p);
		EXPECT_EQ(vlapic_pending_vector(l), 0x31);
		vlapic_ack(l, 0x31);
		vlapic_mmio_write(l, VLAPIC_EOI, 0, i * p);
		EXPECT_EQ(vlapic_next_expiry(l), (i + 1) * p);
	}
	EXPECT_EQ(vlapic_mmio_read(l, VLAPIC_TIMER_CURRENT, 3 * p + 2 * 10 * TPT), 40);
	/* Ten periods late: one interrupt, nine folded, the phase kept. */
	vlapic_update(l, 13 * p + 5);
	EXPECT_EQ(l->timer_fired, 4);
	EXPECT_EQ(l->timer_missed, 9);
	EXPECT_EQ(vlapic_next_expiry(l), 14 * p);
	/* Masked: it counts on but asks for no host timer. */
	vlapic_mmio_write(l, VLAPIC_LVT_TIMER, VLAPIC_LVT_MASKED | VLAPIC_TIMER_PERIODIC | 0x31,
			  13 * p + 6);
	EXPECT_EQ(vlapic_next_expiry(l), 0);
	free(f);
}

static void test_timer_tsc_deadline(void **state)
{
	struct fixture *f = make(0, false);
	struct vlapic *l = &f->l;

	(void)state;
	enable(f);
	/* Ignored outside TSC-deadline mode. */
	vlapic_set_tsc_deadline(l, 5000, 0);
	EXPECT_EQ(vlapic_tsc_deadline(l), 0);
	vlapic_mmio_write(l, VLAPIC_LVT_TIMER, VLAPIC_TIMER_TSC_DEADLINE | 0x32, 0);
	vlapic_mmio_write(l, VLAPIC_TIMER_INITIAL, 100, 0);	/* ignored in this mode */
	EXPECT_EQ(l->timer_initial, 0);
	vlapic_set_tsc_deadline(l, 5000, 100);
	EXPECT_EQ(vlapic_next_expiry(l), 5000);
	vlapic_update(l, 4999);
	EXPECT_EQ(vlapic_pending_vector(l), (u64)-1);
	vlapic_update(l, 5000);
	EXPECT_EQ(vlapic_pending_vector(l), 0x32);
	EXPECT_EQ(vlapic_tsc_deadline(l), 0);	/* it disarms itself */
	/* A deadline already passed fires at once. */
	vlapic_ack(l, 0x32);
	vlapic_set_tsc_deadline(l, 10, 6000);
	EXPECT_EQ(l->timer_fired, 2);
	/* Leaving the mode disarms it. */
	vlapic_set_tsc_deadline(l, 9000, 6000);
	vlapic_mmio_write(l, VLAPIC_LVT_TIMER, 0x32, 6001);
	EXPECT_EQ(vlapic_next_expiry(l), 0);
	free(f);
}

static void test_icr(void **state)
{
	struct fixture *f = make(2, false);
	const struct vlapic_ipi *ipi = &f->ipis[0];

	(void)state;
	enable(f);
	wr(f, VLAPIC_ICR_HI, 0x01000000);
	wr(f, VLAPIC_ICR_LO, 0x4041);	/* fixed, physical, assert, vector 0x41 */
	EXPECT_EQ(f->ipi_count, 1);
	EXPECT_EQ(ipi->vector, 0x41);
	EXPECT_EQ(ipi->mode, VLAPIC_DM_FIXED);
	EXPECT_EQ(ipi->shorthand, VLAPIC_DEST_FIELD);
	EXPECT_EQ(ipi->dest, 1);
	EXPECT_EQ(ipi->source, 2);
	assert_false(ipi->logical);
	/* Delivery status reads idle: the IPI went at once. */
	EXPECT_EQ(rd(f, VLAPIC_ICR_LO) & BIT(12), 0);
	wr(f, VLAPIC_ICR_LO, 0xc4500);	/* INIT, level assert, all but self */
	EXPECT_EQ(f->ipis[1].mode, VLAPIC_DM_INIT);
	EXPECT_EQ(f->ipis[1].shorthand, VLAPIC_DEST_OTHERS);
	assert_true(f->ipis[1].level_assert);
	wr(f, VLAPIC_ICR_LO, 0x4608);	/* SIPI, vector 8 (vector check is for fixed only) */
	EXPECT_EQ(f->ipis[2].mode, VLAPIC_DM_SIPI);
	EXPECT_EQ(f->ipis[2].vector, 8);
	wr(f, VLAPIC_ICR_LO, 0x40931);	/* lowest priority, logical, self */
	EXPECT_EQ(f->ipis[3].mode, VLAPIC_DM_LOWEST);
	assert_true(f->ipis[3].logical);
	EXPECT_EQ(f->ipis[3].shorthand, VLAPIC_DEST_SELF);
	free(f);
}

static void test_logical_destinations(void **state)
{
	struct fixture *f = make(5, false);

	(void)state;
	assert_true(vlapic_matches(&f->l, 5, false));
	assert_false(vlapic_matches(&f->l, 4, false));
	assert_true(vlapic_matches(&f->l, 0xff, false));	/* broadcast */
	wr(f, VLAPIC_LDR, 0x04000000);	/* flat: bit 2 */
	assert_true(vlapic_matches(&f->l, 0x06, true));
	assert_false(vlapic_matches(&f->l, 0x09, true));
	wr(f, VLAPIC_DFR, 0x0fffffff);	/* cluster: cluster 3, member bit 1 */
	wr(f, VLAPIC_LDR, 0x32000000);
	assert_true(vlapic_matches(&f->l, 0x33, true));
	assert_false(vlapic_matches(&f->l, 0x23, true));
	assert_false(vlapic_matches(&f->l, 0x31, true));
	free(f);
}

static void test_apic_base(void **state)
{
	struct fixture *f = make(1, false);
	struct vlapic *l = &f->l;
	u64 en = BIT(11), extd = BIT(10);

	(void)state;
	enable(f);
	assert_true(vlapic_accept(l, 0x50, false));
	/* Reserved bits, x2APIC without enable, and the BSP bit kept as it is. */
	assert_false(vlapic_set_apic_base(l, 0xfee00000 | en | BIT(0), PHYS_MASK));
	assert_false(vlapic_set_apic_base(l, 0xfee00000 | extd, PHYS_MASK));
	assert_false(vlapic_set_apic_base(l, (1ULL << 40) | en, PHYS_MASK));
	assert_true(vlapic_set_apic_base(l, 0xfee00000 | en | BIT(8), PHYS_MASK));
	EXPECT_EQ(vlapic_apic_base(l), 0xfee00000 | en);
	/* Moved. */
	assert_true(vlapic_set_apic_base(l, 0xfed00000 | en, PHYS_MASK));
	EXPECT_EQ(vlapic_window(l), 0xfed00000);
	assert_true(vlapic_xapic_mode(l));
	/* Disabled: no window, the registers reset, and the PIC's INTR goes straight in. */
	assert_true(vlapic_set_apic_base(l, 0xfee00000, PHYS_MASK));
	assert_false(vlapic_xapic_mode(l));
	EXPECT_EQ(vlapic_pending_vector(l), (u64)-1);
	EXPECT_EQ(l->svr, 0xff);
	assert_true(vlapic_accepts_extint(l));
	/* Disabled to x2APIC is invalid; through xAPIC it is fine; back to xAPIC is not. */
	assert_false(vlapic_set_apic_base(l, 0xfee00000 | en | extd, PHYS_MASK));
	assert_true(vlapic_set_apic_base(l, 0xfee00000 | en, PHYS_MASK));
	assert_true(vlapic_set_apic_base(l, 0xfee00000 | en | extd, PHYS_MASK));
	assert_true(vlapic_x2apic_mode(l));
	assert_false(vlapic_set_apic_base(l, 0xfee00000 | en, PHYS_MASK));
	free(f);
}

static void test_x2apic_msrs(void **state)
{
	struct fixture *f = make(0x13, false);
	struct vlapic *l = &f->l;
	u64 v = 0;

	(void)state;
	/* Not in x2APIC mode: every x2APIC MSR is #GP. */
	assert_false(vlapic_msr_read(l, 0x802, 0, &v));
	assert_true(vlapic_set_apic_base(l, 0xfee00000 | BIT(11) | BIT(10), PHYS_MASK));
	assert_true(vlapic_msr_read(l, 0x802, 0, &v));
	EXPECT_EQ(v, 0x13);	/* a 32-bit ID */
	assert_true(vlapic_msr_read(l, 0x80d, 0, &v));
	EXPECT_EQ(v, (1u << 16) | BIT(3));	/* cluster 1, member bit 3 */
	assert_false(vlapic_msr_write(l, 0x802, 5, 0));	/* ID read-only */
	assert_false(vlapic_msr_read(l, 0x80e, 0, &v));	/* no DFR */
	assert_false(vlapic_msr_read(l, 0x831, 0, &v));	/* no ICR high */
	assert_false(vlapic_msr_read(l, 0x80b, 0, &v));	/* EOI write-only */
	assert_true(vlapic_msr_write(l, 0x80f, 0x1ff, 0));	/* SVR: enabled */
	assert_false(vlapic_msr_write(l, 0x80b, 1, 0));	/* EOI must be 0 */
	/* The ICR is one 64-bit MSR; the destination is 32 bits. */
	assert_true(vlapic_msr_write(l, 0x830, (0x12345ULL << 32) | 0x4051, 0));
	EXPECT_EQ(f->ipi_count, 1);
	EXPECT_EQ(f->ipis[0].dest, 0x12345);
	EXPECT_EQ(f->ipis[0].vector, 0x51);
	assert_true(vlapic_msr_read(l, 0x830, 0, &v));
	EXPECT_EQ(v, (0x12345ULL << 32) | 0x4051);
	/* Self-IPI lands here without a hook call; EOI through the MSR ends it. */
	assert_true(vlapic_msr_write(l, 0x83f, 0x61, 0));
	EXPECT_EQ(f->ipi_count, 1);
	EXPECT_EQ(vlapic_pending_vector(l), 0x61);
	vlapic_ack(l, 0x61);
	assert_true(vlapic_msr_read(l, 0x810 + 3, 0, &v));	/* ISR bits 96-127 */
	EXPECT_EQ(v, BIT(1));
	assert_true(vlapic_msr_write(l, 0x80b, 0, 0));
	assert_true(vlapic_msr_read(l, 0x813, 0, &v));
	EXPECT_EQ(v, 0);
	/* Timer through the MSRs: one-shot count 10, divide by 1. */
	assert_true(vlapic_msr_write(l, 0x832, 0x40, 0));
	assert_true(vlapic_msr_write(l, 0x83e, 0xb, 0));
	assert_true(vlapic_msr_write(l, 0x838, 10, 100));
	assert_false(vlapic_msr_write(l, 0x839, 1, 100));	/* current count read-only */
	EXPECT_EQ(vlapic_next_expiry(l), 100 + 10 * TPT);
	/* x2APIC logical destinations: cluster 1, bit 3. */
	assert_true(vlapic_matches(l, (1u << 16) | 0x8, true));
	assert_false(vlapic_matches(l, 0x8, true));
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_state),
		cmocka_unit_test(test_priority_and_eoi),
		cmocka_unit_test(test_cr8_is_the_tpr_class),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_svr_disable_masks_lvts),
		cmocka_unit_test(test_timer_one_shot),
		cmocka_unit_test(test_timer_periodic),
		cmocka_unit_test(test_timer_tsc_deadline),
		cmocka_unit_test(test_icr),
		cmocka_unit_test(test_logical_destinations),
		cmocka_unit_test(test_apic_base),
		cmocka_unit_test(test_x2apic_msrs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

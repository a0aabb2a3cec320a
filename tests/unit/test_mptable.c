/* SPDX-License-Identifier: MIT */
/* Tests of the MP table builder: found, checksummed and walked as an OS does (MP spec 4). */
#include "tests/unit/unit.h"
#include "vmm/mptable.h"

#include <stdio.h>

#define GPA 0xf0000ULL
#define LAPIC 0xfee00000u
#define IOAPIC 0xfec00000u

static u32 get16(const u8 *p)
{
	return p[0] | p[1] << 8;
}

static u32 get32(const u8 *p)
{
	return get16(p) | get16(p + 2) << 16;
}

static bool sums_to_zero(const u8 *p, u32 len)
{
	u8 sum = 0;

	while (len--)
		sum = (u8)(sum + *p++);
	return sum == 0;
}

/* What walking the table found. */
struct walk {
	u32 cpus, bsp_count, bsp_id, buses, ioapics, io_ints, local_ints;
	u8 lapic_ids[32];
	u8 ioapic_id, ioapic_version;
	u32 ioapic_address;
	int pin_of_irq[16];	/* -1: no entry */
	u16 flags_of_irq[16];
	u8 lint_type[2];
};

static struct mptable_config config_of(u32 cpus)
{
	return (struct mptable_config){ .cpu_count = cpus, .cpu_signature = 0x663,
					.cpu_features = 0x781abfd, .lapic_address = LAPIC,
					.ioapic_address = IOAPIC, .level_irq = 9 };
}

/* Find the floating pointer on a 16-byte boundary of buf, check both checksums, walk. */
static void walk_table(const u8 *buf, u32 size, struct walk *w)
{
	const u8 *fp = NULL, *t, *e, *end;
	u32 entries;

	memset(w, 0, sizeof(*w));
	memset(w->pin_of_irq, -1, sizeof(w->pin_of_irq));
	for (u32 off = 0; off + 16 <= size && !fp; off += 16)
		if (memcmp(buf + off, "_MP_", 4) == 0 && sums_to_zero(buf + off, 16 * buf[off + 8]))
			fp = buf + off;
	assert_non_null(fp);
	EXPECT_EQ(fp[8], 1);
	EXPECT_EQ(fp[9], 4);
	EXPECT_EQ(fp[11], 0);	/* a table, not a default configuration */
	assert_true(get32(fp + 4) >= GPA && get32(fp + 4) - GPA + 44 <= size);
	t = buf + (get32(fp + 4) - GPA);
	assert_memory_equal(t, "PCMP", 4);
	assert_true(t - buf + get16(t + 4) <= size);
	assert_true(sums_to_zero(t, get16(t + 4)));
	EXPECT_EQ(t[6], 4);
	EXPECT_EQ(get32(t + 36), LAPIC);
	entries = get16(t + 34);
	e = t + 44;
	end = t + get16(t + 4);
	for (u32 i = 0; i < entries; i++) {
		assert_true(e < end);
		switch (e[0]) {
		case MPTABLE_PROCESSOR:
			assert_true(w->cpus < 32);
			w->lapic_ids[w->cpus++] = e[1];
			EXPECT_EQ(e[3] & 1, 1);
			if (e[3] & 2) {
				w->bsp_count++;
				w->bsp_id = e[1];
			}
			EXPECT_EQ(get32(e + 4), 0x663);
			e += 20;
			break;
		case MPTABLE_BUS:
			assert_memory_equal(e + 2, "ISA   ", 6);
			w->buses++;
			e += 8;
			break;
		case MPTABLE_IOAPIC:
			w->ioapics++;
			w->ioapic_id = e[1];
			w->ioapic_version = e[2];
			EXPECT_EQ(e[3] & 1, 1);
			w->ioapic_address = get32(e + 4);
			e += 8;
			break;
		case MPTABLE_IO_INTERRUPT:
			w->io_ints++;
			EXPECT_EQ(e[1], MPTABLE_INT);
			EXPECT_EQ(e[4], MPTABLE_ISA_BUS_ID);
			EXPECT_EQ(e[6], w->ioapic_id);
			assert_true(e[5] < 16);
			EXPECT_EQ(w->pin_of_irq[e[5]], -1);
			w->pin_of_irq[e[5]] = e[7];
			w->flags_of_irq[e[5]] = (u16)get16(e + 2);
			e += 8;
			break;
		case MPTABLE_LOCAL_INTERRUPT:
			EXPECT_EQ(e[6], 0xff);
			assert_true(e[7] < 2);
			w->lint_type[e[7]] = e[1];
			w->local_ints++;
			e += 8;
			break;
		default:
			fail_msg("%s: entry type %u at offset %td", unit_label, e[0], e - t);
		}
	}
	EXPECT_EQ(e - t, get16(t + 4));	/* the count and the length agree */
}

static void test_table_lists_each_vcpu_and_the_isa_routing(void **state)
{
	static const u32 counts[] = { 1, 2, 4, 16 };
	(void)state;

	for (u32 k = 0; k < ARRAY_SIZE(counts); k++) {
		struct mptable_config c = config_of(counts[k]);
		u32 size = mptable_size(&c);
		u8 *buf = malloc(size);
		struct walk w;

		snprintf(unit_label, sizeof(unit_label), "%u vCPUs", counts[k]);
		memset(buf, 0xa5, size);
		EXPECT_EQ(mptable_write(&c, buf, GPA), size);
		walk_table(buf, size, &w);
		EXPECT_EQ(w.cpus, counts[k]);
		for (u32 i = 0; i < w.cpus; i++)
			EXPECT_EQ(w.lapic_ids[i], i);
		EXPECT_EQ(w.bsp_count, 1);
		EXPECT_EQ(w.bsp_id, 0);
		EXPECT_EQ(w.buses, 1);
		EXPECT_EQ(w.ioapics, 1);
		EXPECT_EQ(w.ioapic_id, counts[k]);
		EXPECT_EQ(w.ioapic_version, 0x11);
		EXPECT_EQ(w.ioapic_address, IOAPIC);
		EXPECT_EQ(w.io_ints, 15);
		EXPECT_EQ(w.pin_of_irq[0], 2);
		EXPECT_EQ(w.pin_of_irq[2], -1);
		for (int irq = 1; irq < 16; irq++)
			if (irq != 2)
				EXPECT_EQ(w.pin_of_irq[irq], irq);
		EXPECT_EQ(w.flags_of_irq[9], MPTABLE_ACTIVE_HIGH | MPTABLE_LEVEL);
		EXPECT_EQ(w.flags_of_irq[4], 0);
		EXPECT_EQ(w.local_ints, 2);
		EXPECT_EQ(w.lint_type[0], MPTABLE_EXTINT);
		EXPECT_EQ(w.lint_type[1], MPTABLE_NMI);
		free(buf);
	}
}

static void test_a_changed_byte_breaks_a_checksum(void **state)
{
	struct mptable_config c = config_of(2);
	u32 size = mptable_size(&c);
	u8 *buf = malloc(size);
	(void)state;

	snprintf(unit_label, sizeof(unit_label), "2 vCPUs");
	mptable_write(&c, buf, GPA);
	assert_true(sums_to_zero(buf, 16));
	assert_true(sums_to_zero(buf + 16, size - 16));
	for (u32 at = 0; at < size; at++) {
		buf[at] ^= 0x10;
		assert_false(sums_to_zero(buf, 16) && sums_to_zero(buf + 16, size - 16));
		buf[at] ^= 0x10;
	}
	free(buf);
}

static void test_no_level_irq_leaves_every_irq_to_the_bus(void **state)
{
	struct mptable_config c = config_of(1);
	u32 size = mptable_size(&c);
	u8 *buf = malloc(size);
	struct walk w;
	(void)state;

	snprintf(unit_label, sizeof(unit_label), "no level IRQ");
	c.level_irq = 0;
	mptable_write(&c, buf, GPA);
	walk_table(buf, size, &w);
	for (int irq = 0; irq < 16; irq++)
		EXPECT_EQ(w.flags_of_irq[irq], 0);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_lists_each_vcpu_and_the_isa_routing),
		cmocka_unit_test(test_a_changed_byte_breaks_a_checksum),
		cmocka_unit_test(test_no_level_irq_leaves_every_irq_to_the_bus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

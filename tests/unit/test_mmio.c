/* SPDX-License-Identifier: MIT */
/* Host unit tests of the MMIO bus: registration and its refusals, lookup, accesses and masks. */
#include "tests/unit/unit.h"
#include "vmm/mmio.h"
#include "kernel/errno.h"

/* A device that records its last access and answers reads with a chosen value. */
struct fake_dev {
	u32 reads, writes;
	u64 offset, value;
	u8 size;
	u64 read_value;
};

static u64 fake_read(void *dev, u64 offset, u8 size)
{
	struct fake_dev *d = dev;

	d->reads++;
	d->offset = offset;
	d->size = size;
	return d->read_value;
}

static void fake_write(void *dev, u64 offset, u8 size, u64 value)
{
	struct fake_dev *d = dev;

	d->writes++;
	d->offset = offset;
	d->size = size;
	d->value = value;
}

static const struct mmio_ops fake_ops = { .read = fake_read, .write = fake_write };

static struct mmio_bus *new_bus(void)
{
	struct mmio_bus *bus = malloc(sizeof(*bus));

	assert_non_null(bus);
	memset(bus, 0xa5, sizeof(*bus));
	mmio_init(bus);
	return bus;
}

static void test_init_gives_an_empty_bus(void **state)
{
	struct mmio_bus *bus = new_bus();
	(void)state;

	assert_int_equal(bus->count, 0);
	assert_null(mmio_find(bus, 0));
	assert_null(mmio_find(bus, 0xfec00000));
	assert_null(mmio_find(bus, ~0ULL));
	free(bus);
}

static void test_register_refuses_empty_wrapping_and_overlapping_ranges(void **state)
{
	struct mmio_bus *bus = new_bus();
	struct fake_dev d = { 0 };
	(void)state;

	assert_int_equal(mmio_register(bus, 0x1000, 0, &fake_ops, &d, "empty"), -EINVAL);
	assert_int_equal(mmio_register(bus, ~0ULL - 0xf, 0x20, &fake_ops, &d, "wrap"), -EINVAL);
	assert_int_equal(mmio_register(bus, 0xfec00000, 0x1000, &fake_ops, &d, "ioapic"), 0);
	/* overlapping at the start, the end, inside and around */
	assert_int_equal(mmio_register(bus, 0xfebff000, 0x1001, &fake_ops, &d, "a"), -EEXIST);
	assert_int_equal(mmio_register(bus, 0xfec00fff, 1, &fake_ops, &d, "b"), -EEXIST);
	assert_int_equal(mmio_register(bus, 0xfec00100, 4, &fake_ops, &d, "c"), -EEXIST);
	assert_int_equal(mmio_register(bus, 0xfe000000, 0x2000000, &fake_ops, &d, "d"), -EEXIST);
	/* touching is not overlapping; the top byte of the space is reachable */
	assert_int_equal(mmio_register(bus, 0xfec01000, 0x1000, &fake_ops, &d, "after"), 0);
	assert_int_equal(mmio_register(bus, 0xfebff000, 0x1000, &fake_ops, &d, "before"), 0);
	assert_int_equal(mmio_register(bus, ~0ULL - 0xfff, 0x1000, &fake_ops, &d, "top"), 0);
	assert_int_equal(mmio_register(bus, ~0ULL, 1, &fake_ops, &d, "top2"), -EEXIST);
	assert_int_equal(bus->count, 4);
	free(bus);
}

static void test_register_refuses_when_full(void **state)
{
	struct mmio_bus *bus = new_bus();
	struct fake_dev d = { 0 };
	(void)state;

	for (u32 i = 0; i < MMIO_MAX_RANGES; i++)
		assert_int_equal(mmio_register(bus, 0x100000ULL * (i + 1), 0x1000, &fake_ops, &d,
					       "dev"), 0);
	assert_int_equal(mmio_register(bus, 0x1000, 0x1000, &fake_ops, &d, "one too many"),
			 -ENOSPC);
	free(bus);
}

static void test_find_returns_the_range_holding_the_address(void **state)
{
	struct mmio_bus *bus = new_bus();
	struct fake_dev a = { 0 }, b = { 0 };
	const struct mmio_range *r;
	(void)state;

	assert_int_equal(mmio_register(bus, 0xfec00000, 0x1000, &fake_ops, &a, "ioapic"), 0);
	assert_int_equal(mmio_register(bus, 0xfee00000, 0x1000, &fake_ops, &b, "lapic"), 0);
	r = mmio_find(bus, 0xfec00000);
	assert_non_null(r);
	assert_ptr_equal(r->dev, &a);
	assert_string_equal(r->name, "ioapic");
	r = mmio_find(bus, 0xfee00fff);
	assert_non_null(r);
	assert_ptr_equal(r->dev, &b);
	assert_null(mmio_find(bus, 0xfebfffff));
	assert_null(mmio_find(bus, 0xfec01000));
	assert_null(mmio_find(bus, 0xfee01000));
	free(bus);
}

static void test_accesses_reach_the_device_at_their_offset_masked(void **state)
{
	struct mmio_bus *bus = new_bus();
	struct fake_dev d = { .read_value = 0x1122334455667788ULL };
	const struct mmio_range *r;
	u64 value;
	(void)state;

	assert_int_equal(mmio_register(bus, 0xfec00000, 0x20, &fake_ops, &d, "ioapic"), 0);
	r = mmio_find(bus, 0xfec00010);
	assert_int_equal(mmio_range_access(r, 0xfec00010, 4, false, &value), 0);
	assert_int_equal(value, 0x55667788);
	assert_int_equal(d.offset, 0x10);
	assert_int_equal(d.size, 4);
	assert_int_equal(mmio_range_access(r, 0xfec00011, 1, false, &value), 0);
	assert_int_equal(value, 0x88);
	assert_int_equal(mmio_range_access(r, 0xfec00018, 8, false, &value), 0);
	assert_int_equal(value, 0x1122334455667788ULL);
	value = 0xdeadbeefcafef00dULL;
	assert_int_equal(mmio_range_access(r, 0xfec00002, 2, true, &value), 0);
	assert_int_equal(d.writes, 1);
	assert_int_equal(d.offset, 2);
	assert_int_equal(d.size, 2);
	assert_int_equal(d.value, 0xf00d);
	assert_int_equal(d.reads, 3);
	free(bus);
}

static void test_an_access_past_the_end_of_its_range_is_refused(void **state)
{
	struct mmio_bus *bus = new_bus();
	struct fake_dev d = { 0 };
	const struct mmio_range *r;
	u64 value = 1;
	(void)state;

	assert_int_equal(mmio_register(bus, 0xb0000, 0x10, &fake_ops, &d, "small"), 0);
	r = mmio_find(bus, 0xb000e);
	assert_int_equal(mmio_range_access(r, 0xb000e, 4, false, &value), -ERANGE);
	assert_int_equal(mmio_range_access(r, 0xb000d, 4, true, &value), -ERANGE);
	assert_int_equal(mmio_range_access(r, 0xb0010, 1, true, &value), -ERANGE);
	assert_int_equal(mmio_range_access(r, 0xb000c, 4, true, &value), 0);
	assert_int_equal(d.reads + d.writes, 1);
	free(bus);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_gives_an_empty_bus),
		cmocka_unit_test(test_register_refuses_empty_wrapping_and_overlapping_ranges),
		cmocka_unit_test(test_register_refuses_when_full),
		cmocka_unit_test(test_find_returns_the_range_holding_the_address),
		cmocka_unit_test(test_accesses_reach_the_device_at_their_offset_masked),
		cmocka_unit_test(test_an_access_past_the_end_of_its_range_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

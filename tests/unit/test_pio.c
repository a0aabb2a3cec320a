/* SPDX-License-Identifier: MIT */
/* Host unit tests of the per-VM port-I/O bus: registration, routing, masking, unclaimed ports. */
#include "tests/unit/unit.h"
#include "vmm/pio.h"
#include "kernel/errno.h"

/* A device that records its last read and write and answers reads with a chosen value. */
struct fake_dev {
	u32 reads, writes;
	u16 read_port, write_port;
	u8 read_size, write_size;
	u32 write_value;
	u32 read_value;		/* what a read returns */
};

static u32 fake_read(void *dev, u16 port, u8 size)
{
	struct fake_dev *d = dev;

	d->reads++;
	d->read_port = port;
	d->read_size = size;
	return d->read_value;
}

static void fake_write(void *dev, u16 port, u8 size, u32 value)
{
	struct fake_dev *d = dev;

	d->writes++;
	d->write_port = port;
	d->write_size = size;
	d->write_value = value;
}

static const struct pio_ops fake_ops = { .read = fake_read, .write = fake_write };

/* A bus on the heap, filled with junk first, so pio_init must really clear it. */
static struct pio_bus *new_bus(void)
{
	struct pio_bus *bus = malloc(sizeof(*bus));

	assert_non_null(bus);
	memset(bus, 0xa5, sizeof(*bus));
	pio_init(bus);
	return bus;
}

static void reg_ok(struct pio_bus *bus, u16 base, u16 count, struct fake_dev *dev,
		   const char *name)
{
	int ret = pio_register(bus, base, count, &fake_ops, dev, name);

	if (ret != 0)
		fail_msg("registering [0x%x, +0x%x) %s failed: %d", base, count, name, ret);
}

static void test_init_gives_an_empty_bus(void **state)
{
	static const u16 ports[] = { 0, 0x80, 0x3f8, 0xcf8, 0xfffe, 0xffff };
	struct pio_bus *bus = new_bus();
	(void)state;

	assert_int_equal(bus->count, 0);
	assert_null(bus->last);
	assert_int_equal(bus->unclaimed_reads, 0);
	assert_int_equal(bus->unclaimed_writes, 0);
	assert_int_equal(bus->last_unclaimed_port, 0);
	for (size_t i = 0; i < ARRAY_SIZE(ports); i++)
		assert_null(pio_find(bus, ports[i]));
	free(bus);
}

static void test_init_forgets_earlier_ranges_and_the_cache(void **state)
{
	struct pio_bus *bus = new_bus();
	struct fake_dev dev = { .read_value = 0x12 };
	(void)state;

	reg_ok(bus, 0x3f8, 8, &dev, "uart");
	assert_int_equal(pio_read(bus, 0x3f8, 1), 0x12);
	assert_non_null(bus->last);
	pio_init(bus);
	assert_int_equal(bus->count, 0);
	assert_null(bus->last);
	assert_null(pio_find(bus, 0x3f8));
	/* The cached range must not outlive the reset. */
	assert_int_equal(pio_read(bus, 0x3f8, 1), 0xff);
	assert_int_equal(dev.reads, 1);
	assert_int_equal(bus->unclaimed_reads, 1);
	free(bus);
}

static void test_register_records_the_range(void **state)
{
	struct pio_bus *bus = new_bus();
	struct fake_dev dev = { 0 };
	const struct pio_range *r;
	(void)state;

	reg_ok(bus, 0x3f8, 8, &dev, "uart");
	assert_int_equal(bus->count, 1);
	r = pio_find(bus, 0x3f8);
	assert_non_null(r);
	assert_int_equal(r->base, 0x3f8);
	assert_int_equal(r->count, 8);
	assert_ptr_equal(r->ops, &fake_ops);
	assert_ptr_equal(r->dev, &dev);
	assert_string_equal(r->name, "uart");
	for (u16 port = 0x3f8; port < 0x400; port++)
		assert_ptr_equal(pio_find(bus, port), r);
	assert_null(pio_find(bus, 0x3f7));
	assert_null(pio_find(bus, 0x400));
	free(bus);
}

static void test_register_rejects_empty_and_wrapping_ranges(void **state)
{
	static const struct {
		u16 base, count;
	} cases[] = {
		{ 0x3f8, 0 }, { 0, 0 }, { 0xffff, 0 },
		/* Past 0xFFFF: the range would wrap around to port 0. */
		{ 0xffff, 2 }, { 0xfff0, 0x11 }, { 0xfff0, 0xffff }, { 0x8000, 0x8001 },
		{ 2, 0xffff }, { 0xffff, 0xffff },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct pio_bus *bus = new_bus();
		struct fake_dev dev = { 0 };
		int ret = pio_register(bus, cases[i].base, cases[i].count, &fake_ops, &dev, "bad");

		if (ret != -EINVAL)
			fail_msg("[0x%x, +0x%x): got %d, want -EINVAL", cases[i].base,
				 cases[i].count, ret);
		assert_int_equal(bus->count, 0);
		/* Nothing was claimed, at the base or at the ports a wrap would reach. */
		assert_null(pio_find(bus, cases[i].base));
		assert_null(pio_find(bus, 0));
		free(bus);
	}
}

static void test_register_accepts_ranges_up_to_the_last_port(void **state)
{
	static const struct {
		u16 base, count;
	} cases[] = {
		{ 0xffff, 1 }, { 0xfff0, 0x10 }, { 0x8000, 0x8000 }, { 1, 0xfffe }, { 0, 0xffff },
		{ 0, 1 },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct pio_bus *bus = new_bus();
		struct fake_dev dev = { 0 };
		u16 last = (u16)(cases[i].base + cases[i].count - 1);
		const struct pio_range *r;

		reg_ok(bus, cases[i].base, cases[i].count, &dev, "ok");
		r = pio_find(bus, cases[i].base);
		assert_non_null(r);
		assert_ptr_equal(pio_find(bus, last), r);
		/* The port before the range, when there is one, stays unclaimed. */
		if (cases[i].base > 0)
			assert_null(pio_find(bus, cases[i].base - 1));
		/* And so does the port after it, when there is one: no wrap to port 0. */
		if (last < 0xffff)
			assert_null(pio_find(bus, last + 1));
		else if (cases[i].base > 0)
			assert_null(pio_find(bus, 0));
		free(bus);
	}
}

static void test_register_rejects_every_overlap(void **state)
{
	/* Against [0x100, 0x108). */
	static const struct {
		u16 base, count;
		const char *what;
	} cases[] = {
		{ 0x100, 8, "the same range" },
		{ 0xfc, 5, "partial overlap at the low end" },
		{ 0xff, 2, "one port over the low end" },
		{ 0x107, 4, "partial overlap at the high end" },
		{ 0x104, 0x100, "partial overlap at the high end, long" },
		{ 0x102, 2, "contained" },
		{ 0x100, 1, "the first port alone" },
		{ 0x107, 1, "the last port alone" },
		{ 0xf0, 0x20, "containing" },
		{ 0, 0xffff, "nearly everything" },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct pio_bus *bus = new_bus();
		struct fake_dev owner = { .read_value = 0x11 }, intruder = { .read_value = 0x22 };
		int ret;

		reg_ok(bus, 0x100, 8, &owner, "owner");
		ret = pio_register(bus, cases[i].base, cases[i].count, &fake_ops, &intruder,
				   "intruder");
		if (ret != -EEXIST)
			fail_msg("%s [0x%x, +0x%x): got %d, want -EEXIST", cases[i].what,
				 cases[i].base, cases[i].count, ret);
		assert_int_equal(bus->count, 1);
		/* The owner keeps its ports; the intruder got none, inside or outside. */
		for (u16 port = 0x100; port < 0x108; port++)
			assert_int_equal(pio_read(bus, port, 1), 0x11);
		u32 end = (u32)cases[i].base + cases[i].count;

		for (u32 port = cases[i].base; port < end; port++) {
			const struct pio_range *r = pio_find(bus, (u16)port);

			if (port >= 0x100 && port < 0x108)
				assert_ptr_equal(r->dev, &owner);
			else
				assert_null(r);
		}
		assert_int_equal(intruder.reads, 0);
		free(bus);
	}
}

static void test_adjacent_ranges_are_accepted(void **state)
{
	struct pio_bus *bus = new_bus();
	struct fake_dev low = { .read_value = 1 }, mid = { .read_value = 2 },
			high = { .read_value = 3 };
	(void)state;

	reg_ok(bus, 0x100, 8, &mid, "mid");
	reg_ok(bus, 0xf8, 8, &low, "low");	/* ends where mid begins */
	reg_ok(bus, 0x108, 8, &high, "high");	/* begins where mid ends */
	assert_int_equal(bus->count, 3);

	assert_int_equal(pio_read(bus, 0xf7, 1), 0xff);
	assert_int_equal(pio_read(bus, 0xf8, 1), 1);
	assert_int_equal(pio_read(bus, 0xff, 1), 1);
	assert_int_equal(pio_read(bus, 0x100, 1), 2);
	assert_int_equal(pio_read(bus, 0x107, 1), 2);
	assert_int_equal(pio_read(bus, 0x108, 1), 3);
	assert_int_equal(pio_read(bus, 0x10f, 1), 3);
	assert_int_equal(pio_read(bus, 0x110, 1), 0xff);
	assert_string_equal(pio_find(bus, 0xff)->name, "low");
	assert_string_equal(pio_find(bus, 0x100)->name, "mid");
	assert_string_equal(pio_find(bus, 0x108)->name, "high");
	free(bus);
}

static void test_register_fails_with_enospc_when_full(void **state)
{
	struct pio_bus *bus = new_bus();
	struct fake_dev devs[PIO_MAX_RANGES + 1];
	int ret;
	(void)state;

	memset(devs, 0, sizeof(devs));
	for (u32 i = 0; i < PIO_MAX_RANGES; i++) {
		devs[i].read_value = i;
		reg_ok(bus, (u16)(0x1000 + 4 * i), 2, &devs[i], "dev");
	}
	assert_int_equal(bus->count, PIO_MAX_RANGES);

	ret = pio_register(bus, 0x8000, 1, &fake_ops, &devs[PIO_MAX_RANGES], "extra");
	assert_int_equal(ret, -ENOSPC);
	ret = pio_register(bus, 0x1002, 2, &fake_ops, &devs[PIO_MAX_RANGES], "gap");
	assert_int_equal(ret, -ENOSPC);
	assert_int_equal(bus->count, PIO_MAX_RANGES);
	assert_null(pio_find(bus, 0x8000));
	assert_null(pio_find(bus, 0x1002));

	/* Every registered range still works, the last one included. */
	for (u32 i = 0; i < PIO_MAX_RANGES; i++) {
		assert_int_equal(pio_read(bus, (u16)(0x1000 + 4 * i), 1), i);
		assert_int_equal(pio_read(bus, (u16)(0x1001 + 4 * i), 1), i);
		assert_int_equal(pio_read(bus, (u16)(0x1002 + 4 * i), 1), 0xff);
	}
	assert_int_equal(devs[PIO_MAX_RANGES].reads, 0);
	free(bus);
}

struct route_case {
	u16 port;
	int dev;	/* 0: the UART at [0x3f8, 0x400), 1: the one at [0x500, 0x504), -1: none */
	const char *what;
};

static void test_accesses_reach_the_right_device_with_their_port_and_size(void **state)
{
	static const struct route_case cases[] = {
		{ 0x3f8, 0, "first port" },
		{ 0x3fb, 0, "middle port" },
		{ 0x3ff, 0, "last port" },
		{ 0x400, -1, "port just past the range" },
		{ 0x3f7, -1, "port just before the range" },
		{ 0x500, 1, "other device, first port" },
		{ 0x503, 1, "other device, last port" },
		{ 0x504, -1, "port just past the other device" },
	};
	static const u8 sizes[] = { 1, 2, 4 };
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
			const struct route_case *c = &cases[i];
			struct pio_bus *bus = new_bus();
			struct fake_dev devs[2] = {
				{ .read_value = 0x5a }, { .read_value = 0x6b },
			};
			u8 size = sizes[s];
			u32 got;

			reg_ok(bus, 0x3f8, 8, &devs[0], "uart");
			reg_ok(bus, 0x500, 4, &devs[1], "minikvm");
			got = pio_read(bus, c->port, size);
			pio_write(bus, c->port, size, 0x42);

			for (int d = 0; d < 2; d++) {
				u32 want = d == c->dev ? 1 : 0;

				if (devs[d].reads != want || devs[d].writes != want)
					fail_msg("%s 0x%x size %u: device %d: %u reads, %u "
						 "writes", c->what, c->port, size, d,
						 devs[d].reads, devs[d].writes);
			}
			if (c->dev < 0) {
				assert_int_equal(bus->unclaimed_reads, 1);
				assert_int_equal(bus->unclaimed_writes, 1);
				free(bus);
				continue;
			}
			assert_int_equal(got, devs[c->dev].read_value);
			assert_int_equal(devs[c->dev].read_port, c->port);
			assert_int_equal(devs[c->dev].read_size, size);
			assert_int_equal(devs[c->dev].write_port, c->port);
			assert_int_equal(devs[c->dev].write_size, size);
			assert_int_equal(devs[c->dev].write_value, 0x42);
			assert_int_equal(bus->unclaimed_reads, 0);
			assert_int_equal(bus->unclaimed_writes, 0);
			free(bus);
		}
	}
}

static void test_accesses_are_routed_by_their_first_port(void **state)
{
	struct pio_bus *bus = new_bus();
	struct fake_dev dev = { .read_value = 0x12345678 };
	(void)state;

	reg_ok(bus, 0x3f8, 8, &dev, "uart");
	/* A dword at the last port runs past the range, but starts inside it. */
	assert_int_equal(pio_read(bus, 0x3ff, 4), 0x12345678);
	assert_int_equal(dev.read_port, 0x3ff);
	assert_int_equal(dev.read_size, 4);
	/* One starting just before the range is nobody's, though it ends inside. */
	assert_int_equal(pio_read(bus, 0x3f6, 4), 0xffffffff);
	pio_write(bus, 0x3f7, 2, 0xbeef);
	assert_int_equal(dev.reads, 1);
	assert_int_equal(dev.writes, 0);
	assert_int_equal(bus->unclaimed_reads, 1);
	assert_int_equal(bus->unclaimed_writes, 1);
	assert_int_equal(bus->last_unclaimed_port, 0x3f7);
	free(bus);
}

static const struct {
	u8 size;
	u32 mask;
} size_cases[] = {
	{ 1, 0xff },
	{ 2, 0xffff },
	{ 4, 0xffffffff },
};

static void test_written_values_are_masked_to_the_access_size(void **state)
{
	static const u32 values[] = { 0xaabbccdd, 0xffffffff, 0x80, 0x12345600, 0x00010000 };
	(void)state;

	for (size_t s = 0; s < ARRAY_SIZE(size_cases); s++) {
		for (size_t v = 0; v < ARRAY_SIZE(values); v++) {
			struct pio_bus *bus = new_bus();
			struct fake_dev dev = { 0 };

			reg_ok(bus, 0x80, 1, &dev, "post");
			pio_write(bus, 0x80, size_cases[s].size, values[v]);
			assert_int_equal(dev.writes, 1);
			if (dev.write_value != (values[v] & size_cases[s].mask))
				fail_msg("write 0x%x size %u: device got 0x%x", values[v],
					 size_cases[s].size, dev.write_value);
			assert_int_equal(dev.write_size, size_cases[s].size);
			free(bus);
		}
	}
}

static void test_read_values_are_masked_to_the_access_size(void **state)
{
	static const struct {
		u8 size;
		u32 want;
	} cases[] = {
		{ 1, 0xdd },
		{ 2, 0xccdd },
		{ 4, 0xaabbccdd },
	};
	(void)state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct pio_bus *bus = new_bus();
		struct fake_dev dev = { .read_value = 0xaabbccdd };
		u32 got;

		reg_ok(bus, 0x60, 5, &dev, "kbd");
		got = pio_read(bus, 0x62, cases[i].size);
		if (got != cases[i].want)
			fail_msg("read size %u of 0xaabbccdd gave 0x%x, want 0x%x", cases[i].size,
				 got, cases[i].want);
		assert_int_equal(dev.read_size, cases[i].size);
		free(bus);
	}
}

static void test_unclaimed_reads_return_all_ones_and_are_counted(void **state)
{
	static const u16 ports[] = { 0, 0x3f7, 0x400, 0xcf8, 0xffff };
	struct pio_bus *bus = new_bus();
	struct fake_dev dev = { .read_value = 0 };
	u64 expected = 0;
	(void)state;

	reg_ok(bus, 0x3f8, 8, &dev, "uart");
	for (size_t p = 0; p < ARRAY_SIZE(ports); p++) {
		for (size_t s = 0; s < ARRAY_SIZE(size_cases); s++) {
			u32 got = pio_read(bus, ports[p], size_cases[s].size);

			expected++;
			if (got != size_cases[s].mask)
				fail_msg("unclaimed read 0x%x size %u gave 0x%x", ports[p],
					 size_cases[s].size, got);
			assert_int_equal(bus->unclaimed_reads, expected);
			assert_int_equal(bus->last_unclaimed_port, ports[p]);
			/* Reading a claimed port in between leaves the record alone. */
			pio_read(bus, 0x3f8, 1);
			assert_int_equal(bus->last_unclaimed_port, ports[p]);
		}
	}
	assert_int_equal(bus->unclaimed_reads, expected);
	assert_int_equal(bus->unclaimed_writes, 0);
	assert_int_equal(dev.reads, expected);
	free(bus);
}

static void test_unclaimed_writes_are_dropped_and_counted(void **state)
{
	static const u16 ports[] = { 0x21, 0x3f7, 0x400, 0xffff };
	struct pio_bus *bus = new_bus();
	struct fake_dev dev = { 0 };
	(void)state;

	reg_ok(bus, 0x3f8, 8, &dev, "uart");
	for (size_t p = 0; p < ARRAY_SIZE(ports); p++) {
		for (size_t s = 0; s < ARRAY_SIZE(size_cases); s++)
			pio_write(bus, ports[p], size_cases[s].size, 0xdeadbeef);
		assert_int_equal(bus->unclaimed_writes, (p + 1) * ARRAY_SIZE(size_cases));
		assert_int_equal(bus->last_unclaimed_port, ports[p]);
	}
	assert_int_equal(dev.writes, 0);
	assert_int_equal(dev.reads, 0);
	assert_int_equal(bus->unclaimed_reads, 0);
	/* Dropped, not routed anywhere later either: the device still sees only its own. */
	pio_write(bus, 0x3f9, 1, 0x41);
	assert_int_equal(dev.writes, 1);
	assert_int_equal(dev.write_port, 0x3f9);
	assert_int_equal(bus->unclaimed_writes, ARRAY_SIZE(ports) * ARRAY_SIZE(size_cases));
	free(bus);
}

static void test_alternating_accesses_always_reach_the_right_device(void **state)
{
	/* Ports of A, B and nobody, in an order that defeats any stale cached range. */
	static const struct route_case seq[] = {
		{ 0x3f8, 0, "A first" }, { 0x3f8, 0, "A again" }, { 0x2f8, 1, "B first" },
		{ 0x3f8, 0, "A after B" }, { 0x2ff, 1, "B last" }, { 0x300, -1, "past B" },
		{ 0x2ff, 1, "B after nobody" }, { 0x3ff, 0, "A last" }, { 0x3f7, -1, "before A" },
		{ 0x3fc, 0, "A after nobody" }, { 0x400, -1, "past A" }, { 0x2f7, -1, "before B" },
		{ 0x2fa, 1, "B middle" }, { 0x3fa, 0, "A middle" }, { 0x2fa, 1, "B middle again" },
	};
	struct pio_bus *bus = new_bus();
	struct fake_dev devs[2] = { { .read_value = 0xa }, { .read_value = 0xb } };
	u32 reads[2] = { 0, 0 }, writes[2] = { 0, 0 };
	u64 unclaimed = 0;
	(void)state;

	reg_ok(bus, 0x3f8, 8, &devs[0], "A");
	reg_ok(bus, 0x2f8, 8, &devs[1], "B");
	for (int round = 0; round < 3; round++) {
		for (size_t i = 0; i < ARRAY_SIZE(seq); i++) {
			const struct route_case *c = &seq[i];
			bool write = (i + round) % 2;
			u32 got = 0;

			if (write)
				pio_write(bus, c->port, 1, (u32)i);
			else
				got = pio_read(bus, c->port, 1);
			if (c->dev < 0) {
				unclaimed++;
				if (!write)
					assert_int_equal(got, 0xff);
			} else if (write) {
				writes[c->dev]++;
				assert_int_equal(devs[c->dev].write_port, c->port);
				assert_int_equal(devs[c->dev].write_value, i);
			} else {
				reads[c->dev]++;
				assert_int_equal(got, devs[c->dev].read_value);
				assert_int_equal(devs[c->dev].read_port, c->port);
			}
			for (int d = 0; d < 2; d++)
				if (devs[d].reads != reads[d] || devs[d].writes != writes[d])
					fail_msg("round %d, %s (0x%x): device %d has %u/%u "
						 "reads/writes, want %u/%u", round, c->what,
						 c->port, d, devs[d].reads, devs[d].writes,
						 reads[d], writes[d]);
			assert_int_equal(bus->unclaimed_reads + bus->unclaimed_writes, unclaimed);
		}
	}
	free(bus);
}

static void test_cache_does_not_hide_ranges_registered_later(void **state)
{
	struct pio_bus *bus = new_bus();
	struct fake_dev a = { .read_value = 0xa }, c = { .read_value = 0xc };
	(void)state;

	reg_ok(bus, 0x60, 1, &a, "A");
	assert_int_equal(pio_read(bus, 0x60, 1), 0xa);
	assert_int_equal(pio_read(bus, 0x61, 1), 0xff);
	reg_ok(bus, 0x61, 4, &c, "C");
	assert_int_equal(pio_read(bus, 0x61, 1), 0xc);
	assert_int_equal(pio_read(bus, 0x60, 1), 0xa);
	assert_int_equal(pio_read(bus, 0x64, 1), 0xc);
	assert_int_equal(pio_read(bus, 0x65, 1), 0xff);
	assert_int_equal(a.reads, 2);
	assert_int_equal(c.reads, 2);
	free(bus);
}

static void test_find_returns_the_range_or_null(void **state)
{
	static const struct {
		u16 port;
		const char *name;	/* NULL: unclaimed */
	} cases[] = {
		{ 0x7f, NULL }, { 0x80, "post" }, { 0x81, NULL }, { 0xe8, NULL }, { 0xe9, "debug" },
		{ 0xea, NULL }, { 0x4ff, NULL }, { 0x500, "minikvm" }, { 0x503, "minikvm" },
		{ 0x504, NULL }, { 0, NULL }, { 0xffff, NULL },
	};
	struct pio_bus *bus = new_bus();
	struct fake_dev dev = { 0 };
	(void)state;

	reg_ok(bus, 0x80, 1, &dev, "post");
	reg_ok(bus, 0xe9, 1, &dev, "debug");
	reg_ok(bus, 0x500, 4, &dev, "minikvm");
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct pio_range *r = pio_find(bus, cases[i].port);

		if (!cases[i].name) {
			if (r)
				fail_msg("port 0x%x: found %s, want none", cases[i].port, r->name);
			continue;
		}
		if (!r)
			fail_msg("port 0x%x: found nothing, want %s", cases[i].port,
				 cases[i].name);
		assert_string_equal(r->name, cases[i].name);
		assert_true(cases[i].port >= r->base && cases[i].port - r->base < r->count);
	}
	/* Looking up is not an access: nothing is counted, and the devices see nothing. */
	assert_int_equal(bus->unclaimed_reads, 0);
	assert_int_equal(bus->unclaimed_writes, 0);
	assert_int_equal(dev.reads + dev.writes, 0);
	free(bus);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_gives_an_empty_bus),
		cmocka_unit_test(test_init_forgets_earlier_ranges_and_the_cache),
		cmocka_unit_test(test_register_records_the_range),
		cmocka_unit_test(test_register_rejects_empty_and_wrapping_ranges),
		cmocka_unit_test(test_register_accepts_ranges_up_to_the_last_port),
		cmocka_unit_test(test_register_rejects_every_overlap),
		cmocka_unit_test(test_adjacent_ranges_are_accepted),
		cmocka_unit_test(test_register_fails_with_enospc_when_full),
		cmocka_unit_test(test_accesses_reach_the_right_device_with_their_port_and_size),
		cmocka_unit_test(test_accesses_are_routed_by_their_first_port),
		cmocka_unit_test(test_written_values_are_masked_to_the_access_size),
		cmocka_unit_test(test_read_values_are_masked_to_the_access_size),
		cmocka_unit_test(test_unclaimed_reads_return_all_ones_and_are_counted),
		cmocka_unit_test(test_unclaimed_writes_are_dropped_and_counted),
		cmocka_unit_test(test_alternating_accesses_always_reach_the_right_device),
		cmocka_unit_test(test_cache_does_not_hide_ranges_registered_later),
		cmocka_unit_test(test_find_returns_the_range_or_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

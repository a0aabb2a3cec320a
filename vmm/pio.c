/* SPDX-License-Identifier: MIT */
/* The port-I/O bus. Pure: devices are reached through their ops. */
#include "vmm/pio.h"
#include "kernel/errno.h"
#include "kernel/string.h"

void pio_init(struct pio_bus *bus)
{
	memset(bus, 0, sizeof(*bus));
}

int pio_register(struct pio_bus *bus, u16 base, u16 count, const struct pio_ops *ops, void *dev,
		 const char *name)
{
	u32 end = (u32)base + count;

	if (count == 0 || end > 0x10000)
		return -EINVAL;
	for (u32 i = 0; i < bus->count; i++) {
		const struct pio_range *r = &bus->ranges[i];

		if (base < (u32)r->base + r->count && r->base < end)
			return -EEXIST;
	}
	if (bus->count == PIO_MAX_RANGES)
		return -ENOSPC;
	bus->ranges[bus->count++] = (struct pio_range){ base, count, ops, dev, name };
	return 0;
}

static bool in_range(const struct pio_range *r, u16 port)
{
	return (u16)(port - r->base) < r->count;
}

const struct pio_range *pio_find(const struct pio_bus *bus, u16 port)
{
	for (u32 i = 0; i < bus->count; i++)
		if (in_range(&bus->ranges[i], port))
			return &bus->ranges[i];
	return NULL;
}

const struct pio_range *pio_route_slow(struct pio_bus *bus, u16 port)
{
	const struct pio_range *r = pio_find(bus, port);

	if (r)
		bus->last = r;
	return r;
}

u32 pio_unclaimed_read(struct pio_bus *bus, u16 port, u8 size)
{
	bus->unclaimed_reads++;
	bus->last_unclaimed_port = port;
	return pio_size_mask(size);
}

void pio_unclaimed_write(struct pio_bus *bus, u16 port)
{
	bus->unclaimed_writes++;
	bus->last_unclaimed_port = port;
}

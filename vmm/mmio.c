/* SPDX-License-Identifier: MIT */
/* The MMIO bus. Pure: devices are reached through their ops. */
#include "vmm/mmio.h"
#include "kernel/errno.h"
#include "kernel/string.h"

void mmio_init(struct mmio_bus *bus)
{
	memset(bus, 0, sizeof(*bus));
}

/* Inclusive ends, so that a range reaching 2^64 - 1 compares without overflow. */
static u64 last_byte(const struct mmio_range *r)
{
	return r->base + (r->size - 1);
}

int mmio_register(struct mmio_bus *bus, u64 base, u64 size, const struct mmio_ops *ops, void *dev,
		  const char *name)
{
	struct mmio_range n = { base, size, ops, dev, name };

	if (size == 0 || base + (size - 1) < base)
		return -EINVAL;
	for (u32 i = 0; i < bus->count; i++) {
		const struct mmio_range *r = &bus->ranges[i];

		if (base <= last_byte(r) && r->base <= last_byte(&n))
			return -EEXIST;
	}
	if (bus->count == MMIO_MAX_RANGES)
		return -ENOSPC;
	bus->ranges[bus->count++] = n;
	return 0;
}

const struct mmio_range *mmio_find(const struct mmio_bus *bus, u64 gpa)
{
	for (u32 i = 0; i < bus->count; i++)
		if (gpa - bus->ranges[i].base < bus->ranges[i].size)
			return &bus->ranges[i];
	return NULL;
}

int mmio_range_access(const struct mmio_range *r, u64 gpa, u8 size, bool write, u64 *value)
{
	u64 offset = gpa - r->base;

	if (size == 0 || offset >= r->size || r->size - offset < size)
		return -ERANGE;
	if (write)
		r->ops->write(r->dev, offset, size, *value & mmio_size_mask(size));
	else
		*value = r->ops->read(r->dev, offset, size) & mmio_size_mask(size);
	return 0;
}

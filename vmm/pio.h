/* SPDX-License-Identifier: MIT */
/* A VM's port-I/O bus: devices claim port ranges; the rest reads as all ones. */
#ifndef VIREO_VMM_PIO_H
#define VIREO_VMM_PIO_H

#include "kernel/types.h"

#define PIO_MAX_RANGES 32

struct pio_ops {
	/* Read size (1, 2 or 4) bytes at port; port - base is the offset in the range. */
	u32 (*read)(void *dev, u16 port, u8 size);
	void (*write)(void *dev, u16 port, u8 size, u32 value);
};

struct pio_range {
	u16 base;
	u16 count;
	const struct pio_ops *ops;
	void *dev;
	const char *name;
};

struct pio_bus {
	struct pio_range ranges[PIO_MAX_RANGES];
	u32 count;
	const struct pio_range *last;	/* the range of the previous access: the likely next */
	u64 unclaimed_reads, unclaimed_writes;	/* accesses no device claimed */
	u16 last_unclaimed_port;
};

/* Start an empty bus. */
void pio_init(struct pio_bus *bus);

/*
 * Give ports [base, base+count) to a device. Returns 0, -EINVAL (empty or wrapping range),
 * -EEXIST (overlaps a registered range) or -ENOSPC.
 */
int pio_register(struct pio_bus *bus, u16 base, u16 count, const struct pio_ops *ops, void *dev,
		 const char *name);

/* The range holding port, or NULL. */
const struct pio_range *pio_find(const struct pio_bus *bus, u16 port);

/* The out-of-line halves of the accesses below: a port not in the last range, and no device. */
const struct pio_range *pio_route_slow(struct pio_bus *bus, u16 port);
u32 pio_unclaimed_read(struct pio_bus *bus, u16 port, u8 size);
void pio_unclaimed_write(struct pio_bus *bus, u16 port);

/* The mask of an access of size bytes (1, 2 or 4). */
static inline u32 pio_size_mask(u8 size)
{
	return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

/* Guests repeat accesses to one device (a UART, a timer): the last range is tried first. */
static inline const struct pio_range *pio_route(struct pio_bus *bus, u16 port)
{
	const struct pio_range *r = bus->last;

	if (r && (u16)(port - r->base) < r->count)
		return r;
	return pio_route_slow(bus, port);
}

/*
 * Guest accesses, inline for the exit path. An access no device claims is counted; reads
 * return all ones of the access size, writes are dropped. An access is routed by its first
 * port.
 */
static inline u32 pio_read(struct pio_bus *bus, u16 port, u8 size)
{
	const struct pio_range *r = pio_route(bus, port);

	if (!r)
		return pio_unclaimed_read(bus, port, size);
	return r->ops->read(r->dev, port, size) & pio_size_mask(size);
}

static inline void pio_write(struct pio_bus *bus, u16 port, u8 size, u32 value)
{
	const struct pio_range *r = pio_route(bus, port);

	if (!r)
		pio_unclaimed_write(bus, port);
	else
		r->ops->write(r->dev, port, size, value & pio_size_mask(size));
}

#endif

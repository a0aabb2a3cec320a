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

/*
 * Guest accesses. An access no device claims is counted; reads return all ones of the access
 * size, writes are dropped. An access is routed by its first port.
 */
u32 pio_read(struct pio_bus *bus, u16 port, u8 size);
void pio_write(struct pio_bus *bus, u16 port, u8 size, u32 value);

/* The range holding port, or NULL. */
const struct pio_range *pio_find(const struct pio_bus *bus, u16 port);

#endif

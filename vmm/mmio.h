/* SPDX-License-Identifier: MIT */
/* An MMIO bus: devices claim guest-physical ranges outside RAM; the VMM emulates accesses there. */
#ifndef VIREO_VMM_MMIO_H
#define VIREO_VMM_MMIO_H

#include "kernel/types.h"

#define MMIO_MAX_RANGES 16

struct mmio_ops {
	/* Read size (1, 2, 4 or 8) bytes at offset (the guest-physical address minus the base). */
	u64 (*read)(void *dev, u64 offset, u8 size);
	void (*write)(void *dev, u64 offset, u8 size, u64 value);
};

struct mmio_range {
	u64 base, size;
	const struct mmio_ops *ops;
	void *dev;
	const char *name;
};

struct mmio_bus {
	struct mmio_range ranges[MMIO_MAX_RANGES];
	u32 count;
};

/* Start an empty bus. */
void mmio_init(struct mmio_bus *bus);

/*
 * Give guest-physical [base, base+size) to a device. Returns 0, -EINVAL (empty, or wrapping
 * past 2^64), -EEXIST (overlaps a registered range) or -ENOSPC.
 */
int mmio_register(struct mmio_bus *bus, u64 base, u64 size, const struct mmio_ops *ops, void *dev,
		  const char *name);

/* The range holding gpa, or NULL. */
const struct mmio_range *mmio_find(const struct mmio_bus *bus, u64 gpa);

/*
 * An access of size bytes at gpa through the range r that holds gpa: a read returns the value
 * masked to size in *value, a write takes it from there. -ERANGE (nothing done) when the access
 * runs past the end of r: no device is split across two ranges.
 */
int mmio_range_access(const struct mmio_range *r, u64 gpa, u8 size, bool write, u64 *value);

/* The mask of an access of size bytes (1, 2, 4 or 8). */
static inline u64 mmio_size_mask(u8 size)
{
	return size >= 8 ? ~0ULL : (1ULL << (8 * size)) - 1;
}

#endif

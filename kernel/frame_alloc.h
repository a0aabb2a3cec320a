/* SPDX-License-Identifier: MIT */
/* Physical frame allocator: one bit per 4 KiB frame, over the boot memory map. */
#ifndef VIREO_FRAME_ALLOC_H
#define VIREO_FRAME_ALLOC_H

#include "kernel/types.h"

struct frame_alloc {
	u64 *bitmap;		/* bit set: frame unavailable (not RAM, reserved, or allocated) */
	u64 frames;		/* frames covered: numbers 0 .. frames-1 */
	u64 hint;		/* where the next single-frame search starts */
	/* Counters, in frames unless named otherwise. */
	u64 usable;		/* usable RAM declared by the memory map */
	u64 reserved;		/* usable RAM set aside for good (kernel, modules, boot data) */
	u64 free;		/* available now */
	u64 allocations;	/* successful frame_alloc_get calls */
	u64 releases;		/* successful frame_alloc_put calls */
	u64 failures;		/* frame_alloc_get calls that found no room */
};

/* Bytes of bitmap needed to cover frames frames. */
#define FRAME_BITMAP_BYTES(frames) (ALIGN_UP((u64)(frames), 64ULL) / 8)

/* Start with every frame unavailable; bitmap holds FRAME_BITMAP_BYTES(frames) bytes. */
void frame_alloc_init(struct frame_alloc *fa, u64 *bitmap, u64 frames);

/*
 * Declare [base, base+len) usable RAM: the whole frames inside it become available.
 * Declare all usable RAM before reserving anything.
 */
void frame_alloc_add_usable(struct frame_alloc *fa, u64 base, u64 len);

/* Set aside every frame that [base, base+len) touches; it is never handed out. */
void frame_alloc_reserve(struct frame_alloc *fa, u64 base, u64 len);

/*
 * Find count contiguous available frames whose first frame number is a multiple of align
 * (a power of two), mark them allocated and return the first in *frame.
 * Returns 0, -EINVAL (count 0, bad align) or -ENOMEM.
 */
int frame_alloc_get(struct frame_alloc *fa, u64 count, u64 align, u64 *frame);

/*
 * frame_alloc_get for an allocation that must leave at least keep frames available (a VM's
 * RAM, which must not take the host's reserve). Returns -ENOSPC, counting no failure and
 * changing nothing, when fewer than count + keep frames are available; else as
 * frame_alloc_get (which may still find no contiguous run: -ENOMEM).
 */
int frame_alloc_get_keeping(struct frame_alloc *fa, u64 count, u64 align, u64 keep, u64 *frame);

/*
 * Give back count frames from frame on. Returns 0, or -EINVAL, changing nothing, when any of
 * them is out of range or already available (a double free).
 */
int frame_alloc_put(struct frame_alloc *fa, u64 frame, u64 count);

/* True when the frame is available. */
bool frame_alloc_is_free(const struct frame_alloc *fa, u64 frame);

#endif

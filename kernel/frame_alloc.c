/* SPDX-License-Identifier: MIT */
/* Physical frame allocator over a bitmap. Pure: the kernel wraps it with a lock. */
#include "kernel/frame_alloc.h"
#include "kernel/errno.h"
#include "kernel/string.h"

static bool frame_used(const struct frame_alloc *fa, u64 f)
{
	return fa->bitmap[f / 64] & BIT(f % 64);
}

static void frame_set(struct frame_alloc *fa, u64 f)
{
	fa->bitmap[f / 64] |= BIT(f % 64);
}

static void frame_clear(struct frame_alloc *fa, u64 f)
{
	fa->bitmap[f / 64] &= ~BIT(f % 64);
}

void frame_alloc_init(struct frame_alloc *fa, u64 *bitmap, u64 frames)
{
	memset(fa, 0, sizeof(*fa));
	fa->bitmap = bitmap;
	fa->frames = frames;
	memset(bitmap, 0xff, FRAME_BITMAP_BYTES(frames));
}

void frame_alloc_add_usable(struct frame_alloc *fa, u64 base, u64 len)
{
	u64 first, end;

	if (base > UINT64_MAX - (PAGE_SIZE - 1))
		return;	/* no whole frame starts in the last page of the address space */
	first = ALIGN_UP(base, PAGE_SIZE) / PAGE_SIZE;
	end = (base + len < base ? UINT64_MAX : base + len) / PAGE_SIZE;

	for (u64 f = first; f < end && f < fa->frames; f++) {
		if (frame_used(fa, f)) {
			frame_clear(fa, f);
			fa->usable++;
			fa->free++;
		}
	}
}

void frame_alloc_reserve(struct frame_alloc *fa, u64 base, u64 len)
{
	u64 first = base / PAGE_SIZE;
	u64 end;

	if (len == 0)
		return;
	end = base + len - 1 < base ? fa->frames : (base + len - 1) / PAGE_SIZE + 1;
	for (u64 f = first; f < end && f < fa->frames; f++) {
		if (!frame_used(fa, f)) {
			frame_set(fa, f);
			fa->reserved++;
			fa->free--;
		}
	}
}

/* Length of the run of available frames starting at f, up to want. */
static u64 free_run(const struct frame_alloc *fa, u64 f, u64 want)
{
	u64 n = 0;

	while (n < want && f + n < fa->frames && !frame_used(fa, f + n))
		n++;
	return n;
}

static bool search(struct frame_alloc *fa, u64 from, u64 to, u64 count, u64 align, u64 *out)
{
	u64 f = ALIGN_UP(from, align);

	while (f + count <= to) {
		u64 run;

		/* Skip whole words of used frames quickly. */
		if (fa->bitmap[f / 64] == ~0ULL) {
			f = ALIGN_UP((f / 64 + 1) * 64, align);
			continue;
		}
		run = free_run(fa, f, count);
		if (run == count) {
			*out = f;
			return true;
		}
		f = ALIGN_UP(f + run + 1, align);
	}
	return false;
}

int frame_alloc_get(struct frame_alloc *fa, u64 count, u64 align, u64 *frame)
{
	u64 f;

	if (count == 0 || align == 0 || (align & (align - 1)))
		return -EINVAL;
	if (count > fa->free ||
	    (!search(fa, fa->hint, fa->frames, count, align, &f) &&
	     !search(fa, 0, fa->frames, count, align, &f))) {
		fa->failures++;
		return -ENOMEM;
	}
	for (u64 i = 0; i < count; i++)
		frame_set(fa, f + i);
	fa->free -= count;
	fa->allocations++;
	if (count == 1)
		fa->hint = f + 1;
	*frame = f;
	return 0;
}

int frame_alloc_get_keeping(struct frame_alloc *fa, u64 count, u64 align, u64 keep, u64 *frame)
{
	/* Bad arguments are frame_alloc_get's to refuse. */
	if (count && align && (count > fa->free || fa->free - count < keep))
		return -ENOSPC;
	return frame_alloc_get(fa, count, align, frame);
}

int frame_alloc_put(struct frame_alloc *fa, u64 frame, u64 count)
{
	if (count == 0 || frame >= fa->frames || count > fa->frames - frame)
		return -EINVAL;
	for (u64 i = 0; i < count; i++)
		if (!frame_used(fa, frame + i))
			return -EINVAL;
	for (u64 i = 0; i < count; i++)
		frame_clear(fa, frame + i);
	fa->free += count;
	fa->releases++;
	if (frame < fa->hint)
		fa->hint = frame;
	return 0;
}

bool frame_alloc_is_free(const struct frame_alloc *fa, u64 frame)
{
	return frame < fa->frames && !frame_used(fa, frame);
}

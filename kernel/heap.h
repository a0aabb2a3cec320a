/* SPDX-License-Identifier: MIT */
/* A small-object heap over whole pages: size classes in slab pages, big blocks in page runs. */
#ifndef VIREO_HEAP_H
#define VIREO_HEAP_H

#include "kernel/types.h"

#define HEAP_CLASSES 6		/* 32, 64, ... 1024 bytes */
#define HEAP_ALIGN 16

struct heap_ops {
	/* count contiguous, 4 KiB aligned pages, or NULL. */
	void *(*alloc_pages)(void *ctx, u64 count);
	void (*free_pages)(void *ctx, void *pages, u64 count);
};

struct heap_slab;

struct heap {
	const struct heap_ops *ops;
	void *ctx;
	struct heap_slab *partial[HEAP_CLASSES];	/* slabs with a free object, per class */
	u64 bytes_in_use;	/* requested sizes rounded to their class or page run */
	u64 pages;		/* pages the heap holds now */
	u64 allocations, frees;
};

/* Start an empty heap that takes pages from ops. */
void heap_init(struct heap *h, const struct heap_ops *ops, void *ctx);

/* size bytes aligned to HEAP_ALIGN, or NULL when the pages run out (size 0 gives NULL too). */
void *heap_alloc(struct heap *h, size_t size);

/*
 * Free a block from heap_alloc (NULL is ignored). Returns 0, or -EINVAL, changing nothing,
 * when p is not a live heap block (a wild pointer or a double free).
 */
int heap_free(struct heap *h, void *p);

/* The usable size of a live block (at least what was asked for). */
size_t heap_block_size(const void *p);

#endif

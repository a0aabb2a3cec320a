/* SPDX-License-Identifier: MIT */
/*
 * A small-object heap. Every block's page starts with a header, so free() finds it by
 * rounding the pointer down: a slab page for blocks up to 1 KiB, or the first page of a run.
 * Pure: pages come through struct heap_ops, so the unit tests run it over malloc.
 */
#include "kernel/heap.h"
#include "kernel/errno.h"
#include "kernel/string.h"

#define SLAB_MAGIC 0x534c4142u	/* "SLAB" */
#define RUN_MAGIC 0x52554e21u	/* "RUN!" */
#define HEADER_SIZE 64
#define SMALLEST_CLASS 32	/* so a slab holds at most 126 objects: free_map has 128 bits */

struct heap_slab {
	u32 magic;
	u16 class_index;
	u16 free_count;
	u64 free_map[2];	/* bit set: object free */
	struct heap_slab *next, *prev;
};

struct heap_run {
	u32 magic;
	u32 reserved;
	u64 pages;
};

_Static_assert(sizeof(struct heap_slab) <= HEADER_SIZE, "slab header too big");

static size_t class_size(unsigned index)
{
	return (size_t)SMALLEST_CLASS << index;
}

static unsigned class_objects(unsigned index)
{
	return (unsigned)((PAGE_SIZE - HEADER_SIZE) / class_size(index));
}

static void *page_of(const void *p)
{
	return (void *)((uintptr_t)p & ~(uintptr_t)(PAGE_SIZE - 1));
}

void heap_init(struct heap *h, const struct heap_ops *ops, void *ctx)
{
	memset(h, 0, sizeof(*h));
	h->ops = ops;
	h->ctx = ctx;
}

static void slab_unlink(struct heap *h, struct heap_slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		h->partial[s->class_index] = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

static void slab_push(struct heap *h, struct heap_slab *s)
{
	s->prev = NULL;
	s->next = h->partial[s->class_index];
	if (s->next)
		s->next->prev = s;
	h->partial[s->class_index] = s;
}

static struct heap_slab *slab_new(struct heap *h, unsigned index)
{
	struct heap_slab *s = h->ops->alloc_pages(h->ctx, 1);
	unsigned n = class_objects(index);

	if (!s)
		return NULL;
	memset(s, 0, HEADER_SIZE);
	s->magic = SLAB_MAGIC;
	s->class_index = (u16)index;
	s->free_count = (u16)n;
	for (unsigned i = 0; i < n; i++)
		s->free_map[i / 64] |= BIT(i % 64);
	h->pages++;
	slab_push(h, s);
	return s;
}

static void *slab_take(struct heap *h, struct heap_slab *s)
{
	unsigned word = s->free_map[0] ? 0 : 1;
	unsigned bit = (unsigned)__builtin_ctzll(s->free_map[word]);
	unsigned i = word * 64 + bit;

	s->free_map[word] &= ~BIT(bit);
	if (--s->free_count == 0)
		slab_unlink(h, s);
	return (u8 *)s + HEADER_SIZE + i * class_size(s->class_index);
}

static void *run_alloc(struct heap *h, size_t size)
{
	u64 pages;
	struct heap_run *r;

	if ((u64)size > UINT64_MAX - HEADER_SIZE - PAGE_SIZE)
		return NULL;	/* no machine has that much, and the page count would wrap */
	pages = ALIGN_UP((u64)size + HEADER_SIZE, PAGE_SIZE) / PAGE_SIZE;
	r = h->ops->alloc_pages(h->ctx, pages);
	if (!r)
		return NULL;
	r->magic = RUN_MAGIC;
	r->pages = pages;
	h->pages += pages;
	h->bytes_in_use += pages * PAGE_SIZE;
	return (u8 *)r + HEADER_SIZE;
}

void *heap_alloc(struct heap *h, size_t size)
{
	void *p;
	unsigned index = 0;

	if (size == 0)
		return NULL;
	while (index < HEAP_CLASSES && class_size(index) < size)
		index++;
	if (index == HEAP_CLASSES) {
		p = run_alloc(h, size);
	} else {
		struct heap_slab *s = h->partial[index] ? h->partial[index] : slab_new(h, index);
		p = s ? slab_take(h, s) : NULL;
		if (p)
			h->bytes_in_use += class_size(index);
	}
	if (p)
		h->allocations++;
	return p;
}

static int slab_give(struct heap *h, struct heap_slab *s, void *p)
{
	size_t size = class_size(s->class_index);
	uintptr_t off = (uintptr_t)p - (uintptr_t)s - HEADER_SIZE;
	unsigned i = (unsigned)(off / size);

	if ((uintptr_t)p < (uintptr_t)s + HEADER_SIZE || off % size ||
	    i >= class_objects(s->class_index) || (s->free_map[i / 64] & BIT(i % 64)))
		return -EINVAL;
	s->free_map[i / 64] |= BIT(i % 64);
	if (s->free_count++ == 0)
		slab_push(h, s);
	h->bytes_in_use -= size;
	if (s->free_count == class_objects(s->class_index)) {
		slab_unlink(h, s);
		s->magic = 0;
		h->ops->free_pages(h->ctx, s, 1);
		h->pages--;
	}
	return 0;
}

int heap_free(struct heap *h, void *p)
{
	void *page;

	if (!p)
		return 0;
	page = page_of(p);
	if (((struct heap_slab *)page)->magic == SLAB_MAGIC) {
		if (slab_give(h, page, p) < 0)
			return -EINVAL;
	} else if (((struct heap_run *)page)->magic == RUN_MAGIC &&
		   p == (u8 *)page + HEADER_SIZE) {
		struct heap_run *r = page;
		u64 pages = r->pages;

		r->magic = 0;
		h->bytes_in_use -= pages * PAGE_SIZE;
		h->pages -= pages;
		h->ops->free_pages(h->ctx, r, pages);
	} else {
		return -EINVAL;
	}
	h->frees++;
	return 0;
}

size_t heap_block_size(const void *p)
{
	const struct heap_slab *s = page_of(p);

	if (s->magic == SLAB_MAGIC)
		return class_size(s->class_index);
	return ((const struct heap_run *)s)->pages * PAGE_SIZE - HEADER_SIZE;
}
